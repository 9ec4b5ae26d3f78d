package dev.tokenscope.core.internal;

import dev.tokenscope.core.InferenceAttributes;
import dev.tokenscope.pricing.Cost;
import dev.tokenscope.pricing.Pricing;

/** Prices one inference; never throws. */
public final class Pricer {

  private Pricer() {}

  /**
   * The cost of {@code inference}; unpriced when it names no model, or when pricing fails for any
   * reason (a failure must never take the span or the caller down).
   */
  public static Cost price(Pricing pricing, InferenceAttributes inference) {
    String model = inference.model();
    String source = "unknown";
    try {
      source = pricing.source();
      if (model == null) {
        return Cost.unpriced("", null, null, source);
      }
      return pricing.cost(model, inference.provider(), inference.usage());
    } catch (RuntimeException e) {
      return Cost.unpriced(model == null ? "" : model, null, null, source);
    }
  }
}
