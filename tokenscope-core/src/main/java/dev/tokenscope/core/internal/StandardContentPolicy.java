package dev.tokenscope.core.internal;

import dev.tokenscope.core.ContentPolicy;
import dev.tokenscope.core.TelemetryContract;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The policy built by {@link ContentPolicy#builder()}. */
public final class StandardContentPolicy implements ContentPolicy {

  public static final ContentPolicy DISABLED =
      new StandardContentPolicy(
          false,
          Redactor.forContent(
              true, true, true, List.of(), ContentPolicy.Builder.DEFAULT_MAX_LENGTH),
          ContentPolicy.Builder.DEFAULT_MAX_LENGTH,
          "disabled");

  // Content attributes of the current conventions, of older ones, of OpenLLMetry and Spring AI.
  private static final Set<String> CONTENT_KEYS =
      Set.of(
          TelemetryContract.GEN_AI_INPUT_MESSAGES,
          TelemetryContract.GEN_AI_OUTPUT_MESSAGES,
          TelemetryContract.GEN_AI_SYSTEM_INSTRUCTIONS,
          "gen_ai.prompt",
          "gen_ai.completion",
          "gen_ai.tool.call.arguments",
          "gen_ai.tool.call.result",
          "gen_ai.tool.definitions",
          "gen_ai.choice",
          "llm.prompts",
          "llm.completions",
          "traceloop.entity.input",
          "traceloop.entity.output",
          "spring.ai.chat.client.user.text",
          "spring.ai.chat.client.system.text",
          "spring.ai.chat.client.user.params",
          "spring.ai.chat.client.system.params");

  // OpenLLMetry's indexed keys: gen_ai.prompt.0.content, gen_ai.completion.1.tool_calls.0.arguments
  private static final String[] CONTENT_PREFIXES = {
    "gen_ai.prompt.", "gen_ai.completion.", "llm.prompts.", "llm.completions."
  };

  private final boolean captureContent;
  private final Redactor redactor;
  private final int maxLength;
  private final String description;

  private StandardContentPolicy(
      boolean captureContent, Redactor redactor, int maxLength, String description) {
    this.captureContent = captureContent;
    this.redactor = redactor;
    this.maxLength = maxLength;
    this.description = description;
  }

  public static ContentPolicy create(
      boolean captureContent,
      int maxLength,
      boolean emails,
      boolean phones,
      boolean cards,
      List<Pattern> patterns) {
    String description =
        "captureContent="
            + captureContent
            + ", maxLength="
            + maxLength
            + ", emails="
            + emails
            + ", phones="
            + phones
            + ", cards="
            + cards
            + ", patterns="
            + patterns.size();
    return new StandardContentPolicy(
        captureContent,
        Redactor.forContent(emails, phones, cards, patterns, maxLength),
        maxLength,
        description);
  }

  public static boolean isStandardContentAttribute(String key) {
    if (CONTENT_KEYS.contains(key)) {
      return true;
    }
    for (String prefix : CONTENT_PREFIXES) {
      if (key.startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public boolean captureContent() {
    return captureContent;
  }

  @Override
  public int maxLength() {
    return maxLength;
  }

  @Override
  public String redact(String content) {
    return redactor.redact(content);
  }

  @Override
  public String toString() {
    return "ContentPolicy{" + description + "}";
  }
}
