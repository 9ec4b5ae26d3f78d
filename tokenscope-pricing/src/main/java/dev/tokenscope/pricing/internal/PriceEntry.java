package dev.tokenscope.pricing.internal;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One catalog entry as read from LiteLLM JSON: only the facts pricing needs (provider, mode, the
 * token rates by field name, and {@code tiered_pricing} ranges). Kept beside the compiled {@link
 * ModelPrice} so that custom prices can overlay an entry field by field. {@code source} is null
 * when the entry comes from its catalog's own source, and names the overlay (e.g. {@code custom})
 * otherwise.
 */
public record PriceEntry(
    String key,
    @Nullable String provider,
    @Nullable String mode,
    Map<String, BigDecimal> rates,
    List<TieredRange> tiers,
    @Nullable String source) {

  public PriceEntry {
    requireNonNull(key, "key");
    rates = Map.copyOf(rates);
    tiers = List.copyOf(tiers);
  }

  /**
   * This entry with {@code overlay}'s fields laid over it (overlay wins field by field), attributed
   * to {@code overlaySource}.
   */
  PriceEntry overlaidWith(PriceEntry overlay, String overlaySource) {
    Map<String, BigDecimal> merged = new LinkedHashMap<>(rates);
    merged.putAll(overlay.rates);
    return new PriceEntry(
        key,
        overlay.provider != null ? overlay.provider : provider,
        overlay.mode != null ? overlay.mode : mode,
        merged,
        overlay.tiers.isEmpty() ? tiers : overlay.tiers,
        overlaySource);
  }

  /**
   * One range of a {@code tiered_pricing} list: its rates apply to the whole request when the input
   * size falls in {@code (fromTokens, toTokens]}.
   */
  public record TieredRange(long fromTokens, long toTokens, Map<String, BigDecimal> rates) {
    public TieredRange {
      rates = Map.copyOf(rates);
    }
  }
}
