package dev.tokenscope.simulator.internal;

import com.knuddels.jtokkit.api.EncodingType;
import dev.tokenscope.simulator.LatencyProfile;
import dev.tokenscope.simulator.Provider;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What the simulator knows about model families: the dated snapshot a request alias resolves to,
 * the tokenizer, whether the model reasons, its default latency, its minimum cacheable prompt,
 * embedding dimensions. Unknown models are accepted and get family defaults.
 */
public final class ModelCatalog {

  /** One known model: the alias clients send and the facts the simulator uses for it. */
  public record ModelInfo(
      Provider provider,
      String alias,
      String snapshot,
      long created,
      boolean reasoning,
      LatencyProfile latency,
      int minCacheableTokens,
      int embeddingDimensions,
      String displayName) {}

  // Latency figures: typical public measurements of time to first token and output speed,
  // rounded; override per model with LlmSimulator.Builder.latency(..).
  private static final List<ModelInfo> MODELS =
      List.of(
          openAi("gpt-5", "gpt-5-2025-08-07", 1754524800L, true, 1800, 70),
          openAi("gpt-5-mini", "gpt-5-mini-2025-08-07", 1754524800L, true, 900, 95),
          openAi("gpt-5-nano", "gpt-5-nano-2025-08-07", 1754524800L, true, 600, 140),
          openAi("gpt-4.1", "gpt-4.1-2025-04-14", 1744316542L, false, 500, 80),
          openAi("gpt-4.1-mini", "gpt-4.1-mini-2025-04-14", 1744317547L, false, 400, 100),
          openAi("gpt-4.1-nano", "gpt-4.1-nano-2025-04-14", 1744321025L, false, 300, 150),
          openAi("gpt-4o", "gpt-4o-2024-08-06", 1722814719L, false, 450, 90),
          openAi("gpt-4o-mini", "gpt-4o-mini-2024-07-18", 1721172717L, false, 350, 110),
          openAi("o3", "o3-2025-04-16", 1744133301L, true, 2500, 60),
          openAi("o4-mini", "o4-mini-2025-04-16", 1744133506L, true, 1300, 100),
          openAi("o3-mini", "o3-mini-2025-01-31", 1738010200L, true, 1200, 110),
          openAi("o1", "o1-2024-12-17", 1734326976L, true, 3000, 50),
          embedding("text-embedding-3-small", 1705948997L, 1536),
          embedding("text-embedding-3-large", 1705953180L, 3072),
          embedding("text-embedding-ada-002", 1671217299L, 1536),
          anthropic(
              "claude-sonnet-4-5",
              "claude-sonnet-4-5-20250929",
              "2025-09-29",
              1300,
              65,
              1024,
              "Claude Sonnet 4.5"),
          anthropic(
              "claude-haiku-4-5",
              "claude-haiku-4-5-20251001",
              "2025-10-01",
              600,
              120,
              4096,
              "Claude Haiku 4.5"),
          anthropic(
              "claude-opus-4-1",
              "claude-opus-4-1-20250805",
              "2025-08-05",
              1900,
              40,
              1024,
              "Claude Opus 4.1"),
          anthropic(
              "claude-sonnet-4",
              "claude-sonnet-4-20250514",
              "2025-05-14",
              1200,
              60,
              1024,
              "Claude Sonnet 4"),
          anthropic(
              "claude-3-5-haiku",
              "claude-3-5-haiku-20241022",
              "2024-10-22",
              700,
              90,
              2048,
              "Claude Haiku 3.5"));

  private ModelCatalog() {}

  /** Every known model, in listing order. */
  public static List<ModelInfo> all() {
    return MODELS;
  }

  /** Known models of one provider, in listing order. */
  public static List<ModelInfo> all(Provider provider) {
    return MODELS.stream().filter(m -> m.provider() == provider).toList();
  }

  /**
   * The model {@code requested} names: an exact alias or snapshot match, else the longest alias it
   * starts with (so {@code gpt-4o-mini-2024-07-18} and {@code gpt-4o-mini-custom} find {@code
   * gpt-4o-mini}), else a generic entry for the provider's family.
   */
  public static ModelInfo find(Provider provider, String requested) {
    @Nullable ModelInfo best = null;
    for (ModelInfo model : MODELS) {
      if (model.alias().equals(requested) || model.snapshot().equals(requested)) {
        return model;
      }
      if (requested.startsWith(model.alias())
          && (best == null || model.alias().length() > best.alias().length())) {
        best = model;
      }
    }
    if (best != null) {
      return best;
    }
    return generic(provider, requested);
  }

  /** Looks up a model by exact alias or snapshot id, or returns null. */
  public static @Nullable ModelInfo exact(String id) {
    for (ModelInfo model : MODELS) {
      if (model.alias().equals(id) || model.snapshot().equals(id)) {
        return model;
      }
    }
    return null;
  }

  /** The snapshot name a reply reports for {@code requested}: aliases resolve, others echo. */
  public static String responseModel(Provider provider, String requested) {
    ModelInfo exact = exact(requested);
    return exact != null && exact.provider() == provider ? exact.snapshot() : requested;
  }

  /** The tokenizer used to count {@code model}'s tokens. */
  public static EncodingType encoding(Provider provider, String model) {
    if (provider == Provider.ANTHROPIC) {
      // Anthropic publishes no tokenizer; cl100k_base counts English text within ~10-20%.
      return EncodingType.CL100K_BASE;
    }
    String m = model.toLowerCase(Locale.ROOT);
    if (m.startsWith("gpt-4o")
        || m.startsWith("gpt-4.1")
        || m.startsWith("gpt-4.5")
        || m.startsWith("gpt-5")
        || m.startsWith("chatgpt-4o")
        || (m.length() > 1 && m.charAt(0) == 'o' && Character.isDigit(m.charAt(1)))) {
      return EncodingType.O200K_BASE;
    }
    if (m.startsWith("gpt-4") || m.startsWith("gpt-3.5") || m.startsWith("text-embedding")) {
      return EncodingType.CL100K_BASE;
    }
    return EncodingType.O200K_BASE;
  }

  private static ModelInfo generic(Provider provider, String requested) {
    String m = requested.toLowerCase(Locale.ROOT);
    if (provider == Provider.ANTHROPIC) {
      boolean haiku = m.contains("haiku");
      return new ModelInfo(
          provider,
          requested,
          requested,
          1735689600L,
          false,
          LatencyProfile.of(Duration.ofMillis(haiku ? 700 : 1300), haiku ? 100 : 60),
          haiku ? 2048 : 1024,
          0,
          requested);
    }
    boolean reasoning =
        m.startsWith("gpt-5")
            || (m.length() > 1 && m.charAt(0) == 'o' && Character.isDigit(m.charAt(1)));
    boolean embedding = m.contains("embedding");
    return new ModelInfo(
        provider,
        requested,
        requested,
        1735689600L,
        reasoning,
        LatencyProfile.of(Duration.ofMillis(embedding ? 120 : 500), 90),
        1024,
        embedding ? 1536 : 0,
        requested);
  }

  private static ModelInfo openAi(
      String alias, String snapshot, long created, boolean reasoning, int ttftMs, int tps) {
    return new ModelInfo(
        Provider.OPENAI,
        alias,
        snapshot,
        created,
        reasoning,
        LatencyProfile.of(Duration.ofMillis(ttftMs), tps),
        1024,
        0,
        alias);
  }

  private static ModelInfo embedding(String alias, long created, int dimensions) {
    return new ModelInfo(
        Provider.OPENAI,
        alias,
        alias,
        created,
        false,
        LatencyProfile.of(Duration.ofMillis(120), 5000),
        1024,
        dimensions,
        alias);
  }

  private static ModelInfo anthropic(
      String alias,
      String snapshot,
      String date,
      int ttftMs,
      int tps,
      int minCacheable,
      String displayName) {
    long created =
        java.time.LocalDate.parse(date).atStartOfDay(java.time.ZoneOffset.UTC).toEpochSecond();
    return new ModelInfo(
        Provider.ANTHROPIC,
        alias,
        snapshot,
        created,
        false,
        LatencyProfile.of(Duration.ofMillis(ttftMs), tps),
        minCacheable,
        0,
        displayName);
  }
}
