package dev.tokenscope.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CatalogLoadingTest {

  private static PricingCatalog parse(String json) {
    return PricingCatalog.parse(
        new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test");
  }

  @Test
  void loadsEveryEntryOfTheSnapshot() {
    PricingCatalog catalog = Snapshot.catalog();

    assertThat(catalog.size()).isEqualTo(2982);
    assertThat(catalog.skippedEntries()).isZero();
    assertThat(catalog.modelNames())
        .contains("gpt-4o", "claude-sonnet-4-5")
        .doesNotContain("sample_spec", "fallback_generalizations");
    assertThat(catalog.source()).isEqualTo("file:" + Snapshot.FILE_NAME);
  }

  @Test
  void snapshotDataErrorsAreKeptButNeverPriced() {
    // W&B lists $0.135 per input token for DeepSeek R1 (a per-million price in the per-token
    // field).
    PricingCatalog catalog = Snapshot.catalog();
    Pricing pricing = Pricing.of(catalog);

    assertThat(catalog.implausibleEntries()).isEqualTo(16);
    assertThat(pricing.cost("wandb/deepseek-ai/DeepSeek-R1-0528", null, Usage.of(10, 10)).priced())
        .isFalse();
    assertThat(pricing.unpricedReason("wandb/deepseek-ai/DeepSeek-R1-0528", null))
        .contains("implausible");
  }

  @Test
  void ignoresUnknownKeysAndNonModelEntries() {
    PricingCatalog catalog =
        parse(
            """
            {
              "sample_spec": {"input_cost_per_token": "described here", "litellm_provider": "one of"},
              "fallback_generalizations": {"rules": [{"name": "x", "pattern": "^a"}]},
              "m": {"litellm_provider": "openai", "input_cost_per_token": 1e-6,
                    "output_cost_per_token": 2e-6, "brand_new_key": {"nested": [1, 2, {"x": null}]},
                    "supports_vision": true, "input_cost_per_audio_token": 9}
            }
            """);

    assertThat(catalog.modelNames()).containsExactly("m");
    assertThat(catalog.skippedEntries()).isZero();
    assertThat(Pricing.of(catalog).cost("m", null, Usage.of(1_000_000, 1_000_000)).totalUsd())
        .isEqualTo(3.0);
  }

  @Test
  void skipsAndCountsMalformedEntries() {
    PricingCatalog catalog =
        parse(
            """
            {
              "good": {"litellm_provider": "openai", "input_cost_per_token": 1e-6, "output_cost_per_token": 2e-6},
              "string-price": {"input_cost_per_token": "0.000001", "output_cost_per_token": 2e-6},
              "negative": {"input_cost_per_token": -1e-6, "output_cost_per_token": 2e-6},
              "not-an-object": 42,
              "a-list": [1, 2, 3],
              "bad-provider": {"litellm_provider": 7, "input_cost_per_token": 1e-6},
              "bad-tiers": {"tiered_pricing": [{"input_cost_per_token": 1e-6, "range": ["a", "b"]}, 5]},
              "null-price": {"input_cost_per_token": null},
              "also-good": {"input_cost_per_token": 0, "output_cost_per_token": 0}
            }
            """);

    assertThat(catalog.modelNames()).containsExactly("good", "also-good");
    assertThat(catalog.skippedEntries()).isEqualTo(7);
  }

  @Test
  void rejectsDocumentsThatAreNotPriceFiles() {
    assertThatThrownBy(() -> parse("[1, 2]"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected a JSON object");
    assertThatThrownBy(() -> parse("{\"a\": {\"input_cost_per_token\": 1e-6"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a LiteLLM price file");
    assertThatThrownBy(() -> parse("<html>rate limited</html>"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parse("{} {}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("content after the closing brace");
    assertThatThrownBy(() -> parse("")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void truncatedSnapshotFailsAsAWhole(@TempDir Path dir) throws Exception {
    byte[] all = Files.readAllBytes(Snapshot.path());
    Path truncated = dir.resolve("truncated.json");
    Files.write(truncated, java.util.Arrays.copyOf(all, all.length / 2));

    assertThatThrownBy(() -> PricingCatalog.load(truncated))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("end-of-input");
  }

  @Test
  void unreadableFileSaysWhichFile(@TempDir Path dir) {
    Path missing = dir.resolve("nope.json");

    assertThatThrownBy(() -> PricingCatalog.load(missing))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining(missing.toString());
  }

  @Test
  void builtinTableCoversTheCommonModelsOfFourProviders() {
    PricingCatalog builtin = PricingCatalog.builtin();
    Pricing pricing = Pricing.of(builtin);

    assertThat(builtin.source()).isEqualTo("builtin@2026-07-24");
    assertThat(builtin.size()).isBetween(80, 200);
    for (String model :
        new String[] {
          "gpt-4o",
          "gpt-4o-mini",
          "gpt-4.1",
          "gpt-5",
          "o3",
          "o4-mini",
          "claude-sonnet-4-5",
          "claude-haiku-4-5",
          "claude-opus-4-1",
          "gemini-2.5-pro",
          "gemini-2.5-flash",
          "mistral-large-latest",
          "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
        }) {
      String provider = model.startsWith("mistral") ? "mistral_ai" : null;
      assertThat(pricing.cost(model, provider, Usage.of(1000, 100)).priced()).as(model).isTrue();
    }
    assertThat(
            pricing
                .cost(
                    "claude-sonnet-4-5",
                    null,
                    Usage.builder().inputTokens(1000).cacheReadTokens(1000).build())
                .cacheReadUsd())
        .as("cache prices present")
        .isEqualTo(0.0003);
  }

  @Test
  void builtinTableMatchesTheSnapshotRateForRate() {
    // The built-in table is generated from the snapshot (scripts/refresh-builtin.py): every model
    // in it must price exactly as the snapshot does, across cache, thresholds, batch and tiers.
    Pricing builtin = Pricing.of(PricingCatalog.builtin());
    Pricing snapshot = Snapshot.pricing();
    Usage[] usages = {
      Usage.of(1234, 567),
      Usage.builder()
          .inputTokens(300_000)
          .cacheReadTokens(100_000)
          .cacheWriteTokens(1000)
          .cacheWrite1hTokens(2000)
          .outputTokens(4000)
          .reasoningTokens(1000)
          .build(),
      Usage.builder().inputTokens(5000).outputTokens(100).batch(true).build(),
      Usage.builder()
          .inputTokens(5000)
          .cacheReadTokens(1000)
          .outputTokens(100)
          .serviceTier(ServiceTier.FLEX)
          .build(),
      Usage.builder().inputTokens(5000).outputTokens(100).serviceTier(ServiceTier.PRIORITY).build(),
    };
    for (String model : PricingCatalog.builtin().modelNames()) {
      for (Usage usage : usages) {
        Cost a = builtin.cost(model, null, usage);
        Cost b = snapshot.cost(model, null, usage);
        assertThat(a.resolvedModel()).as(model).isEqualTo(model);
        assertThat(a.totalUsd()).as(model + " " + usage).isEqualTo(b.totalUsd());
        assertThat(a.cacheWriteUsd()).as(model + " " + usage).isEqualTo(b.cacheWriteUsd());
      }
    }
  }

  @Test
  void customPricesOverlayFieldByField(@TempDir Path dir) throws Exception {
    Path custom = dir.resolve("custom.json");
    Files.writeString(
        custom,
        """
        {
          "gpt-4o": {"input_cost_per_token": 2e-6},
          "acme-llama-70b": {"input_cost_per_token": 1e-7, "output_cost_per_token": 2e-7}
        }
        """);
    try (Pricing pricing =
        Pricing.builder().catalog(Snapshot.catalog()).customPrices(custom).build()) {
      Cost negotiated = pricing.cost("gpt-4o", "openai", Usage.of(1_000_000, 1_000_000));
      Cost selfHosted = pricing.cost("acme-llama-70b", null, Usage.of(1_000_000, 1_000_000));
      Cost untouched = pricing.cost("gpt-4.1", "openai", Usage.of(1_000_000, 0));

      assertThat(negotiated.inputUsd()).isEqualTo(2.0); // overlaid
      assertThat(negotiated.outputUsd()).isEqualTo(10.0); // kept from the snapshot
      assertThat(negotiated.pricingSource()).isEqualTo("custom");
      assertThat(selfHosted.totalUsd()).isEqualTo(0.3);
      assertThat(selfHosted.pricingSource()).isEqualTo("custom");
      assertThat(untouched.pricingSource()).isEqualTo("file:" + Snapshot.FILE_NAME);
      assertThat(pricing.source()).isEqualTo("file:" + Snapshot.FILE_NAME);
    }
  }

  @Test
  void unusableCustomPricesAreIgnoredNotFatal(@TempDir Path dir) throws Exception {
    Path custom = dir.resolve("custom.json");
    Files.writeString(custom, "{ this is not json");
    try (Pricing pricing =
        Pricing.builder().catalog(Snapshot.catalog()).customPrices(custom).build()) {
      assertThat(pricing.cost("gpt-4o", null, Usage.of(1, 1)).pricingSource())
          .isEqualTo("file:" + Snapshot.FILE_NAME);
    }
  }

  @Test
  void explicitCatalogFileThatCannotBeReadFailsClearly(@TempDir Path dir) {
    assertThatThrownBy(() -> Pricing.builder().catalogFile(dir.resolve("missing.json")).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot use price file")
        .hasMessageContaining("missing.json");
  }
}
