package dev.tokenscope.core.testing;

import static org.awaitility.Awaitility.await;

import dev.tokenscope.core.TokenScope;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A TokenScope built the way applications build it ({@code TokenScope.builder()}, autoconfigure and
 * all), not registered as the global OpenTelemetry, pricing with the {@link PricingSnapshot},
 * exporting its spans and metrics to memory instead of over OTLP. For the core's own tests and
 * those of the modules that instrument an SDK (test scope only).
 *
 * <pre>{@code
 * try (InMemoryTokenScope scope = InMemoryTokenScope.create()) {
 *   OpenAIClient client = OpenAiTelemetry.create(scope.tokenScope()).wrap(plainClient);
 *   ...
 *   SpanData span = scope.span("chat gpt-4o-mini");
 * }
 * }</pre>
 */
public final class InMemoryTokenScope implements AutoCloseable {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  private final TokenScope tokenScope;

  private InMemoryTokenScope(Consumer<TokenScope.Builder> customizer) {
    TokenScope.Builder builder =
        TokenScope.builder()
            .serviceName("tokenscope-test")
            .pricing(PricingSnapshot.pricing())
            .registerGlobal(false)
            .property("otel.traces.exporter", "none")
            .property("otel.metrics.exporter", "none")
            .property("otel.logs.exporter", "none")
            .batchScheduleDelay(Duration.ofMillis(10))
            .addSpanExporter(spans)
            .addMetricReader(metrics);
    customizer.accept(builder);
    tokenScope = builder.build();
  }

  public static InMemoryTokenScope create() {
    return new InMemoryTokenScope(b -> {});
  }

  /** One whose builder {@code customizer} adjusts before it is built. */
  public static InMemoryTokenScope create(Consumer<TokenScope.Builder> customizer) {
    return new InMemoryTokenScope(customizer);
  }

  public TokenScope tokenScope() {
    return tokenScope;
  }

  /** Every span exported so far, after a flush. */
  public List<SpanData> exported() {
    tokenScope.flush(Duration.ofSeconds(10));
    return spans.getFinishedSpanItems();
  }

  public List<SpanData> exported(Predicate<SpanData> filter) {
    return exported().stream().filter(filter).toList();
  }

  /**
   * The one exported span named {@code name}, waiting a little for it: an asynchronous call's span
   * can end just after the application saw the call complete.
   */
  public SpanData span(String name) {
    try {
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> !exported(s -> s.getName().equals(name)).isEmpty());
    } catch (ConditionTimeoutException e) {
      // Reported below, with the names of the spans there are.
    }
    List<SpanData> named = exported(s -> s.getName().equals(name));
    if (named.size() != 1) {
      throw new AssertionError(
          "expected one span named "
              + name
              + ", got "
              + exported().stream().map(SpanData::getName).toList());
    }
    return named.get(0);
  }

  public MetricData metric(String name) {
    return findMetric(name).orElseThrow(() -> new AssertionError("no metric " + name));
  }

  /** The metric {@code name}, or empty when nothing was recorded into it. */
  public Optional<MetricData> findMetric(String name) {
    return metrics.collectAllMetrics().stream().filter(m -> m.getName().equals(name)).findFirst();
  }

  /** A tracer of "another instrumentation", as the Anthropic SDK or a hand-written span uses. */
  public Tracer foreignTracer() {
    return tokenScope.openTelemetry().getTracer("com.example.llm-sdk");
  }

  /** Ends a foreign chat span with the given usage, as another instrumentation would. */
  public void foreignChat(String model, long input, long output) {
    foreignChat(foreignTracer(), model, input, output);
  }

  /**
   * The span another instrumentation (an LLM SDK's built-in tracing, a hand-written span) leaves
   * for one OpenAI chat call on {@code tracer}: operation, provider and model at start, usage at
   * the end.
   */
  public static void foreignChat(Tracer tracer, String model, long input, long output) {
    Span span =
        tracer
            .spanBuilder("chat " + model)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute("gen_ai.operation.name", "chat")
            .setAttribute("gen_ai.provider.name", "openai")
            .setAttribute("gen_ai.request.model", model)
            .startSpan();
    span.setAttribute(AttributeKey.longKey("gen_ai.usage.input_tokens"), input);
    span.setAttribute(AttributeKey.longKey("gen_ai.usage.output_tokens"), output);
    span.end();
  }

  /** The points of {@code name} whose attributes include {@code key=value}. */
  public List<? extends PointData> points(String name, String key, String value) {
    return metric(name).getData().getPoints().stream()
        .filter(p -> value.equals(p.getAttributes().get(AttributeKey.stringKey(key))))
        .toList();
  }

  @Override
  public void close() {
    tokenScope.close();
  }
}
