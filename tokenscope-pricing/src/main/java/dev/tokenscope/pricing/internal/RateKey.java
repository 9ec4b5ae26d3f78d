package dev.tokenscope.pricing.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A price field of a LiteLLM entry taken apart: which rate ({@link #component}), above which input
 * size it applies ({@link #aboveTokens}, 0 for the base rate) and for which tier. Field names look
 * like {@code <base>[_above_<N>k_tokens][_flex|_priority|_batches]}, e.g. {@code
 * cache_read_input_token_cost_above_272k_tokens_priority}.
 */
final class RateKey {
  static final int INPUT = 0;
  static final int OUTPUT = 1;
  static final int CACHE_READ = 2;
  static final int CACHE_WRITE = 3;
  static final int CACHE_WRITE_1H = 4;
  static final int REASONING = 5;

  /** DeepSeek-style {@code input_cost_per_token_cache_hit}: a cache read rate. */
  static final int CACHE_HIT = 6;

  static final int COMPONENTS = 6;

  static final int STANDARD = 0;
  static final int FLEX = 1;
  static final int PRIORITY = 2;
  static final int BATCH = 3;
  static final int TIERS = 4;

  // Longest first: "cache_creation_input_token_cost_above_1hr" must win over its own prefix.
  private static final String[] BASES = {
    "cache_creation_input_token_cost_above_1hr",
    "cache_creation_input_token_cost",
    "cache_read_input_token_cost",
    "output_cost_per_reasoning_token",
    "input_cost_per_token_cache_hit",
    "input_cost_per_token",
    "output_cost_per_token",
  };
  private static final int[] BASE_COMPONENTS = {
    CACHE_WRITE_1H, CACHE_WRITE, CACHE_READ, REASONING, CACHE_HIT, INPUT, OUTPUT
  };

  private static final RateKey NOT_A_RATE = new RateKey(-1, 0, 0);
  // Field names repeat thousands of times in a catalog (Jackson canonicalises them), so the
  // parse of each distinct name is remembered; the set of names is small and bounded in practice.
  private static final Map<String, RateKey> PARSED = new ConcurrentHashMap<>();

  final int component;
  final long aboveTokens;
  final int tier;

  private RateKey(int component, long aboveTokens, int tier) {
    this.component = component;
    this.aboveTokens = aboveTokens;
    this.tier = tier;
  }

  /** The rate a field name holds, or null for any other field. */
  static @Nullable RateKey parse(String field) {
    RateKey key = PARSED.get(field);
    if (key == null) {
      key = doParse(field);
      if (PARSED.size() < 4096) {
        PARSED.put(field, key);
      }
    }
    return key == NOT_A_RATE ? null : key;
  }

  private static RateKey doParse(String field) {
    for (int i = 0; i < BASES.length; i++) {
      String base = BASES[i];
      if (!field.startsWith(base)) {
        continue;
      }
      String rest = field.substring(base.length());
      int tier = STANDARD;
      if (rest.endsWith("_flex")) {
        tier = FLEX;
        rest = rest.substring(0, rest.length() - "_flex".length());
      } else if (rest.endsWith("_priority")) {
        tier = PRIORITY;
        rest = rest.substring(0, rest.length() - "_priority".length());
      } else if (rest.endsWith("_batches")) {
        tier = BATCH;
        rest = rest.substring(0, rest.length() - "_batches".length());
      }
      long above = 0;
      if (!rest.isEmpty()) {
        above = parseAbove(rest);
        if (above <= 0) {
          return NOT_A_RATE; // e.g. an audio or image rate that shares a prefix
        }
      }
      return new RateKey(BASE_COMPONENTS[i], above, tier);
    }
    return NOT_A_RATE;
  }

  /** {@code _above_200k_tokens} → 200000; anything else → -1. */
  private static long parseAbove(String rest) {
    String prefix = "_above_";
    String suffix = "k_tokens";
    if (!rest.startsWith(prefix) || !rest.endsWith(suffix)) {
      return -1;
    }
    String digits = rest.substring(prefix.length(), rest.length() - suffix.length());
    if (digits.isEmpty() || digits.length() > 7) {
      return -1;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return -1;
      }
    }
    return Long.parseLong(digits) * 1000L;
  }
}
