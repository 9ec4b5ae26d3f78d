package dev.tokenscope.core;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A TokenScope built through {@link TokenScope#builder()} (autoconfigure and all) whose spans and
 * metrics land in memory instead of going over OTLP.
 */
final class InMemoryTokenScope implements AutoCloseable {

  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  final TokenScope tokenScope;

  private InMemoryTokenScope(Consumer<TokenScope.Builder> customizer) {
    TokenScope.Builder builder =
        TokenScope.builder()
            .serviceName("tokenscope-core-test")
            .pricing(TestPricing.snapshot())
            .registerGlobal(false)
            .property("otel.traces.exporter", "none")
            .property("otel.metrics.exporter", "none")
            .property("otel.logs.exporter", "none")
            .addSpanExporter(spans)
            .addMetricReader(metrics);
    customizer.accept(builder);
    tokenScope = builder.build();
  }

  static InMemoryTokenScope create() {
    return new InMemoryTokenScope(b -> {});
  }

  static InMemoryTokenScope create(Consumer<TokenScope.Builder> customizer) {
    return new InMemoryTokenScope(customizer);
  }

  /** A tracer of "another instrumentation", as the Anthropic SDK or a hand-written span uses. */
  Tracer foreignTracer() {
    return tokenScope.openTelemetry().getTracer("com.example.llm-sdk");
  }

  /** Ends a foreign chat span with the given usage, as another instrumentation would. */
  void foreignChat(String model, long input, long output) {
    FakeLlmCall.chat(foreignTracer(), model, input, output);
  }

  List<SpanData> finishedSpans() {
    tokenScope.flush(Duration.ofSeconds(10));
    return spans.getFinishedSpanItems();
  }

  SpanData span(String name) {
    return finishedSpans().stream()
        .filter(s -> s.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no span named " + name + " in " + names()));
  }

  List<String> names() {
    return spans.getFinishedSpanItems().stream().map(SpanData::getName).toList();
  }

  Collection<MetricData> collectMetrics() {
    return metrics.collectAllMetrics();
  }

  Optional<MetricData> metric(String name) {
    return collectMetrics().stream().filter(m -> m.getName().equals(name)).findFirst();
  }

  @Override
  public void close() {
    tokenScope.close();
    GlobalOpenTelemetry.resetForTest();
  }
}
