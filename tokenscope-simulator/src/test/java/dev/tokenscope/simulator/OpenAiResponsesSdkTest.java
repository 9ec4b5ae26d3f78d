package dev.tokenscope.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ResponseAccumulator;
import com.openai.models.Reasoning;
import com.openai.models.ReasoningEffort;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.models.responses.ResponseUsage;
import com.openai.models.responses.StructuredResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Responses API through the official OpenAI SDK: sync, async, streaming, JSON, tools. */
class OpenAiResponsesSdkTest {

  static class Review {
    public boolean approved;
    public String feedback;
    public List<String> issues;
  }

  static class LookUpWine {
    public String dish;
  }

  private LlmSimulator sim;
  private OpenAIClient client;

  @BeforeEach
  void start() {
    sim = LlmSimulator.builder().seed(11).speed(0).build().start();
    client = Clients.openAi(sim);
  }

  @AfterEach
  void stop() {
    client.close();
    sim.close();
  }

  private static ResponseCreateParams.Builder params(String model) {
    return ResponseCreateParams.builder()
        .model(model)
        .instructions("You are a concise chef.")
        .input("Suggest a dessert with pears.");
  }

  private static String text(Response response) {
    return response.output().stream()
        .filter(ResponseOutputItem::isMessage)
        .flatMap(item -> item.asMessage().content().stream())
        .map(content -> content.asOutputText().text())
        .findFirst()
        .orElseThrow();
  }

  @Test
  void answersWithAMessageAndUsageThatMatchesTheLog() {
    Response response = client.responses().create(params("gpt-4.1").build());

    assertThat(response.id()).startsWith("resp_");
    assertThat(response.status()).contains(ResponseStatus.COMPLETED);
    assertThat(text(response)).isNotBlank();
    ResponseUsage usage = response.usage().orElseThrow();
    assertThat(usage.totalTokens()).isEqualTo(usage.inputTokens() + usage.outputTokens());
    RecordedRequest logged = sim.requestLog().last();
    assertThat(logged.endpoint()).isEqualTo("/v1/responses");
    assertThat(logged.inputTokens()).isEqualTo(usage.inputTokens());
    assertThat(logged.outputTokens()).isEqualTo(usage.outputTokens());
    assertThat(logged.responseId()).isEqualTo(response.id());
  }

  @Test
  void answersAsynchronously() throws Exception {
    Response response = client.async().responses().create(params("gpt-4o-mini").build()).get();
    assertThat(text(response)).isNotBlank();
  }

  @Test
  void reasoningModelsAddAReasoningItemAndReasoningTokens() {
    Response response =
        client
            .responses()
            .create(
                params("gpt-5-nano")
                    .reasoning(Reasoning.builder().effort(ReasoningEffort.LOW).build())
                    .build());

    assertThat(response.output().get(0).isReasoning()).isTrue();
    long reasoning = response.usage().orElseThrow().outputTokensDetails().reasoningTokens();
    assertThat(reasoning).isPositive();
    assertThat(sim.requestLog().last().reasoningTokens()).isEqualTo(reasoning);
  }

  @Test
  void streamsTypedEventsThatAccumulateIntoTheSameResponse() {
    Response plain = client.responses().create(params("gpt-5-mini").build());
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    List<ResponseStreamEvent> events;
    try (StreamResponse<ResponseStreamEvent> stream =
        client.responses().createStreaming(params("gpt-5-mini").build())) {
      events = stream.stream().peek(accumulator::accumulate).toList();
    }
    Response streamed = accumulator.response();

    assertThat(events.get(0).isCreated()).isTrue();
    assertThat(events.get(1).isInProgress()).isTrue();
    assertThat(events).anySatisfy(e -> assertThat(e.isOutputTextDelta()).isTrue());
    assertThat(events.get(events.size() - 1).isCompleted()).isTrue();
    assertThat(text(streamed)).isEqualTo(text(plain));
    assertThat(streamed.usage().orElseThrow().outputTokens())
        .isEqualTo(plain.usage().orElseThrow().outputTokens());
    assertThat(sim.requestLog().last().streamed()).isTrue();
  }

  @Test
  void structuredOutputParsesIntoTheRequestedClass() {
    StructuredResponse<Review> response =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model("gpt-4o")
                    .input("Review this menu")
                    .text(Review.class)
                    .build());

    Review review =
        response.output().stream()
            .flatMap(item -> item.message().stream())
            .flatMap(message -> message.content().stream())
            .flatMap(content -> content.outputText().stream())
            .findFirst()
            .orElseThrow();
    assertThat(review.feedback).isNotBlank();
    assertThat(review.issues).isNotNull();
  }

  @Test
  void functionToolsProduceFunctionCallItems() {
    Response response =
        client
            .responses()
            .create(
                ResponseCreateParams.builder()
                    .model("gpt-4.1-mini")
                    .input("Which wine for lamb?")
                    .addTool(LookUpWine.class)
                    .build());

    ResponseFunctionToolCall call =
        response.output().stream()
            .filter(ResponseOutputItem::isFunctionCall)
            .findFirst()
            .orElseThrow()
            .asFunctionCall();
    assertThat(call.name()).isEqualTo("LookUpWine");
    assertThat(call.callId()).startsWith("call_");
    assertThat(call.arguments(LookUpWine.class).dish).isNotBlank();
  }

  @Test
  void streamedFunctionCallsAccumulateTheirArguments() {
    ResponseAccumulator accumulator = ResponseAccumulator.create();
    try (StreamResponse<ResponseStreamEvent> stream =
        client
            .responses()
            .createStreaming(
                ResponseCreateParams.builder()
                    .model("gpt-4.1-mini")
                    .input("Which wine for lamb?")
                    .addTool(LookUpWine.class)
                    .build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    ResponseFunctionToolCall call =
        accumulator.response().output().stream()
            .filter(ResponseOutputItem::isFunctionCall)
            .findFirst()
            .orElseThrow()
            .asFunctionCall();
    assertThat(call.arguments(LookUpWine.class).dish).isNotBlank();
  }

  @Test
  void stopsAtMaxOutputTokensAsIncomplete() {
    Response response = client.responses().create(params("gpt-4o").maxOutputTokens(16).build());

    assertThat(response.status()).contains(ResponseStatus.INCOMPLETE);
    assertThat(response.incompleteDetails().orElseThrow().reason().orElseThrow().asString())
        .isEqualTo("max_output_tokens");
    assertThat(response.usage().orElseThrow().outputTokens()).isEqualTo(16);
  }
}
