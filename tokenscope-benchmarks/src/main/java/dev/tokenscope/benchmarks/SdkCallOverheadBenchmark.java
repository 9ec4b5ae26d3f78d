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
import io.opentelemetry.instrumentation.openai.v1_1.OpenAITelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One chat call through each official SDK to the in-process simulator at speed 0, three ways in the
 * same run: (a) uninstrumented, (b) with the plain OpenTelemetry instrumentation (OpenTelemetry's
 * {@code opentelemetry-openai-java-1.1}; the Anthropic SDK's built-in tracing) into a plain SDK,
 * (c) with TokenScope ({@code OpenAiTelemetry} / {@code AnthropicTelemetry} into a {@code
 * TokenScope}). Both SDKs batch spans to an exporter that discards them and aggregate metrics for
 * an in-memory reader, so (b) and (c) do the same export work; (c) adds TokenScope's processing.
 *
 * <p>Run from the repository root: {@code java -jar tokenscope-benchmarks/target/benchmarks.jar
 * SdkCallOverheadBenchmark}. The figure is the ratio (c) / (a) of each SDK.
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
                    .addSpanProcessor(
                        BatchSpanProcessor.builder(
                                new SpanProcessingBenchmark.DiscardingSpanExporter())
                            .build())
                    .build())
            .setMeterProvider(
                SdkMeterProvider.builder()
                    .registerMetricReader(InMemoryMetricReader.create())
                    .build())
            .build();
    tokenScope =
        TokenScope.builder()
            .serviceName("benchmark")
            .pricing(Pricing.of(PricingCatalog.builtin()))
            .registerGlobal(false)
            .property("otel.traces.exporter", "none")
            .property("otel.metrics.exporter", "none")
            .property("otel.logs.exporter", "none")
            .addSpanExporter(new SpanProcessingBenchmark.DiscardingSpanExporter())
            .addMetricReader(InMemoryMetricReader.create())
            .build();

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
}
