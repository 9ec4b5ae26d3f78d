package dev.tokenscope.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenscope.simulator.Fault;
import dev.tokenscope.simulator.Provider;
import dev.tokenscope.simulator.RecordedRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** 429s and 5xx are retried by the SDKs; a provider that fails for good is a 500. */
class ProviderFailuresTest {

  static RunningMenuDesigner service;

  @BeforeAll
  static void start() {
    service = RunningMenuDesigner.start();
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @BeforeEach
  void reset() {
    service.simulator().clearFaults();
    service.reset();
  }

  @Test
  void rateLimitsAndServerErrorsAreRetriedByTheSdks() {
    service.simulator().failNext(1, Fault.RATE_LIMIT, Provider.OPENAI);
    service.simulator().failNext(1, Fault.SERVER_ERROR, Provider.OPENAI);
    service.simulator().failNext(1, Fault.OVERLOADED, Provider.ANTHROPIC);
    int before = service.simulator().requestLog().entries().size();

    RunningMenuDesigner.Response openAi =
        service.post("/recipe/generate", "{\"provider\": \"openai\", \"dish_name\": \"Ramen\"}");
    RunningMenuDesigner.Response claude =
        service.post("/recipe/generate", "{\"provider\": \"claude\", \"dish_name\": \"Ramen\"}");

    assertThat(openAi.status()).as(openAi.body()).isEqualTo(200);
    assertThat(claude.status()).as(claude.body()).isEqualTo(200);
    List<RecordedRequest> seen =
        service.simulator().requestLog().entries().subList(before, before + 5);
    assertThat(seen).extracting(RecordedRequest::status).containsExactly(429, 500, 200, 529, 200);
    assertThat(seen).extracting(RecordedRequest::retryCount).containsExactly(0, 1, 2, 0, 1);
    assertThat(service.simulator().pendingFaults()).isZero();
  }

  @Test
  void aRateLimitAtSpeedZeroAsksForAShortButPositiveWait() throws Exception {
    // The Anthropic SDK ignores retry-after: 0 and sleeps its own 0.5-8 s backoff instead.
    service.simulator().failNext(1, Fault.RATE_LIMIT, Provider.ANTHROPIC);
    HttpResponse<String> limited =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(service.simulator().anthropicBaseUrl() + "/v1/messages"))
                    .header("content-type", "application/json")
                    .header("x-api-key", "simulated-key")
                    .header("anthropic-version", "2023-06-01")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"model\": \"claude-haiku-4-5\", \"max_tokens\": 10,"
                                + " \"messages\": [{\"role\": \"user\", \"content\": \"hi\"}]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(Double.parseDouble(limited.headers().firstValue("retry-after").orElseThrow()))
        .isPositive()
        .isLessThanOrEqualTo(0.001);
  }

  @Test
  void aProviderFailingForGoodIsA500WithDetails() {
    service.simulator().failNext(10, Fault.SERVER_ERROR, Provider.ANTHROPIC);

    RunningMenuDesigner.Response response = service.post("/menu/design", "{\"courses\": 2}");

    assertThat(response.status()).isEqualTo(500);
    assertThat(MenuDesignEndToEndTest.fieldNames(response.json()))
        .containsExactly("error", "details");
    assertThat(response.json().get("error").asText()).isEqualTo("Menu design failed");
    assertThat(response.json().get("details").asText()).contains("500");

    TraceShape trace = TraceShape.of(service.finishedSpans(), "POST /menu/design");
    trace.assertOneRootedServerTrace("POST /menu/design");
    SpanData server = trace.root();
    assertThat(server.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(server.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
        .isEqualTo(500);
    SpanData workflow = trace.only("restaurant_menu_design_workflow.workflow");
    assertThat(workflow.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(trace.llmSpans())
        .filteredOn(s -> s.getStatus().getStatusCode() == StatusCode.ERROR)
        .isNotEmpty();
  }

  @Test
  void aRecipeProviderFailingForGoodIsA500() {
    service.simulator().failNext(3, Fault.RATE_LIMIT, Provider.OPENAI);

    RunningMenuDesigner.Response response =
        service.post("/recipe/generate", "{\"provider\": \"openai\", \"dish_name\": \"Pho\"}");

    assertThat(response.status()).isEqualTo(500);
    assertThat(response.json().get("error").asText()).isEqualTo("Recipe generation failed");
    assertThat(response.json().get("details").asText()).contains("429");
  }

  @Test
  void theServiceStaysHealthyAfterAFailure() {
    service.simulator().failNext(3, Fault.SERVER_ERROR, Provider.OPENAI);
    service.post("/recipe/compare", "{\"dish_name\": \"Pho\"}");

    RunningMenuDesigner.Response response = service.post("/menu/design", "{\"courses\": 1}");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
  }
}
