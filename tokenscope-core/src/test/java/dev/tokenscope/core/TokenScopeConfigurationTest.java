package dev.tokenscope.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenscope.core.testing.InMemoryTokenScope;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenScopeConfigurationTest {

  @Test
  void contentCaptureFollowsTokenScopeAndTraceloopSettings() {
    try (InMemoryTokenScope scope = InMemoryTokenScope.create()) {
      assertThat(scope.tokenScope().contentPolicy().captureContent()).isFalse();
      assertThat(InferenceSpans.contentPolicy().captureContent()).isFalse();
    }
    try (InMemoryTokenScope scope =
        InMemoryTokenScope.create(b -> b.property("traceloop.trace.content", "true"))) {
      assertThat(scope.tokenScope().contentPolicy().captureContent()).isTrue();
      assertThat(InferenceSpans.contentPolicy().captureContent()).isTrue();
    }
    try (InMemoryTokenScope scope =
        InMemoryTokenScope.create(
            b ->
                b.property("traceloop.trace.content", "true")
                    .property("tokenscope.trace.content", "false"))) {
      assertThat(scope.tokenScope().contentPolicy().captureContent()).isFalse();
    }
  }

  @Test
  void theEnvironmentWinsOverBuilderDefaults() {
    System.setProperty("tokenscope.trace.content", "false");
    try (InMemoryTokenScope scope = InMemoryTokenScope.create(b -> b.traceContent(true))) {
      assertThat(scope.tokenScope().contentPolicy().captureContent()).isFalse();
    } finally {
      System.clearProperty("tokenscope.trace.content");
    }
  }

  @Test
  void contentMaxLengthIsConfigurable() {
    try (InMemoryTokenScope scope =
        InMemoryTokenScope.create(
            b -> b.traceContent(true).property("tokenscope.content.max.length", "32"))) {
      assertThat(scope.tokenScope().contentPolicy().redact("x".repeat(100)))
          .startsWith("x".repeat(32) + "…");
    }
  }

  @Test
  void invalidSettingsFailWithTheKeyInTheMessage() {
    assertThatThrownBy(
            () -> InMemoryTokenScope.create(b -> b.property("tokenscope.trace.content", "maybe")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("tokenscope.trace.content");
    assertThatThrownBy(
            () -> InMemoryTokenScope.create(b -> b.property("tokenscope.content.max.length", "3")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("tokenscope.content.max.length");
    assertThatThrownBy(
            () ->
                InMemoryTokenScope.create(
                    b -> b.property("tokenscope.metrics.workflow.limit", "0")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("tokenscope.metrics.workflow.limit");
  }

  @Test
  void builderArgumentsAreValidated() {
    TokenScope.Builder builder = TokenScope.builder();
    assertThatThrownBy(() -> builder.endpoint("localhost:4318"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://");
    assertThatThrownBy(() -> builder.endpoint("not a url"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.protocol("udp"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http/protobuf");
    assertThatThrownBy(() -> builder.serviceName(" ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.batchMaxQueueSize(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.metricExportInterval(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> builder.pricing(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void resourceAttributesAndServiceNameReachTheResource() {
    try (InMemoryTokenScope scope =
        InMemoryTokenScope.create(
            b -> b.resourceAttribute("deployment.environment.name", "test"))) {
      scope.foreignChat("gpt-4o", 1, 1);
      var resource = scope.span("chat gpt-4o").getResource();
      assertThat(
              resource.getAttribute(
                  io.opentelemetry.api.common.AttributeKey.stringKey("service.name")))
          .isEqualTo("tokenscope-test");
      assertThat(
              resource.getAttribute(
                  io.opentelemetry.api.common.AttributeKey.stringKey(
                      "deployment.environment.name")))
          .isEqualTo("test");
    }
  }

  @Test
  void aDisabledSdkStillGivesAWorkingNoOpApi() {
    // A system property, as the environment (surefire sets OTEL_SDK_DISABLED=false) beats defaults.
    System.setProperty("otel.sdk.disabled", "true");
    try (InMemoryTokenScope scope = InMemoryTokenScope.create()) {
      String result = TokenScope.workflow("w").call(() -> "still runs");
      scope.foreignChat("gpt-4o", 1, 1);

      assertThat(result).isEqualTo("still runs");
      assertThat(scope.exported()).isEmpty();
      assertThat(scope.tokenScope().pricing()).isSameAs(TestPricing.snapshot());
    } finally {
      System.clearProperty("otel.sdk.disabled");
    }
  }

  @Test
  void apmServerEndpointsGetDeltaTemporality() {
    assertThat(TokenScope.Builder.isApmServer("http://apm:8200")).isTrue();
    assertThat(TokenScope.Builder.isApmServer("http://127.0.0.1:4318")).isFalse();
    assertThat(TokenScope.Builder.isApmServer("::bad::")).isFalse();
  }
}
