package dev.tokenscope.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.api.Encoding;
import dev.tokenscope.simulator.SimulatedRequest;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A provider-neutral description of what a request asks the model to produce, built by each
 * endpoint from its own request shape and handed to {@link ReplyPlanner}.
 *
 * @param request the view scripts match on
 * @param encoding the model's tokenizer
 * @param endsWithToolResult whether the conversation's last turn returns tool results
 * @param tools the function tools offered
 * @param toolMode how the request lets the model use tools
 * @param forcedTool the tool the request forces, for {@link ToolMode#NAMED}
 * @param jsonMode whether the reply must be JSON
 * @param schema the JSON schema the reply must conform to, for {@link JsonMode#SCHEMA}
 * @param maxOutputTokens the output limit, including reasoning ({@link Integer#MAX_VALUE} if none)
 * @param reasoningTokens the reasoning tokens the model would spend before answering
 * @param contentKey a canonical form of the request, which with the seed fixes the content
 * @param textBeforeToolCall whether a tool call chosen on its own is preceded by a short text
 *     (Claude's habit)
 */
public record ReplySpec(
    SimulatedRequest request,
    Encoding encoding,
    boolean endsWithToolResult,
    List<ToolSpec> tools,
    ToolMode toolMode,
    @Nullable String forcedTool,
    JsonMode jsonMode,
    @Nullable JsonNode schema,
    int maxOutputTokens,
    int reasoningTokens,
    String contentKey,
    boolean textBeforeToolCall) {

  /** A function tool: its name and input schema. */
  public record ToolSpec(String name, @Nullable JsonNode schema) {}

  /** How the request lets the model use tools. */
  public enum ToolMode {
    NONE,
    AUTO,
    REQUIRED,
    NAMED
  }

  /** Whether the reply must be JSON. */
  public enum JsonMode {
    NONE,
    OBJECT,
    SCHEMA
  }
}
