package dev.tokenscope.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenscope.core.testing.InMemoryTokenScope;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user's {@code main} goes from nothing to cost-enriched spans and metrics with one line, {@code
 * TokenScope.init()}, configured only by the standard environment (here system properties, which
 * autoconfigure reads the same way): the real OTLP/HTTP protobuf exporter talks to a loopback
 * server that decodes what it receives.
 */
class OneLineSetupTest {

  private static final Map<String, String> ENVIRONMENT =
      Map.of(
          "otel.service.name", "menu-app",
          "tokenscope.pricing.file", TestPricing.SNAPSHOT.toString(),
          "tokenscope.pricing.offline", "true");

  private final RecordingCollector collector = new RecordingCollector();

  @BeforeEach
  void environment() {
    ENVIRONMENT.forEach(System::setProperty);
    System.setProperty("otel.exporter.otlp.endpoint", collector.endpoint());
  }

  @AfterEach
  void stop() {
    ENVIRONMENT.keySet().forEach(System::clearProperty);
    System.clearProperty("otel.exporter.otlp.endpoint");
    collector.close();
    GlobalOpenTelemetry.resetForTest();
  }

  /** The application: an LLM client library that emits its own gen_ai span, nothing else. */
  private static void callTheLlm() {
    InMemoryTokenScope.foreignChat(
        GlobalOpenTelemetry.getTracer("acme-llm-client"), "gpt-4o", 1_000, 200);
  }

  @Test
  void oneLineGivesCostEnrichedSpansAndMetrics() {
    try (TokenScope ignored = TokenScope.init()) { // <- the one line
      callTheLlm();
    }

    List<io.opentelemetry.proto.trace.v1.Span> spans = collector.spans();
    assertThat(spans).hasSize(1);
    Map<String, KeyValue> attributes = RecordingCollector.attributes(spans.get(0));
    assertThat(attributes.get("gen_ai.cost.total_usd").getValue().getDoubleValue())
        .isEqualTo(0.0045);
    assertThat(attributes.get("gen_ai.cost.pricing_source").getValue().getStringValue())
        .isEqualTo(TestPricing.snapshot().source());
    ResourceSpans resource = collector.traces.get(0).getResourceSpans(0);
    assertThat(resource.getResource().getAttributesList())
        .anySatisfy(
            kv -> {
              assertThat(kv.getKey()).isEqualTo("service.name");
              assertThat(kv.getValue().getStringValue()).isEqualTo("menu-app");
            });
    assertThat(collector.doubleSum("gen_ai.client.cost")).contains(0.0045);
  }

  @Test
  void initTwiceIsAClearError() {
    try (TokenScope ignored = TokenScope.init()) {
      assertThatThrownBy(TokenScope::init)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("install");
    }
  }
}
