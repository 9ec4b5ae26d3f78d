package dev.tokenscope.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenscope.simulator.internal.ReplySpec.ToolMode;
import org.jspecify.annotations.Nullable;

/**
 * An OpenAI {@code tool_choice}: {@code "none"}, {@code "auto"}, {@code "required"} or a named
 * function (under {@code function.name} in chat completions, {@code name} in responses).
 *
 * @param mode how the model may use tools
 * @param forcedTool the named function, for {@link ToolMode#NAMED}
 */
record OpenAiToolChoice(ToolMode mode, @Nullable String forcedTool) {

  /**
   * Parses {@code choice} (absent means auto) for a request that offers tools or not; {@code
   * namePath} is where a named choice keeps the function name, e.g. {@code function.name}.
   */
  static OpenAiToolChoice parse(@Nullable JsonNode choice, boolean hasTools, String namePath) {
    ToolMode fallback = hasTools ? ToolMode.AUTO : ToolMode.NONE;
    if (choice == null) {
      return new OpenAiToolChoice(fallback, null);
    }
    if (choice.isTextual()) {
      switch (choice.asText()) {
        case "none":
          return new OpenAiToolChoice(ToolMode.NONE, null);
        case "auto":
          return new OpenAiToolChoice(fallback, null);
        case "required":
          return new OpenAiToolChoice(hasTools ? ToolMode.REQUIRED : ToolMode.NONE, null);
        default:
          throw ApiError.invalid(
              "Invalid value: '"
                  + choice.asText()
                  + "'. Supported values are: 'none', 'auto', and 'required'.",
              "tool_choice",
              "invalid_value");
      }
    }
    if ("function".equals(choice.path("type").asText())) {
      String name = choice.at("/" + namePath.replace('.', '/')).asText(null);
      if (name == null) {
        throw ApiError.invalid(
            "Missing required parameter: 'tool_choice." + namePath + "'.",
            "tool_choice." + namePath,
            "missing_required_parameter");
      }
      return new OpenAiToolChoice(ToolMode.NAMED, name);
    }
    // Other shapes (allowed_tools, custom, built-in tools) leave the model free to choose.
    return new OpenAiToolChoice(fallback, null);
  }
}
