package dev.tokenscope.benchmarks;

import dev.tokenscope.core.InferenceAttributes;
import dev.tokenscope.core.InferenceSpans;
import dev.tokenscope.core.TokenScope;
import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingCatalog;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.InstrumentType;
import io.opentelemetry.sdk.metrics.data.AggregationTemporality;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.export.MetricExporter;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What TokenScope adds to one LLM-call span on the application's thread — recognising the
 * inference, pricing it, recording five metrics, adding it to the workflow's roll-up, stamping the
 * workflow name — against the same span on a plain OpenTelemetry SDK without TokenScope, in the
 * same run. Neither SDK has an export processor: export runs on the batch processor's thread, not
 * the caller's, and a benchmark that ends spans flat out would only measure a full queue. What is
 * left is exactly the caller-side work: the SDK span itself, plus TokenScope's span processor
 * recording into a real meter provider (read once an hour) for the second.
 *
 * <p>{@code exportEnrichment} measures, separately, the work TokenScope's exporter does per span on
 * the export thread (cost attributes for a span it doesn't own, content policy, secret scrub).
 *
 * <p>Run from the repository root: {@code java -jar tokenscope-benchmarks/target/benchmarks.jar
 * SpanProcessingBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class SpanProcessingBenchmark {

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey("gen_ai.response.model");
  private static final AttributeKey<Long> INPUT = AttributeKey.longKey("gen_ai.usage.input_tokens");
  private static final AttributeKey<Long> OUTPUT =
      AttributeKey.longKey("gen_ai.usage.output_tokens");
  private static final AttributeKey<Long> CACHE_READ =
      AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
  private static final AttributeKey<String> SERVER = AttributeKey.stringKey("server.address");

  @Param({""})
  public String snapshot;

  private SdkTracerProvider plain;
  private Tracer plainTracer;
  private Context plainParent;
  private PlainContractFloor floor;

  private TokenScope tokenScope;
  private Tracer tokenScopeTracer;
  private Context workflowContext;
  private CompletableFuture<Void> workflowDone;

  private SpanExporter enrichingExporter;
  private List<SpanData> foreignSpan;
  private List<SpanData> ownSpan;

  @Setup(Level.Trial)
  public void setUp() {
    Pricing pricing = Pricing.of(PricingCatalog.load(PricingBenchmark.snapshotPath(snapshot)));

    plain = SdkTracerProvider.builder().build();
    plainTracer = plain.get("bench");
    Span plainWorkflow = plainTracer.spanBuilder("menu").startSpan();
    plainParent = Context.root().with(plainWorkflow);
    floor = new PlainContractFloor();

    tokenScope = tokenScopeBuilder(pricing).build();
    tokenScopeTracer = tokenScope.openTelemetry().getTracer("bench");
    workflowDone = new CompletableFuture<>();
    workflowContext = openWorkflow(workflowDone);

    // The export-side work, on a span TokenScope doesn't own (no cost yet).
    SpanData[] recorded = new SpanData[1];
    SdkTracerProvider recorder =
        SdkTracerProvider.builder().addSpanProcessor(new Capture(recorded)).build();
    inferenceSpan(recorder.get("foreign"), Context.root());
    foreignSpan = List.of(recorded[0]);
    // And on a span priced before its end (cost attributes on it, no cost handed over).
    ownInferenceSpan(recorder.get("own"), Context.root());
    ownSpan = List.of(recorded[0]);
    recorder.close();
    enrichingExporter = tokenScope.spanExporter(new DiscardingSpanExporter());
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    workflowDone.complete(null);
    tokenScope.close();
    plain.close();
    floor.close();
  }

  /**
   * TokenScope as the span benchmarks measure it: not global, no exporter unless one is added, and
   * metrics aggregated per span but exported per interval (hourly), not per span.
   */
  static TokenScope.Builder tokenScopeBuilder(Pricing pricing) {
    return TokenScope.builder()
        .pricing(pricing)
        .registerGlobal(false)
        .property("otel.traces.exporter", "none")
        .property("otel.metrics.exporter", "none")
        .property("otel.logs.exporter", "none")
        .addMetricReader(
            PeriodicMetricReader.builder(new DiscardingMetricExporter())
                .setInterval(Duration.ofHours(1))
                .build());
  }

  /** Opens workflow {@code menu}, which ends when {@code done} completes; returns its context. */
  static Context openWorkflow(CompletableFuture<Void> done) {
    Context[] captured = new Context[1];
    TokenScope.workflow("menu")
        .callAsync(
            () -> {
              captured[0] = Context.current();
              return done;
            });
    return captured[0];
  }

  /** One LLM-call span as an instrumentation creates it: attributes at start, usage at the end. */
  static void inferenceSpan(Tracer tracer, Context parent) {
    inferenceSpanOpen(tracer, parent).end();
  }

  /** {@link #inferenceSpan} before its end. */
  static Span inferenceSpanOpen(Tracer tracer, Context parent) {
    Span span =
        tracer
            .spanBuilder("chat gpt-4o")
            .setParent(parent)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(OPERATION, "chat")
            .setAttribute(PROVIDER, "openai")
            .setAttribute(REQUEST_MODEL, "gpt-4o")
            .setAttribute(SERVER, "api.openai.com")
            .startSpan();
    span.setAttribute(RESPONSE_MODEL, "gpt-4o-2024-08-06");
    span.setAttribute(INPUT, 1_200L);
    span.setAttribute(OUTPUT, 300L);
    span.setAttribute(CACHE_READ, 1_000L);
    return span;
  }

  /**
   * The same span, priced by its creator with {@link InferenceSpans#enrich(Span)} just before it
   * ends, which reads the live span's attributes (a hand-written span). TokenScope's own
   * integrations (OpenAI Responses and streamed chat) call {@code enrich(span, inference)} with the
   * inference they already hold, which skips that read.
   */
  static void ownInferenceSpan(Tracer tracer, Context parent) {
    Span span = inferenceSpanOpen(tracer, parent);
    InferenceSpans.enrich(span);
    span.end();
  }

  /**
   * The same span priced as TokenScope's own integrations price theirs: {@link
   * InferenceSpans#enrich(Span, InferenceAttributes)} with the inference the caller holds, read
   * from its own fields ({@code OpenAiCall.inference()}), so the live span is not read.
   */
  static void ownInferenceSpanKnown(Tracer tracer, Context parent) {
    Span span = inferenceSpanOpen(tracer, parent);
    InferenceAttributes inference = InferenceAttributes.read(SpanProcessingBenchmark::heldValue);
    if (inference != null) {
      InferenceSpans.enrich(span, inference);
    }
    span.end();
  }

  /** What an integration holds for {@link #inferenceSpanOpen}'s call, by attribute name. */
  private static @Nullable Object heldValue(String key) {
    switch (key) {
      case "gen_ai.operation.name":
        return "chat";
      case "gen_ai.provider.name":
        return "openai";
      case "gen_ai.request.model":
        return "gpt-4o";
      case "gen_ai.response.model":
        return "gpt-4o-2024-08-06";
      case "gen_ai.usage.input_tokens":
        return inputTokens;
      case "gen_ai.usage.output_tokens":
        return outputTokens;
      case "gen_ai.usage.cache_read.input_tokens":
        return cacheReadTokens;
      default:
        return null;
    }
  }

  // Not constants, so the integration's boxing per call is measured as it happens there.
  private static long inputTokens = 1_200L;
  private static long outputTokens = 300L;
  private static long cacheReadTokens = 1_000L;

  /** The baseline: the span on a plain SDK. */
  @Benchmark
  public void plainSdk() {
    inferenceSpan(plainTracer, plainParent);
  }

  /**
   * Not a TokenScope figure: the plain SDK's span with the ten attributes TokenScope adds to it set
   * by the application (as {@code ExportedSpanBenchmark.plainSdkSameOutput}).
   */
  @Benchmark
  public void plainSdkSameOutput() {
    Span span = inferenceSpanOpen(plainTracer, plainParent);
    PlainContractFloor.addSameOutput(span);
    span.end();
  }

  /**
   * Not a TokenScope figure: the floor the contract sets on the caller's thread — the plain SDK
   * adding the same ten attributes and making the contract's seven metric recordings by hand, no
   * TokenScope code, precomputed values ({@link PlainContractFloor}).
   */
  @Benchmark
  public void plainSdkContractFloor() {
    Span span = inferenceSpanOpen(plainTracer, plainParent);
    PlainContractFloor.addSameOutput(span);
    floor.endAndRecord(span);
  }

  /** The same span with TokenScope: cost, metrics, roll-up, workflow name. */
  @Benchmark
  public void withTokenScope() {
    inferenceSpan(tokenScopeTracer, workflowContext);
  }

  /** The same span, enriched before its end by its creator ({@code InferenceSpans.enrich}). */
  @Benchmark
  public void withTokenScopeOwnSpan() {
    ownInferenceSpan(tokenScopeTracer, workflowContext);
  }

  /** The same span, priced before its end as TokenScope's integrations do (inference known). */
  @Benchmark
  public void withTokenScopeOwnSpanKnown() {
    ownInferenceSpanKnown(tokenScopeTracer, workflowContext);
  }

  /** Export-thread work per span TokenScope doesn't own: pricing, sanitizing, new SpanData. */
  @Benchmark
  public CompletableResultCode exportEnrichment() {
    return enrichingExporter.export(foreignSpan);
  }

  /**
   * Export-thread work per span priced before its end ({@code InferenceSpans.enrich}): it carries
   * its cost already; the exporter adds the {@code gen_ai.system} alias and sanitizes.
   */
  @Benchmark
  public CompletableResultCode exportEnrichmentOwnSpan() {
    return enrichingExporter.export(ownSpan);
  }

  /** Keeps the last ended span. */
  private static final class Capture implements SpanProcessor {
    private final SpanData[] into;

    Capture(SpanData[] into) {
      this.into = into;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      into[0] = span.toSpanData();
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }

  /** Discards spans. */
  static class DiscardingSpanExporter implements SpanExporter {
    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }

  static final class DiscardingMetricExporter implements MetricExporter {
    @Override
    public AggregationTemporality getAggregationTemporality(InstrumentType instrumentType) {
      return AggregationTemporality.CUMULATIVE;
    }

    @Override
    public CompletableResultCode export(Collection<MetricData> metrics) {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode flush() {
      return CompletableResultCode.ofSuccess();
    }

    @Override
    public CompletableResultCode shutdown() {
      return CompletableResultCode.ofSuccess();
    }
  }
}
