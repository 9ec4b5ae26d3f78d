package dev.tokenscope.console;

import static dev.tokenscope.console.KnownTelemetry.TRACE_A;
import static dev.tokenscope.console.KnownTelemetry.TRACE_B;
import static dev.tokenscope.console.KnownTelemetry.TRACE_C;
import static dev.tokenscope.console.KnownTelemetry.range;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class QueryApiTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static Console console;

  @BeforeAll
  static void load() throws Exception {
    console = KnownTelemetry.startLoaded();
  }

  @AfterAll
  static void close() {
    console.close();
  }

  private static JsonNode get(String pathAndQuery) throws Exception {
    HttpResponse<String> response = Otlp.get(console.uiUrl() + pathAndQuery.substring(1));
    assertThat(response.statusCode()).as(pathAndQuery + ": " + response.body()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    return JSON.readTree(response.body());
  }

  private static JsonNode find(JsonNode array, String field, String value) {
    for (JsonNode n : array) {
      if (value.equals(n.path(field).asText(null))) {
        return n;
      }
    }
    throw new AssertionError(field + "=" + value + " not in " + array);
  }

  @Test
  void modelsCarryCorrectCostsRatesAndPercentiles() throws Exception {
    JsonNode models = get("/api/v1/models?" + range());
    JsonNode gpt4o = find(models, "model", "gpt-4o");
    assertThat(gpt4o.get("provider").asText()).isEqualTo("openai");
    assertThat(gpt4o.get("calls").asLong()).isEqualTo(5);
    assertThat(gpt4o.get("input_tokens").asLong()).isEqualTo(4100);
    assertThat(gpt4o.get("output_tokens").asLong()).isEqualTo(2050);
    assertThat(gpt4o.get("cost_usd").asDouble()).isCloseTo(0.031, within(1e-9));
    // Cost per call over the 4 priced calls, not the 5 calls (one failed before any tokens).
    assertThat(gpt4o.get("avg_cost_usd").asDouble()).isCloseTo(0.031 / 4, within(1e-9));
    assertThat(gpt4o.get("error_rate").asDouble()).isCloseTo(0.2, within(1e-9));
    assertThat(gpt4o.get("avg_latency_ms").asDouble()).isCloseTo(1060, within(1e-6));
    // quantile_cont over 400, 500, 1200, 1200, 2000: 1200 + 0.8 * 800.
    assertThat(gpt4o.get("p95_latency_ms").asDouble()).isCloseTo(1840, within(1e-6));
    assertThat(gpt4o.get("input_output_ratio").asDouble()).isCloseTo(2.0, within(1e-9));
    assertThat(gpt4o.get("unpriced_calls").asLong()).isZero();

    JsonNode claude = find(models, "model", "claude-sonnet-4-5");
    assertThat(claude.get("cache_read_tokens").asLong()).isEqualTo(1000);
    assertThat(claude.get("cache_savings_usd").asDouble())
        .isCloseTo(KnownTelemetry.claudeSavings(), within(1e-12))
        .isPositive();

    JsonNode mini = find(models, "model", "gpt-4o-mini");
    assertThat(mini.get("cost_usd").asDouble())
        .isCloseTo(KnownTelemetry.miniCost(), within(1e-12))
        .isPositive();
    assertThat(mini.get("input_tokens").asLong()).isEqualTo(10_000);

    JsonNode mystery = find(models, "model", "mystery-model-x-2099");
    assertThat(mystery.get("unpriced_calls").asLong()).isEqualTo(1);
    assertThat(mystery.get("avg_cost_usd").isNull()).isTrue();

    List<String> order = new ArrayList<>();
    models.forEach(m -> order.add(m.get("model").asText()));
    assertThat(order.get(0)).isEqualTo("gpt-4o");
  }

  @Test
  void modelsFilterByService() throws Exception {
    JsonNode models = get("/api/v1/models?" + range() + "&service=pairing-api");
    List<String> names = new ArrayList<>();
    models.forEach(m -> names.add(m.get("model").asText()));
    assertThat(names).containsExactlyInAnyOrder("gpt-4o-mini", "mystery-model-x-2099", "gpt-4o");
    assertThat(find(models, "model", "gpt-4o").get("calls").asLong()).isEqualTo(1);
  }

  @Test
  void workflowsIncludeChildrenThatArrivedBeforeTheirWorkflowSpan() throws Exception {
    JsonNode workflows = get("/api/v1/workflows?" + range());
    JsonNode menu = find(workflows, "workflow", "menu_design");
    assertThat(menu.get("calls").asLong()).isEqualTo(5);
    assertThat(menu.get("cost_usd").asDouble()).isCloseTo(0.04, within(1e-9));
    JsonNode wine = find(workflows, "workflow", "wine_pairing");
    assertThat(wine.get("calls").asLong()).isEqualTo(3);
    assertThat(wine.get("cost_usd").asDouble())
        .isCloseTo(0.001 + KnownTelemetry.miniCost(), within(1e-9));
  }

  @Test
  void summaryTotalsRetriesAndCache() throws Exception {
    JsonNode s = get("/api/v1/summary?" + range());
    assertThat(s.get("calls").asLong()).isEqualTo(8);
    assertThat(s.get("priced_calls").asLong()).isEqualTo(6);
    assertThat(s.get("unpriced_calls").asLong()).isEqualTo(1);
    assertThat(s.get("cost_usd").asDouble())
        .isCloseTo(0.041 + KnownTelemetry.miniCost(), within(1e-9));
    assertThat(s.get("error_rate").asDouble()).isCloseTo(1.0 / 8, within(1e-9));
    assertThat(s.get("retry_cost_usd").asDouble()).isCloseTo(0.015, within(1e-9));
    assertThat(s.get("retried_units").asLong()).isEqualTo(1);
    assertThat(s.get("cache_savings_usd").asDouble())
        .isCloseTo(KnownTelemetry.claudeSavings(), within(1e-12));
    assertThat(s.get("traces_with_llm_calls").asLong()).isEqualTo(3);
  }

  @Test
  void retryRowsAddUpToTheSummaryTotals() throws Exception {
    JsonNode summary = get("/api/v1/summary?" + range());
    JsonNode without = get("/api/v1/summary?include_retries=false&" + range());
    assertThat(without.has("retry_cost_usd")).isFalse();
    assertThat(without.get("cost_usd")).isEqualTo(summary.get("cost_usd"));
    double retryCost = 0;
    long retried = 0;
    for (JsonNode unit : get("/api/v1/retries?" + range())) {
      retryCost += unit.get("retry_cost_usd").asDouble();
      retried += unit.get("retries").asLong();
    }
    assertThat(retryCost).isCloseTo(summary.get("retry_cost_usd").asDouble(), within(1e-12));
    assertThat(retried).isEqualTo(summary.get("retried_units").asLong());
  }

  @Test
  void retriesByUnit() throws Exception {
    JsonNode retries = get("/api/v1/retries?" + range());
    JsonNode refine = find(retries, "unit", "refine.task");
    assertThat(refine.get("max_attempt").asLong()).isEqualTo(2);
    assertThat(refine.get("retries").asLong()).isEqualTo(1);
    assertThat(refine.get("llm_calls").asLong()).isEqualTo(3);
    assertThat(refine.get("loop_cost_usd").asDouble()).isCloseTo(0.0225, within(1e-9));
    assertThat(refine.get("retry_cost_usd").asDouble()).isCloseTo(0.015, within(1e-9));
  }

  @Test
  void unpricedCallsAreListed() throws Exception {
    JsonNode unpriced = get("/api/v1/unpriced?" + range());
    assertThat(unpriced).hasSize(1);
    assertThat(unpriced.get(0).get("model").asText()).isEqualTo("mystery-model-x-2099");
    assertThat(unpriced.get(0).get("calls").asLong()).isEqualTo(1);
  }

  @Test
  void overviewAnswersAsTheSeparateRequestsDo() throws Exception {
    for (String filter : new String[] {"", "&service=pairing-api", "&model=gpt-4o"}) {
      JsonNode o = get("/api/v1/overview?" + range() + filter);
      assertThat(o.get("summary"))
          .isEqualTo(get("/api/v1/summary?include_retries=false&" + range() + filter));
      assertThat(o.get("models")).isEqualTo(get("/api/v1/models?" + range() + filter));
      assertThat(o.get("workflows")).isEqualTo(get("/api/v1/workflows?" + range() + filter));
      assertThat(o.get("services")).isEqualTo(get("/api/v1/services?" + range() + filter));
      assertThat(o.get("unpriced")).isEqualTo(get("/api/v1/unpriced?" + range() + filter));
    }
  }

  @Test
  void endpointsAndServices() throws Exception {
    JsonNode endpoints = get("/api/v1/endpoints?" + range());
    assertThat(find(endpoints, "endpoint", "POST /menus").get("cost_usd").asDouble())
        .isCloseTo(0.04, within(1e-9));
    JsonNode services = get("/api/v1/services?" + range());
    assertThat(find(services, "service", "menu-api").get("calls").asLong()).isEqualTo(5);
  }

  @Test
  void timeseriesBucketsCostByModel() throws Exception {
    JsonNode ts = get("/api/v1/timeseries?metric=cost&group_by=model&step=1d&" + range());
    assertThat(ts.get("step").asLong()).isEqualTo(86_400_000L);
    assertThat(ts.get("timestamps")).hasSize(2);
    JsonNode gpt4o = find(ts.get("series"), "name", "gpt-4o");
    assertThat(gpt4o.get("values").get(0).asDouble()).isCloseTo(0.0075, within(1e-9));
    assertThat(gpt4o.get("values").get(1).asDouble()).isCloseTo(0.0235, within(1e-9));

    JsonNode calls =
        get("/api/v1/timeseries?metric=calls&group_by=workflow&step=86400000&" + range());
    assertThat(find(calls.get("series"), "name", "menu_design").get("values").get(1).asLong())
        .isEqualTo(3);
    JsonNode errors = get("/api/v1/timeseries?metric=errors&group_by=service&step=1d&" + range());
    assertThat(find(errors.get("series"), "name", "menu-api").get("total").asDouble())
        .isEqualTo(1.0);
    JsonNode auto = get("/api/v1/timeseries?metric=tokens&" + range());
    assertThat(auto.get("timestamps").size()).isBetween(2, 120);
  }

  @Test
  void tracesSortAndFilter() throws Exception {
    JsonNode byCost = get("/api/v1/traces?sort=cost&" + range());
    assertThat(byCost).hasSize(3);
    assertThat(byCost.get(0).get("trace_id").asText()).isEqualTo(TRACE_B);
    JsonNode b = byCost.get(0);
    assertThat(b.get("root_name").asText()).isEqualTo("POST /menus");
    assertThat(b.get("service").asText()).isEqualTo("menu-api");
    assertThat(b.get("duration_ms").asDouble()).isCloseTo(6000, within(1e-6));
    assertThat(b.get("cost_usd").asDouble()).isCloseTo(0.0225, within(1e-9));
    assertThat(b.get("llm_calls").asLong()).isEqualTo(3);
    assertThat(b.get("error").asBoolean()).isTrue();
    assertThat(b.get("start").asLong()).isEqualTo(KnownTelemetry.DAY2);

    JsonNode byDuration = get("/api/v1/traces?sort=duration&order=asc&" + range());
    assertThat(byDuration.get(0).get("trace_id").asText()).isEqualTo(TRACE_C);
    assertThat(get("/api/v1/traces?errors_only=true&" + range())).hasSize(1);
    assertThat(get("/api/v1/traces?min_cost=0.02&" + range())).hasSize(1);
    assertThat(
            get("/api/v1/traces?model=claude-sonnet-4-5&" + range())
                .get(0)
                .get("trace_id")
                .asText())
        .isEqualTo(TRACE_A);
    assertThat(get("/api/v1/traces?workflow=wine_pairing&" + range())).hasSize(1);
    assertThat(get("/api/v1/traces?service=pairing-api&" + range())).hasSize(1);
    assertThat(get("/api/v1/traces?limit=1&" + range())).hasSize(1);
  }

  @Test
  void traceDetailHasEverySpanWithAttributes() throws Exception {
    JsonNode trace = get("/api/v1/traces/" + TRACE_C);
    assertThat(trace.get("trace_id").asText()).isEqualTo(TRACE_C);
    JsonNode spans = trace.get("spans");
    assertThat(spans).hasSize(5);
    JsonNode root = spans.get(0);
    assertThat(root.get("name").asText()).isEqualTo("POST /pairings");
    assertThat(root.get("parent_span_id").isNull()).isTrue();
    assertThat(root.get("kind").asText()).isEqualTo("SERVER");
    assertThat(root.get("duration_ms").asDouble()).isEqualTo(2000.0);
    JsonNode mini = find(spans, "span_id", Otlp.spanId("c-llm7"));
    assertThat(mini.get("parent_span_id").asText()).isEqualTo(Otlp.spanId("c-wf"));
    assertThat(mini.get("status").asText()).isEqualTo("UNSET");
    JsonNode attributes = mini.get("attributes");
    assertThat(attributes.get("gen_ai.usage.prompt_tokens").asLong()).isEqualTo(10_000);
    assertThat(attributes.get("tokenscope.console.priced").asBoolean()).isTrue();
    assertThat(attributes.get("gen_ai.cost.total_usd").asDouble())
        .isCloseTo(KnownTelemetry.miniCost(), within(1e-12));
    assertThat(mini.get("priced_by").asText()).isEqualTo("console");
    JsonNode mystery = find(spans, "span_id", Otlp.spanId("c-llm6"));
    assertThat(mystery.get("attributes").get("gen_ai.cost.pricing_unavailable").asBoolean())
        .isTrue();
    assertThat(mystery.get("cost_usd").isNull()).isTrue();
    assertThat(
            find(spans, "span_id", Otlp.spanId("c-llm8"))
                .get("attributes")
                .get("gen_ai.input.messages")
                .asText())
        .contains("<script>");
  }

  @Test
  void dayOverDayPointsAtTheSpike() throws Exception {
    JsonNode d = get("/api/v1/day-over-day?tz_offset_minutes=0&" + range());
    assertThat(d.get("days")).hasSize(2);
    assertThat(d.get("days").get(0).get("day").asText()).isEqualTo("2026-11-23");
    assertThat(d.get("days").get(0).get("cost_usd").asDouble()).isCloseTo(0.0175, within(1e-9));
    JsonNode spike = d.get("spike");
    assertThat(spike.get("day").asText()).isEqualTo("2026-11-24");
    double day2 = 0.0235 + KnownTelemetry.miniCost();
    assertThat(spike.get("cost_usd").asDouble()).isCloseTo(day2, within(1e-9));
    assertThat(spike.get("delta_usd").asDouble()).isCloseTo(day2 - 0.0175, within(1e-9));
    assertThat(spike.get("by_workflow").get(0).get("key").asText()).isEqualTo("menu_design");
    assertThat(spike.get("by_workflow").get(0).get("delta_usd").asDouble())
        .isCloseTo(0.005, within(1e-9));
    assertThat(spike.get("by_model").get(0).get("key").asText()).isEqualTo("gpt-4o");
  }

  @Test
  void filtersListWhatWasSeen() throws Exception {
    JsonNode f = get("/api/v1/filters?" + range());
    assertThat(f.get("services").toString()).contains("menu-api", "pairing-api");
    assertThat(f.get("workflows").toString()).contains("menu_design", "wine_pairing");
    assertThat(f.get("models").toString()).contains("gpt-4o", "claude-sonnet-4-5");
  }

  @Test
  void badParametersGet400WithAMessage() throws Exception {
    String[] bad = {
      "/api/v1/models?from=abc",
      "/api/v1/models?from=10&to=5",
      "/api/v1/timeseries?metric=dollars&" + range(),
      "/api/v1/timeseries?group_by=colour&" + range(),
      "/api/v1/timeseries?step=1ms&" + range(),
      "/api/v1/timeseries?step=soon&" + range(),
      "/api/v1/traces?limit=0&" + range(),
      "/api/v1/traces?limit=x&" + range(),
      "/api/v1/traces?min_cost=-1&" + range(),
      "/api/v1/traces?errors_only=maybe&" + range(),
      "/api/v1/traces?sort=name&" + range(),
      "/api/v1/traces?order=up&" + range(),
      "/api/v1/traces/not-a-trace-id",
      "/api/v1/day-over-day?days=1000&" + range(),
      "/api/v1/models?to=99999999999999999",
    };
    for (String path : bad) {
      HttpResponse<String> response = Otlp.get(console.uiUrl() + path.substring(1));
      assertThat(response.statusCode()).as(path).isEqualTo(400);
      assertThat(JSON.readTree(response.body()).get("error").asText()).as(path).isNotBlank();
    }
  }

  @Test
  void unknownIdsAndPathsGet404() throws Exception {
    HttpResponse<String> trace =
        Otlp.get(console.uiUrl() + "api/v1/traces/0123456789abcdef0123456789abcdef");
    assertThat(trace.statusCode()).isEqualTo(404);
    assertThat(JSON.readTree(trace.body()).get("error").asText()).isNotBlank();
    assertThat(Otlp.get(console.uiUrl() + "api/v1/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void defaultRangeIsTheLastDay() throws Exception {
    // The data set lies in 2026-11; the default range ends now, so it may or may not include it,
    // but the call must succeed and report the range it used.
    JsonNode s = get("/api/v1/summary");
    assertThat(s.get("to").asLong() - s.get("from").asLong()).isEqualTo(86_400_000L);
  }

  @Test
  void traceAIsStoredWhole() throws Exception {
    JsonNode trace = get("/api/v1/traces/" + TRACE_A);
    assertThat(trace.get("spans")).hasSize(4);
  }
}
