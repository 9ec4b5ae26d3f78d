package dev.tokenscope.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tokenscope.core.testing.InMemoryTokenScope;
import dev.tokenscope.simulator.LlmSimulator;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What reaches the API: with TokenScope as the global OpenTelemetry (W3C trace context and baggage
 * propagators), the requests carry no trace context unless {@code propagation(true)} asks for it. A
 * loopback proxy in front of the simulator records the headers of each request.
 */
class TraceContextPropagationTest {

  private static final Set<String> NOT_FORWARDED =
      Set.of("host", "connection", "content-length", "expect", "upgrade", "transfer-encoding");

  LlmSimulator sim;
  HttpServer proxy;
  HttpClient forwarder;
  final List<Map<String, List<String>>> seenHeaders = new CopyOnWriteArrayList<>();
  InMemoryTokenScope scope;

  @BeforeEach
  void start() throws IOException {
    sim = LlmSimulator.builder().seed(3).speed(0).build().start();
    forwarder = HttpClient.newHttpClient();
    proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    proxy.createContext("/", this::forward);
    proxy.start();
    scope = InMemoryTokenScope.create(b -> b.registerGlobal(true));
  }

  @AfterEach
  void stop() {
    scope.close();
    GlobalOpenTelemetry.resetForTest();
    proxy.stop(0);
    sim.close();
  }

  private void forward(HttpExchange exchange) throws IOException {
    seenHeaders.add(Map.copyOf(exchange.getRequestHeaders()));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + exchange.getRequestURI()))
            .method(
                exchange.getRequestMethod(),
                HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
    exchange
        .getRequestHeaders()
        .forEach(
            (name, values) -> {
              if (!NOT_FORWARDED.contains(name.toLowerCase())) {
                values.forEach(value -> request.header(name, value));
              }
            });
    try {
      HttpResponse<byte[]> response =
          forwarder.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      response
          .headers()
          .firstValue("content-type")
          .ifPresent(type -> exchange.getResponseHeaders().set("content-type", type));
      exchange.sendResponseHeaders(response.statusCode(), response.body().length);
      try (OutputStream body = exchange.getResponseBody()) {
        body.write(response.body());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.sendResponseHeaders(502, -1);
    } finally {
      exchange.close();
    }
  }

  private AnthropicClient client(AnthropicTelemetry telemetry) {
    return telemetry.wrap(
        AnthropicOkHttpClient.builder()
            .baseUrl("http://127.0.0.1:" + proxy.getAddress().getPort())
            .apiKey("sk-ant-test")
            .maxRetries(0)
            .build());
  }

  private void callWithBaggage(AnthropicClient client) {
    try (Scope ignored =
        Baggage.builder()
            .put("customer.id", "c-42")
            .build()
            .storeInContext(io.opentelemetry.context.Context.current())
            .makeCurrent()) {
      client.messages().create(AnthropicScenarioTest.params("Name a herb."));
    } finally {
      client.close();
    }
  }

  private static List<String> header(Map<String, List<String>> headers, String name) {
    return headers.entrySet().stream()
        .filter(e -> e.getKey().equalsIgnoreCase(name))
        .flatMap(e -> e.getValue().stream())
        .toList();
  }

  @Test
  void byDefaultTheApiGetsNeitherTraceContextNorBaggage() {
    callWithBaggage(client(AnthropicTelemetry.create(scope.tokenScope())));

    assertThat(seenHeaders).hasSize(1);
    assertThat(header(seenHeaders.get(0), "traceparent")).isEmpty();
    assertThat(header(seenHeaders.get(0), "baggage")).isEmpty();
    assertThat(header(seenHeaders.get(0), "anthropic-version")).isNotEmpty();
    // Still traced.
    assertThat(scope.span(AnthropicScenarioTest.SPAN)).isNotNull();
  }

  @Test
  void withPropagationOnTheRequestCarriesTheCallSpansContext() {
    callWithBaggage(
        client(AnthropicTelemetry.builder(scope.tokenScope()).propagation(true).build()));

    SpanData span = scope.span(AnthropicScenarioTest.SPAN);
    assertThat(seenHeaders).hasSize(1);
    assertThat(header(seenHeaders.get(0), "traceparent"))
        .singleElement()
        .asString()
        .contains(span.getTraceId())
        .contains(span.getSpanId());
    assertThat(header(seenHeaders.get(0), "baggage")).singleElement().asString().contains("c-42");
  }
}
