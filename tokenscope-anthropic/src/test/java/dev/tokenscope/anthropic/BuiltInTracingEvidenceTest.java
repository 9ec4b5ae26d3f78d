package dev.tokenscope.anthropic;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.opentelemetry.OpenTelemetryOptions;
import dev.tokenscope.simulator.Fault;
import dev.tokenscope.simulator.LlmSimulator;
import dev.tokenscope.simulator.RecordedRequest;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What {@code anthropic-java} 3.14.0's built-in tracing records on its own, with a plain
 * OpenTelemetry SDK and no TokenScope: the evidence for reusing it, and for the little TokenScope
 * adds. When one of these fails after an upgrade, revisit the README's table.
 */
class BuiltInTracingEvidenceTest {

  LlmSimulator sim;
  InMemorySpanExporter spans;
  OpenTelemetrySdk sdk;
  AnthropicClient client;

  @BeforeEach
  void start() {
    // 1 ms, not 0: the SDK ignores retry-after: 0 and falls back to its own 0.5–8 s backoff.
    sim = LlmSimulator.builder().speed(0).retryAfter(Duration.ofMillis(1)).build().start();
    spans = InMemorySpanExporter.create();
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    client =
        AnthropicOkHttpClient.builder()
            .baseUrl(sim.anthropicBaseUrl())
            .apiKey("sk-ant-test")
            .maxRetries(2)
            .sleeper(new FakeSleeper())
            .openTelemetry(
                OpenTelemetryOptions.builder().tracerProvider(sdk.getTracerProvider()).build())
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    sdk.close();
    sim.close();
  }

  @Test
  void oneClientSpanPerCallWithCachedTokensInsideInputTokensAndTheResends() {
    sim.failNext(1, Fault.OVERLOADED);
    Variant.SYNC.send(client, AnthropicScenarioTest.cachedParams("Rule 3?"));
    Variant.SYNC.send(client, AnthropicScenarioTest.cachedParams("Rule 4?"));

    RecordedRequest first = sim.requestLog().entries().get(1);
    RecordedRequest second = sim.requestLog().last();
    assertThat(first.cacheWriteTokens()).isPositive();
    assertThat(second.cacheReadTokens()).isPositive();
    SpanData written = spans.getFinishedSpanItems().get(0);
    SpanData read = spans.getFinishedSpanItems().get(1);
    assertThat(written.getName()).isEqualTo("anthropic.messages.create");
    assertThat(written.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(written.getInstrumentationScopeInfo().getName()).isEqualTo("com.anthropic.sdk.java");
    // input_tokens + cache reads + cache writes, as the conventions want.
    assertThat(read.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
        .isEqualTo(second.inputTokens())
        .isEqualTo(
            second.uncachedInputTokens() + second.cacheReadTokens() + second.cacheWriteTokens());
    assertThat(
            written
                .getAttributes()
                .get(AttributeKey.longKey("gen_ai.usage.cache_write.input_tokens")))
        .isEqualTo(first.cacheWriteTokens());
    assertThat(written.getAttributes().get(AttributeKey.longKey("http.request.resend_count")))
        .isEqualTo(1L);
    // What TokenScope adds: the gen_ai.system alias and the cost (metrics are not span data).
    assertThat(read.getAttributes().asMap().keySet())
        .extracting(AttributeKey::getKey)
        .doesNotContain("gen_ai.system", "gen_ai.cost.total_usd", "gen_ai.response.finish_reasons")
        .contains("anthropic.message.stop_reason", "server.address", "gen_ai.response.id");
  }
}
