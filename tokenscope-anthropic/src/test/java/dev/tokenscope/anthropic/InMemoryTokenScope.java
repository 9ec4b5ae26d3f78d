package dev.tokenscope.anthropic;

import static org.awaitility.Awaitility.await;

import dev.tokenscope.core.TokenScope;
import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingCatalog;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A TokenScope built the way applications build it (autoconfigure and all), exporting to memory and
 * pricing with the LiteLLM snapshot in {@code <repo root>/../shared/data/pricing}.
 */
final class InMemoryTokenScope implements AutoCloseable {

  static final Pricing PRICING = Pricing.of(PricingCatalog.load(snapshot()));

  final InMemorySpanExporter spans = InMemorySpanExporter.create();
  final InMemoryMetricReader metrics = InMemoryMetricReader.create();
  final TokenScope tokenScope;

  private InMemoryTokenScope(Consumer<TokenScope.Builder> customizer) {
    TokenScope.Builder builder =
        TokenScope.builder()
            .serviceName("tokenscope-integration-test")
            .pricing(PRICING)
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

  static InMemoryTokenScope create() {
    return new InMemoryTokenScope(b -> {});
  }

  static InMemoryTokenScope create(Consumer<TokenScope.Builder> customizer) {
    return new InMemoryTokenScope(customizer);
  }

  /** Every span exported so far, after a flush. */
  List<SpanData> exported() {
    tokenScope.flush(Duration.ofSeconds(10));
    return spans.getFinishedSpanItems();
  }

  List<SpanData> exported(Predicate<SpanData> filter) {
    return exported().stream().filter(filter).toList();
  }

  /**
   * The one exported span named {@code name}, waiting a little for it: an asynchronous call's span
   * can end just after the application saw the call complete.
   */
  SpanData span(String name) {
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

  MetricData metric(String name) {
    return metrics.collectAllMetrics().stream()
        .filter(m -> m.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no metric " + name));
  }

  /** The points of {@code name} whose attributes include {@code key=value}. */
  List<? extends PointData> points(String name, String key, String value) {
    return metric(name).getData().getPoints().stream()
        .filter(p -> value.equals(p.getAttributes().get(AttributeKey.stringKey(key))))
        .toList();
  }

  @Override
  public void close() {
    tokenScope.close();
  }

  private static Path snapshot() {
    Path root = Path.of(System.getProperty("tokenscope.repo.root", "..")).toAbsolutePath();
    for (Path dir = root.getParent(); dir != null; dir = dir.getParent()) {
      Path path = dir.resolve("shared/data/pricing/litellm-model-prices-2026-07-24.json");
      if (Files.isReadable(path)) {
        return path;
      }
    }
    throw new IllegalStateException("pricing snapshot not found above " + root);
  }
}
