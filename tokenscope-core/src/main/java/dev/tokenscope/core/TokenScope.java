package dev.tokenscope.core;

import dev.tokenscope.core.internal.Installation;
import dev.tokenscope.core.internal.MetricsBinding;
import dev.tokenscope.core.internal.RecordingSampler;
import dev.tokenscope.core.internal.TokenScopeAutoConfiguration;
import dev.tokenscope.core.internal.TokenScopeRuntime;
import dev.tokenscope.core.internal.TokenScopeSpanExporter;
import dev.tokenscope.pricing.Pricing;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdkBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.export.MetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * LLM observability on OpenTelemetry in one line: dollar cost on every gen_ai span (whoever created
 * it), exact cost and token metrics under any sampling, workflow / task / agent / tool spans with
 * per-workflow roll-ups, association properties, and a content policy that keeps prompts out of
 * telemetry unless you opt in.
 *
 * <pre>{@code
 * public static void main(String[] args) {
 *   TokenScope.init();   // OTLP to http://127.0.0.1:4318, the embedded console's default
 *   ...
 * }
 * }</pre>
 *
 * <p>{@link #init()} builds an OpenTelemetry SDK with OpenTelemetry's autoconfigure, so every
 * standard setting works ({@code OTEL_SERVICE_NAME}, {@code OTEL_EXPORTER_OTLP_ENDPOINT}, {@code
 * OTEL_TRACES_SAMPLER}, …), registers it globally and adds TokenScope's processing to it.
 * TokenScope's own settings are {@code TOKENSCOPE_*} environment variables or {@code tokenscope.*}
 * system properties. Applications that build their own SDK call {@link Builder#install} instead;
 * with autoconfigure or the Java agent, TokenScope installs itself through the autoconfigure SPI.
 *
 * <p>Structure spans: {@link #workflow}, {@link #task}, {@link #agent}, {@link #tool}. Context
 * across threads: {@link #propagating(ExecutorService)}. Association properties: {@link
 * AssociationProperties}. Cost on spans you create for LLM calls: {@link InferenceSpans}.
 */
public final class TokenScope implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(TokenScope.class.getName());

  /** Where spans and metrics go by default: the embedded console's OTLP/HTTP receiver. */
  public static final String DEFAULT_ENDPOINT = "http://127.0.0.1:4318";

  /** Port of Elastic APM Server's OTLP intake; exporting there selects delta temporality. */
  static final int APM_SERVER_PORT = 8200;

  private static final String TEMPORALITY = "otel.exporter.otlp.metrics.temporality.preference";

  private final Installation installation;
  private final TokenScopeRuntime runtime;
  private final @Nullable OpenTelemetrySdk sdk;
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * Closes the SDK TokenScope built when the JVM exits without {@link #close()}. Autoconfigure's
   * own hook is disabled: with it, a JVM exiting after {@code close()} shut the SDK down a second
   * time (and OpenTelemetry logged "Multiple shutdown calls").
   */
  private final @Nullable Thread shutdownHook;

  private TokenScope(
      Installation installation, TokenScopeRuntime runtime, @Nullable OpenTelemetrySdk sdk) {
    this.installation = installation;
    this.runtime = runtime;
    this.sdk = sdk;
    if (sdk != null) {
      shutdownHook = new Thread(this::close, "tokenscope-shutdown");
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    } else {
      shutdownHook = null;
    }
  }

  /**
   * Builds and globally registers an OpenTelemetry SDK configured from the environment, with
   * TokenScope's processing. Equivalent to {@code TokenScope.builder().build()}.
   *
   * @throws IllegalStateException when a global OpenTelemetry is already registered (use {@link
   *     Builder#install} to add TokenScope to it)
   */
  public static TokenScope init() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A workflow: the top-level unit whose span carries the roll-ups of everything under it. */
  public static Entity workflow(String name) {
    return Entity.of(Entity.Kind.WORKFLOW, name);
  }

  /** A task: one step of a workflow. */
  public static Entity task(String name) {
    return Entity.of(Entity.Kind.TASK, name);
  }

  /** An agent: an autonomous step ({@code gen_ai.operation.name=invoke_agent}). */
  public static Entity agent(String name) {
    return Entity.of(Entity.Kind.AGENT, name);
  }

  /** A tool call ({@code gen_ai.operation.name=execute_tool}). */
  public static Entity tool(String name) {
    return Entity.of(Entity.Kind.TOOL, name);
  }

  /**
   * An executor service that runs each task in the context of the code that submitted it, so spans
   * started in the task are children of the submitter's span (OpenTelemetry's {@link
   * Context#taskWrapping(ExecutorService)}). Use it for {@code ThreadPoolExecutor}s, {@code
   * ForkJoinPool}s and as the executor of {@code CompletableFuture.supplyAsync(supplier,
   * executor)}. Shutting down the returned service shuts down {@code executor}.
   */
  public static ExecutorService propagating(ExecutorService executor) {
    return Context.taskWrapping(Objects.requireNonNull(executor, "executor"));
  }

  /** Same as {@link #propagating(ExecutorService)}, for a scheduled executor. */
  public static ScheduledExecutorService propagating(ScheduledExecutorService executor) {
    return Context.taskWrapping(Objects.requireNonNull(executor, "executor"));
  }

  /** Same as {@link #propagating(ExecutorService)}, for a plain executor. */
  public static Executor propagating(Executor executor) {
    return Context.taskWrapping(Objects.requireNonNull(executor, "executor"));
  }

  /**
   * The OpenTelemetry this TokenScope built ({@link #init()}), or the global one after {@link
   * Builder#install}.
   */
  public OpenTelemetry openTelemetry() {
    return sdk != null ? sdk : GlobalOpenTelemetry.getOrNoop();
  }

  /** The prices in use. */
  public Pricing pricing() {
    return installation.pricing();
  }

  /** The content policy every source follows. */
  public ContentPolicy contentPolicy() {
    return installation.settings().contentPolicy();
  }

  /**
   * Wraps an exporter of your own SDK (after {@link Builder#install}) so spans TokenScope doesn't
   * own get their cost, the content policy applies and secrets are removed before export.
   */
  public SpanExporter spanExporter(SpanExporter exporter) {
    return installation.wrap(Objects.requireNonNull(exporter, "exporter"));
  }

  /**
   * Exports what is buffered, waiting at most {@code timeout}; true when everything was exported.
   * Only for the SDK TokenScope built.
   */
  public boolean flush(Duration timeout) {
    if (sdk == null) {
      return true;
    }
    CompletableResultCode traces = sdk.getSdkTracerProvider().forceFlush();
    CompletableResultCode metrics = sdk.getSdkMeterProvider().forceFlush();
    return CompletableResultCode.ofAll(List.of(traces, metrics))
        .join(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .isSuccess();
  }

  /**
   * Exports what is buffered and shuts down (at most 10 seconds even when the endpoint is down),
   * then logs once how many spans could not be delivered, if any. Runs once: later calls return at
   * once. A TokenScope built by {@link #init()} that is never closed is closed at JVM exit.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (shutdownHook != null && Thread.currentThread() != shutdownHook) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is already shutting down: the hook runs (and returns at once) or has run.
      }
    }
    TokenScopeRuntime.deactivate(runtime);
    if (sdk != null) {
      sdk.shutdown().join(10, TimeUnit.SECONDS);
    } else {
      installation.close();
    }
  }

  /** The hook that closes this TokenScope at JVM exit, or null (for tests). */
  @Nullable Thread shutdownHook() {
    return shutdownHook;
  }

  @Override
  public String toString() {
    return "TokenScope{pricing=" + installation.pricing() + ", " + contentPolicy() + "}";
  }

  /**
   * Configures TokenScope. Values set here are defaults: an {@code OTEL_*} / {@code TOKENSCOPE_*}
   * environment variable or system property of the same setting wins, so a deployed service can be
   * changed without a rebuild. Objects ({@link #pricing}, {@link #contentPolicy}, {@link #sampler})
   * have no environment equivalent and always apply.
   */
  public static final class Builder {
    private final Map<String, String> properties = new LinkedHashMap<>();
    private final Map<String, String> resourceAttributes = new LinkedHashMap<>();
    private final List<SpanExporter> spanExporters = new ArrayList<>();
    private final List<MetricReader> metricReaders = new ArrayList<>();
    private @Nullable Pricing pricing;
    private @Nullable ContentPolicy contentPolicy;
    private @Nullable Sampler sampler;
    private @Nullable String associationHashKey;
    private boolean registerGlobal = true;

    private Builder() {}

    /** {@code service.name} ({@code OTEL_SERVICE_NAME}). */
    public Builder serviceName(String serviceName) {
      return property("otel.service.name", requireText(serviceName, "serviceName"));
    }

    /**
     * OTLP endpoint ({@code OTEL_EXPORTER_OTLP_ENDPOINT}); default {@value #DEFAULT_ENDPOINT}.
     *
     * @throws IllegalArgumentException when it is not an http(s) URL
     */
    public Builder endpoint(String endpoint) {
      String value = requireText(endpoint, "endpoint");
      URI uri;
      try {
        uri = URI.create(value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("endpoint is not a valid URL: " + value, e);
      }
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())
          || uri.getHost() == null) {
        throw new IllegalArgumentException(
            "endpoint must be an http:// or https:// URL with a host, got " + value);
      }
      return property("otel.exporter.otlp.endpoint", value);
    }

    /**
     * OTLP protocol ({@code OTEL_EXPORTER_OTLP_PROTOCOL}): {@code http/protobuf} (default) or
     * {@code http/json}. TokenScope ships the JDK HTTP sender; {@code grpc} needs a gRPC sender
     * such as {@code opentelemetry-exporter-sender-okhttp} on the class path.
     */
    public Builder protocol(String protocol) {
      String value = requireText(protocol, "protocol");
      if (!value.equals("http/protobuf") && !value.equals("http/json") && !value.equals("grpc")) {
        throw new IllegalArgumentException(
            "protocol must be http/protobuf, http/json or grpc, got " + value);
      }
      return property("otel.exporter.otlp.protocol", value);
    }

    /** The prices to use; default {@link Pricing#create()} (synced, cached, built-in fallback). */
    public Builder pricing(Pricing pricing) {
      this.pricing = Objects.requireNonNull(pricing, "pricing");
      return this;
    }

    /** The content policy; default from {@code TOKENSCOPE_TRACE_CONTENT} (off). */
    public Builder contentPolicy(ContentPolicy contentPolicy) {
      this.contentPolicy = Objects.requireNonNull(contentPolicy, "contentPolicy");
      return this;
    }

    /**
     * Shortcut for capturing content with the standard redaction ({@code
     * TOKENSCOPE_TRACE_CONTENT}).
     */
    public Builder traceContent(boolean traceContent) {
      return property("tokenscope.trace.content", Boolean.toString(traceContent));
    }

    /**
     * The sampler, instead of {@code OTEL_TRACES_SAMPLER}. Whatever it drops is still recorded (not
     * exported) so cost and token metrics stay exact; {@code TOKENSCOPE_RECORD_UNSAMPLED=false}
     * turns that off.
     */
    public Builder sampler(Sampler sampler) {
      this.sampler = Objects.requireNonNull(sampler, "sampler");
      return this;
    }

    /** Batch span processor: delay between exports ({@code OTEL_BSP_SCHEDULE_DELAY}). */
    public Builder batchScheduleDelay(Duration delay) {
      return property("otel.bsp.schedule.delay", millis(delay, "delay"));
    }

    /**
     * Batch span processor: spans kept waiting before new ones are dropped ({@code
     * OTEL_BSP_MAX_QUEUE_SIZE}).
     */
    public Builder batchMaxQueueSize(int size) {
      return property("otel.bsp.max.queue.size", positive(size, "size"));
    }

    /** Batch span processor: spans per export request ({@code OTEL_BSP_MAX_EXPORT_BATCH_SIZE}). */
    public Builder batchMaxExportSize(int size) {
      return property("otel.bsp.max.export.batch.size", positive(size, "size"));
    }

    /** Timeout of one export request, spans and metrics ({@code OTEL_EXPORTER_OTLP_TIMEOUT}). */
    public Builder exportTimeout(Duration timeout) {
      return property("otel.exporter.otlp.timeout", millis(timeout, "timeout"));
    }

    /** Interval between metric exports ({@code OTEL_METRIC_EXPORT_INTERVAL}); default 60 s. */
    public Builder metricExportInterval(Duration interval) {
      return property("otel.metric.export.interval", millis(interval, "interval"));
    }

    /**
     * Delta temporality for metric export, as Elastic APM Server needs ({@code
     * OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE=delta}). Chosen automatically when the
     * endpoint is an APM Server (port 8200).
     */
    public Builder deltaTemporality() {
      return property(TEMPORALITY, "delta");
    }

    /** A resource attribute; {@code OTEL_RESOURCE_ATTRIBUTES} wins for the same key. */
    public Builder resourceAttribute(String key, String value) {
      resourceAttributes.put(requireText(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Key for hashing user and customer ids ({@code TOKENSCOPE_ASSOCIATION_HASH_KEY}). */
    public Builder associationHashKey(String key) {
      this.associationHashKey = Objects.requireNonNull(key, "key");
      return this;
    }

    /**
     * Whether user and customer ids are hashed ({@code TOKENSCOPE_ASSOCIATION_HASH}); default true.
     */
    public Builder hashAssociationIds(boolean hash) {
      return property("tokenscope.association.hash", Boolean.toString(hash));
    }

    /** An exporter in addition to the configured ones (wrapped and batched like them). */
    public Builder addSpanExporter(SpanExporter exporter) {
      spanExporters.add(Objects.requireNonNull(exporter, "exporter"));
      return this;
    }

    /** A metric reader in addition to the configured ones. */
    public Builder addMetricReader(MetricReader reader) {
      metricReaders.add(Objects.requireNonNull(reader, "reader"));
      return this;
    }

    /**
     * Any OpenTelemetry or TokenScope property as a default ({@code "otel.traces.exporter",
     * "none"}); the environment wins.
     */
    public Builder property(String key, String value) {
      properties.put(requireText(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    /** Whether {@link #build()} registers the SDK as {@link GlobalOpenTelemetry}; default true. */
    public Builder registerGlobal(boolean registerGlobal) {
      this.registerGlobal = registerGlobal;
      return this;
    }

    /**
     * Builds an OpenTelemetry SDK with OpenTelemetry's autoconfigure and TokenScope's processing,
     * and makes it the one the static API ({@link #workflow} and friends) uses.
     *
     * @throws IllegalStateException when registering globally and a global OpenTelemetry exists
     * @throws io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException for invalid settings
     */
    public TokenScope build() {
      if (registerGlobal && GlobalOpenTelemetry.isSet()) {
        throw new IllegalStateException(
            "an OpenTelemetry SDK is already registered globally (TokenScope.init() called twice,"
                + " or the Java agent / another library set one up): add TokenScope to it with"
                + " TokenScope.builder().install(..), or build with registerGlobal(false)");
      }
      Installation installation = new Installation(overrides(), MetricsBinding.unbound());
      AutoConfiguredOpenTelemetrySdkBuilder autoconfigure =
          AutoConfiguredOpenTelemetrySdk.builder();
      Map<String, String> defaults = new HashMap<>();
      defaults.put("otel.exporter.otlp.endpoint", DEFAULT_ENDPOINT);
      defaults.put("otel.exporter.otlp.protocol", "http/protobuf");
      // Tells the SPI provider on the class path that this build already carries TokenScope.
      defaults.put(TokenScopeAutoConfiguration.INSTALLED_BY_INIT, "true");
      defaults.putAll(properties);
      autoconfigure.addPropertiesSupplier(() -> defaults);
      autoconfigure.addPropertiesCustomizer(
          config -> {
            if (config.getString(TEMPORALITY) == null
                && isApmServer(config.getString("otel.exporter.otlp.endpoint"))) {
              return Map.of(TEMPORALITY, "delta");
            }
            return Map.of();
          });
      if (!resourceAttributes.isEmpty()) {
        autoconfigure.addResourceCustomizer(
            (resource, config) -> {
              Map<String, String> fromEnvironment = config.getMap("otel.resource.attributes");
              var builder = Attributes.builder();
              resourceAttributes.forEach(
                  (key, value) -> {
                    if (!fromEnvironment.containsKey(key)) {
                      builder.put(key, value);
                    }
                  });
              return resource.merge(Resource.create(builder.build()));
            });
      }
      installation.customize(autoconfigure);
      // TokenScope owns the SDK's lifecycle: close() shuts it down, and its own hook at JVM exit.
      autoconfigure.disableShutdownHook();
      if (registerGlobal) {
        autoconfigure.setResultAsGlobal();
      }
      OpenTelemetrySdk sdk = autoconfigure.build().getOpenTelemetrySdk();
      if (!installation.started()) {
        // OTEL_SDK_DISABLED=true: autoconfigure built a no-op SDK without calling back. The static
        // API still works (its spans are no-ops) and settings are still validated.
        installation.start(Installation.config(defaults));
      }
      installation.bindMetrics(sdk.getMeterProvider());
      TokenScopeRuntime runtime = installation.runtime(sdk.getTracerProvider());
      TokenScopeRuntime.activate(runtime);
      logger.fine(() -> "TokenScope started: " + sdk);
      return new TokenScope(installation, runtime, sdk);
    }

    /**
     * Adds TokenScope's processing to an SDK you build yourself, instead of creating one: the span
     * processor goes into {@code tracing}, metrics go to {@code meterProvider} (build it first, as
     * the SDK's own batch processor needs it too), the {@link #sampler} you set here is wrapped and
     * set on {@code tracing}. Wrap your exporter with {@link TokenScope#spanExporter} so spans of
     * other instrumentations get their cost. Structure spans use {@link GlobalOpenTelemetry}:
     * register your SDK globally.
     *
     * <pre>{@code
     * SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build();
     * SdkTracerProviderBuilder tracing = SdkTracerProvider.builder();
     * TokenScope tokenScope = TokenScope.builder()
     *     .sampler(Sampler.traceIdRatioBased(0.1))
     *     .install(tracing, meters);
     * tracing.addSpanProcessor(BatchSpanProcessor.builder(tokenScope.spanExporter(otlp)).build());
     * OpenTelemetrySdk.builder().setTracerProvider(tracing.build()).setMeterProvider(meters)
     *     .buildAndRegisterGlobal();
     * }</pre>
     */
    public TokenScope install(SdkTracerProviderBuilder tracing, MeterProvider meterProvider) {
      Objects.requireNonNull(tracing, "tracing");
      Objects.requireNonNull(meterProvider, "meterProvider");
      Installation installation = new Installation(overrides(), MetricsBinding.of(meterProvider));
      var config = Installation.config(properties);
      var settings = installation.start(config);
      installation.addTo(tracing, config);
      if (sampler != null) {
        tracing.setSampler(settings.recordUnsampled() ? RecordingSampler.wrap(sampler) : sampler);
      }
      TokenScopeRuntime runtime = installation.runtime(null);
      TokenScopeRuntime.activate(runtime);
      return new TokenScope(installation, runtime, null);
    }

    private Installation.Overrides overrides() {
      return new Installation.Overrides(
          pricing,
          contentPolicy,
          sampler,
          associationHashKey,
          List.copyOf(spanExporters),
          List.copyOf(metricReaders));
    }

    static boolean isApmServer(@Nullable String endpoint) {
      if (endpoint == null) {
        return false;
      }
      try {
        return URI.create(endpoint).getPort() == APM_SERVER_PORT;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }

    private static String requireText(String value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isBlank()) {
        throw new IllegalArgumentException(name + " must not be blank");
      }
      return value.strip();
    }

    private static String millis(Duration duration, String name) {
      Objects.requireNonNull(duration, name);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + duration);
      }
      return Long.toString(duration.toMillis());
    }

    private static String positive(int value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be >= 1, got " + value);
      }
      return Integer.toString(value);
    }
  }

  /** Accounting of an exporter TokenScope wrapped; package-private for tests. */
  List<TokenScopeSpanExporter> exporters() {
    return installation.exporters();
  }
}
