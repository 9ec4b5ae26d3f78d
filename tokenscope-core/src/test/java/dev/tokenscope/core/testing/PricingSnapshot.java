package dev.tokenscope.core.testing;

import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingCatalog;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The LiteLLM pricing snapshot every test prices with: {@code <repo
 * root>/../shared/data/pricing/litellm-model-prices-2026-07-24.json}, searched further up for a
 * clone under {@code agents/} (surefire sets {@code tokenscope.repo.root}). Loaded once per JVM.
 */
public final class PricingSnapshot {

  /** The snapshot file. */
  public static final Path PATH = locate();

  private static final class Loaded {
    static final Pricing PRICING = Pricing.of(PricingCatalog.load(PATH));
  }

  private PricingSnapshot() {}

  /** Fixed prices from the snapshot: no sync, no threads. */
  public static Pricing pricing() {
    return Loaded.PRICING;
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
}
