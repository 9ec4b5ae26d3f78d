package dev.tokenscope.pricing.internal;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The immutable content of a price catalog: compiled prices by lower-cased key, plus the facts
 * about where they came from. Shared by every thread; never modified after construction.
 */
public final class CatalogData {
  private final Map<String, ModelPrice> byLowerKey;
  private final List<String> keys;
  private final String source;
  private final int skippedEntries;
  private final int implausibleEntries;

  private CatalogData(
      Map<String, ModelPrice> byLowerKey,
      List<String> keys,
      String source,
      int skippedEntries,
      int implausibleEntries) {
    this.byLowerKey = byLowerKey;
    this.keys = keys;
    this.source = source;
    this.skippedEntries = skippedEntries;
    this.implausibleEntries = implausibleEntries;
  }

  /** Compiles entries; a later entry whose key differs only in case from an earlier one loses. */
  public static CatalogData of(List<PriceEntry> entries, String source, int skippedEntries) {
    requireNonNull(source, "source");
    Map<String, ModelPrice> byLowerKey = new HashMap<>(entries.size() * 2);
    List<String> keys = new ArrayList<>(entries.size());
    int implausible = 0;
    for (PriceEntry entry : entries) {
      String lower = entry.key().toLowerCase(Locale.ROOT);
      if (byLowerKey.containsKey(lower)) {
        // Same name in another case (LiteLLM has a few): keys are case-insensitive, first wins.
        keys.add(entry.key());
        continue;
      }
      ModelPrice price = ModelPrice.of(entry);
      if (!price.plausible()) {
        implausible++;
      }
      byLowerKey.put(lower, price);
      keys.add(entry.key());
    }
    return new CatalogData(
        byLowerKey, Collections.unmodifiableList(keys), source, skippedEntries, implausible);
  }

  /**
   * This catalog with {@code overlay}'s entries laid over it: an entry with the same key (any case)
   * is merged field by field, a new key is added. Overlaid entries keep the overlay's source.
   */
  public CatalogData overlaidWith(CatalogData overlay) {
    Map<String, PriceEntry> merged = new LinkedHashMap<>();
    for (String key : keys) {
      merged.put(
          key.toLowerCase(Locale.ROOT), byLowerKey.get(key.toLowerCase(Locale.ROOT)).entry());
    }
    for (String key : overlay.keys) {
      String lower = key.toLowerCase(Locale.ROOT);
      PriceEntry custom = overlay.byLowerKey.get(lower).entry();
      PriceEntry base = merged.get(lower);
      PriceEntry attributed =
          base == null
              ? new PriceEntry(
                  custom.key(),
                  custom.provider(),
                  custom.mode(),
                  custom.rates(),
                  custom.tiers(),
                  overlay.source)
              : base.overlaidWith(custom, overlay.source);
      merged.put(lower, attributed);
    }
    return of(new ArrayList<>(merged.values()), source, skippedEntries + overlay.skippedEntries);
  }

  /** The entry for a lower-cased key, or null. */
  public @Nullable ModelPrice get(String lowerCaseKey) {
    return byLowerKey.get(lowerCaseKey);
  }

  /** The keys in the order the source listed them, original case. */
  public List<String> keys() {
    return keys;
  }

  public int size() {
    return keys.size();
  }

  public String source() {
    return source;
  }

  public int skippedEntries() {
    return skippedEntries;
  }

  /** Entries with a rate above $0.001 per token: loaded, but never used for pricing. */
  public int implausibleEntries() {
    return implausibleEntries;
  }

  /** This catalog under another source name (same entries, nothing recompiled). */
  public CatalogData withSource(String newSource) {
    return new CatalogData(byLowerKey, keys, newSource, skippedEntries, implausibleEntries);
  }
}
