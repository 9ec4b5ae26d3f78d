package dev.tokenscope.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenscope.pricing.internal.PricingSettings;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class UsageAndConfigurationTest {

  @Test
  void usageValidatesWithClearMessages() {
    assertThatThrownBy(() -> Usage.of(-1, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("input tokens must not be negative, got -1");
    assertThatThrownBy(() -> Usage.builder().inputTokens(10).cacheReadTokens(11).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exceed input tokens (10)");
    assertThatThrownBy(
            () ->
                Usage.builder()
                    .inputTokens(10)
                    .cacheReadTokens(5)
                    .cacheWriteTokens(4)
                    .cacheWrite1hTokens(2)
                    .build())
        .hasMessageContaining("(5 + 4 + 2) exceed input tokens (10)");
    assertThatThrownBy(() -> Usage.builder().outputTokens(1).reasoningTokens(2).build())
        .hasMessageContaining("reasoning tokens (2) exceed output tokens (1)");
    assertThatThrownBy(() -> Usage.builder().serviceTier(null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void usageDefaultsAndCopies() {
    Usage usage = Usage.of(100, 20);

    assertThat(usage.serviceTier()).isEqualTo(ServiceTier.STANDARD);
    assertThat(usage.batch()).isFalse();
    assertThat(usage.toBuilder().cacheReadTokens(40).build().uncachedInputTokens()).isEqualTo(60);
  }

  @Test
  void serviceTierParsesProviderSpellings() {
    assertThat(ServiceTier.parse("FLEX")).isEqualTo(ServiceTier.FLEX);
    assertThat(ServiceTier.parse("priority")).isEqualTo(ServiceTier.PRIORITY);
    assertThat(ServiceTier.parse("default")).isEqualTo(ServiceTier.STANDARD);
    assertThatThrownBy(() -> ServiceTier.parse("turbo"))
        .hasMessageContaining("expected flex, priority or standard");
  }

  @Test
  void costNeverThrowsAndNeverPricesUnknownsAtZero() {
    Pricing pricing = Pricing.of(PricingCatalog.builtin());
    Cost cost = pricing.cost("no-such-model", "openai", Usage.of(1_000_000, 1_000_000));

    assertThat(cost.priced()).isFalse();
    assertThat(cost.pricingSource()).isEqualTo("builtin@2026-07-24");
    assertThat(pricing.cost(null, null, Usage.of(1, 1)).priced()).isFalse();
  }

  @Test
  void hugeRequestsStayExact() {
    // 4e12 tokens at $0.00006 overflows 64-bit units: the exact BigInteger path takes over.
    Pricing pricing = Pricing.of(Snapshot.catalog());
    Cost cost = pricing.cost("gpt-4", "openai", Usage.of(4_000_000_000_000L, 1_000_000_000_000L));

    assertThat(cost.inputUsd()).isEqualTo(120_000_000.0);
    assertThat(cost.outputUsd()).isEqualTo(60_000_000.0);
    assertThat(cost.totalUsd()).isEqualTo(180_000_000.0);
  }

  @Test
  void centsDoNotDriftWhenSummingManyCalls() {
    // 10,000 calls of 1,234 input tokens at $2.5/M: double math drifts, the engine's parts do not.
    Pricing pricing = Pricing.of(Snapshot.catalog());
    Cost one = pricing.cost("gpt-4o", "openai", Usage.of(1234, 0));

    assertThat(one.totalUsd()).isEqualTo(0.003085);
    assertThat(
            new java.math.BigDecimal(Double.toString(one.totalUsd()))
                .multiply(java.math.BigDecimal.valueOf(10_000)))
        .isEqualByComparingTo("30.85");
  }

  @Test
  void settingsReadSystemPropertiesBeforeEnvironment() {
    Properties properties = new Properties();
    properties.setProperty("tokenscope.pricing.max.age", "6h");
    Map<String, String> env =
        Map.of(
            "TOKENSCOPE_PRICING_MAX_AGE", "48h",
            "TOKENSCOPE_PRICING_REFRESH_INTERVAL", "15m",
            "TOKENSCOPE_PRICING_ALIASES", "my-gpt4o-prod=gpt-4o, fast = gpt-4o-mini",
            "TOKENSCOPE_PRICING_OFFLINE", "yes",
            "TOKENSCOPE_PRICING_URL", "ftp://example/x.json",
            "TOKENSCOPE_PRICING_TIMEOUT", "soon");
    PricingSettings settings = new PricingSettings(env::get, properties);

    assertThat(settings.duration(PricingSettings.MAX_AGE)).isEqualTo(Duration.ofHours(6));
    assertThat(settings.duration(PricingSettings.REFRESH_INTERVAL))
        .isEqualTo(Duration.ofMinutes(15));
    assertThat(settings.aliases())
        .containsEntry("my-gpt4o-prod", "gpt-4o")
        .containsEntry("fast", "gpt-4o-mini");
    assertThat(settings.bool(PricingSettings.OFFLINE)).isTrue();
    assertThat(settings.uri(PricingSettings.URL))
        .as("not http(s): ignored with a warning")
        .isNull();
    assertThat(settings.duration(PricingSettings.TIMEOUT)).as("malformed: ignored").isNull();
  }

  @Test
  void durationsAndAliasesParseStrictly() {
    assertThat(PricingSettings.parseDuration("PT24H")).isEqualTo(Duration.ofHours(24));
    assertThat(PricingSettings.parseDuration("90")).isEqualTo(Duration.ofSeconds(90));
    assertThat(PricingSettings.parseDuration("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(PricingSettings.parseDuration("500ms")).isEqualTo(Duration.ofMillis(500));
    assertThatThrownBy(() -> PricingSettings.parseDuration("-1h"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PricingSettings.parseAliases("broken"))
        .hasMessageContaining("'broken' is not of the form deployment=model");
    assertThatThrownBy(() -> PricingSettings.parseAliases("a="))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void builderRejectsNonsense() {
    assertThatThrownBy(() -> Pricing.builder().maxAge(Duration.ZERO))
        .hasMessageContaining("maxAge must be positive");
    assertThatThrownBy(() -> Pricing.builder().alias(" ", "gpt-4o"))
        .hasMessageContaining("must not be blank");
    assertThatThrownBy(() -> Pricing.builder().catalog(null))
        .isInstanceOf(NullPointerException.class);
  }
}
