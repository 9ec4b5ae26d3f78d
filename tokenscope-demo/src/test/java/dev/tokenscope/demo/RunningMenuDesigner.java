package dev.tokenscope.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.core.TokenScope;
import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingCatalog;
import dev.tokenscope.simulator.LlmSimulator;
import dev.tokenscope.simulator.ScriptRule;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.awaitility.Awaitility;

/**
 * The service running in-process against the simulator at speed 0, with TokenScope exporting to
 * memory: what every end-to-end test starts from.
 */
final class RunningMenuDesigner implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  final TokenScope tokenScope;
  final MenuDesignerApp app;
  private final HttpClient http = HttpClient.newHttpClient();
  private final AtomicInteger requestsSent = new AtomicInteger();

  private RunningMenuDesigner(Consumer<MenuDesignerApp.Builder> customizer) {
    tokenScope =
        TokenScope.builder()
            .serviceName("restaurant-menu-designer-test")
            .pricing(Pricing.of(PricingCatalog.builtin()))
            .registerGlobal(false)
            .property("otel.traces.exporter", "none")
            .property("otel.metrics.exporter", "none")
            .property("otel.logs.exporter", "none")
            .batchScheduleDelay(Duration.ofMillis(50))
            .addSpanExporter(spans)
            .addMetricReader(metrics)
            .build();
    MenuDesignerApp.Builder builder =
        MenuDesignerApp.builder()
            .openTelemetry(tokenScope.openTelemetry())
            .environment(Map.of())
            .port(0)
            .simulatorSpeed(0)
            .simulatorFaults(false);
    customizer.accept(builder);
    try {
      app = builder.start();
    } catch (IOException e) {
      tokenScope.close();
      throw new UncheckedIOException(e);
    }
  }

  static RunningMenuDesigner start() {
    return new RunningMenuDesigner(b -> {});
  }

  static RunningMenuDesigner start(Consumer<MenuDesignerApp.Builder> customizer) {
    return new RunningMenuDesigner(customizer);
  }

  /** The service with these answers winning over the simulator's built-in ones. */
  static RunningMenuDesigner scripted(ScriptRule... rules) {
    return start(
        b ->
            b.simulator(
                sim -> {
                  for (ScriptRule rule : rules) {
                    sim.script(rule);
                  }
                }));
  }

  LlmSimulator simulator() {
    return app.simulator();
  }

  Response post(String path, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  Response post(String path, String body, String traceparent) {
    return send(
        HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
            .header("Content-Type", "application/json")
            .header("traceparent", traceparent)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build());
  }

  Response get(String path) {
    return send(HttpRequest.newBuilder(URI.create(app.baseUrl() + path)).GET().build());
  }

  Response send(HttpRequest request) {
    requestsSent.incrementAndGet();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json = JSON.readTree(response.body());
      } catch (IOException e) {
        json = null;
      }
      return new Response(response.statusCode(), json, response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /**
   * Every span exported since the last {@link #reset()}, once the server span of every request sent
   * has ended (a server span ends just after its response is written).
   */
  List<SpanData> finishedSpans() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> {
              tokenScope.flush(Duration.ofSeconds(10));
              return spans.getFinishedSpanItems().stream()
                      .filter(s -> s.getKind() == SpanKind.SERVER)
                      .count()
                  >= requestsSent.get();
            });
    return spans.getFinishedSpanItems();
  }

  /** Waits for the spans of every request sent so far, then forgets them. */
  void reset() {
    finishedSpans();
    spans.reset();
    requestsSent.set(0);
  }

  @Override
  public void close() {
    app.close();
    tokenScope.close();
    GlobalOpenTelemetry.resetForTest();
  }

  record Response(int status, JsonNode json, String body) {}
}
