package dev.tokenscope.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.completions.CompletionUsage;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Chat completions through the official OpenAI SDK: sync, async and streaming. */
class OpenAiChatCompletionsSdkTest {

  private LlmSimulator sim;
  private OpenAIClient client;

  @BeforeEach
  void start() {
    sim = LlmSimulator.builder().seed(7).speed(0).build().start();
    client = Clients.openAi(sim);
  }

  @AfterEach
  void stop() {
    client.close();
    sim.close();
  }

  private static ChatCompletionCreateParams.Builder params(String model) {
    return ChatCompletionCreateParams.builder()
        .model(model)
        .addSystemMessage("You are a helpful sommelier.")
        .addUserMessage("Which wine goes with roasted duck?");
  }

  @Test
  void answersSynchronouslyWithUsageThatMatchesTheLog() {
    ChatCompletion completion = client.chat().completions().create(params("gpt-4o-mini").build());

    assertThat(completion.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(completion.id()).startsWith("chatcmpl-");
    assertThat(completion.choices()).hasSize(1);
    ChatCompletion.Choice choice = completion.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(choice.message().content())
        .hasValueSatisfying(text -> assertThat(text).isNotBlank());
    CompletionUsage usage = completion.usage().orElseThrow();
    assertThat(usage.promptTokens()).isPositive();
    assertThat(usage.totalTokens()).isEqualTo(usage.promptTokens() + usage.completionTokens());

    RecordedRequest logged = sim.requestLog().last();
    assertThat(logged.provider()).isEqualTo(Provider.OPENAI);
    assertThat(logged.endpoint()).isEqualTo("/v1/chat/completions");
    assertThat(logged.model()).isEqualTo("gpt-4o-mini");
    assertThat(logged.responseModel()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(logged.status()).isEqualTo(200);
    assertThat(logged.inputTokens()).isEqualTo(usage.promptTokens());
    assertThat(logged.outputTokens()).isEqualTo(usage.completionTokens());
    assertThat(logged.responseId()).isEqualTo(completion.id());
    assertThat(logged.streamed()).isFalse();
    assertThat(logged.succeeded()).isTrue();
  }

  @Test
  void answersAsynchronously() throws Exception {
    ChatCompletion completion =
        client.async().chat().completions().create(params("gpt-4.1-mini").build()).get();

    assertThat(completion.choices().get(0).message().content()).isPresent();
    assertThat(sim.requestLog().last().outputTokens())
        .isEqualTo(completion.usage().orElseThrow().completionTokens());
  }

  @Test
  void streamsChunksTheSdkAccumulatesIntoTheSameAnswer() {
    ChatCompletion plain = client.chat().completions().create(params("gpt-4o").build());
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    List<ChatCompletionChunk> chunks;
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(
                params("gpt-4o")
                    .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                    .build())) {
      chunks = stream.stream().peek(accumulator::accumulate).toList();
    }
    ChatCompletion streamed = accumulator.chatCompletion();

    assertThat(chunks.size()).isGreaterThan(3);
    assertThat(chunks.get(chunks.size() - 1).choices()).isEmpty();
    assertThat(streamed.choices().get(0).message().content())
        .isEqualTo(plain.choices().get(0).message().content());
    assertThat(streamed.usage().orElseThrow().completionTokens())
        .isEqualTo(plain.usage().orElseThrow().completionTokens());
    RecordedRequest logged = sim.requestLog().last();
    assertThat(logged.streamed()).isTrue();
    assertThat(logged.outputTokens()).isEqualTo(streamed.usage().orElseThrow().completionTokens());
  }

  @Test
  void streamsAsynchronously() throws Exception {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    client
        .async()
        .chat()
        .completions()
        .createStreaming(
            params("gpt-5-nano")
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
                .build())
        .subscribe(accumulator::accumulate)
        .onCompleteFuture()
        .get(20, java.util.concurrent.TimeUnit.SECONDS);

    ChatCompletion streamed = accumulator.chatCompletion();
    assertThat(streamed.choices().get(0).message().content()).isPresent();
    assertThat(streamed.usage().orElseThrow().completionTokens())
        .isEqualTo(sim.requestLog().last().outputTokens());
  }

  @Test
  void streamsWithoutUsageUnlessAsked() {
    try (StreamResponse<ChatCompletionChunk> stream =
        client.chat().completions().createStreaming(params("gpt-4o").build())) {
      assertThat(stream.stream().toList()).allSatisfy(chunk -> assertThat(chunk.usage()).isEmpty());
    }
    assertThat(sim.requestLog().last().outputTokens()).isPositive();
  }

  @Test
  void reasoningModelsReportReasoningTokensInsideCompletionTokens() {
    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(
                params("gpt-5-mini")
                    .reasoningEffort(com.openai.models.ReasoningEffort.HIGH)
                    .build());

    CompletionUsage usage = completion.usage().orElseThrow();
    long reasoning = usage.completionTokensDetails().orElseThrow().reasoningTokens().orElseThrow();
    assertThat(reasoning).isPositive().isLessThan(usage.completionTokens());
    assertThat(reasoning % 64).isZero();
    assertThat(sim.requestLog().last().reasoningTokens()).isEqualTo(reasoning);
  }

  @Test
  void stopsAtMaxCompletionTokensWithFinishReasonLength() {
    ChatCompletion completion =
        client.chat().completions().create(params("gpt-4o-mini").maxCompletionTokens(5).build());

    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
    assertThat(completion.usage().orElseThrow().completionTokens()).isEqualTo(5);
  }

  @Test
  void returnsSeveralChoicesWhenAskedForN() {
    ChatCompletion completion =
        client.chat().completions().create(params("gpt-4o-mini").n(3).build());

    assertThat(completion.choices())
        .extracting(ChatCompletion.Choice::index)
        .containsExactly(0L, 1L, 2L);
  }

  @Test
  void sameSeedAndRequestGiveTheSameAnswer() {
    String first =
        client
            .chat()
            .completions()
            .create(params("gpt-4o-mini").build())
            .choices()
            .get(0)
            .message()
            .content()
            .orElseThrow();
    String second =
        client
            .chat()
            .completions()
            .create(params("gpt-4o-mini").build())
            .choices()
            .get(0)
            .message()
            .content()
            .orElseThrow();
    assertThat(second).isEqualTo(first);
  }
}
