package dev.tokenscope.simulator.internal;

import java.util.List;

/**
 * What the simulated model produced for one choice: text and/or tool calls, token counts, and why
 * it stopped. {@code outputTokens()} includes reasoning.
 */
public record Reply(
    String text,
    List<ToolCall> toolCalls,
    int textTokens,
    int toolTokens,
    int reasoningTokens,
    Finish finish) {

  /** A tool call: the tool's name and its arguments as a JSON string. */
  public record ToolCall(String name, String arguments) {}

  /** Why generation stopped. */
  public enum Finish {
    STOP,
    LENGTH,
    TOOL_CALLS
  }

  public int outputTokens() {
    return textTokens + toolTokens + reasoningTokens;
  }

  public int visibleTokens() {
    return textTokens + toolTokens;
  }
}
