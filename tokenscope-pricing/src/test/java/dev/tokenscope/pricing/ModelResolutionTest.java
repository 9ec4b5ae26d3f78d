package dev.tokenscope.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelResolutionTest {
  private static final Pricing PRICING = Snapshot.pricing();

  @ParameterizedTest(name = "{0} ({1}) -> {2} by {3}")
  @CsvSource(
      nullValues = "-",
      delimiter = '|',
      textBlock =
          """
          gpt-4o                                           | -                | gpt-4o                                       | exact
          GPT-4O                                           | -                | gpt-4o                                       | exact
          gpt-4o                                           | azure.ai.openai  | azure/gpt-4o                                 | provider-exact
          gpt-4o                                           | azure            | azure/gpt-4o                                 | provider-exact
          gpt-4o                                           | openai           | gpt-4o                                       | exact
          openai/gpt-4o                                    | -                | gpt-4o                                       | provider-prefix
          gpt-4.1-mini-2026-01-01                          | -                | gpt-4.1-mini                                 | date-suffix
          gpt-4.1-mini-20260101                            | openai           | gpt-4.1-mini                                 | date-suffix
          claude-sonnet-4-5@20250929                       | -                | claude-sonnet-4-5                            | date-suffix
          claude-sonnet-4-5@20250929                       | gcp.vertex_ai    | vertex_ai/claude-sonnet-4-5@20250929         | provider-exact
          vertex_ai/claude-opus-4-1@20260101               | -                | vertex_ai/claude-opus-4-1                    | date-suffix
          claude-haiku-4-5-20270101                        | anthropic        | claude-haiku-4-5                             | date-suffix
          us.anthropic.claude-sonnet-4-5-20250929-v1:0     | aws.bedrock      | us.anthropic.claude-sonnet-4-5-20250929-v1:0 | exact
          bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0 | -            | us.anthropic.claude-sonnet-4-5-20250929-v1:0 | provider-prefix
          bedrock/us-east-1/anthropic.claude-3-5-sonnet-20240620-v1:0 | -     | anthropic.claude-3-5-sonnet-20240620-v1:0    | provider-prefix
          ca.anthropic.claude-sonnet-4-5-20250929-v1:0     | aws.bedrock      | anthropic.claude-sonnet-4-5-20250929-v1:0    | bedrock-region
          us.anthropic.claude-sonnet-4-5-20250929-v2:0     | aws.bedrock      | claude-sonnet-4-5-20250929                   | bedrock-region+bedrock-vendor+version-suffix
          anthropic.claude-opus-4-1-20250805-v3:0          | aws.bedrock      | claude-opus-4-1-20250805                     | bedrock-vendor+version-suffix
          eu.anthropic.claude-haiku-4-5-20261001-v1:0      | -                | claude-haiku-4-5                             | bedrock-region+bedrock-vendor+version-suffix+date-suffix
          ft:gpt-4o-mini-2024-07-18:acme::B3xYz            | openai           | ft:gpt-4o-mini-2024-07-18                    | fine-tune
          ft:gpt-4o-mini-2026-02-02:acme:support:B3xYz     | -                | gpt-4o-mini                                  | fine-tune+date-suffix
          ft:gpt-4o-2024-08-06:acme::x                     | -                | ft:gpt-4o-2024-08-06                         | fine-tune
          ft:o3-2025-04-16:acme::x                         | -                | o3-2025-04-16                                | fine-tune
          models/gemini-2.5-pro                            | gcp.gemini       | gemini/gemini-2.5-pro                        | provider-prefix+provider
          gemini-2.5-flash                                 | gcp.gemini       | gemini/gemini-2.5-flash                      | provider-exact
          mistral-large-latest                             | mistral_ai       | mistral/mistral-large-latest                 | provider-exact
          mistral-large-2411                               | mistral_ai       | mistral/mistral-large-2411                   | provider-exact
          mistral-medium-2605                              | mistral_ai       | mistral/mistral-medium                       | date-suffix+provider
          gpt-4o-2024-08-06-custom-eval                    | -                | gpt-4o-2024-08-06                            | longest-prefix
          gpt-4o-mini-2024-07-18-experiment                | -                | gpt-4o-mini-2024-07-18                       | longest-prefix
          """)
  void resolves(String model, String provider, String key, String rule) {
    ModelResolution resolution = PRICING.resolve(model, provider);

    assertThat(resolution.resolvedKey()).isEqualTo(key);
    assertThat(resolution.rule()).isEqualTo(rule);
    assertThat(resolution.requested()).isEqualTo(model);
    assertThat(resolution.resolved()).isTrue();
    assertThat(resolution.provider()).isNotNull();
  }

  @ParameterizedTest(name = "{0} stays unresolved")
  @CsvSource(
      nullValues = "-",
      delimiter = '|',
      textBlock =
          """
          my-gpt4o-prod              | azure.ai.openai
          gpt4o                      | -
          acme-gpt-4o                | -
          the-gpt-4o-clone           | openai
          claude                     | anthropic
          ''                         | -
          '   '                      | -
          unknown/provider/model     | -
          """)
  void neverMatchesSubstringsOrGuesses(String model, String provider) {
    ModelResolution resolution = PRICING.resolve(model, provider);
    Cost cost = PRICING.cost(model, provider, Usage.of(1000, 1000));

    assertThat(resolution.resolved()).isFalse();
    assertThat(resolution.rule()).isEqualTo(ModelResolution.UNRESOLVED);
    assertThat(cost.priced()).isFalse();
    assertThat(cost.totalUsd()).isZero();
    assertThat(cost.resolvedModel()).isNull();
  }

  @Test
  void newerDatedReleaseIsNotPricedAsAShorterFamilyKey() {
    // The reference design took the first key that was a prefix or substring: gpt-4 ($30/M).
    ModelResolution resolution = PRICING.resolve("gpt-4.1-mini-2026-09-30", "openai");

    assertThat(resolution.resolvedKey()).isEqualTo("gpt-4.1-mini");
  }

  @Test
  void longestPrefixRuleTakesTheLongestKeyOnADashBoundary() {
    // gpt-4o, gpt-4o-mini and gpt-4o-mini-2024-07-18 are all keys; the longest wins.
    assertThat(PRICING.resolve("gpt-4o-mini-2024-07-18-eval-3", null).resolvedKey())
        .isEqualTo("gpt-4o-mini-2024-07-18");
    // "gpt-4" is a key, but not on a dash boundary of "gpt-4o...": no partial-segment matches.
    assertThat(PRICING.resolve("gpt-4oz", null).resolved()).isFalse();
  }

  @Test
  void aliasesMapDeploymentNamesThenResolveAsUsual() {
    try (Pricing pricing =
        Pricing.builder()
            .catalog(Snapshot.catalog())
            .alias("my-gpt4o-prod", "gpt-4o")
            .alias("Support-Bot", "claude-haiku-4-5-20251001")
            .alias("dated", "gpt-4.1-mini-2026-01-01")
            .build()) {
      assertThat(pricing.resolve("my-gpt4o-prod", "azure.ai.openai"))
          .isEqualTo(
              new ModelResolution("my-gpt4o-prod", "azure/gpt-4o", "azure", "alias+provider"));
      assertThat(pricing.resolve("MY-GPT4O-PROD", null).resolvedKey()).isEqualTo("gpt-4o");
      assertThat(pricing.resolve("support-bot", null).rule()).isEqualTo("alias");
      assertThat(pricing.resolve("dated", null).rule()).isEqualTo("alias+date-suffix");
    }
  }

  @Test
  void providerNamesMapToCatalogProviders() {
    assertThat(PRICING.resolve("gpt-4o", "azure.ai.openai").provider()).isEqualTo("azure");
    assertThat(PRICING.resolve("gemini-2.5-pro", "gcp.gemini").provider()).isEqualTo("gemini");
    assertThat(PRICING.resolve("gemini-2.5-pro", "gcp.vertex_ai").provider())
        .isEqualTo("vertex_ai-language-models");
    assertThat(PRICING.resolve("claude-sonnet-4-5", "gcp.vertex_ai").resolvedKey())
        .isEqualTo("vertex_ai/claude-sonnet-4-5");
    assertThat(PRICING.resolve("grok-4", "x_ai").resolvedKey()).isEqualTo("xai/grok-4");
    assertThat(PRICING.resolve("deepseek-chat", "deepseek").resolvedKey())
        .isEqualTo("deepseek/deepseek-chat");
    // An unmapped provider name is taken as a LiteLLM provider prefix.
    assertThat(PRICING.resolve("llama-3.3-70b-versatile", "groq").resolvedKey())
        .isEqualTo("groq/llama-3.3-70b-versatile");
  }

  @Test
  void resolutionsAreCachedAndTheCacheIsBounded() {
    Pricing pricing = Pricing.of(Snapshot.catalog());
    ModelResolution first = pricing.resolve("gpt-4o-2026-01-01", "openai");

    assertThat(pricing.resolve("gpt-4o-2026-01-01", "openai")).isSameAs(first);
    for (int i = 0; i < 20_000; i++) {
      pricing.resolve("unknown-model-" + i, null); // a flood of distinct names
    }
    for (int i = 0; i < 300; i++) {
      pricing.resolve("gpt-4o", "provider-" + i); // and of distinct providers
    }
    assertThat(pricing.resolve("gpt-4o-2026-01-01", "openai").resolvedKey()).isEqualTo("gpt-4o");
  }

  @Test
  void caseInsensitiveKeysInTheCatalogItself() {
    PricingCatalog catalog =
        PricingCatalog.parse(
            new ByteArrayInputStream(
                "{\"Org/Model-X\": {\"input_cost_per_token\": 1e-6, \"output_cost_per_token\": 1e-6}}"
                    .getBytes(StandardCharsets.UTF_8)),
            "t");

    assertThat(Pricing.of(catalog).resolve("org/model-x", null).resolvedKey())
        .isEqualTo("Org/Model-X");
  }
}
