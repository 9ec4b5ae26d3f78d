package dev.tokenscope.pricing.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Exact money arithmetic. Per-token prices are held as longs in units of 1e-16 USD: every price
 * LiteLLM publishes (at most 15 decimal places) is an exact integer there, and so is half of it
 * (batch pricing). Costs are integer products and sums, converted to {@code double} once at the
 * end, so summing the parts never drifts from the total.
 */
public final class Money {
  /** Units per US dollar. */
  static final long UNITS_PER_USD = 10_000_000_000_000_000L; // 1e16

  private static final double UNITS_PER_USD_DOUBLE = 1e16;
  private static final BigDecimal UNITS_PER_USD_DECIMAL = BigDecimal.valueOf(UNITS_PER_USD);

  private Money() {}

  /** A per-token price in USD as units, rounded half-even past the 16th decimal. */
  static long units(BigDecimal usdPerToken) {
    return usdPerToken.movePointRight(16).setScale(0, RoundingMode.HALF_EVEN).longValueExact();
  }

  static double toUsd(long units) {
    return units / UNITS_PER_USD_DOUBLE;
  }

  static double toUsd(BigDecimal units) {
    return units.divide(UNITS_PER_USD_DECIMAL).doubleValue();
  }

  static BigDecimal toDecimalUsd(long units) {
    return BigDecimal.valueOf(units).movePointLeft(16).stripTrailingZeros();
  }

  /** A rate as a plain decimal string of USD per token, e.g. {@code 0.0000025}. */
  public static String toPlainString(long units) {
    return units < 0 ? "none" : toDecimalUsd(units).toPlainString();
  }
}
