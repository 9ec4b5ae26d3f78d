package dev.tokenscope.pricing.internal;

import dev.tokenscope.pricing.Cost;
import dev.tokenscope.pricing.ModelResolution;
import org.jspecify.annotations.Nullable;

/**
 * A cached resolution: the public {@link ModelResolution}, the compiled prices (null when the name
 * did not resolve), the pricing source to report, and the ready-made unpriced {@link Cost} so that
 * an unknown name costs no allocation on the hot path.
 */
public final class Resolved {
  final ModelResolution resolution;
  final @Nullable ModelPrice price;
  private final @Nullable ModelPrice entry;
  final String source;
  final Cost unpriced;

  Resolved(ModelResolution resolution, @Nullable ModelPrice price, String source) {
    this.resolution = resolution;
    this.entry = price;
    this.price = price != null && price.usable() ? price : null;
    this.source = source;
    this.unpriced =
        Cost.unpriced(
            resolution.requested(), resolution.resolvedKey(), resolution.provider(), source);
  }

  public ModelResolution resolution() {
    return resolution;
  }

  /** Whether a cost can be computed: resolved to an entry with plausible token prices. */
  public boolean priceable() {
    return price != null;
  }

  /** The pricing source that applies to this name. */
  public String source() {
    return source;
  }

  /** Why a name cannot be priced, or null when it can. */
  public @Nullable String unpricedReason() {
    if (entry == null) {
      return "no catalog key matches the name";
    }
    if (!entry.tokenPriced()) {
      return "the catalog entry has no per-token prices";
    }
    if (!entry.plausible()) {
      return "the catalog entry has an implausible price (above $0.001 per token)";
    }
    return null;
  }
}
