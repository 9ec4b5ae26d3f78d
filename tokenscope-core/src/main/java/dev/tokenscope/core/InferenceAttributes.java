package dev.tokenscope.core;

import dev.tokenscope.core.internal.InferenceReader;
import dev.tokenscope.pricing.ServiceTier;
import dev.tokenscope.pricing.Usage;
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

  /**
   * The usage to price. Counts that break the OpenTelemetry rule (cache larger than input,
   * reasoning larger than output — possible only in values not built by {@link #read}) are taken as
   * reported exclusive and added, as {@code read} does; the result is always a valid {@link Usage}.
   * Cache writes count as 5-minute writes (the conventions have no 1-hour count).
   */
  public Usage usage() {
    long cached = saturatedAdd(cacheReadTokens, cacheWriteTokens);
    long input = cached > inputTokens ? saturatedAdd(inputTokens, cached) : inputTokens;
    long output =
        reasoningTokens > outputTokens ? saturatedAdd(outputTokens, reasoningTokens) : outputTokens;
    if (cached == Long.MAX_VALUE) {
      // Absurd counts: keep the usage valid rather than throw on a span's worth of garbage.
      return Usage.of(input, output);
    }
    return new Usage(
        input,
        output,
        cacheReadTokens,
        cacheWriteTokens,
        0,
        reasoningTokens,
        false,
        ServiceTier.STANDARD);
  }

  /** The response model, else the request model; null when neither is known. */
  public @Nullable String model() {
    return responseModel != null ? responseModel : requestModel;
  }

  private static long saturatedAdd(long a, long b) {
    long sum = a + b;
    return sum < 0 ? Long.MAX_VALUE : sum;
  }

  private static void requireNonNegative(long value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0, was " + value);
    }
  }
}
