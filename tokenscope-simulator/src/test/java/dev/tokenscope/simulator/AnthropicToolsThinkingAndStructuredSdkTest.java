package dev.tokenscope.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCountTokensParams;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageTokensCount;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.StructuredMessage;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoiceAny;
import com.anthropic.models.messages.ToolChoiceTool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Claude tool use, extended thinking, structured outputs and token counting via the SDK. */
class AnthropicToolsThinkingAndStructuredSdkTest {

  static class WinePairing {
    public String wine;
    public String region;
    public int vintage;
    public List<String> reasons;
  }

  private LlmSimulator sim;
  private AnthropicClient client;

  @BeforeEach
  void start() {
    sim = LlmSimulator.builder().seed(5).speed(0).build().start();
    client = Clients.anthropic(sim);
  }

  @AfterEach
  void stop() {
    client.close();
    sim.close();
  }

  private static Tool weatherTool() {
    return Tool.builder()
        .name("get_weather")
        .description("Current weather for a city")
        .inputSchema(
            Tool.InputSchema.builder()
                .properties(
                    JsonValue.from(
                        Map.of(
                            "city", Map.of("type", "string"),
                            "unit",
                                Map.of(
                                    "type", "string", "enum", List.of("celsius", "fahrenheit")))))
                .required(List.of("city", "unit"))
                .build())
        .build();
  }

  @Test
  void autoToolUseStartsWithTextThenCallsTheToolAndAnswersAfterTheResult() {
    MessageCreateParams first =
        MessageCreateParams.builder()
            .model("claude-sonnet-4-5")
            .maxTokens(1024)
            .addTool(weatherTool())
            .addUserMessage("What's the weather in Paris?")
            .build();
    Message call = client.messages().create(first);

    assertThat(call.stopReason()).contains(StopReason.TOOL_USE);
    assertThat(call.content().get(0).isText()).isTrue();
    ToolUseBlock toolUse = call.content().get(1).asToolUse();
    assertThat(toolUse.id()).startsWith("toolu_01");
    assertThat(toolUse.name()).isEqualTo("get_weather");
    @SuppressWarnings("unchecked")
    Map<String, Object> input = toolUse._input().convert(Map.class);
    assertThat(input).containsKeys("city", "unit");
    assertThat(input.get("unit")).isIn("celsius", "fahrenheit");

    Message answer =
        client
            .messages()
            .create(
                first.toBuilder()
                    .addMessage(call)
                    .addUserMessageOfContentBlockParams(
                        List.of(
                            ContentBlockParam.ofToolResult(
                                ToolResultBlockParam.builder()
                                    .toolUseId(toolUse.id())
                                    .content("18 degrees, sunny")
                                    .build())))
                    .build());
    assertThat(answer.stopReason()).contains(StopReason.END_TURN);
    assertThat(answer.content()).singleElement().satisfies(b -> assertThat(b.isText()).isTrue());
  }

  @Test
  void forcedToolChoiceReturnsOnlyTheToolUse() {
    Message message =
        client
            .messages()
            .create(
                MessageCreateParams.builder()
                    .model("claude-haiku-4-5")
                    .maxTokens(512)
                    .addTool(weatherTool())
                    .toolChoice(ToolChoiceTool.builder().name("get_weather").build())
                    .addUserMessage("Lyon")
                    .build());

    assertThat(message.content())
        .singleElement()
        .satisfies(b -> assertThat(b.isToolUse()).isTrue());
    assertThat(message.stopReason()).contains(StopReason.TOOL_USE);
  }

  @Test
  void streamedToolUseAccumulatesTheInputJson() {
    MessageAccumulator accumulator = MessageAccumulator.create();
    try (StreamResponse<RawMessageStreamEvent> stream =
        client
            .messages()
            .createStreaming(
                MessageCreateParams.builder()
                    .model("claude-sonnet-4-5")
                    .maxTokens(512)
                    .addTool(weatherTool())
                    .toolChoice(ToolChoiceAny.builder().build())
                    .addUserMessage("Weather?")
                    .build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    ToolUseBlock toolUse = accumulator.message().content().get(0).asToolUse();
    @SuppressWarnings("unchecked")
    Map<String, Object> input = toolUse._input().convert(Map.class);
    assertThat(input).containsKey("city");
  }

  @Test
  void extendedThinkingAddsASignedThinkingBlockAndThinkingTokens() {
    Message message =
        client
            .messages()
            .create(
                MessageCreateParams.builder()
                    .model("claude-sonnet-4-5")
                    .maxTokens(4000)
                    .enabledThinking(2048)
                    .addUserMessage("Design a tasting menu")
                    .build());

    ContentBlock thinking = message.content().get(0);
    assertThat(thinking.isThinking()).isTrue();
    assertThat(thinking.asThinking().signature()).isNotBlank();
    assertThat(message.content().get(1).isText()).isTrue();
    long thinkingTokens = message.usage().outputTokensDetails().orElseThrow().thinkingTokens();
    assertThat(thinkingTokens)
        .isPositive()
        .isLessThanOrEqualTo(2048)
        .isLessThan(message.usage().outputTokens());
    assertThat(sim.requestLog().last().reasoningTokens()).isEqualTo(thinkingTokens);
  }

  @Test
  void thinkingStreamsThinkingAndSignatureDeltas() {
    MessageAccumulator accumulator = MessageAccumulator.create();
    List<RawMessageStreamEvent> events;
    try (StreamResponse<RawMessageStreamEvent> stream =
        client
            .messages()
            .createStreaming(
                MessageCreateParams.builder()
                    .model("claude-sonnet-4-5")
                    .maxTokens(4000)
                    .enabledThinking(1024)
                    .addUserMessage("Design a tasting menu")
                    .build())) {
      events = stream.stream().peek(accumulator::accumulate).toList();
    }
    assertThat(events)
        .anySatisfy(
            e -> assertThat(e.contentBlockDelta().flatMap(d -> d.delta().thinking())).isPresent());
    assertThat(events)
        .anySatisfy(
            e -> assertThat(e.contentBlockDelta().flatMap(d -> d.delta().signature())).isPresent());
    Message message = accumulator.message();
    assertThat(message.content().get(0).asThinking().thinking()).isNotBlank();
    assertThat(message.usage().outputTokens()).isEqualTo(sim.requestLog().last().outputTokens());
  }

  @Test
  void structuredOutputParsesIntoTheRequestedClass() {
    StructuredMessage<WinePairing> message =
        client
            .messages()
            .create(
                MessageCreateParams.builder()
                    .model("claude-sonnet-4-5")
                    .maxTokens(1024)
                    .addUserMessage("Pair a wine with duck")
                    .outputConfig(WinePairing.class)
                    .build());

    WinePairing pairing = message.content().get(0).text().orElseThrow().text();
    assertThat(pairing.wine).isNotBlank();
    assertThat(pairing.reasons).isNotNull();
  }

  @Test
  void countTokensMatchesTheInputOfTheSameMessage() {
    MessageTokensCount count =
        client
            .messages()
            .countTokens(
                MessageCountTokensParams.builder()
                    .model("claude-sonnet-4-5")
                    .system("You are a sommelier.")
                    .addUserMessage("Which wine goes with roasted duck and cherries?")
                    .build());
    Message message =
        client
            .messages()
            .create(
                MessageCreateParams.builder()
                    .model("claude-sonnet-4-5")
                    .maxTokens(100)
                    .system("You are a sommelier.")
                    .addUserMessage("Which wine goes with roasted duck and cherries?")
                    .build());

    assertThat(count.inputTokens()).isPositive().isEqualTo(message.usage().inputTokens());
    assertThat(sim.requestLog().entries().get(0).endpoint()).isEqualTo("/v1/messages/count_tokens");
  }

  @Test
  void toolsAddClaudesToolUseSystemPromptTokens() {
    long without =
        client
            .messages()
            .countTokens(
                MessageCountTokensParams.builder()
                    .model("claude-sonnet-4-5")
                    .addUserMessage("Hi")
                    .build())
            .inputTokens();
    long with =
        client
            .messages()
            .countTokens(
                MessageCountTokensParams.builder()
                    .model("claude-sonnet-4-5")
                    .addTool(weatherTool())
                    .addUserMessage("Hi")
                    .build())
            .inputTokens();
    assertThat(with - without).isGreaterThan(346);
  }
}
