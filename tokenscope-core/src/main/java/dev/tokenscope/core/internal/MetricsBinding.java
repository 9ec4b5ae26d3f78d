package dev.tokenscope.core.internal;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.metrics.MeterProvider;
import org.jspecify.annotations.Nullable;

/**
 * Where the span processor's instruments come from. A span processor is added to an SDK before that
 * SDK's meter provider exists (autoconfigure builds both), so the instruments are bound after the
 * build: explicitly ({@link #bind}) when TokenScope builds or is handed the SDK, or else from
 * {@link GlobalOpenTelemetry} once an SDK is registered there (autoconfigure SPI, Java agent).
 */
public final class MetricsBinding {

  private volatile @Nullable InferenceMetrics metrics;
  private final boolean fromGlobal;

  private MetricsBinding(@Nullable InferenceMetrics metrics, boolean fromGlobal) {
    this.metrics = metrics;
    this.fromGlobal = fromGlobal;
  }

  /** Bound now. */
  public static MetricsBinding of(MeterProvider meterProvider) {
    return new MetricsBinding(create(meterProvider), false);
  }

  /** Bound later with {@link #bind}. */
  public static MetricsBinding unbound() {
    return new MetricsBinding(null, false);
  }

  /** Bound to the global meter provider as soon as one is registered. */
  public static MetricsBinding fromGlobal() {
    return new MetricsBinding(null, true);
  }

  public void bind(MeterProvider meterProvider) {
    metrics = create(meterProvider);
  }

  /** The instruments, or null while unbound (measurements are then lost). */
  public @Nullable InferenceMetrics get() {
    InferenceMetrics current = metrics;
    if (current == null && fromGlobal && GlobalOpenTelemetry.isSet()) {
      synchronized (this) {
        current = metrics;
        if (current == null) {
          current = create(GlobalOpenTelemetry.getOrNoop().getMeterProvider());
          metrics = current;
        }
      }
    }
    return current;
  }

  private static InferenceMetrics create(MeterProvider meterProvider) {
    return new InferenceMetrics(meterProvider.get(TokenScopeRuntime.INSTRUMENTATION_NAME));
  }
}
