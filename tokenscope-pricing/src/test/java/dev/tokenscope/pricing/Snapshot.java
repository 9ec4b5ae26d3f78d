package dev.tokenscope.pricing;

import java.nio.file.Files;
import java.nio.file.Path;

/** The shared LiteLLM snapshot the tests price against (never copied into the repository). */
final class Snapshot {
  static final String FILE_NAME = "litellm-model-prices-2026-07-24.json";

  private static volatile PricingCatalog catalog;

  private Snapshot() {}

  /**
   * {@code <repo root>/../shared/data/pricing/...}; a clone one level deeper (an engineer's clone
   * under {@code agents/}) finds it further up.
   */
  static Path path() {
    Path root = Path.of(System.getProperty("tokenscope.repo.root", "..")).toAbsolutePath();
    for (Path dir = root.getParent(); dir != null; dir = dir.getParent()) {
      Path path = dir.resolve("shared/data/pricing").resolve(FILE_NAME);
      if (Files.isReadable(path)) {
        return path;
      }
    }
    throw new IllegalStateException(
        "pricing snapshot not found in ../shared/data/pricing of " + root);
  }

  static PricingCatalog catalog() {
    PricingCatalog c = catalog;
    if (c == null) {
      c = PricingCatalog.load(path());
      catalog = c;
    }
    return c;
  }

  static Pricing pricing() {
    return Pricing.of(catalog());
  }
}
