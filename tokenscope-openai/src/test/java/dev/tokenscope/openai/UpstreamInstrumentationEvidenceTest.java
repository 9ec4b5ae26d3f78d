package dev.tokenscope.openai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionChunk;
import dev.tokenscope.simulator.Fault;
import dev.tokenscope.simulator.LlmSimulator;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.instrumentation.openai.v1_1.OpenAITelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What OpenTelemetry's {@code opentelemetry-openai-java-1.1} (2.31.1-alpha) records on its own with
 * {@code openai-java} 4.101.0, without TokenScope: the evidence behind each gap the README lists.
 * When one of these fails after an upgrade, the instrumentation closed that gap: drop TokenScope's
 * fill for it (and update the README).
 */
class UpstreamInstrumentationEvidenceTest {

  LlmSimulator sim;
  InMemorySpanExporter spans;
  OpenTelemetrySdk sdk;
  OpenAIClient client;

  @BeforeEach
  void start() {
    sim = LlmSimulator.builder().speed(0).retryAfter(Duration.ZERO).build().start();
    spans = InMemorySpanExporter.create();
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .build();
    client =
        OpenAITelemetry.create(sdk)
            .wrap(
                OpenAIOkHttpClient.builder()
                    .baseUrl(sim.openAiBaseUrl())
                    .apiKey("sk-test")
                    .maxRetries(0)
                    .build());
  }

  @AfterEach
  void stop() {
    client.close();
    sdk.close();
    sim.close();
  }

  static Call.Request request(String instructions) {
    return new Call.Request("gpt-4o-mini", instructions, "Rule 3?");
  }

  @Test
  void chatSpansAreInternalWithoutCachedTokensOrTheSystemAlias() {
    String handbook = "Kitchen handbook. " + "Label every container at its station. ".repeat(200);
    Call.CHAT_SYNC.send(client, request(handbook));
    Call.CHAT_SYNC.send(client, request(handbook));

    assertThat(sim.requestLog().last().cacheReadTokens()).isPositive();
    SpanData second = spans.getFinishedSpanItems().get(1);
    assertThat(second.getName()).isEqualTo("chat gpt-4o-mini");
    assertThat(second.getKind()).isEqualTo(SpanKind.INTERNAL);
    assertThat(second.getInstrumentationScopeInfo().getName())
        .isEqualTo("io.opentelemetry.openai-java-1.1");
    assertThat(second.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens")))
        .isEqualTo(sim.requestLog().last().inputTokens());
    assertThat(second.getAttributes().asMap().keySet())
        .extracting(AttributeKey::getKey)
        .doesNotContain(
            "gen_ai.usage.cache_read.input_tokens",
            "gen_ai.usage.reasoning.output_tokens",
            "gen_ai.system",
            "http.request.resend_count",
            "server.address");
  }

  @Test
  void aFailedChatSpanHasNoErrorType() {
    sim.failNext(1, Fault.RATE_LIMIT);

    assertThatThrownBy(() -> Call.CHAT_SYNC.send(client, request("Chef.")))
        .isInstanceOf(RateLimitException.class);

    SpanData span = spans.getFinishedSpanItems().get(0);
    assertThat(span.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(span.getAttributes().get(AttributeKey.stringKey("error.type"))).isNull();
  }

  @Test
  void closingAChatStreamEarlyThrowsAndTheSpanNeverEnds() {
    StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(Call.CHAT_STREAMING.chatParams(request("C.")));
    assertThat(stream.stream().iterator().hasNext()).isTrue();

    assertThatThrownBy(stream::close)
        .isInstanceOf(OpenAIInvalidDataException.class)
        .hasMessageContaining("finish_reason");
    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void theResponsesApiIsNotTraced() {
    Call.RESPONSES_SYNC.send(client, request("Chef."));
    Call.RESPONSES_STREAMING.send(client, request("Chef."));

    assertThat(sim.requestLog().entries()).hasSize(2);
    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void embeddingsSpansAreClientSpans() {
    client
        .embeddings()
        .create(
            com.openai.models.embeddings.EmbeddingCreateParams.builder()
                .model("text-embedding-3-small")
                .input("pumpkin")
                .build());

    List<SpanData> finished = spans.getFinishedSpanItems();
    assertThat(finished).hasSize(1);
    assertThat(finished.get(0).getName()).isEqualTo("embeddings text-embedding-3-small");
    assertThat(finished.get(0).getKind()).isEqualTo(SpanKind.CLIENT);
  }
}
