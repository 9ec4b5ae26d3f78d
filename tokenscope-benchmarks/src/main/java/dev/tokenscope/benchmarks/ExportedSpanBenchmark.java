package dev.tokenscope.benchmarks;

import dev.tokenscope.core.TokenScope;
import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingCatalog;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.Collection;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One LLM-call span through the whole pipeline as applications run it: started and ended on the
 * application's thread, queued by OpenTelemetry's {@code BatchSpanProcessor}, serialised and sent
 * by the OTLP http/protobuf exporter to a loopback collector that accepts and discards ({@link
 * DiscardingOtlpSink}, in its own process so its work is not counted). {@code plainSdk} is a plain
 * OpenTelemetry SDK with exactly that; {@code withTokenScope} is an SDK built by {@code
 * TokenScope.builder()} with the same exporter (autoconfigure's), so the difference is TokenScope's
 * processing on both threads: the span processor on the caller's thread (recognise, price, five
 * metrics, roll-up, workflow name, {@code gen_ai.system} alias) and the exporter wrapper on the
 * export thread (cost attributes, content policy, secret scrub) plus the extra bytes it exports.
 * {@code withTokenScopeOwnSpan} is the same for a span its creator enriches before it ends with
 * {@code InferenceSpans.enrich(span)}, which reads the live span (a hand-written span; TokenScope's
 * own integrations pass the inference they hold to {@code enrich(span, inference)} instead).
 *
 * <p>One operation is {@value #SPANS} spans (the batch processor's default batch) followed by a
 * flush that waits for the export, so every span is exported (flat out, a batch processor would
 * drop spans once its queue is full and the faster side would export fewer). Scores are per span.
 * Read the CPU figure ({@code -prof dev.tokenscope.benchmarks.CpuTimeProfiler}): the benchmark
 * process's CPU time over all its threads — caller, batch processor, HTTP client, GC, JIT — per
 * span. The wall-clock score includes waiting for the loopback round trip.
 *
 * <p>Run from the repository root: {@code java -jar tokenscope-benchmarks/target/benchmarks.jar
 * ExportedSpanBenchmark -prof dev.tokenscope.benchmarks.CpuTimeProfiler}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class ExportedSpanBenchmark {

  /** Spans per operation: {@code OTEL_BSP_MAX_EXPORT_BATCH_SIZE}'s default. */
  static final int SPANS = 512;

  @Param({""})
  public String snapshot;

  private DiscardingOtlpSink sink;
  private CountingSpanExporter plainExported;
  private CountingSpanExporter tokenScopeExported;

  private OpenTelemetrySdk plain;
  private Tracer plainTracer;
  private Context plainParent;
  private PlainContractFloor floor;

  private TokenScope tokenScope;
  private SdkTracerProvider tokenScopeTracing;
  private Tracer tokenScopeTracer;
  private Context workflowContext;
  private CompletableFuture<Void> workflowDone;

  @Setup(Level.Trial)
  public void setUp() {
    sink = DiscardingOtlpSink.start();
    Pricing pricing = Pricing.of(PricingCatalog.load(PricingBenchmark.snapshotPath(snapshot)));

    plainExported = new CountingSpanExporter(otlpExporter());
    plain =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(BatchSpanProcessor.builder(plainExported).build())
                    .build())
            .build();
    plainTracer = plain.getTracer("bench");
    Span plainWorkflow = plainTracer.spanBuilder("menu").startSpan();
    plainParent = Context.root().with(plainWorkflow);
    floor = new PlainContractFloor();

    // The same exporter, wrapped and batched by TokenScope as it does autoconfigure's own.
    tokenScopeExported = new CountingSpanExporter(otlpExporter());
    tokenScope =
        SpanProcessingBenchmark.tokenScopeBuilder(pricing)
            .addSpanExporter(tokenScopeExported)
            .build();
    tokenScopeTracing = ((OpenTelemetrySdk) tokenScope.openTelemetry()).getSdkTracerProvider();
    tokenScopeTracer = tokenScope.openTelemetry().getTracer("bench");
    workflowDone = new CompletableFuture<>();
    workflowContext = SpanProcessingBenchmark.openWorkflow(workflowDone);
  }

  private OtlpHttpSpanExporter otlpExporter() {
    return OtlpHttpSpanExporter.builder().setEndpoint(sink.endpoint() + "/v1/traces").build();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    workflowDone.complete(null);
    tokenScope.close();
    plain.close();
    floor.close();
    sink.close();
  }

  /** The baseline: the span on a plain SDK, batched and exported over OTLP. */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public void plainSdk() {
    for (int i = 0; i < SPANS; i++) {
      SpanProcessingBenchmark.inferenceSpan(plainTracer, plainParent);
    }
    plainExported.awaitExported(SPANS, plain.getSdkTracerProvider());
  }

  /**
   * Not a TokenScope figure: the plain SDK exporting the span with the attributes TokenScope adds
   * to it (eight {@code gen_ai.cost.*}, the {@code gen_ai.system} alias, the workflow name) set by
   * the application. Against {@link #plainSdk} it is what carrying that data costs (serialising ten
   * more attributes); against {@link #withTokenScope} it leaves TokenScope's processing alone.
   */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public void plainSdkSameOutput() {
    for (int i = 0; i < SPANS; i++) {
      Span span = SpanProcessingBenchmark.inferenceSpanOpen(plainTracer, plainParent);
      PlainContractFloor.addSameOutput(span);
      span.end();
    }
    plainExported.awaitExported(SPANS, plain.getSdkTracerProvider());
  }

  /**
   * Not a TokenScope figure: the floor the contract sets. The plain SDK doing by hand, with no
   * TokenScope code, exactly what the contract makes TokenScope add to this span: the ten
   * attributes of {@link #plainSdkSameOutput} and the seven metric recordings into the plain SDK's
   * own meter provider (same reader set-up as TokenScope's), precomputed values ({@link
   * PlainContractFloor}). Against {@link #withTokenScope} it leaves TokenScope's own processing.
   */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public void plainSdkContractFloor() {
    for (int i = 0; i < SPANS; i++) {
      Span span = SpanProcessingBenchmark.inferenceSpanOpen(plainTracer, plainParent);
      PlainContractFloor.addSameOutput(span);
      floor.endAndRecord(span);
    }
    plainExported.awaitExported(SPANS, plain.getSdkTracerProvider());
  }

  /** The same span with TokenScope, created by another instrumentation (priced by TokenScope). */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public void withTokenScope() {
    for (int i = 0; i < SPANS; i++) {
      SpanProcessingBenchmark.inferenceSpan(tokenScopeTracer, workflowContext);
    }
    tokenScopeExported.awaitExported(SPANS, tokenScopeTracing);
  }

  /** The same span with TokenScope, enriched before its end by {@code InferenceSpans.enrich}. */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public void withTokenScopeOwnSpan() {
    for (int i = 0; i < SPANS; i++) {
      SpanProcessingBenchmark.ownInferenceSpan(tokenScopeTracer, workflowContext);
    }
    tokenScopeExported.awaitExported(SPANS, tokenScopeTracing);
  }

  /** The same span, priced before its end as TokenScope's integrations do (inference known). */
  @Benchmark
  @OperationsPerInvocation(SPANS)
  public void withTokenScopeOwnSpanKnown() {
    for (int i = 0; i < SPANS; i++) {
      SpanProcessingBenchmark.ownInferenceSpanKnown(tokenScopeTracer, workflowContext);
    }
    tokenScopeExported.awaitExported(SPANS, tokenScopeTracing);
  }

  /**
   * The real exporter, counting what it exported so an operation can wait for its own spans: the
   * batch processor's {@code forceFlush} may return a flush that has just completed instead of a
   * new one, so its result alone does not say the latest spans left.
   */
  static final class CountingSpanExporter implements SpanExporter {
    private final SpanExporter delegate;
    private final AtomicLong exported = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private long expected;

    CountingSpanExporter(SpanExporter delegate) {
      this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
      int count = spans.size();
      CompletableResultCode result = delegate.export(spans);
      result.whenComplete(() -> (result.isSuccess() ? exported : failed).addAndGet(count));
      return result;
    }

    /** Flushes until {@code spans} more spans than last time have been exported. */
    void awaitExported(int spans, SdkTracerProvider tracing) {
      expected += spans;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (exported.get() < expected) {
        tracing.forceFlush().join(10, TimeUnit.SECONDS);
        if (failed.get() > 0 || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "spans were not exported to the loopback sink: "
                  + exported.get()
                  + " of "
                  + expected
                  + ", "
                  + failed.get()
                  + " failed");
        }
      }
    }

    @Override
    public CompletableResultCode flush() {
      return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
      return delegate.shutdown();
    }
  }
}
