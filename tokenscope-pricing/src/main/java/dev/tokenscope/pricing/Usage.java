package dev.tokenscope.pricing;

import static java.util.Objects.requireNonNull;

/**
 * Token usage of one LLM call, counted the OpenTelemetry way: {@code inputTokens} <em>includes</em>
 * cache reads and both kinds of cache writes, and {@code outputTokens} <em>includes</em> reasoning
 * tokens. (Anthropic reports cache tokens beside its input count: add them before building a {@code
 * Usage}.)
 *
 * {@snippet :
 * Usage usage = Usage.builder()
 *     .inputTokens(12_000)       // everything the model read, cached or not
 *     .cacheReadTokens(10_000)   // of which served from the prompt cache
 *     .outputTokens(800)         // everything it wrote
 *     .reasoningTokens(500)      // of which hidden reasoning
 *     .build();
 * }
 *
 * @param inputTokens all input tokens, including cache reads and writes
 * @param outputTokens all output tokens, including reasoning
 * @param cacheReadTokens input tokens read from the prompt cache
 * @param cacheWriteTokens input tokens written to a 5-minute cache (Anthropic's default)
 * @param cacheWrite1hTokens input tokens written to a 1-hour cache (Anthropic's extended TTL)
 * @param reasoningTokens output tokens spent on reasoning
 * @param batch whether the call went through a batch API (usually half price)
 * @param serviceTier the processing tier; {@link ServiceTier#STANDARD} unless the provider says
 *     otherwise
 */
public record Usage(
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    long cacheWrite1hTokens,
    long reasoningTokens,
    boolean batch,
    ServiceTier serviceTier) {

  /**
   * Validates the counts.
   *
   * @throws IllegalArgumentException when a count is negative, the cache tokens exceed the input,
   *     or the reasoning tokens exceed the output; the message says which
   */
  public Usage {
    requireNonNull(serviceTier, "serviceTier");
    requireNonNegative(inputTokens, "input tokens");
    requireNonNegative(outputTokens, "output tokens");
    requireNonNegative(cacheReadTokens, "cache read tokens");
    requireNonNegative(cacheWriteTokens, "cache write tokens");
    requireNonNegative(cacheWrite1hTokens, "1-hour cache write tokens");
    requireNonNegative(reasoningTokens, "reasoning tokens");
    long cached = cacheReadTokens + cacheWriteTokens + cacheWrite1hTokens;
    if (cached < 0 || cached > inputTokens) {
      throw new IllegalArgumentException(
          "cache read and write tokens ("
              + cacheReadTokens
              + " + "
              + cacheWriteTokens
              + " + "
              + cacheWrite1hTokens
              + ") exceed input tokens ("
              + inputTokens
              + "); input tokens must include cached tokens");
    }
    if (reasoningTokens > outputTokens) {
      throw new IllegalArgumentException(
          "reasoning tokens ("
              + reasoningTokens
              + ") exceed output tokens ("
              + outputTokens
              + "); output tokens must include reasoning tokens");
    }
  }

  /** Plain input and output tokens: no cache, no reasoning, standard tier. */
  public static Usage of(long inputTokens, long outputTokens) {
    return new Usage(inputTokens, outputTokens, 0, 0, 0, 0, false, ServiceTier.STANDARD);
  }

  /** A builder; every count starts at zero, the tier at {@link ServiceTier#STANDARD}. */
  public static Builder builder() {
    return new Builder();
  }

  /** Input tokens that were neither read from nor written to a cache. */
  public long uncachedInputTokens() {
    return inputTokens - cacheReadTokens - cacheWriteTokens - cacheWrite1hTokens;
  }

  /** A builder seeded with this usage's values. */
  public Builder toBuilder() {
    return new Builder()
        .inputTokens(inputTokens)
        .outputTokens(outputTokens)
        .cacheReadTokens(cacheReadTokens)
        .cacheWriteTokens(cacheWriteTokens)
        .cacheWrite1hTokens(cacheWrite1hTokens)
        .reasoningTokens(reasoningTokens)
        .batch(batch)
        .serviceTier(serviceTier);
  }

  private static void requireNonNegative(long value, String what) {
    if (value < 0) {
      throw new IllegalArgumentException(what + " must not be negative, got " + value);
    }
  }

  /** Builds a {@link Usage}; {@link #build()} validates. */
  public static final class Builder {
    private long inputTokens;
    private long outputTokens;
    private long cacheReadTokens;
    private long cacheWriteTokens;
    private long cacheWrite1hTokens;
    private long reasoningTokens;
    private boolean batch;
    private ServiceTier serviceTier = ServiceTier.STANDARD;

    private Builder() {}

    /** All input tokens, including cache reads and writes. */
    public Builder inputTokens(long inputTokens) {
      this.inputTokens = inputTokens;
      return this;
    }

    /** All output tokens, including reasoning. */
    public Builder outputTokens(long outputTokens) {
      this.outputTokens = outputTokens;
      return this;
    }

    public Builder cacheReadTokens(long cacheReadTokens) {
      this.cacheReadTokens = cacheReadTokens;
      return this;
    }

    /** Tokens written to a 5-minute cache. */
    public Builder cacheWriteTokens(long cacheWriteTokens) {
      this.cacheWriteTokens = cacheWriteTokens;
      return this;
    }

    /** Tokens written to a 1-hour cache. */
    public Builder cacheWrite1hTokens(long cacheWrite1hTokens) {
      this.cacheWrite1hTokens = cacheWrite1hTokens;
      return this;
    }

    public Builder reasoningTokens(long reasoningTokens) {
      this.reasoningTokens = reasoningTokens;
      return this;
    }

    public Builder batch(boolean batch) {
      this.batch = batch;
      return this;
    }

    public Builder serviceTier(ServiceTier serviceTier) {
      this.serviceTier = requireNonNull(serviceTier, "serviceTier");
      return this;
    }

    /**
     * @throws IllegalArgumentException when the counts are inconsistent (see {@link Usage})
     */
    public Usage build() {
      return new Usage(
          inputTokens,
          outputTokens,
          cacheReadTokens,
          cacheWriteTokens,
          cacheWrite1hTokens,
          reasoningTokens,
          batch,
          serviceTier);
    }
  }
}
