package dev.tokenscope.pricing.internal;

/**
 * The six per-token rates that apply to one request once its tier and long-context level are known,
 * every fallback already applied. Rates are in {@link Money} units (1e-16 USD per token), so costs
 * are exact integer products.
 */
final class RateCard {
  final long input;
  final long output;
  final long cacheRead;
  final long cacheWrite;
  final long cacheWrite1h;
  final long reasoning;

  RateCard(
      long input, long output, long cacheRead, long cacheWrite, long cacheWrite1h, long reasoning) {
    this.input = input;
    this.output = output;
    this.cacheRead = cacheRead;
    this.cacheWrite = cacheWrite;
    this.cacheWrite1h = cacheWrite1h;
    this.reasoning = reasoning;
  }

  long rate(int component) {
    switch (component) {
      case RateKey.INPUT:
        return input;
      case RateKey.OUTPUT:
        return output;
      case RateKey.CACHE_READ:
        return cacheRead;
      case RateKey.CACHE_WRITE:
        return cacheWrite;
      case RateKey.CACHE_WRITE_1H:
        return cacheWrite1h;
      default:
        return reasoning;
    }
  }

  @Override
  public String toString() {
    return "RateCard{in="
        + Money.toPlainString(input)
        + ", out="
        + Money.toPlainString(output)
        + ", cacheRead="
        + Money.toPlainString(cacheRead)
        + ", cacheWrite="
        + Money.toPlainString(cacheWrite)
        + ", cacheWrite1h="
        + Money.toPlainString(cacheWrite1h)
        + ", reasoning="
        + Money.toPlainString(reasoning)
        + "}";
  }
}
