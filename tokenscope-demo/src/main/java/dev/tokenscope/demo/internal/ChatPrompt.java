package dev.tokenscope.demo.internal;

import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One chat call: a system prompt (marked cacheable for providers that need a marker), one user
 * message, and optionally a JSON schema the reply must follow (structured outputs).
 *
 * @param system the system prompt
 * @param user the user message
 * @param maxTokens the output budget
 * @param temperature the sampling temperature, or null for the model's default (OpenAI's reasoning
 *     models accept no other)
 * @param schemaName the structured output's name, or null for free text
 * @param schema the JSON schema of the structured output, or null for free text
 * @param reasoningEffort OpenAI reasoning effort for reasoning models, or null
 */
record ChatPrompt(
    String system,
    String user,
    int maxTokens,
    @Nullable Double temperature,
    @Nullable String schemaName,
    @Nullable Map<String, Object> schema,
    @Nullable String reasoningEffort) {

  ChatPrompt {
    Objects.requireNonNull(system, "system");
    Objects.requireNonNull(user, "user");
    if ((schemaName == null) != (schema == null)) {
      throw new IllegalArgumentException("schemaName and schema go together");
    }
  }

  static ChatPrompt text(String system, String user, int maxTokens) {
    return new ChatPrompt(system, user, maxTokens, null, null, null, null);
  }

  ChatPrompt temperature(double value) {
    return new ChatPrompt(system, user, maxTokens, value, schemaName, schema, reasoningEffort);
  }

  ChatPrompt json(String name, Map<String, Object> jsonSchema) {
    return new ChatPrompt(system, user, maxTokens, temperature, name, jsonSchema, reasoningEffort);
  }

  ChatPrompt reasoning(String effort) {
    return new ChatPrompt(system, user, maxTokens, temperature, schemaName, schema, effort);
  }
}
