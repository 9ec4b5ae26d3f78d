package dev.tokenscope.core.internal;

import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizer;
import io.opentelemetry.sdk.autoconfigure.spi.AutoConfigurationCustomizerProvider;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;

/**
 * Adds TokenScope to any SDK built by OpenTelemetry's autoconfigure — {@code
 * AutoConfiguredOpenTelemetrySdk.initialize()}, the Spring Boot starter, the Java agent (with this
 * jar as an extension) — with no code: found through {@code META-INF/services}. Settings come from
 * the same configuration ({@code TOKENSCOPE_*}, {@code tokenscope.*}); prices from {@code
 * Pricing.create()}; metrics go to the global meter provider once the SDK is registered globally.
 * Off with {@code TOKENSCOPE_AUTOCONFIGURE_ENABLED=false}; skipped when {@code TokenScope.init()}
 * builds the SDK (it installs TokenScope itself).
 */
public final class TokenScopeAutoConfiguration implements AutoConfigurationCustomizerProvider {

  /** Set by {@code TokenScope.init()} so this provider stays out of the SDK it builds. */
  public static final String INSTALLED_BY_INIT = "tokenscope.internal.installed.by.init";

  /** Master switch of this provider. */
  public static final String ENABLED = "tokenscope.autoconfigure.enabled";

  @Override
  public void customize(AutoConfigurationCustomizer customizer) {
    Installation installation =
        new Installation(Installation.Overrides.none(), MetricsBinding.fromGlobal());
    installation.customize(
        customizer,
        TokenScopeAutoConfiguration::active,
        () -> TokenScopeRuntime.activate(installation.runtime(null)));
  }

  static boolean active(ConfigProperties config) {
    return !config.getBoolean(INSTALLED_BY_INIT, false) && config.getBoolean(ENABLED, true);
  }
}
