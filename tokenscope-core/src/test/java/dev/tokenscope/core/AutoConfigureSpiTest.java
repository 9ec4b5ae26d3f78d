package dev.tokenscope.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenscope.core.testing.InMemoryTokenScope;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Applications (and the Spring Boot starter, and the Java agent) that build their SDK with
 * OpenTelemetry's autoconfigure get TokenScope from the class path alone, through the {@code
 * AutoConfigurationCustomizerProvider} SPI: no second SDK.
 */
class AutoConfigureSpiTest {

  private final RecordingCollector collector = new RecordingCollector();

  @BeforeEach
  void pricing() {
    System.setProperty("tokenscope.pricing.file", TestPricing.SNAPSHOT.toString());
    System.setProperty("tokenscope.pricing.offline", "true");
  }

  @AfterEach
  void stop() {
    System.clearProperty("tokenscope.pricing.file");
    System.clearProperty("tokenscope.pricing.offline");
    collector.close();
    GlobalOpenTelemetry.resetForTest();
  }

  /** An SDK built by autoconfigure alone, exporting to the collector, plus {@code extra}. */
  private OpenTelemetrySdk autoconfigure(Map<String, String> extra) {
    Map<String, String> properties = new HashMap<>(extra);
    properties.put("otel.exporter.otlp.endpoint", collector.endpoint());
    properties.put("otel.exporter.otlp.protocol", "http/protobuf");
    properties.put("otel.logs.exporter", "none");
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> properties)
        .setResultAsGlobal()
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
  }

  private static void chat(OpenTelemetrySdk sdk) {
    InMemoryTokenScope.foreignChat(sdk.getTracer("some-instrumentation"), "gpt-4o", 1_000, 200);
  }

  @Test
  void theSpiAddsCostMetricsAndStructureToAnAutoconfiguredSdk() {
    OpenTelemetrySdk sdk =
        autoconfigure(
            Map.of("otel.traces.sampler", "traceidratio", "otel.traces.sampler.arg", "0"));

    assertThat(sdk.getSdkTracerProvider().getSampler().getDescription())
        .startsWith("TokenScopeRecording{");
    TokenScope.workflow("spi").run(() -> chat(sdk));
    sdk.close();

    // Sampled out (ratio 0), so nothing exported, yet the cost counter saw the call.
    assertThat(collector.spans()).isEmpty();
    assertThat(collector.doubleSum("gen_ai.client.cost")).contains(0.0045);
  }

  @Test
  void exportedSpansOfAnAutoconfiguredSdkCarryCost() {
    OpenTelemetrySdk sdk = autoconfigure(Map.of());

    chat(sdk);
    sdk.close();

    List<io.opentelemetry.proto.trace.v1.Span> spans = collector.spans();
    assertThat(spans).hasSize(1);
    assertThat(
            RecordingCollector.attributes(spans.get(0))
                .get("gen_ai.cost.total_usd")
                .getValue()
                .getDoubleValue())
        .isEqualTo(0.0045);
  }

  @Test
  void theSpiCanBeSwitchedOff() {
    OpenTelemetrySdk sdk = autoconfigure(Map.of("tokenscope.autoconfigure.enabled", "false"));

    chat(sdk);
    sdk.close();

    assertThat(RecordingCollector.attributes(collector.spans().get(0)))
        .doesNotContainKey("gen_ai.cost.total_usd");
    assertThat(collector.doubleSum("gen_ai.client.cost")).isEmpty();
  }
}
