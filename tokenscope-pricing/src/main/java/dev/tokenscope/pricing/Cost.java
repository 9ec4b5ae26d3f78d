package dev.tokenscope.pricing;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * The dollar cost of one LLM call, split the way invoices are. Computed with exact integer
 * arithmetic and exposed as {@code double}s; {@code totalUsd} is the exact sum of the parts rounded
 * once.
 *
 * <p>When {@link #priced()} is false the model could not be priced: every {@code *Usd} is 0 and
 * must <em>not</em> be reported as a cost (the telemetry contract sets {@code
 * gen_ai.cost.pricing_unavailable=true} instead).
 *
 * {@snippet :
 * Cost cost = pricing.cost("gpt-4o-2024-08-06", "openai", Usage.of(1_000, 200));
 * if (cost.priced()) {
 *   span.setAttribute("gen_ai.cost.total_usd", cost.totalUsd()); // 0.0045
 * }
 * }
 *
 * @param model the model name as requested
 * @param resolvedModel the catalog key it resolved to, or null when unresolved
 * @param provider the catalog's provider for that key ({@code litellm_provider}), or null
 * @param pricingSource where the prices came from, e.g. {@code litellm@2026-07-24T10:00Z}, {@code
 *     builtin@2026-07-24}, {@code custom}
 * @param priced whether the call could be priced
 * @param inputUsd uncached input
 * @param cacheReadUsd cache reads
 * @param cacheWriteUsd cache writes, 5-minute and 1-hour
 * @param outputUsd output, including reasoning
 * @param totalUsd the sum
 */
public record Cost(
    String model,
    @Nullable String resolvedModel,
    @Nullable String provider,
    String pricingSource,
    boolean priced,
    double inputUsd,
    double cacheReadUsd,
    double cacheWriteUsd,
    double outputUsd,
    double totalUsd) {

  public Cost {
    requireNonNull(model, "model");
    requireNonNull(pricingSource, "pricingSource");
  }

  /** A cost for a model that could not be priced: all amounts zero, {@code priced} false. */
  public static Cost unpriced(
      String model,
      @Nullable String resolvedModel,
      @Nullable String provider,
      String pricingSource) {
    return new Cost(model, resolvedModel, provider, pricingSource, false, 0, 0, 0, 0, 0);
  }
}
