package dev.tokenscope.deploy.elastic;

import dev.tokenscope.core.TokenScope;
import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingCatalog;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;

/**
 * A TokenScope built the way an application builds it (autoconfigure and all), priced with the
 * LiteLLM snapshot, exporting spans and delta metrics to memory instead of over OTLP.
 */
final class InMemoryTelemetry {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final InMemoryMetricReader metrics = InMemoryMetricReader.createDelta();

  /** A builder for {@code serviceName}'s TokenScope; callers add their own settings. */
  TokenScope.Builder tokenScope(String serviceName) {
    return TokenScope.builder()
        .serviceName(serviceName)
        .resourceAttribute("deployment.environment.name", "test")
        .pricing(Pricing.of(PricingCatalog.load(pricingSnapshot())))
        .registerGlobal(false)
        .property("otel.traces.exporter", "none")
        .property("otel.metrics.exporter", "none")
        .property("otel.logs.exporter", "none")
        .batchScheduleDelay(Duration.ofMillis(50))
        .addSpanExporter(spans)
        .addMetricReader(metrics);
  }

  /** What was exported so far; call before closing {@code tokenScope}. */
  ExportedTelemetry exported(TokenScope tokenScope) {
    // Metrics first: TokenScope records them as each span ends, and a flush would collect (and,
    // being delta, consume) them before this reader sees them.
    var metricData = new ArrayList<>(metrics.collectAllMetrics());
    if (!tokenScope.flush(Duration.ofSeconds(10))) {
      throw new IllegalStateException("TokenScope did not flush its spans");
    }
    // Read before close: shutting down empties the in-memory exporter.
    return new ExportedTelemetry(new ArrayList<>(spans.getFinishedSpanItems()), metricData);
  }

  /** The LiteLLM snapshot in {@code <workspace>/shared/data/pricing} (test data only). */
  static Path pricingSnapshot() {
    Path root = Path.of(System.getProperty("tokenscope.repo.root", "../..")).toAbsolutePath();
    for (Path dir = root; dir != null; dir = dir.getParent()) {
      Path path = dir.resolve("shared/data/pricing/litellm-model-prices-2026-07-24.json");
      if (Files.isReadable(path)) {
        return path;
      }
    }
    throw new IllegalStateException(
        "pricing snapshot not found in shared/data/pricing above " + root);
  }
}
