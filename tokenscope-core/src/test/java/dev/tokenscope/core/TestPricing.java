package dev.tokenscope.core;

import dev.tokenscope.core.testing.PricingSnapshot;
import dev.tokenscope.pricing.Pricing;
import java.nio.file.Path;

/** The LiteLLM snapshot every test prices with ({@link PricingSnapshot}), loaded once. */
final class TestPricing {

  static final Path SNAPSHOT = PricingSnapshot.PATH;

  static Pricing snapshot() {
    return PricingSnapshot.pricing();
  }

  private TestPricing() {}
}
