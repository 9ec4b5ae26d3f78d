package dev.tokenscope.benchmarks;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.opentelemetry.OpenTelemetryOptions;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.tokenscope.anthropic.AnthropicTelemetry;
import dev.tokenscope.core.TokenScope;
import dev.tokenscope.openai.OpenAiTelemetry;
import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingCatalog;
import dev.tokenscope.simulator.LlmSimulator;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.instrumentation.openai.v1_1.OpenAITelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * One chat call through each official SDK to the in-process simulator at speed 0, three ways in the
 * same run: (a) uninstrumented, (b) with the plain OpenTelemetry instrumentation (OpenTelemetry's
 * {@code opentelemetry-openai-java-1.1}; the Anthropic SDK's built-in tracing) into a plain SDK,
 * (c) with TokenScope ({@code OpenAiTelemetry} / {@code AnthropicTelemetry} into a {@code
 * TokenScope}). Both SDKs batch spans to an exporter that discards them and aggregate metrics for
 * an in-memory reader, so (b) and (c) do the same export work; (c) adds TokenScope's processing.
 *
 * <p>Run from the repository root: {@code java -jar tokenscope-benchmarks/target/benchmarks.jar
 * SdkCallOverheadBenchmark}. The figure is the ratio (c) / (a) of each SDK; the {@code
 * *Interleaved} benchmarks measure the three ways call by call in turn (see {@link Turns}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SdkCallOverheadBenchmark {

  private static final ChatCompletionCreateParams CHAT =
      ChatCompletionCreateParams.builder()
          .model("gpt-4o-mini")
          .addSystemMessage("You are a chef.")
          .addUserMessage("Suggest a starter for an autumn menu.")
          .maxCompletionTokens(60)
          .build();

  private static final MessageCreateParams MESSAGE =
      MessageCreateParams.builder()
          .model("claude-sonnet-4-5")
          .maxTokens(60)
          .system("You are a chef.")
          .addUserMessage("Suggest a starter for an autumn menu.")
          .build();

  private LlmSimulator simulator;
  private OpenTelemetrySdk plainSdk;
  private TokenScope tokenScope;
  private final CountingSpanExporter plainExports = new CountingSpanExporter();
  private final CountingSpanExporter tokenScopeExports = new CountingSpanExporter();
  private Set<Thread> plainExportThreads = Set.of();
  private Set<Thread> tokenScopeExportThreads = Set.of();

  private OpenAIClient openAiPlain;
  private OpenAIClient openAiOtel;
  private OpenAIClient openAiTokenScope;
  private AnthropicClient anthropicPlain;
  private AnthropicClient anthropicOtel;
  private AnthropicClient anthropicTokenScope;

  @Setup(Level.Trial)
  public void setUp() {
    simulator = LlmSimulator.builder().seed(1).speed(0).requestLogCapacity(1_000).build().start();
    plainSdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(BatchSpanProcessor.builder(plainExports).build())
                    .build())
            .setMeterProvider(
                SdkMeterProvider.builder()
                    .registerMetricReader(InMemoryMetricReader.create())
                    .build())
            .build();
    plainExportThreads = exportThreads();
    tokenScope =
        TokenScope.builder()
            .serviceName("benchmark")
            .pricing(Pricing.of(PricingCatalog.builtin()))
            .registerGlobal(false)
            .property("otel.traces.exporter", "none")
            .property("otel.metrics.exporter", "none")
            .property("otel.logs.exporter", "none")
            .addSpanExporter(tokenScopeExports)
            .addMetricReader(InMemoryMetricReader.create())
            .build();
    tokenScopeExportThreads = exportThreads();
    tokenScopeExportThreads.removeAll(plainExportThreads);

    openAiPlain =
        OpenAIOkHttpClient.builder()
            .baseUrl(simulator.openAiBaseUrl())
            .apiKey("sk-bench")
            .maxRetries(0)
            .build();
    openAiOtel = OpenAITelemetry.create(plainSdk).wrap(openAiPlain);
    openAiTokenScope = OpenAiTelemetry.create(tokenScope).wrap(openAiPlain);

    anthropicPlain =
        AnthropicOkHttpClient.builder()
            .baseUrl(simulator.anthropicBaseUrl())
            .apiKey("sk-ant-bench")
            .maxRetries(0)
            .openTelemetry(OpenTelemetryOptions.ofEnabled(false))
            .build();
    anthropicOtel =
        anthropicPlain.withOptions(
            options ->
                options.openTelemetry(
                    OpenTelemetryOptions.builder()
                        .tracerProvider(plainSdk.getTracerProvider())
                        .build()));
    anthropicTokenScope = AnthropicTelemetry.create(tokenScope).wrap(anthropicPlain);
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    // The export threads' work competes with the calls for the machine's cores: reported here,
    // per exported span, over the whole trial (warm-up included).
    System.out.printf(
        "%nexport thread CPU per span: plain SDK %.0f ns (%d spans), TokenScope %.0f ns (%d spans)%n",
        cpuNanos(plainExportThreads) / (double) Math.max(1, plainExports.spans.sum()),
        plainExports.spans.sum(),
        cpuNanos(tokenScopeExportThreads) / (double) Math.max(1, tokenScopeExports.spans.sum()),
        tokenScopeExports.spans.sum());
    openAiPlain.close();
    anthropicPlain.close();
    tokenScope.close();
    plainSdk.close();
    simulator.close();
  }

  @Benchmark
  public String openAiUninstrumented() {
    return openAiPlain.chat().completions().create(CHAT).id();
  }

  @Benchmark
  public String openAiOpenTelemetry() {
    return openAiOtel.chat().completions().create(CHAT).id();
  }

  @Benchmark
  public String openAiTokenScope() {
    return openAiTokenScope.chat().completions().create(CHAT).id();
  }

  @Benchmark
  public String anthropicUninstrumented() {
    return anthropicPlain.messages().create(MESSAGE).id();
  }

  @Benchmark
  public String anthropicBuiltInTracing() {
    return anthropicOtel.messages().create(MESSAGE).id();
  }

  @Benchmark
  public String anthropicTokenScope() {
    return anthropicTokenScope.messages().create(MESSAGE).id();
  }

  /** The batch span processors' worker threads alive now. */
  private static Set<Thread> exportThreads() {
    Set<Thread> threads = new HashSet<>();
    for (Thread thread : Thread.getAllStackTraces().keySet()) {
      if (thread.getName().startsWith("BatchSpanProcessor")) {
        threads.add(thread);
      }
    }
    return threads;
  }

  private static long cpuNanos(Set<Thread> threads) {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long total = 0;
    for (Thread thread : threads) {
      total += Math.max(0, mx.getThreadCpuTime(thread.getId()));
    }
    return total;
  }

  /** Discards spans, counting them. */
  static final class CountingSpanExporter extends SpanProcessingBenchmark.DiscardingSpanExporter {
    final LongAdder spans = new LongAdder();

    @Override
    public CompletableResultCode export(Collection<SpanData> batch) {
      spans.add(batch.size());
      return super.export(batch);
    }
  }

  /**
   * Time spent per way of calling, when the three ways take turns call by call ({@link
   * #openAiInterleaved}, {@link #anthropicInterleaved}): a load that comes and goes on a shared
   * machine then weighs on the three alike, where the benchmarks above each run in their own
   * window. Divide a counter by {@code calls} for one call: {@code *Nanos} is wall-clock time,
   * {@code *CpuNanos} the CPU time of the calling thread (what other processes on the machine do
   * not inflate; the simulator's threads and the export threads are not in it).
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Turns {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    public long calls;
    public long uninstrumentedNanos;
    public long openTelemetryNanos;
    public long tokenScopeNanos;
    public long uninstrumentedCpuNanos;
    public long openTelemetryCpuNanos;
    public long tokenScopeCpuNanos;

    /**
     * One call each way, the way that goes first rotating from turn to turn, so that no way is
     * always the one after another's garbage or before the next's.
     */
    void take(
        Blackhole blackhole,
        Supplier<String> uninstrumented,
        Supplier<String> openTelemetry,
        Supplier<String> tokenScope) {
      int first = (int) (calls++ % 3);
      for (int i = 0; i < 3; i++) {
        int way = (first + i) % 3;
        long startCpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        if (way == 0) {
          blackhole.consume(uninstrumented.get());
          uninstrumentedNanos += System.nanoTime() - start;
          uninstrumentedCpuNanos += THREADS.getCurrentThreadCpuTime() - startCpu;
        } else if (way == 1) {
          blackhole.consume(openTelemetry.get());
          openTelemetryNanos += System.nanoTime() - start;
          openTelemetryCpuNanos += THREADS.getCurrentThreadCpuTime() - startCpu;
        } else {
          blackhole.consume(tokenScope.get());
          tokenScopeNanos += System.nanoTime() - start;
          tokenScopeCpuNanos += THREADS.getCurrentThreadCpuTime() - startCpu;
        }
      }
    }

    @Setup(Level.Iteration)
    public void reset() {
      calls = 0;
      uninstrumentedNanos = 0;
      openTelemetryNanos = 0;
      tokenScopeNanos = 0;
      uninstrumentedCpuNanos = 0;
      openTelemetryCpuNanos = 0;
      tokenScopeCpuNanos = 0;
    }
  }

  @Benchmark
  public void openAiInterleaved(Turns turns, Blackhole blackhole) {
    turns.take(
        blackhole,
        () -> openAiPlain.chat().completions().create(CHAT).id(),
        () -> openAiOtel.chat().completions().create(CHAT).id(),
        () -> openAiTokenScope.chat().completions().create(CHAT).id());
  }

  @Benchmark
  public void anthropicInterleaved(Turns turns, Blackhole blackhole) {
    turns.take(
        blackhole,
        () -> anthropicPlain.messages().create(MESSAGE).id(),
        () -> anthropicOtel.messages().create(MESSAGE).id(),
        () -> anthropicTokenScope.messages().create(MESSAGE).id());
  }

  /**
   * Where the Anthropic SDK's built-in tracing spends its time: the same call six ways, taking
   * turns call by call like {@link Turns} (the rung that goes first rotates), rungs 1 to 4 each
   * adding one layer to the one before. Propagation is off on rungs 1 to 4, as TokenScope runs it.
   *
   * <ol start="0">
   *   <li>uninstrumented;
   *   <li>the SDK's tracing into a tracer provider whose sampler records nothing: the SDK's own
   *       plumbing per call (tracer look-ups, the start attributes it builds, the per-call client
   *       and contexts, the traced response and its {@code Cleaner} registration), no span data;
   *   <li>into a tracer provider that records every span and has no span processor: adds the
   *       OpenTelemetry span and every attribute the SDK sets on it (URL, response, usage,
   *       headers);
   *   <li>into a plain SDK that batches spans to a discarding exporter (the benchmark's (b) with
   *       propagation off): adds the batch queue and the export thread's work;
   *   <li>TokenScope ({@code AnthropicTelemetry}, (c));
   *   <li>off the ladder: rung 3 with the SDK's default options (propagation on), i.e. exactly the
   *       benchmark's (b), to compare rung 3 with it.
   * </ol>
   *
   * <p>Per rung: wall-clock and calling-thread CPU nanoseconds, and bytes the calling thread
   * allocated; divide by {@code calls}.
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Ladder {
    static final int RUNGS = 6;
    private static final com.sun.management.ThreadMXBean THREADS =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    public long calls;
    final long[] nanos = new long[RUNGS];
    final long[] cpuNanos = new long[RUNGS];
    final long[] allocatedBytes = new long[RUNGS];

    void take(Blackhole blackhole, List<Supplier<String>> rungs, int[] ways) {
      int first = (int) (calls++ % ways.length);
      for (int i = 0; i < ways.length; i++) {
        int rung = ways[(first + i) % ways.length];
        long startAllocated = THREADS.getCurrentThreadAllocatedBytes();
        long startCpu = THREADS.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        blackhole.consume(rungs.get(rung).get());
        nanos[rung] += System.nanoTime() - start;
        cpuNanos[rung] += THREADS.getCurrentThreadCpuTime() - startCpu;
        allocatedBytes[rung] += THREADS.getCurrentThreadAllocatedBytes() - startAllocated;
      }
    }

    @Setup(Level.Iteration)
    public void reset() {
      calls = 0;
      Arrays.fill(nanos, 0);
      Arrays.fill(cpuNanos, 0);
      Arrays.fill(allocatedBytes, 0);
    }

    public long r0Nanos() {
      return nanos[0];
    }

    public long r1Nanos() {
      return nanos[1];
    }

    public long r2Nanos() {
      return nanos[2];
    }

    public long r3Nanos() {
      return nanos[3];
    }

    public long r4Nanos() {
      return nanos[4];
    }

    public long r5Nanos() {
      return nanos[5];
    }

    public long r0CpuNanos() {
      return cpuNanos[0];
    }

    public long r1CpuNanos() {
      return cpuNanos[1];
    }

    public long r2CpuNanos() {
      return cpuNanos[2];
    }

    public long r3CpuNanos() {
      return cpuNanos[3];
    }

    public long r4CpuNanos() {
      return cpuNanos[4];
    }

    public long r5CpuNanos() {
      return cpuNanos[5];
    }

    public long r0Bytes() {
      return allocatedBytes[0];
    }

    public long r1Bytes() {
      return allocatedBytes[1];
    }

    public long r2Bytes() {
      return allocatedBytes[2];
    }

    public long r3Bytes() {
      return allocatedBytes[3];
    }

    public long r4Bytes() {
      return allocatedBytes[4];
    }

    public long r5Bytes() {
      return allocatedBytes[5];
    }
  }

  /** The clients and tracer providers of {@link #anthropicLadder}'s rungs. */
  @State(Scope.Benchmark)
  public static class LadderClients {
    /**
     * The rungs that take turns, by number, joined with {@code -} (JMH splits parameter values at
     * commas): all six by default; {@code -p ways=0-4} times TokenScope against the uninstrumented
     * call alone, {@code -p ways=0-5-4} is the three-way design.
     */
    @Param({"0-1-2-3-4-5"})
    public String ways;

    int[] active;
    SdkTracerProvider notSampled;
    SdkTracerProvider noProcessor;
    List<Supplier<String>> rungs;

    @Setup(Level.Trial)
    public void setUp(SdkCallOverheadBenchmark benchmark) {
      active = Arrays.stream(ways.split("-")).mapToInt(w -> Integer.parseInt(w.trim())).toArray();
      notSampled = SdkTracerProvider.builder().setSampler(Sampler.alwaysOff()).build();
      noProcessor = SdkTracerProvider.builder().build();
      AnthropicClient plain = benchmark.anthropicPlain;
      AnthropicClient plumbing = traced(plain, notSampled);
      AnthropicClient spans = traced(plain, noProcessor);
      AnthropicClient batched = traced(plain, benchmark.plainSdk.getTracerProvider());
      AnthropicClient tokenScope = benchmark.anthropicTokenScope;
      AnthropicClient defaults = benchmark.anthropicOtel;
      rungs =
          List.of(
              () -> plain.messages().create(MESSAGE).id(),
              () -> plumbing.messages().create(MESSAGE).id(),
              () -> spans.messages().create(MESSAGE).id(),
              () -> batched.messages().create(MESSAGE).id(),
              () -> tokenScope.messages().create(MESSAGE).id(),
              () -> defaults.messages().create(MESSAGE).id());
    }

    private static AnthropicClient traced(AnthropicClient client, TracerProvider tracerProvider) {
      return client.withOptions(
          options ->
              options.openTelemetry(
                  OpenTelemetryOptions.builder()
                      .tracerProvider(tracerProvider)
                      .propagation(false)
                      .build()));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      notSampled.close();
      noProcessor.close();
    }
  }

  @Benchmark
  public void anthropicLadder(Ladder ladder, LadderClients clients, Blackhole blackhole) {
    ladder.take(blackhole, clients.rungs, clients.active);
  }

  /**
   * The Anthropic SDK's trace-context propagation, with TokenScope registered as the global
   * OpenTelemetry (as applications run it: the SDK injects through the global propagators, W3C
   * {@code traceparent} and {@code baggage} by default). Used by {@link #anthropicPropagation}.
   */
  @State(Scope.Benchmark)
  public static class GlobalTokenScope {
    TokenScope tokenScope;
    AnthropicClient propagationOff;
    AnthropicClient propagationOn;

    @Setup(Level.Trial)
    public void setUp(SdkCallOverheadBenchmark benchmark) {
      tokenScope =
          TokenScope.builder()
              .serviceName("benchmark")
              .pricing(Pricing.of(PricingCatalog.builtin()))
              .registerGlobal(true)
              .property("otel.traces.exporter", "none")
              .property("otel.metrics.exporter", "none")
              .property("otel.logs.exporter", "none")
              .addSpanExporter(new CountingSpanExporter())
              .addMetricReader(InMemoryMetricReader.create())
              .build();
      propagationOff =
          AnthropicTelemetry.builder(tokenScope)
              .propagation(false)
              .build()
              .wrap(benchmark.anthropicPlain);
      propagationOn =
          AnthropicTelemetry.builder(tokenScope)
              .propagation(true)
              .build()
              .wrap(benchmark.anthropicPlain);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      tokenScope.close();
      GlobalOpenTelemetry.resetForTest();
    }
  }

  /**
   * Interleaved like {@link #anthropicInterleaved}, with TokenScope global: the {@code
   * uninstrumented} counters are the plain client, {@code openTelemetry} TokenScope with the SDK's
   * propagation off, {@code tokenScope} TokenScope with it on.
   */
  @Benchmark
  public void anthropicPropagation(Turns turns, GlobalTokenScope global, Blackhole blackhole) {
    turns.take(
        blackhole,
        () -> anthropicPlain.messages().create(MESSAGE).id(),
        () -> global.propagationOff.messages().create(MESSAGE).id(),
        () -> global.propagationOn.messages().create(MESSAGE).id());
  }
}
