package dev.tokenscope.core;

import dev.tokenscope.core.internal.InferenceReader;
import io.opentelemetry.api.common.Attributes;
import org.jspecify.annotations.Nullable;

/**
 * What an LLM call's attributes say about it, normalised from any instrumentation: current and
 * older OpenTelemetry GenAI conventions, OpenLLMetry and Spring AI. This is the one place where
 * attribute variants are reconciled; the core's span processing and the console's ingest both read
 * through it.
 *
 * <p>Token counts follow the OpenTelemetry rule: {@link #inputTokens()} includes cache reads and
 * cache writes, {@link #outputTokens()} includes reasoning. Providers are {@code
 * gen_ai.provider.name} values ({@code gen_ai.system}, {@code az.ai.openai}, {@code
 * bedrock_converse}… are mapped), operations are current operation names (OpenLLMetry's {@code
 * llm.request.type=completion} becomes {@code text_completion}).
 *
 * <pre>{@code
 * InferenceAttributes inference = InferenceAttributes.read(spanData.getAttributes());
 * if (inference != null && !inference.alreadyPriced()) {
 *   Cost cost = pricing.cost(inference.model(), inference.provider(), inference.usage());
 * }
 * }</pre>
 *
 * <p>How variants are reconciled (precedence, cache-exclusive input, totals) is listed on {@code
 * dev.tokenscope.core.internal.InferenceReader} and in the module README.
 *
 * @param operation {@code gen_ai.operation.name}, e.g. {@code chat}
 * @param provider {@code gen_ai.provider.name}, e.g. {@code openai}
 * @param requestModel the model asked for
 * @param responseModel the model that answered
 * @param inputTokens input tokens, including cache reads and writes
 * @param outputTokens output tokens, including reasoning
 * @param cacheReadTokens input tokens read from the provider's cache
 * @param cacheWriteTokens input tokens written to the provider's cache
 * @param reasoningTokens output tokens spent on reasoning
 * @param alreadyPriced true when the attributes carry {@code gen_ai.cost.total_usd} or {@code
 *     gen_ai.cost.pricing_unavailable=true}: price them again and cost is counted twice
 */
public record InferenceAttributes(
    @Nullable String operation,
    @Nullable String provider,
    @Nullable String requestModel,
    @Nullable String responseModel,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    long reasoningTokens,
    boolean alreadyPriced) {

  public InferenceAttributes {
    requireNonNegative(inputTokens, "inputTokens");
    requireNonNegative(outputTokens, "outputTokens");
    requireNonNegative(cacheReadTokens, "cacheReadTokens");
    requireNonNegative(cacheWriteTokens, "cacheWriteTokens");
    requireNonNegative(reasoningTokens, "reasoningTokens");
  }

  /**
   * Reads the attributes of a span from any source. Returns null when they are not those of an
   * inference (LLM call) span: structure spans (workflow, agent, tool, Spring AI's ChatClient) are
   * not inferences even when they carry usage. Never throws: unreadable values count as absent.
   */
  public static @Nullable InferenceAttributes read(AttributeSource attributes) {
    if (attributes == null) {
      return null;
    }
    return InferenceReader.read(attributes);
  }

  /** Same as {@link #read(AttributeSource)}, in one pass over OpenTelemetry attributes. */
  public static @Nullable InferenceAttributes read(Attributes attributes) {
    if (attributes == null) {
      return null;
    }
    InferenceReader reader = new InferenceReader();
    try {
      attributes.forEach(reader);
    } catch (RuntimeException e) {
      return null;
    }
    return reader.result();
  }

  /** The response model, else the request model; null when neither is known. */
  public @Nullable String model() {
    return responseModel != null ? responseModel : requestModel;
  }

  private static void requireNonNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + value);
    }
  }
}
