package dev.tokenscope.core;

import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingCatalog;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The LiteLLM snapshot every test prices with, loaded once: {@code <repo
 * root>/../shared/data/pricing/...}, searched further up for a clone under {@code agents/}.
 */
final class TestPricing {

  static final Path SNAPSHOT = locate();

  private static final Pricing PRICING = Pricing.of(PricingCatalog.load(SNAPSHOT));

  static Pricing snapshot() {
    return PRICING;
  }

  private static Path locate() {
    Path root = Path.of(System.getProperty("tokenscope.repo.root", "..")).toAbsolutePath();
    for (Path dir = root.getParent(); dir != null; dir = dir.getParent()) {
      Path path =
          dir.resolve("shared/data/pricing").resolve("litellm-model-prices-2026-07-24.json");
      if (Files.isReadable(path)) {
        return path;
      }
    }
    throw new IllegalStateException(
        "pricing snapshot not found in ../shared/data/pricing of " + root);
  }

  private TestPricing() {}
}
