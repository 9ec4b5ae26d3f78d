package dev.tokenscope.demo.internal;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.JsonOutputFormat;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.OutputConfig;
import com.anthropic.models.messages.TextBlockParam;
import com.openai.client.OpenAIClient;
import com.openai.models.ReasoningEffort;
import com.openai.models.ResponseFormatJsonSchema;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one place the service talks to providers, through the official SDK clients it is given
 * (wrapped by TokenScope's integrations, so every call is an inference span with cost). Structured
 * outputs use each provider's JSON-schema mode; Anthropic system prompts carry {@code
 * cache_control} so the long agent prompts are cached; OpenAI caches long prefixes by itself.
 */
final class LlmClients {

  private final OpenAIClient openAi;
  private final AnthropicClient anthropic;

  LlmClients(OpenAIClient openAi, AnthropicClient anthropic) {
    this.openAi = openAi;
    this.anthropic = anthropic;
  }

  ChatReply chat(LlmProvider provider, String model, ChatPrompt prompt) {
    return provider == LlmProvider.OPENAI ? openAi(model, prompt) : anthropic(model, prompt);
  }

  private ChatReply openAi(String model, ChatPrompt prompt) {
    ChatCompletionCreateParams.Builder params =
        ChatCompletionCreateParams.builder()
            .model(model)
            .addSystemMessage(prompt.system())
            .addUserMessage(prompt.user())
            .maxCompletionTokens(prompt.maxTokens());
    boolean reasoning = isOpenAiReasoningModel(model);
    if (prompt.temperature() != null && !reasoning) {
      // OpenAI's reasoning models (gpt-5*, o*) reject any temperature but their default.
      params.temperature(prompt.temperature());
    }
    if (reasoning && prompt.reasoningEffort() != null) {
      params.reasoningEffort(ReasoningEffort.of(prompt.reasoningEffort()));
    }
    if (prompt.schema() != null) {
      params.responseFormat(
          ResponseFormatJsonSchema.builder()
              .jsonSchema(
                  ResponseFormatJsonSchema.JsonSchema.builder()
                      .name(prompt.schemaName())
                      .strict(true)
                      .schema(
                          ResponseFormatJsonSchema.JsonSchema.Schema.builder()
                              .putAllAdditionalProperties(JsonValues.openAi(prompt.schema()))
                              .build())
                      .build())
              .build());
    }
    ChatCompletion completion = openAi.chat().completions().create(params.build());
    String text =
        completion.choices().isEmpty()
            ? ""
            : completion.choices().get(0).message().content().orElse("");
    long input = 0;
    long output = 0;
    long cached = 0;
    if (completion.usage().isPresent()) {
      CompletionUsage usage = completion.usage().get();
      input = usage.promptTokens();
      output = usage.completionTokens();
      cached = usage.promptTokensDetails().flatMap(d -> d.cachedTokens()).orElse(0L).longValue();
    }
    return new ChatReply(text, completion.model(), LlmProvider.OPENAI, input, output, cached, 0);
  }

  private ChatReply anthropic(String model, ChatPrompt prompt) {
    MessageCreateParams.Builder params =
        MessageCreateParams.builder()
            .model(model)
            .maxTokens(prompt.maxTokens())
            .systemOfTextBlockParams(
                List.of(
                    TextBlockParam.builder()
                        .text(prompt.system())
                        .cacheControl(CacheControlEphemeral.builder().build())
                        .build()))
            .addUserMessage(prompt.user());
    if (prompt.temperature() != null) {
      // anthropic-java 3.x has no typed temperature parameter; the Messages API still takes it.
      params.putAdditionalBodyProperty(
          "temperature", com.anthropic.core.JsonValue.from(prompt.temperature()));
    }
    if (prompt.schema() != null) {
      params.outputConfig(
          OutputConfig.builder()
              .format(
                  JsonOutputFormat.builder()
                      .schema(
                          JsonOutputFormat.Schema.builder()
                              .putAllAdditionalProperties(JsonValues.anthropic(prompt.schema()))
                              .build())
                      .build())
              .build());
    }
    Message message = anthropic.messages().create(params.build());
    String text =
        message.content().stream()
            .filter(ContentBlock::isText)
            .map(block -> block.asText().text())
            .collect(Collectors.joining());
    long cacheRead = message.usage().cacheReadInputTokens().orElse(0L);
    long cacheWrite = message.usage().cacheCreationInputTokens().orElse(0L);
    // Anthropic reports uncached input alone; the convention counts cached input in.
    long input = message.usage().inputTokens() + cacheRead + cacheWrite;
    return new ChatReply(
        text,
        message.model().asString(),
        LlmProvider.ANTHROPIC,
        input,
        message.usage().outputTokens(),
        cacheRead,
        cacheWrite);
  }

  static boolean isOpenAiReasoningModel(String model) {
    String m = model.toLowerCase(Locale.ROOT);
    return m.startsWith("gpt-5")
        || (m.length() > 1 && m.charAt(0) == 'o' && Character.isDigit(m.charAt(1)));
  }

  /** JSON schema maps in each SDK's JsonValue type. */
  static final class JsonValues {
    private JsonValues() {}

    static Map<String, com.openai.core.JsonValue> openAi(Map<String, Object> schema) {
      Map<String, com.openai.core.JsonValue> out = new LinkedHashMap<>();
      schema.forEach((k, v) -> out.put(k, com.openai.core.JsonValue.from(v)));
      return out;
    }

    static Map<String, com.anthropic.core.JsonValue> anthropic(Map<String, Object> schema) {
      Map<String, com.anthropic.core.JsonValue> out = new LinkedHashMap<>();
      schema.forEach((k, v) -> out.put(k, com.anthropic.core.JsonValue.from(v)));
      return out;
    }
  }
}
