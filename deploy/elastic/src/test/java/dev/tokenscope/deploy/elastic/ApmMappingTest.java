package dev.tokenscope.deploy.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rules of the APM mapping model, one by one, on hand-built spans and metrics. */
class ApmMappingTest {

  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";
  private static final SpanContext PARENT =
      SpanContext.create(
          TRACE_ID, "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());
  private static final Resource RESOURCE =
      Resource.create(
          Attributes.builder()
              .put("service.name", "menu-api")
              .put("deployment.environment.name", "prod")
              .put("telemetry.sdk.name", "opentelemetry")
              .put("telemetry.sdk.language", "java")
              .put("telemetry.sdk.version", "1.65.0")
              .put("team", "kitchen")
              .build());

  private static SpanData span(SpanKind kind, SpanContext parent, Attributes attributes) {
    return TestSpanData.builder()
        .setSpanContext(
            SpanContext.create(
                TRACE_ID, "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault()))
        .setParentSpanContext(parent)
        .setName("chat gpt-4.1-mini")
        .setKind(kind)
        .setResource(RESOURCE)
        .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("dev.tokenscope"))
        .setAttributes(attributes)
        .setStartEpochNanos(1_000_000_000L)
        .setEndEpochNanos(1_002_500_000L)
        .setStatus(StatusData.unset())
        .setHasEnded(true)
        .setTotalRecordedEvents(0)
        .setTotalRecordedLinks(0)
        .setTotalAttributeCount(attributes.size())
        .build();
  }

  @Test
  void rootAndServerAndConsumerSpansAreTransactionsOthersAreSpans() {
    assertThat(event(SpanKind.INTERNAL, SpanContext.getInvalid())).isEqualTo("transaction");
    assertThat(event(SpanKind.SERVER, PARENT)).isEqualTo("transaction");
    assertThat(event(SpanKind.CONSUMER, PARENT)).isEqualTo("transaction");
    assertThat(event(SpanKind.CLIENT, PARENT)).isEqualTo("span");
    assertThat(event(SpanKind.INTERNAL, PARENT)).isEqualTo("span");
  }

  private static String event(SpanKind kind, SpanContext parent) {
    return ApmMapping.span(span(kind, parent, Attributes.empty())).string("processor.event");
  }

  @Test
  void durationLandsInMicrosecondsUnderTheEventType() {
    ApmDocument asSpan = ApmMapping.span(span(SpanKind.CLIENT, PARENT, Attributes.empty()));
    ApmDocument asTransaction =
        ApmMapping.span(span(SpanKind.SERVER, SpanContext.getInvalid(), Attributes.empty()));

    assertThat(asSpan.get("span.duration.us")).isEqualTo(2_500L);
    assertThat(asSpan.has("transaction.duration.us")).isFalse();
    assertThat(asTransaction.get("transaction.duration.us")).isEqualTo(2_500L);
    assertThat(asTransaction.get("transaction.name")).isEqualTo("chat gpt-4.1-mini");
  }

  @Test
  void genAiSystemOnASpanBecomesSpanTypeGenaiAndIsNotALabel() {
    ApmDocument doc =
        ApmMapping.span(
            span(
                SpanKind.CLIENT,
                PARENT,
                Attributes.of(AttributeKey.stringKey("gen_ai.system"), "openai")));

    assertThat(doc.get("span.type")).isEqualTo("genai");
    assertThat(doc.get("span.subtype")).isEqualTo("openai");
    assertThat(doc.has("labels.gen_ai_system")).isFalse();
  }

  @Test
  void httpAttributesOnAGenAiSpanMakeItAnExternalHttpSpan() {
    // The Anthropic SDK's own spans carry both; APM's span typing looks at HTTP first.
    ApmDocument doc =
        ApmMapping.span(
            span(
                SpanKind.CLIENT,
                PARENT,
                Attributes.builder()
                    .put("gen_ai.system", "anthropic")
                    .put("gen_ai.operation.name", "chat")
                    .put("http.request.method", "POST")
                    .put("url.full", "https://api.anthropic.com/v1/messages")
                    .build()));

    assertThat(doc.get("span.type")).isEqualTo("external");
    assertThat(doc.get("span.subtype")).isEqualTo("http");
    assertThat(doc.get("labels.gen_ai_operation_name")).isEqualTo("chat");
  }

  @Test
  void genAiSystemOnATransactionIsOnlyALabel() {
    ApmDocument doc =
        ApmMapping.span(
            span(
                SpanKind.CLIENT,
                SpanContext.getInvalid(),
                Attributes.of(AttributeKey.stringKey("gen_ai.system"), "openai")));

    assertThat(doc.has("span.type")).isFalse();
    assertThat(doc.get("labels.gen_ai_system")).isEqualTo("openai");
  }

  @Test
  void stringsAndBooleansBecomeLabelsNumbersNumericLabelsWithDotsReplaced() {
    ApmDocument doc =
        ApmMapping.span(
            span(
                SpanKind.CLIENT,
                PARENT,
                Attributes.builder()
                    .put("gen_ai.request.model", "gpt-4.1-mini")
                    .put("gen_ai.cost.pricing_unavailable", true)
                    .put("gen_ai.usage.input_tokens", 1200L)
                    .put("gen_ai.cost.total_usd", 0.00123)
                    .put("gen_ai.response.finish_reasons", "stop", "length")
                    .build()));

    assertThat(doc.get("labels.gen_ai_request_model")).isEqualTo("gpt-4.1-mini");
    assertThat(doc.get("labels.gen_ai_cost_pricing_unavailable")).isEqualTo("true");
    assertThat(doc.get("numeric_labels.gen_ai_usage_input_tokens")).isEqualTo(1200.0);
    assertThat(doc.get("numeric_labels.gen_ai_cost_total_usd")).isEqualTo(0.00123);
    assertThat(doc.get("labels.gen_ai_response_finish_reasons"))
        .isEqualTo(List.of("stop", "length"));
  }

  @Test
  void numericLabelsKeepSixDecimalsLikeAScaledFloatWithFactorOneMillion() {
    assertThat(ApmMapping.scaledFloat(0.0000002)).isZero();
    assertThat(ApmMapping.scaledFloat(0.0000006)).isEqualTo(0.000001);
    assertThat(ApmMapping.scaledFloat(0.0123456789)).isCloseTo(0.012346, within(1e-12));
    assertThat(ApmMapping.scaledFloat(1234.5)).isEqualTo(1234.5);
  }

  @Test
  void serverAddressAndPortOnASpanBecomeDestinationNotLabels() {
    ApmDocument doc =
        ApmMapping.span(
            span(
                SpanKind.CLIENT,
                PARENT,
                Attributes.builder()
                    .put("server.address", "api.openai.com")
                    .put("server.port", 443L)
                    .put("gen_ai.system", "openai")
                    .build()));

    assertThat(doc.get("destination.address")).isEqualTo("api.openai.com");
    assertThat(doc.get("destination.port")).isEqualTo(443L);
    assertThat(doc.fields())
        .doesNotContainKeys("labels.server_address", "numeric_labels.server_port");
    assertThat(doc.get("span.type")).isEqualTo("genai");
  }

  @Test
  void httpAttributesOnAServerSpanMakeARequestTransactionWithAnHttpResult() {
    ApmDocument doc =
        ApmMapping.span(
            span(
                SpanKind.SERVER,
                SpanContext.getInvalid(),
                Attributes.builder()
                    .put("http.request.method", "POST")
                    .put("http.route", "/menus")
                    .put("http.response.status_code", 503L)
                    .build()));

    assertThat(doc.get("transaction.type")).isEqualTo("request");
    assertThat(doc.get("transaction.result")).isEqualTo("HTTP 5xx");
    assertThat(doc.get("event.outcome")).isEqualTo("failure");
    assertThat(doc.get("http.request.method")).isEqualTo("POST");
    assertThat(doc.get("labels.http_route")).isEqualTo("/menus");
  }

  @Test
  void internalSpansWithoutKnownAttributesAreAppInternalAndRootWorkflowsUnknownTransactions() {
    assertThat(
            ApmMapping.span(span(SpanKind.INTERNAL, PARENT, Attributes.empty())).get("span.type"))
        .isEqualTo("app");
    assertThat(
            ApmMapping.span(span(SpanKind.INTERNAL, SpanContext.getInvalid(), Attributes.empty()))
                .get("transaction.type"))
        .isEqualTo("unknown");
  }

  @Test
  void statusGivesTheOutcome() {
    SpanData failed =
        TestSpanData.builder()
            .setSpanContext(
                SpanContext.create(
                    TRACE_ID, "00f067aa0ba902b7", TraceFlags.getSampled(), TraceState.getDefault()))
            .setParentSpanContext(PARENT)
            .setName("chat")
            .setKind(SpanKind.CLIENT)
            .setResource(RESOURCE)
            .setStartEpochNanos(1)
            .setEndEpochNanos(2)
            .setStatus(StatusData.error())
            .setHasEnded(true)
            .setTotalRecordedEvents(0)
            .setTotalRecordedLinks(0)
            .setTotalAttributeCount(0)
            .build();

    assertThat(ApmMapping.span(failed).get("event.outcome")).isEqualTo("failure");
    assertThat(
            ApmMapping.span(span(SpanKind.CLIENT, PARENT, Attributes.empty())).get("event.outcome"))
        .isEqualTo("unknown");
  }

  @Test
  void resourceGivesServiceEnvironmentAgentAndGlobalLabels() {
    ApmDocument doc = ApmMapping.span(span(SpanKind.CLIENT, PARENT, Attributes.empty()));

    assertThat(doc.get("service.name")).isEqualTo("menu-api");
    assertThat(doc.get("service.environment")).isEqualTo("prod");
    assertThat(doc.get("agent.name")).isEqualTo("opentelemetry/java");
    assertThat(doc.get("labels.team")).isEqualTo("kitchen");
    assertThat(doc.index()).isEqualTo("traces-apm-default");
  }

  @Test
  void metricsLandPerTimestampAndAttributesWithEachMetricATopLevelField() {
    InMemoryMetricReader reader = InMemoryMetricReader.createDelta();
    List<MetricData> exported;
    try (SdkMeterProvider provider =
        SdkMeterProvider.builder().setResource(RESOURCE).registerMetricReader(reader).build()) {
      var meter = provider.get("dev.tokenscope");
      Attributes model =
          Attributes.of(AttributeKey.stringKey("gen_ai.response.model"), "gpt-4.1-mini");
      meter.counterBuilder("gen_ai.client.cost").ofDoubles().build().add(0.25, model);
      meter.counterBuilder("gen_ai.client.cost").ofDoubles().build().add(0.5, model);
      meter.histogramBuilder("gen_ai.client.operation.duration").build().record(1.5, model);
      exported = new ArrayList<>(reader.collectAllMetrics());
    }

    List<ApmDocument> docs = ApmMapping.metrics(exported);

    assertThat(docs).hasSize(1);
    ApmDocument doc = docs.get(0);
    assertThat(doc.index()).isEqualTo("metrics-apm.app.menu_api-default");
    assertThat(doc.get("gen_ai.client.cost")).isEqualTo(0.75);
    assertThat(doc.get("labels.gen_ai_response_model")).isEqualTo("gpt-4.1-mini");
    assertThat(doc.get("metricset.name")).isEqualTo("app");
    @SuppressWarnings("unchecked")
    Map<String, Object> histogram =
        (Map<String, Object>) doc.get("gen_ai.client.operation.duration");
    assertThat(histogram).containsOnlyKeys("values", "counts");
    assertThat(histogram.get("counts")).isEqualTo(List.of(1L));
  }

  @Test
  void labelKeysLoseDotsStarsAndQuotes() {
    assertThat(ApmMapping.labelKey("a.b*c\"d")).isEqualTo("a_b_c_d");
  }
}
