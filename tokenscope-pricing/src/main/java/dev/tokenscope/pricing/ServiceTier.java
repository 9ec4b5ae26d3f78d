package dev.tokenscope.pricing;

/**
 * The provider's processing tier for a request. OpenAI sells {@code flex} (slower, cheaper) and
 * {@code priority} (faster, dearer) tiers; the catalog holds their rates as {@code *_flex} and
 * {@code *_priority} keys. A model without tier rates is priced at its standard rates.
 *
 * {@snippet :
 * Usage usage = Usage.builder().inputTokens(1_000).outputTokens(200)
 *     .serviceTier(ServiceTier.FLEX).build();
 * }
 */
public enum ServiceTier {
  STANDARD,
  FLEX,
  PRIORITY;

  /**
   * Reads a tier as providers and the CLI spell it ({@code flex}, {@code priority}, {@code
   * default}, {@code standard}, {@code auto}; case-insensitive).
   *
   * @throws IllegalArgumentException for any other value, naming the accepted ones
   */
  public static ServiceTier parse(String value) {
    switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
      case "flex":
        return FLEX;
      case "priority":
        return PRIORITY;
      case "standard":
      case "default":
      case "auto":
      case "":
        return STANDARD;
      default:
        throw new IllegalArgumentException(
            "unknown service tier '" + value + "' (expected flex, priority or standard)");
    }
  }
}
