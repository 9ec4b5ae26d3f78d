package dev.tokenscope.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.Usage;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Prompt caching as each provider reports it, across calls, on a clock the test controls: OpenAI's
 * automatic prefix caching and Anthropic's cache_control breakpoints.
 */
class PromptCachingSdkTest {

  /** About 2,000 tokens of stable instructions. */
  static final String LONG_INSTRUCTIONS = longText(220);

  private final FakeClock clock = new FakeClock();
  private LlmSimulator sim;
  private OpenAIClient openai;
  private AnthropicClient anthropic;

  @BeforeEach
  void start() {
    sim = LlmSimulator.builder().speed(0).clock(clock).build().start();
    openai = Clients.openAi(sim);
    anthropic = Clients.anthropic(sim);
  }

  @AfterEach
  void stop() {
    openai.close();
    anthropic.close();
    sim.close();
  }

  static String longText(int sentences) {
    StringBuilder sb = new StringBuilder("Kitchen handbook.\n");
    for (int i = 0; i < sentences; i++) {
      sb.append("Rule ")
          .append(i)
          .append(": keep station ")
          .append(i % 7)
          .append(" clean and label every container. ");
    }
    return sb.toString();
  }

  private CompletionUsage openAiCall(String question) {
    return openai
        .chat()
        .completions()
        .create(
            ChatCompletionCreateParams.builder()
                .model("gpt-4o-mini")
                .addSystemMessage(LONG_INSTRUCTIONS)
                .addUserMessage(question)
                .build())
        .usage()
        .orElseThrow();
  }

  private static long cached(CompletionUsage usage) {
    return usage.promptTokensDetails().orElseThrow().cachedTokens().orElseThrow();
  }

  @Test
  void openAiReportsCachedTokensForARecentlySeenPrefixIn128TokenSteps() {
    CompletionUsage first = openAiCall("What is rule 3?");
    CompletionUsage second = openAiCall("What is rule 4?");

    assertThat(first.promptTokens()).isGreaterThan(1024);
    assertThat(cached(first)).isZero();
    assertThat(cached(second))
        .isGreaterThanOrEqualTo(1024)
        .isLessThanOrEqualTo(second.promptTokens());
    assertThat((cached(second) - 1024) % 128).isZero();
    assertThat(second.promptTokens() - cached(second)).isLessThan(128 + 40);
    assertThat(sim.requestLog().last().cacheReadTokens()).isEqualTo(cached(second));
  }

  @Test
  void openAiCacheExpiresAfterTheRetentionPeriod() {
    openAiCall("What is rule 3?");
    clock.advance(Duration.ofMinutes(11));
    assertThat(cached(openAiCall("What is rule 3?"))).isZero();
    clock.advance(Duration.ofMinutes(9));
    assertThat(cached(openAiCall("What is rule 3?"))).isPositive();
  }

  @Test
  void openAiDoesNotCacheShortPromptsOrOtherModels() {
    ChatCompletionCreateParams shortPrompt =
        ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("Hi").build();
    openai.chat().completions().create(shortPrompt);
    assertThat(cached(openai.chat().completions().create(shortPrompt).usage().orElseThrow()))
        .isZero();

    openAiCall("What is rule 3?");
    CompletionUsage otherModel =
        openai
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("gpt-4.1")
                    .addSystemMessage(LONG_INSTRUCTIONS)
                    .addUserMessage("What is rule 3?")
                    .build())
            .usage()
            .orElseThrow();
    assertThat(cached(otherModel)).isZero();
  }

  private MessageCreateParams.Builder anthropicParams(
      String model, CacheControlEphemeral cacheControl, String question) {
    return MessageCreateParams.builder()
        .model(model)
        .maxTokens(200)
        .systemOfTextBlockParams(
            List.of(
                TextBlockParam.builder().text("You are a kitchen assistant.").build(),
                TextBlockParam.builder()
                    .text(LONG_INSTRUCTIONS)
                    .cacheControl(cacheControl)
                    .build()))
        .addUserMessage(question);
  }

  @Test
  void anthropicWritesTheCacheFirstThenReadsIt() {
    CacheControlEphemeral fiveMinutes = CacheControlEphemeral.builder().build();
    Usage first =
        anthropic
            .messages()
            .create(anthropicParams("claude-sonnet-4-5", fiveMinutes, "Rule 3?").build())
            .usage();
    Usage second =
        anthropic
            .messages()
            .create(anthropicParams("claude-sonnet-4-5", fiveMinutes, "Rule 4?").build())
            .usage();

    assertThat(first.cacheCreationInputTokens())
        .hasValueSatisfying(v -> assertThat(v).isGreaterThan(1024));
    assertThat(first.cacheReadInputTokens()).contains(0L);
    assertThat(first.cacheCreation().orElseThrow().ephemeral5mInputTokens())
        .isEqualTo(first.cacheCreationInputTokens().orElseThrow());
    assertThat(second.cacheCreationInputTokens()).contains(0L);
    assertThat(second.cacheReadInputTokens()).isEqualTo(first.cacheCreationInputTokens());
    assertThat(second.inputTokens()).isLessThan(30);

    RecordedRequest logged = sim.requestLog().last();
    assertThat(logged.cacheReadTokens()).isEqualTo(second.cacheReadInputTokens().orElseThrow());
    assertThat(logged.inputTokens())
        .isEqualTo(second.inputTokens() + second.cacheReadInputTokens().orElseThrow());
    assertThat(sim.requestLog().entries().get(0).cacheWriteTokens())
        .isEqualTo(first.cacheCreationInputTokens().orElseThrow());
  }

  @Test
  void anthropicFiveMinuteEntriesExpireButOneHourEntriesSurvive() {
    CacheControlEphemeral fiveMinutes =
        CacheControlEphemeral.builder().ttl(CacheControlEphemeral.Ttl.TTL_5M).build();
    CacheControlEphemeral oneHour =
        CacheControlEphemeral.builder().ttl(CacheControlEphemeral.Ttl.TTL_1H).build();
    anthropic.messages().create(anthropicParams("claude-sonnet-4-5", fiveMinutes, "Q").build());
    Usage hourWrite =
        anthropic
            .messages()
            .create(anthropicParams("claude-opus-4-1", oneHour, "Q").build())
            .usage();
    assertThat(hourWrite.cacheCreation().orElseThrow().ephemeral1hInputTokens()).isPositive();
    assertThat(hourWrite.cacheCreation().orElseThrow().ephemeral5mInputTokens()).isZero();
    assertThat(sim.requestLog().last().cacheWrite1hTokens())
        .isEqualTo(hourWrite.cacheCreationInputTokens().orElseThrow());

    clock.advance(Duration.ofMinutes(6));

    Usage fiveMinutesLater =
        anthropic
            .messages()
            .create(anthropicParams("claude-sonnet-4-5", fiveMinutes, "Q").build())
            .usage();
    Usage hourLater =
        anthropic
            .messages()
            .create(anthropicParams("claude-opus-4-1", oneHour, "Q").build())
            .usage();
    assertThat(fiveMinutesLater.cacheReadInputTokens()).contains(0L);
    assertThat(fiveMinutesLater.cacheCreationInputTokens().orElseThrow()).isPositive();
    assertThat(hourLater.cacheReadInputTokens().orElseThrow()).isPositive();
  }

  @Test
  void anthropicReadsRefreshTheTtl() {
    CacheControlEphemeral fiveMinutes = CacheControlEphemeral.builder().build();
    anthropic.messages().create(anthropicParams("claude-sonnet-4-5", fiveMinutes, "Q").build());
    for (int i = 0; i < 3; i++) {
      clock.advance(Duration.ofMinutes(4));
      assertThat(
              anthropic
                  .messages()
                  .create(anthropicParams("claude-sonnet-4-5", fiveMinutes, "Q").build())
                  .usage()
                  .cacheReadInputTokens()
                  .orElseThrow())
          .isPositive();
    }
  }

  @Test
  void anthropicIgnoresBreakpointsBelowTheModelsMinimum() {
    // Haiku 4.5 caches only prefixes of 4,096 tokens or more.
    CacheControlEphemeral fiveMinutes = CacheControlEphemeral.builder().build();
    anthropic.messages().create(anthropicParams("claude-haiku-4-5", fiveMinutes, "Q").build());
    Usage second =
        anthropic
            .messages()
            .create(anthropicParams("claude-haiku-4-5", fiveMinutes, "Q").build())
            .usage();
    assertThat(second.cacheCreationInputTokens()).contains(0L);
    assertThat(second.cacheReadInputTokens()).contains(0L);
  }

  @Test
  void anthropicTopLevelCacheControlCachesTheWholePromptAndStreamsTheNumbers() {
    MessageCreateParams params =
        MessageCreateParams.builder()
            .model("claude-sonnet-4-5")
            .maxTokens(100)
            .system(LONG_INSTRUCTIONS)
            .addUserMessage("Summarise rule 9.")
            .cacheControl(CacheControlEphemeral.builder().build())
            .build();
    Message first = anthropic.messages().create(params);
    MessageAccumulator accumulator = MessageAccumulator.create();
    List<RawMessageStreamEvent> events = new ArrayList<>();
    try (StreamResponse<RawMessageStreamEvent> stream =
        anthropic.messages().createStreaming(params)) {
      stream.stream().peek(events::add).forEach(accumulator::accumulate);
    }

    long written = first.usage().cacheCreationInputTokens().orElseThrow();
    assertThat(written).isPositive();
    Usage start = events.get(0).asMessageStart().message().usage();
    assertThat(start.cacheReadInputTokens()).contains(written);
    assertThat(accumulator.message().usage().cacheReadInputTokens()).contains(written);
  }

  @Test
  void anthropicRejectsMoreThanFourBreakpoints() {
    List<TextBlockParam> blocks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      blocks.add(
          TextBlockParam.builder()
              .text("block " + i)
              .cacheControl(CacheControlEphemeral.builder().build())
              .build());
    }
    assertThatThrownBy(
            () ->
                anthropic
                    .messages()
                    .create(
                        MessageCreateParams.builder()
                            .model("claude-sonnet-4-5")
                            .maxTokens(10)
                            .systemOfTextBlockParams(blocks)
                            .addUserMessage("Q")
                            .build()))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("A maximum of 4 blocks with cache_control may be provided. Found 5.");
  }
}
