package dev.tokenscope.pricing.internal;

import dev.tokenscope.pricing.Cost;
import dev.tokenscope.pricing.Usage;
import java.math.BigInteger;

/**
 * Turns a resolved model and a {@link Usage} into a {@link Cost}. Every component is an exact
 * integer product of tokens and a {@link Money}-unit rate; the total is the exact sum; doubles
 * appear only in the result. Products that could overflow a long (tens of millions of tokens at the
 * dearest rates) take an exact {@link BigInteger} path instead.
 */
public final class CostCalculator {
  private static final long SAFE_PRODUCT = 1L << 59; // six of these still fit in a long

  private CostCalculator() {}

  /** The cost of one call; never throws for a model that cannot be priced. */
  public static Cost cost(Resolved resolved, Usage usage) {
    ModelPrice price = resolved.price;
    if (price == null) {
      return resolved.unpriced;
    }
    int tier = usage.batch() ? RateKey.BATCH : usage.serviceTier().ordinal();
    RateCard rates = price.card(tier, usage.inputTokens());
    long uncached = usage.uncachedInputTokens();
    long plainOutput = usage.outputTokens() - usage.reasoningTokens();

    long input = uncached * rates.input;
    long cacheRead = usage.cacheReadTokens() * rates.cacheRead;
    long cacheWrite5m = usage.cacheWriteTokens() * rates.cacheWrite;
    long cacheWrite1h = usage.cacheWrite1hTokens() * rates.cacheWrite1h;
    long output = plainOutput * rates.output;
    long reasoning = usage.reasoningTokens() * rates.reasoning;
    if (overflows(uncached, rates.input)
        | overflows(usage.cacheReadTokens(), rates.cacheRead)
        | overflows(usage.cacheWriteTokens(), rates.cacheWrite)
        | overflows(usage.cacheWrite1hTokens(), rates.cacheWrite1h)
        | overflows(plainOutput, rates.output)
        | overflows(usage.reasoningTokens(), rates.reasoning)) {
      return exactCost(resolved, usage, rates, uncached, plainOutput);
    }
    long cacheWrite = cacheWrite5m + cacheWrite1h;
    long out = output + reasoning;
    long total = input + cacheRead + cacheWrite + out;
    return new Cost(
        resolved.resolution.requested(),
        resolved.resolution.resolvedKey(),
        resolved.resolution.provider(),
        resolved.source,
        true,
        Money.toUsd(input),
        Money.toUsd(cacheRead),
        Money.toUsd(cacheWrite),
        Money.toUsd(out),
        Money.toUsd(total));
  }

  private static boolean overflows(long tokens, long rate) {
    return Math.multiplyHigh(tokens, rate) != 0 || tokens * rate >= SAFE_PRODUCT;
  }

  private static Cost exactCost(
      Resolved resolved, Usage usage, RateCard rates, long uncached, long plainOutput) {
    BigInteger input = product(uncached, rates.input);
    BigInteger cacheRead = product(usage.cacheReadTokens(), rates.cacheRead);
    BigInteger cacheWrite =
        product(usage.cacheWriteTokens(), rates.cacheWrite)
            .add(product(usage.cacheWrite1hTokens(), rates.cacheWrite1h));
    BigInteger out =
        product(plainOutput, rates.output).add(product(usage.reasoningTokens(), rates.reasoning));
    BigInteger total = input.add(cacheRead).add(cacheWrite).add(out);
    return new Cost(
        resolved.resolution.requested(),
        resolved.resolution.resolvedKey(),
        resolved.resolution.provider(),
        resolved.source,
        true,
        usd(input),
        usd(cacheRead),
        usd(cacheWrite),
        usd(out),
        usd(total));
  }

  private static BigInteger product(long tokens, long rate) {
    return BigInteger.valueOf(tokens).multiply(BigInteger.valueOf(rate));
  }

  private static double usd(BigInteger units) {
    return Money.toUsd(new java.math.BigDecimal(units));
  }
}
