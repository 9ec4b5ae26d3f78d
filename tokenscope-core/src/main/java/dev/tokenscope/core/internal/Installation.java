package dev.tokenscope.core.internal;

import dev.tokenscope.core.ContentPolicy;
import dev.tokenscope.pricing.Pricing;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * TokenScope's parts inside one OpenTelemetry SDK: the span processor, the recording sampler, the
 * exporter wrapper, the metrics binding and the runtime the static API uses. Built from {@link
 * ConfigProperties} (so {@code TOKENSCOPE_*} / {@code tokenscope.*} and {@code OTEL_*} settings
 * apply) plus explicit objects from the builder. One code path for {@code TokenScope.init()}, the
 * autoconfigure SPI and {@code TokenScope.install(..)}.
 */
public final class Installation {

  private static final Logger logger = Logger.getLogger(Installation.class.getName());

  /** Explicit objects and overrides from {@code TokenScope.Builder}; all optional. */
  public record Overrides(
      @Nullable Pricing pricing,
      @Nullable ContentPolicy contentPolicy,
      @Nullable Sampler sampler,
      @Nullable String associationHashKey,
      List<SpanExporter> extraSpanExporters,
      List<MetricReader> extraMetricReaders) {

    public static Overrides none() {
      return new Overrides(null, null, null, null, List.of(), List.of());
    }
  }

  private final Overrides overrides;
  private final MetricsBinding metrics;
  private final DeliveryStats stats = new DeliveryStats();
  private final List<TokenScopeSpanExporter> exporters = new CopyOnWriteArrayList<>();
  private @Nullable Settings settings;
  private @Nullable Pricing pricing;
  private boolean ownsPricing;
  private @Nullable TokenScopeSpanProcessor processor;
  private @Nullable SpanSanitizer sanitizer;
  private @Nullable IdHasher hasher;
  private @Nullable CostHandoff costHandoff;

  public Installation(Overrides overrides, MetricsBinding metrics) {
    this.overrides = overrides;
    this.metrics = metrics;
  }

  /** Registers every TokenScope part with an autoconfiguring SDK builder. */
  public void customize(AutoConfigurationCustomizer customizer) {
    customize(customizer, config -> true, () -> {});
  }

  /**
   * Registers every TokenScope part with an autoconfiguring SDK builder (or the SPI), each step
   * skipped when {@code active} says no for the final configuration; {@code started} runs once the
   * processor has been added.
   */
  public void customize(
      AutoConfigurationCustomizer customizer,
      Predicate<ConfigProperties> active,
      Runnable started) {
    customizer.addSamplerCustomizer(
        (sampler, config) -> {
          if (!active.test(config)) {
            return sampler;
          }
          Settings s = start(config);
          Sampler chosen = overrides.sampler() != null ? overrides.sampler() : sampler;
          return s.recordUnsampled() ? RecordingSampler.wrap(chosen) : chosen;
        });
    customizer.addSpanExporterCustomizer(
        (exporter, config) -> {
          if (!active.test(config)) {
            return exporter;
          }
          start(config);
          return wrap(exporter);
        });
    customizer.addTracerProviderCustomizer(
        (builder, config) -> {
          if (!active.test(config)) {
            return builder;
          }
          start(config);
          addTo(builder, config);
          started.run();
          return builder;
        });
    customizer.addMeterProviderCustomizer(
        (builder, config) -> {
          if (!active.test(config)) {
            return builder;
          }
          start(config);
          for (MetricReader reader : overrides.extraMetricReaders()) {
            builder.registerMetricReader(reader);
          }
          return builder;
        });
  }

  /** Adds the processor (first) and the extra exporters to a tracer provider being built. */
  public void addTo(SdkTracerProviderBuilder builder, ConfigProperties config) {
    builder.addSpanProcessorFirst(processor());
    for (SpanExporter exporter : overrides.extraSpanExporters()) {
      builder.addSpanProcessor(
          BatchSpanProcessor.builder(wrap(exporter))
              .setScheduleDelay(
                  config.getDuration("otel.bsp.schedule.delay", Duration.ofSeconds(5)))
              .setMaxQueueSize(config.getInt("otel.bsp.max.queue.size", 2048))
              .setMaxExportBatchSize(config.getInt("otel.bsp.max.export.batch.size", 512))
              .setExporterTimeout(
                  config.getDuration("otel.bsp.export.timeout", Duration.ofSeconds(30)))
              .build());
    }
  }

  /** Resolves settings and creates the parts, once; later calls return the same settings. */
  public synchronized Settings start(ConfigProperties config) {
    if (settings != null) {
      return settings;
    }
    Settings s = Settings.from(config, overrides.contentPolicy(), overrides.associationHashKey());
    if (overrides.pricing() != null) {
      pricing = overrides.pricing();
    } else {
      pricing = Pricing.create();
      ownsPricing = true;
    }
    sanitizer = new SpanSanitizer(s.contentPolicy());
    hasher = s.hasher();
    costHandoff = new CostHandoff(s.queueCapacity());
    processor =
        new TokenScopeSpanProcessor(
            pricing,
            metrics,
            s.scopesWithOwnHistograms(),
            s.workflowLimit(),
            stats,
            costHandoff,
            this::close);
    settings = s;
    logger.fine(() -> "TokenScope: " + s + ", pricing " + pricing);
    return s;
  }

  /** True once {@link #start} has run. */
  public synchronized boolean started() {
    return settings != null;
  }

  /** The started settings; throws if {@link #start} was not called. */
  public synchronized Settings settings() {
    if (settings == null) {
      throw new IllegalStateException("TokenScope is not started");
    }
    return settings;
  }

  public synchronized TokenScopeSpanProcessor processor() {
    if (processor == null) {
      throw new IllegalStateException("TokenScope is not started");
    }
    return processor;
  }

  public synchronized Pricing pricing() {
    if (pricing == null) {
      throw new IllegalStateException("TokenScope is not started");
    }
    return pricing;
  }

  public MetricsBinding metrics() {
    return metrics;
  }

  /** Wraps an exporter with cost enrichment, content policy, secret removal and accounting. */
  public synchronized SpanExporter wrap(SpanExporter exporter) {
    if (exporter instanceof TokenScopeSpanExporter) {
      return exporter;
    }
    Settings s = settings();
    TokenScopeSpanExporter wrapped =
        new TokenScopeSpanExporter(
            exporter, pricing(), sanitizer, costHandoff, stats, s.queueCapacity());
    exporters.add(wrapped);
    return wrapped;
  }

  /** The wrapped exporters, for accounting. */
  public List<TokenScopeSpanExporter> exporters() {
    return new ArrayList<>(exporters);
  }

  /** The runtime the static API should use, with structure spans from {@code tracerProvider}. */
  public synchronized TokenScopeRuntime runtime(@Nullable TracerProvider tracerProvider) {
    Settings s = settings();
    return new TokenScopeRuntime(tracerProvider, hasher, pricing(), s.contentPolicy());
  }

  /** Binds the metric instruments to {@code meterProvider}. */
  public void bindMetrics(MeterProvider meterProvider) {
    metrics.bind(meterProvider);
  }

  /** Stops what this installation owns (the pricing refresh); called when the SDK shuts down. */
  public synchronized void close() {
    if (ownsPricing && pricing != null) {
      pricing.close();
    }
  }

  /** Properties as a plain map, for a {@code ConfigProperties} built by tests or install(). */
  public static ConfigProperties config(Map<String, String> properties) {
    return MapConfig.of(properties);
  }
}
