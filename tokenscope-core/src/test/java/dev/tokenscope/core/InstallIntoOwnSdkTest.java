package dev.tokenscope.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SdkTracerProviderBuilder;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Applications that build their own SDK add TokenScope to it instead of getting a second one. */
class InstallIntoOwnSdkTest {

  @AfterEach
  void reset() {
    GlobalOpenTelemetry.resetForTest();
  }

  @Test
  void installAddsCostMetricsAndRollupsToTheApplicationsSdk() {
    InMemoryMetricReader reader = InMemoryMetricReader.create();
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    SdkMeterProvider meters = SdkMeterProvider.builder().registerMetricReader(reader).build();
    SdkTracerProviderBuilder tracing = SdkTracerProvider.builder();

    TokenScope tokenScope =
        TokenScope.builder()
            .pricing(TestPricing.snapshot())
            .sampler(Sampler.parentBased(Sampler.traceIdRatioBased(0.5)))
            .install(tracing, meters);
    tracing.addSpanProcessor(SimpleSpanProcessor.create(tokenScope.spanExporter(exporter)));
    OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(tracing.build())
            .setMeterProvider(meters)
            .buildAndRegisterGlobal();

    try {
      assertThat(sdk.getSdkTracerProvider().getSampler().getDescription())
          .startsWith("TokenScopeRecording{ParentBased");
      for (int i = 0; i < 40; i++) {
        TokenScope.workflow("w" + i)
            .run(
                () -> {
                  Span span =
                      sdk.getTracer("app")
                          .spanBuilder("chat gpt-4o")
                          .setAttribute("gen_ai.request.model", "gpt-4o")
                          .setAttribute("gen_ai.usage.input_tokens", 1_000L)
                          .startSpan();
                  span.end();
                });
      }

      double cost =
          reader.collectAllMetrics().stream()
              .filter(m -> m.getName().equals("gen_ai.client.cost"))
              .flatMap(m -> m.getDoubleSumData().getPoints().stream())
              .mapToDouble(DoublePointData::getValue)
              .sum();
      assertThat(cost).isEqualTo(40 * 0.0025, org.assertj.core.data.Offset.offset(1e-12));
      assertThat(exporter.getFinishedSpanItems()).isNotEmpty().hasSizeLessThan(80);
      for (SpanData span : exporter.getFinishedSpanItems()) {
        if (span.getName().equals("chat gpt-4o")) {
          assertThat(span.getAttributes().get(AttributeKey.doubleKey("gen_ai.cost.total_usd")))
              .isEqualTo(0.0025);
        } else {
          assertThat(span.getAttributes().get(AttributeKey.longKey("tokenscope.rollup.llm_calls")))
              .isEqualTo(1);
        }
      }
    } finally {
      tokenScope.close();
      sdk.close();
    }
  }
}
