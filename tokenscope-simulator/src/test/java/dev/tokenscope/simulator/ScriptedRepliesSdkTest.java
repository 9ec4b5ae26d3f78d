package dev.tokenscope.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.ToolChoiceAny;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.errors.InternalServerException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Scripted replies steering an application through the SDKs: a JSON plan for a planner, a reviewer
 * that approves or rejects, and a sommelier whose answers sometimes fail validation.
 */
class ScriptedRepliesSdkTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private LlmSimulator sim;
  private OpenAIClient openai;
  private AnthropicClient claude;

  @BeforeEach
  void start() {
    sim = LlmSimulator.builder().seed(21).speed(0).build().start();
    openai = Clients.openAi(sim);
    claude = Clients.anthropic(sim);
  }

  @AfterEach
  void stop() {
    openai.close();
    claude.close();
    sim.close();
  }

  private String chat(String model, String system, String user) {
    return openai
        .chat()
        .completions()
        .create(
            ChatCompletionCreateParams.builder()
                .model(model)
                .addSystemMessage(system)
                .addUserMessage(user)
                .build())
        .choices()
        .get(0)
        .message()
        .content()
        .orElseThrow();
  }

  private String claude(String system, String user) {
    return claude
        .messages()
        .create(
            MessageCreateParams.builder()
                .model("claude-sonnet-4-5")
                .maxTokens(500)
                .system(system)
                .addUserMessage(user)
                .build())
        .content()
        .get(0)
        .text()
        .orElseThrow()
        .text();
  }

  @Test
  void aPlannerGetsTheScriptedJsonPlanWithPlaceholdersFilled() throws Exception {
    sim.addScript(
        ScriptRule.builder()
            .systemContains("menu planner")
            .reply(
                "{\"theme\": \"{{message}}\", \"courses\": {{int:3:5}}, \"model\": \"{{model}}\", \"round\": {{match}}}")
            .build());

    JsonNode first = JSON.readTree(chat("gpt-5-mini", "You are a menu planner.", "autumn harvest"));
    JsonNode second = JSON.readTree(chat("gpt-5-mini", "You are a menu planner.", "winter"));

    assertThat(first.get("theme").asText()).isEqualTo("autumn harvest");
    assertThat(first.get("courses").asInt()).isBetween(3, 5);
    assertThat(first.get("model").asText()).isEqualTo("gpt-5-mini");
    assertThat(first.get("round").asInt()).isEqualTo(1);
    assertThat(second.get("round").asInt()).isEqualTo(2);
    assertThat(sim.requestLog().last().outputTokens()).isPositive();
  }

  @Test
  void aReviewerApprovesOrRejectsDeterministically() {
    sim.addScript(
        ScriptRule.builder()
            .provider(Provider.ANTHROPIC)
            .systemMatches("(?i)critic|reviewer")
            .reply("{\"verdict\": \"{{pick:approve|reject}}\"}")
            .build());

    Set<String> verdicts = new HashSet<>();
    for (int i = 0; i < 12; i++) {
      verdicts.add(claude("You are a strict reviewer.", "Review the dessert course."));
    }
    assertThat(verdicts)
        .containsExactlyInAnyOrder("{\"verdict\": \"approve\"}", "{\"verdict\": \"reject\"}");
  }

  @Test
  void timesLimitsARuleSoALaterRuleTakesOver() {
    sim.addScript(
        ScriptRule.builder().messageContains("wine").times(2).reply("not json at all").build());
    sim.addScript(
        ScriptRule.builder().messageContains("wine").reply("{\"wine\": \"Pinot Noir\"}").build());

    List<String> answers =
        List.of(
            chat("gpt-4o-mini", "sommelier", "Pick a wine"),
            chat("gpt-4o-mini", "sommelier", "Pick a wine"),
            chat("gpt-4o-mini", "sommelier", "Pick a wine"));
    assertThat(answers)
        .containsExactly("not json at all", "not json at all", "{\"wine\": \"Pinot Noir\"}");
  }

  @Test
  void aResponderFunctionSeesTheRequest() {
    AtomicInteger calls = new AtomicInteger();
    sim.addScript(
        ScriptRule.builder()
            .model("gpt-4.1")
            .respond(
                request -> {
                  calls.incrementAndGet();
                  assertThat(request.provider()).isEqualTo(Provider.OPENAI);
                  assertThat(request.system()).isEqualTo("sommelier");
                  return calls.get() % 2 == 1 ? "{\"wine\": \"Riesling\"}" : "{\"wine\": 42}";
                })
            .build());

    assertThat(chat("gpt-4.1-mini", "sommelier", "Wine for trout?"))
        .isEqualTo("{\"wine\": \"Riesling\"}");
    assertThat(chat("gpt-4.1-mini", "sommelier", "Wine for trout?")).isEqualTo("{\"wine\": 42}");
    assertThat(chat("gpt-4o-mini", "sommelier", "Wine for trout?")).doesNotContain("wine\":");
  }

  @Test
  void aScriptedJsonObjectBecomesTheArgumentsOfAForcedToolCall() {
    sim.addScript(
        ScriptRule.builder()
            .messageContains("book")
            .reply("{\"city\": \"Lyon\", \"unit\": \"celsius\"}")
            .build());

    var toolUse =
        claude
            .messages()
            .create(
                MessageCreateParams.builder()
                    .model("claude-haiku-4-5")
                    .maxTokens(300)
                    .addTool(
                        com.anthropic.models.messages.Tool.builder()
                            .name("get_weather")
                            .inputSchema(
                                com.anthropic.models.messages.Tool.InputSchema.builder().build())
                            .build())
                    .toolChoice(ToolChoiceAny.builder().build())
                    .addUserMessage("book a table")
                    .build())
            .content()
            .get(0)
            .asToolUse();
    assertThat(toolUse._input().toString()).contains("Lyon");
  }

  @Test
  void aFailingResponderIsAServerErrorNotACrash() {
    sim.addScript(
        ScriptRule.builder()
            .messageContains("boom")
            .respond(
                request -> {
                  throw new IllegalStateException("script bug");
                })
            .build());

    assertThatThrownBy(() -> chat("gpt-4o-mini", "x", "boom"))
        .isInstanceOf(InternalServerException.class)
        .hasMessageContaining("script bug");
    assertThat(chat("gpt-4o-mini", "x", "fine")).isNotBlank();
  }

  @Test
  void scriptsCanBeGivenToTheBuilderAndCleared() {
    try (LlmSimulator scripted =
        LlmSimulator.builder()
            .speed(0)
            .script(ScriptRule.builder().reply("always this").build())
            .build()
            .start()) {
      OpenAIClient client = Clients.openAi(scripted);
      try {
        assertThat(
                client
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("gpt-4o")
                            .addUserMessage("hi")
                            .build())
                    .choices()
                    .get(0)
                    .message()
                    .content())
            .contains("always this");
        scripted.clearScripts();
        assertThat(
                client
                    .chat()
                    .completions()
                    .create(
                        ChatCompletionCreateParams.builder()
                            .model("gpt-4o")
                            .addUserMessage("hi")
                            .build())
                    .choices()
                    .get(0)
                    .message()
                    .content())
            .isNotEqualTo(java.util.Optional.of("always this"));
      } finally {
        client.close();
      }
    }
  }
}
