package dev.tokenscope.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.pricing.Usage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Ingest from real exporters: the Java SDK over http/protobuf, and OTLP/JSON as others send it. */
class OtlpIngestTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String RANGE = "from=0&to=9000000000000";
  private Console console;

  @BeforeEach
  void start() throws Exception {
    console =
        Console.builder()
            .inMemory()
            .otlpPort(0)
            .uiPort(0)
            .pricing(KnownTelemetry.PRICING)
            .retention(java.time.Duration.ofDays(36500))
            .start();
  }

  @AfterEach
  void stop() {
    console.close();
  }

  private JsonNode api(String path) throws Exception {
    HttpResponse<String> response = Otlp.get(console.uiUrl() + path);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  @Test
  void javaSdkExporterOverHttpProtobuf() throws Exception {
    OtlpHttpSpanExporter exporter =
        OtlpHttpSpanExporter.builder()
            .setEndpoint(console.otlpEndpoint() + "/v1/traces")
            .setCompression("gzip")
            .build();
    SdkTracerProvider tracerProvider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.create(
                            Attributes.of(AttributeKey.stringKey("service.name"), "java-app"))))
            .addSpanProcessor(BatchSpanProcessor.builder(exporter).build())
            .build();
    OtlpHttpMetricExporter metricExporter =
        OtlpHttpMetricExporter.builder()
            .setEndpoint(console.otlpEndpoint() + "/v1/metrics")
            .build();
    SdkMeterProvider meterProvider =
        SdkMeterProvider.builder()
            .registerMetricReader(PeriodicMetricReader.builder(metricExporter).build())
            .build();
    try (OpenTelemetrySdk sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(tracerProvider)
            .setMeterProvider(meterProvider)
            .build()) {
      Tracer tracer = sdk.getTracer("test");
      Span workflow =
          tracer
              .spanBuilder("plan.workflow")
              .setAttribute("traceloop.span.kind", "workflow")
              .setAttribute("traceloop.workflow.name", "plan")
              .startSpan();
      String traceId = workflow.getSpanContext().getTraceId();
      try (Scope ignored = workflow.makeCurrent()) {
        Span call =
            tracer
                .spanBuilder("chat gpt-4o-mini")
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.provider.name", "openai")
                .setAttribute("gen_ai.request.model", "gpt-4o-mini")
                .setAttribute("gen_ai.usage.input_tokens", 1200L)
                .setAttribute("gen_ai.usage.output_tokens", 300L)
                .startSpan();
        call.end();
        Span failed =
            tracer
                .spanBuilder("chat gpt-4o-mini")
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("gen_ai.operation.name", "chat")
                .setAttribute("gen_ai.provider.name", "openai")
                .setAttribute("gen_ai.request.model", "gpt-4o-mini")
                .setAttribute("error.type", "timeout")
                .startSpan();
        failed.setStatus(StatusCode.ERROR);
        failed.end();
      }
      workflow.end();
      DoubleCounter cost =
          sdk.getMeter("test").counterBuilder("gen_ai.client.cost").ofDoubles().build();
      cost.add(0.5, Attributes.of(AttributeKey.stringKey("gen_ai.response.model"), "gpt-4o-mini"));

      CompletableResultCode flushed = tracerProvider.forceFlush().join(10, TimeUnit.SECONDS);
      assertThat(flushed.isSuccess()).isTrue();
      assertThat(meterProvider.forceFlush().join(10, TimeUnit.SECONDS).isSuccess()).isTrue();

      JsonNode trace = api("api/v1/traces/" + traceId);
      assertThat(trace.get("spans")).hasSize(3);
      JsonNode models = api("api/v1/models?" + RANGE);
      assertThat(models).hasSize(1);
      JsonNode mini = models.get(0);
      assertThat(mini.get("model").asText()).isEqualTo("gpt-4o-mini");
      assertThat(mini.get("calls").asLong()).isEqualTo(2);
      assertThat(mini.get("error_rate").asDouble()).isEqualTo(0.5);
      double expected =
          KnownTelemetry.PRICING.cost("gpt-4o-mini", "openai", Usage.of(1200, 300)).totalUsd();
      assertThat(mini.get("cost_usd").asDouble()).isCloseTo(expected, within(1e-12));
      assertThat(api("api/v1/workflows?" + RANGE).get(0).get("workflow").asText())
          .isEqualTo("plan");
      JsonNode metrics = api("api/v1/metrics?" + RANGE);
      assertThat(metrics.toString()).contains("gen_ai.client.cost");
    }
  }

  /** As the JavaScript SDK's OTLP/HTTP JSON exporter sends it: hex ids, int64 as strings. */
  private static final String NODE_BODY =
      """
      {"resourceSpans":[{"resource":{"attributes":[
        {"key":"service.name","value":{"stringValue":"node-app"}},
        {"key":"telemetry.sdk.language","value":{"stringValue":"nodejs"}}],
        "droppedAttributesCount":0},
       "scopeSpans":[{"scope":{"name":"@traceloop/instrumentation-openai","version":"0.11.0"},
        "spans":[{"traceId":"5b8efff798038103d269b633813fc60c","spanId":"eee19b7ec3c1b174",
          "parentSpanId":"eee19b7ec3c1b173","name":"openai.chat","kind":3,
          "startTimeUnixNano":"1764500000000000000","endTimeUnixNano":"1764500001500000000",
          "attributes":[
            {"key":"gen_ai.system","value":{"stringValue":"openai"}},
            {"key":"llm.request.type","value":{"stringValue":"chat"}},
            {"key":"gen_ai.request.model","value":{"stringValue":"gpt-4o-mini"}},
            {"key":"gen_ai.response.model","value":{"stringValue":"gpt-4o-mini-2024-07-18"}},
            {"key":"gen_ai.usage.prompt_tokens","value":{"intValue":"2000"}},
            {"key":"gen_ai.usage.completion_tokens","value":{"intValue":"500"}},
            {"key":"gen_ai.usage.cache_read_input_tokens","value":{"intValue":"1000"}},
            {"key":"llm.usage.total_tokens","value":{"intValue":"2500"}},
            {"key":"traceloop.workflow.name","value":{"stringValue":"summarise"}},
            {"key":"gen_ai.request.temperature","value":{"doubleValue":0.7}},
            {"key":"llm.is_streaming","value":{"boolValue":false}},
            {"key":"gen_ai.response.finish_reasons","value":{"arrayValue":{"values":[{"stringValue":"stop"}]}}}],
          "droppedAttributesCount":0,"events":[],"droppedEventsCount":0,
          "status":{"code":0},"links":[],"droppedLinksCount":0}]}]}]}
      """;

  /** As Python tooling and the Collector's JSON write it: ints as numbers, snake_case accepted. */
  private static final String PYTHON_BODY =
      """
      {"resource_spans":[{"resource":{"attributes":[
        {"key":"service.name","value":{"string_value":"py-app"}}]},
       "scope_spans":[{"scope":{"name":"opentelemetry.instrumentation.anthropic"},
        "spans":[{"trace_id":"0af7651916cd43dd8448eb211c80319c","span_id":"b7ad6b7169203331",
          "name":"anthropic.chat","kind":"SPAN_KIND_CLIENT",
          "start_time_unix_nano":1764500000000000000,"end_time_unix_nano":1764500000800000000,
          "attributes":[
            {"key":"gen_ai.system","value":{"string_value":"anthropic"}},
            {"key":"gen_ai.request.model","value":{"string_value":"claude-sonnet-4-5"}},
            {"key":"gen_ai.usage.input_tokens","value":{"int_value":3000}},
            {"key":"gen_ai.usage.output_tokens","value":{"int_value":400}}],
          "status":{"code":2,"message":"overloaded"}}]}]}]}
      """;

  @Test
  void otlpJsonFromNodeAndPythonIsPricedAtIngest() throws Exception {
    HttpResponse<byte[]> node =
        Otlp.post(
            console.otlpEndpoint() + "/v1/traces",
            "application/json",
            NODE_BODY.getBytes(StandardCharsets.UTF_8));
    assertThat(node.statusCode()).isEqualTo(200);
    assertThat(node.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(new String(node.body(), StandardCharsets.UTF_8)).isEqualTo("{}");
    HttpResponse<byte[]> python =
        Otlp.post(
            console.otlpEndpoint() + "/v1/traces",
            "application/json; charset=utf-8",
            Otlp.gzip(PYTHON_BODY.getBytes(StandardCharsets.UTF_8)),
            "Content-Encoding",
            "gzip");
    assertThat(python.statusCode()).isEqualTo(200);

    JsonNode trace = api("api/v1/traces/5b8efff798038103d269b633813fc60c");
    JsonNode span = trace.get("spans").get(0);
    assertThat(span.get("span_id").asText()).isEqualTo("eee19b7ec3c1b174");
    assertThat(span.get("parent_span_id").asText()).isEqualTo("eee19b7ec3c1b173");
    assertThat(span.get("kind").asText()).isEqualTo("CLIENT");
    assertThat(span.get("start").asDouble()).isEqualTo(1764500000000.0);
    assertThat(span.get("duration_ms").asDouble()).isEqualTo(1500.0);
    assertThat(span.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(span.get("input_tokens").asLong()).isEqualTo(2000);
    assertThat(span.get("cache_read_tokens").asLong()).isEqualTo(1000);
    assertThat(span.get("priced_by").asText()).isEqualTo("console");
    JsonNode attributes = span.get("attributes");
    assertThat(attributes.get("tokenscope.console.priced").asBoolean()).isTrue();
    assertThat(attributes.get("gen_ai.request.temperature").asDouble()).isEqualTo(0.7);
    assertThat(attributes.get("gen_ai.response.finish_reasons").get(0).asText()).isEqualTo("stop");
    double expected =
        KnownTelemetry.PRICING
            .cost(
                "gpt-4o-mini-2024-07-18",
                "openai",
                Usage.builder().inputTokens(2000).outputTokens(500).cacheReadTokens(1000).build())
            .totalUsd();
    assertThat(span.get("cost_usd").asDouble()).isCloseTo(expected, within(1e-12)).isPositive();
    assertThat(attributes.get("gen_ai.cost.total_usd").asDouble())
        .isCloseTo(expected, within(1e-12));

    JsonNode claude = api("api/v1/traces/0af7651916cd43dd8448eb211c80319c").get("spans").get(0);
    assertThat(claude.get("service").asText()).isEqualTo("py-app");
    assertThat(claude.get("status").asText()).isEqualTo("ERROR");
    assertThat(claude.get("status_message").asText()).isEqualTo("overloaded");
    assertThat(claude.get("cost_usd").asDouble()).isPositive();

    JsonNode summary = api("api/v1/summary?" + RANGE);
    assertThat(summary.get("calls").asLong()).isEqualTo(2);
    assertThat(summary.get("cache_savings_usd").asDouble()).isPositive();
    assertThat(api("api/v1/workflows?" + RANGE).toString()).contains("summarise");
  }

  @Test
  void otlpJsonMetrics() throws Exception {
    String body =
        """
        {"resourceMetrics":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"node-app"}}]},
          "scopeMetrics":[{"scope":{"name":"tokenscope"},"metrics":[
            {"name":"gen_ai.client.cost","unit":"USD","sum":{"aggregationTemporality":1,"isMonotonic":true,
              "dataPoints":[{"startTimeUnixNano":"1764500000000000000","timeUnixNano":"1764500060000000000",
                "asDouble":0.25,"attributes":[{"key":"gen_ai.response.model","value":{"stringValue":"gpt-4o"}}]}]}},
            {"name":"gen_ai.client.operation.duration","unit":"s","histogram":{"aggregationTemporality":1,
              "dataPoints":[{"startTimeUnixNano":"1764500000000000000","timeUnixNano":"1764500060000000000",
                "count":"3","sum":2.5,"min":0.5,"max":1.2,"bucketCounts":["0","2","1"],"explicitBounds":[0.1,1.0]}]}},
            {"name":"queue.depth","gauge":{"dataPoints":[{"timeUnixNano":"1764500060000000000","asInt":"7"}]}}]}]}]}
        """;
    HttpResponse<byte[]> response =
        Otlp.post(
            console.otlpEndpoint() + "/v1/metrics",
            "application/json",
            body.getBytes(StandardCharsets.UTF_8));
    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode metrics = api("api/v1/metrics?" + RANGE);
    assertThat(metrics).hasSize(3);
    JsonNode cost = metrics.get(0);
    assertThat(cost.get("name").asText()).isEqualTo("gen_ai.client.cost");
    assertThat(cost.get("delta_sum").asDouble()).isEqualTo(0.25);
    assertThat(metrics.get(1).get("delta_count").asLong()).isEqualTo(3);
    assertThat(metrics.get(2).get("type").asText()).isEqualTo("gauge");
  }

  @Test
  void spansThatArriveWithCostAreNotRepriced() throws Exception {
    var request =
        Otlp.request(
            "priced-app",
            List.of(
                KnownTelemetry.llm("p", "p1", null, "openai", "gpt-4o", 1000, 100, 1000, 100, 0.123)
                    .build()));
    assertThat(Otlp.postTraces(console, request).statusCode()).isEqualTo(200);
    JsonNode span = api("api/v1/traces/" + Otlp.traceId("p")).get("spans").get(0);
    assertThat(span.get("cost_usd").asDouble()).isEqualTo(0.123);
    assertThat(span.get("priced_by").asText()).isEqualTo("source");
    assertThat(span.get("attributes").has("tokenscope.console.priced")).isFalse();
  }

  @Test
  void invalidSpansAreReportedAsPartialSuccess() throws Exception {
    var good =
        KnownTelemetry.llm("g", "g1", null, "openai", "gpt-4o", 1000, 100, 10, 10, 0.1).build();
    var badId = good.toBuilder().setTraceId(Otlp.id("abcd")).build();
    var backwards =
        good.toBuilder().setSpanId(Otlp.id(Otlp.spanId("g2"))).setEndTimeUnixNano(1).build();
    HttpResponse<byte[]> response =
        Otlp.postTraces(console, Otlp.request("app", List.of(good, badId, backwards)));
    assertThat(response.statusCode()).isEqualTo(200);
    ExportTraceServiceResponse body = ExportTraceServiceResponse.parseFrom(response.body());
    assertThat(body.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
    assertThat(body.getPartialSuccess().getErrorMessage()).isNotBlank();
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(api("api/v1/status").get("storage").get("spans").asLong()).isEqualTo(1));
  }
}
