package dev.tokenscope.pricing.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The compiled prices of one catalog entry: for each tier (standard, flex, priority, batch) and
 * each long-context level, a {@link RateCard} with every fallback already applied, so that pricing
 * a request is a level lookup and six multiplications.
 *
 * <p>Fallbacks, decided once here:
 *
 * <ul>
 *   <li>Above a threshold, a rate without its {@code _above_} variant falls back to the base rate.
 *   <li>Cache reads without a rate cost the input rate (no discount is assumed); cache writes
 *       without a rate cost the input rate; 1-hour writes without a rate cost the 5-minute rate;
 *       reasoning without a rate costs the output rate.
 *   <li>Flex and priority: the tier's own rate at that level, else its base-level rate, else the
 *       standard rate (a derived rate is derived within the tier when the standard has none).
 *   <li>Batch: the {@code _batches} rate, else half the standard rate at that level.
 * </ul>
 */
public final class ModelPrice {
  private static final int SLOTS = RateKey.TIERS * (RateKey.COMPONENTS + 1);

  /** Prices above $0.001 per token ($1,000 per million) are treated as data errors. */
  private static final BigDecimal MAX_PLAUSIBLE_USD = BigDecimal.valueOf(1, 3);

  private final PriceEntry entry;
  private final boolean plausible;
  // Compiled on first use: loading a 3,000-entry catalog only parses, and pricing compiles the few
  // entries a service actually uses. Compiled has only final fields, so the benign race of two
  // threads compiling the same entry publishes a complete object either way.
  private Compiled compiled;

  private static final class Compiled {
    final long[] thresholds; // thresholds[0] == 0: the base level
    final RateCard[] cards; // [tier * levels + level]
    final boolean tokenPriced;

    Compiled(long[] thresholds, RateCard[] cards, boolean tokenPriced) {
      this.thresholds = thresholds;
      this.cards = cards;
      this.tokenPriced = tokenPriced;
    }
  }

  private ModelPrice(PriceEntry entry, boolean plausible) {
    this.entry = entry;
    this.plausible = plausible;
  }

  /** Wraps an entry; rates are validated by the parser (non-negative, numeric). */
  public static ModelPrice of(PriceEntry entry) {
    boolean plausible = true;
    for (BigDecimal rate : entry.rates().values()) {
      plausible &= rate.compareTo(MAX_PLAUSIBLE_USD) <= 0;
    }
    for (PriceEntry.TieredRange range : entry.tiers()) {
      for (BigDecimal rate : range.rates().values()) {
        plausible &= rate.compareTo(MAX_PLAUSIBLE_USD) <= 0;
      }
    }
    return new ModelPrice(entry, plausible);
  }

  private Compiled compiled() {
    Compiled c = compiled;
    if (c == null) {
      c = compile(entry);
      compiled = c;
    }
    return c;
  }

  public PriceEntry entry() {
    return entry;
  }

  public String key() {
    return entry.key();
  }

  /** Where this entry's prices came from, when not from its catalog's source; else null. */
  public @org.jspecify.annotations.Nullable String source() {
    return entry.source();
  }

  /** Whether the entry has token rates at all (image, audio-second or per-query models do not). */
  public boolean tokenPriced() {
    return compiled().tokenPriced;
  }

  /** False when a rate is above $0.001 per token: such an entry is never used. */
  public boolean plausible() {
    return plausible;
  }

  /** Whether pricing may use this entry. */
  public boolean usable() {
    return plausible && compiled().tokenPriced;
  }

  /** The rates for a request of {@code inputTokens} in {@code tier} ({@link RateKey} tiers). */
  RateCard card(int tier, long inputTokens) {
    Compiled c = compiled();
    long[] t = c.thresholds;
    int level = t.length - 1;
    while (level > 0 && inputTokens <= t[level]) {
      level--;
    }
    return c.cards[tier * t.length + level];
  }

  private static Compiled compile(PriceEntry entry) {
    TreeSet<Long> levelSet = new TreeSet<>();
    levelSet.add(0L);
    List<RateKey> keys = new ArrayList<>();
    List<BigDecimal> values = new ArrayList<>();
    List<Long> levelOf = new ArrayList<>();
    for (Map.Entry<String, BigDecimal> e : entry.rates().entrySet()) {
      RateKey key = RateKey.parse(e.getKey());
      if (key != null) {
        keys.add(key);
        values.add(e.getValue());
        levelOf.add(key.aboveTokens);
        levelSet.add(key.aboveTokens);
      }
    }
    for (PriceEntry.TieredRange range : entry.tiers()) {
      long level = Math.max(0, range.fromTokens());
      for (Map.Entry<String, BigDecimal> e : range.rates().entrySet()) {
        RateKey key = RateKey.parse(e.getKey());
        if (key != null && key.aboveTokens == 0) {
          keys.add(key);
          values.add(e.getValue());
          levelOf.add(level);
          levelSet.add(level);
        }
      }
    }
    long[] thresholds = levelSet.stream().mapToLong(Long::longValue).toArray();
    Map<Long, Integer> levelIndex = new HashMap<>();
    for (int i = 0; i < thresholds.length; i++) {
      levelIndex.put(thresholds[i], i);
    }
    long[][] explicit = new long[thresholds.length][SLOTS];
    for (long[] row : explicit) {
      java.util.Arrays.fill(row, -1);
    }
    boolean tokenPriced = false;
    for (int i = 0; i < keys.size(); i++) {
      RateKey key = keys.get(i);
      long units;
      try {
        units = Money.units(values.get(i));
      } catch (ArithmeticException tooLarge) {
        units = Long.MAX_VALUE;
      }
      if (key.tier == RateKey.STANDARD
          && (key.component == RateKey.INPUT || key.component == RateKey.OUTPUT)) {
        tokenPriced = true;
      }
      explicit[levelIndex.get(levelOf.get(i))][slot(key.tier, key.component)] = units;
    }
    Compiler compiler = new Compiler(explicit);
    RateCard[] cards = new RateCard[RateKey.TIERS * thresholds.length];
    for (int tier = 0; tier < RateKey.TIERS; tier++) {
      for (int level = 0; level < thresholds.length; level++) {
        cards[tier * thresholds.length + level] = compiler.card(tier, level);
      }
    }
    return new Compiled(thresholds, cards, tokenPriced);
  }

  private static int slot(int tier, int component) {
    return tier * (RateKey.COMPONENTS + 1) + component;
  }

  /** Applies the fallback rules of the class comment to the explicit rates. */
  private static final class Compiler {
    private final long[][] explicit; // [level][slot], -1 = absent

    Compiler(long[][] explicit) {
      this.explicit = explicit;
    }

    RateCard card(int tier, int level) {
      long[] r = new long[RateKey.COMPONENTS];
      for (int c = 0; c < RateKey.COMPONENTS; c++) {
        r[c] = rate(tier, level, c);
      }
      return new RateCard(
          r[RateKey.INPUT],
          r[RateKey.OUTPUT],
          r[RateKey.CACHE_READ],
          r[RateKey.CACHE_WRITE],
          r[RateKey.CACHE_WRITE_1H],
          r[RateKey.REASONING]);
    }

    private long explicit(int tier, int level, int component) {
      long v = explicit[level][slot(tier, component)];
      if (v < 0 && component == RateKey.CACHE_READ) {
        v = explicit[level][slot(tier, RateKey.CACHE_HIT)];
      }
      return v;
    }

    /** Whether the standard tier names this component at any level. */
    private boolean standardHas(int component) {
      for (int level = 0; level < explicit.length; level++) {
        if (explicit(RateKey.STANDARD, level, component) >= 0) {
          return true;
        }
      }
      return false;
    }

    private long rate(int tier, int level, int component) {
      long v = explicit(tier, level, component);
      if (v >= 0) {
        return v;
      }
      if (tier == RateKey.STANDARD) {
        v = explicit(RateKey.STANDARD, 0, component);
        return v >= 0 ? v : derived(RateKey.STANDARD, level, component);
      }
      if (tier == RateKey.BATCH) {
        if (component == RateKey.INPUT || component == RateKey.OUTPUT || standardHas(component)) {
          return rate(RateKey.STANDARD, level, component) / 2;
        }
        return derived(tier, level, component);
      }
      v = explicit(tier, 0, component);
      if (v >= 0) {
        return v;
      }
      if (component == RateKey.INPUT || component == RateKey.OUTPUT || standardHas(component)) {
        return rate(RateKey.STANDARD, level, component);
      }
      return derived(tier, level, component);
    }

    private long derived(int tier, int level, int component) {
      switch (component) {
        case RateKey.CACHE_READ:
        case RateKey.CACHE_WRITE:
          return rate(tier, level, RateKey.INPUT);
        case RateKey.CACHE_WRITE_1H:
          return rate(tier, level, RateKey.CACHE_WRITE);
        case RateKey.REASONING:
          return rate(tier, level, RateKey.OUTPUT);
        default:
          return 0; // input or output without a rate: a model priced on the other side only
      }
    }
  }

  @Override
  public String toString() {
    return "ModelPrice{"
        + entry.key()
        + ", levels="
        + java.util.Arrays.toString(compiled().thresholds)
        + "}";
  }
}
