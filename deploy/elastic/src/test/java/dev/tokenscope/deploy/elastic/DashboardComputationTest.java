package dev.tokenscope.deploy.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokenscope.core.TelemetryContract;
import dev.tokenscope.deploy.elastic.SavedObjects.LensPanel;
import dev.tokenscope.deploy.elastic.SavedObjects.SavedObject;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Each panel computes what its title says: the panel, evaluated over the APM-mapped documents,
 * against the same figure computed directly from the exported spans and metrics. This is where the
 * reference design went wrong (a "ratio" that was not one, a count instead of a rate).
 */
class DashboardComputationTest {

  private static final Map<String, SavedObject> OBJECTS = SavedObjects.byId(SavedObjects.load());

  /** Costs pass through numeric_labels, which keep six decimals: allow that per call. */
  private static final double ROUNDING = 1e-6;

  private static final AttributeKey<String> REQUEST_MODEL =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_REQUEST_MODEL);
  private static final AttributeKey<Double> COST =
      AttributeKey.doubleKey(TelemetryContract.GEN_AI_COST_TOTAL_USD);
  private static final AttributeKey<Long> INPUT =
      AttributeKey.longKey(TelemetryContract.GEN_AI_USAGE_INPUT_TOKENS);
  private static final AttributeKey<Long> OUTPUT =
      AttributeKey.longKey(TelemetryContract.GEN_AI_USAGE_OUTPUT_TOKENS);
  private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey(TelemetryContract.ATTEMPT);

  /** Inference spans (CLIENT spans naming a provider), straight from the SDK export. */
  private static final List<SpanData> CALLS =
      TelemetryUnderTest.get().spans().stream()
          .filter(s -> s.getKind() == io.opentelemetry.api.trace.SpanKind.CLIENT)
          .filter(
              s ->
                  s.getAttributes()
                          .get(AttributeKey.stringKey(TelemetryContract.GEN_AI_PROVIDER_NAME))
                      != null)
          .toList();

  @Test
  void everyCallIsSelectedAsAnLlmCallWhateverTypeApmGivesIt() {
    Kql llm = Kql.parse(SavedObjects.LLM_CALLS);
    assertThat(CALLS).hasSizeGreaterThanOrEqualTo(10);
    for (SpanData call : CALLS) {
      // TokenScope adds the deprecated alias APM Server keys span.type=genai on ...
      assertThat(call.getAttributes().get(AttributeKey.stringKey(TelemetryContract.GEN_AI_SYSTEM)))
          .as(call.getName())
          .isEqualTo(
              call.getAttributes()
                  .get(AttributeKey.stringKey(TelemetryContract.GEN_AI_PROVIDER_NAME)));
      // ... but the Anthropic SDK's spans also carry HTTP attributes, which APM types first.
      assertThat(llm.matches(ApmMapping.span(call))).as(call.getName()).isTrue();
    }
    assertThat(CALLS.stream().map(c -> ApmMapping.span(c).get("span.type")).distinct())
        .contains("genai", "external");
    // Structure spans are not LLM calls.
    assertThat(
            MappedTelemetry.TRACES.stream()
                .filter(d -> d.has("labels.traceloop_span_kind"))
                .filter(llm::matches))
        .isEmpty();
  }

  private static Map<String, List<SpanData>> callsByModel() {
    return CALLS.stream()
        .collect(
            Collectors.groupingBy(
                s -> s.getAttributes().get(REQUEST_MODEL), TreeMap::new, Collectors.toList()));
  }

  private static double sum(List<SpanData> spans, Function<SpanData, Number> value) {
    double total = 0;
    for (SpanData span : spans) {
      Number n = value.apply(span);
      total += n == null ? 0 : n.doubleValue();
    }
    return total;
  }

  /** The panel's rows keyed by the given bucket column. */
  private static Map<Object, Map<String, Object>> panel(String id, String bucketColumn) {
    LensPanel panel = LensPanel.of(OBJECTS.get("lens/" + id));
    String title =
        OBJECTS.get("index-pattern/" + panel.dataViewId()).attributes().path("title").asText();
    Map<Object, Map<String, Object>> rows = new TreeMap<>(Comparator.comparing(Object::toString));
    for (Map<String, Object> row : LensEvaluator.rows(panel, MappedTelemetry.matching(title))) {
      rows.put(row.get(bucketColumn), row);
    }
    return rows;
  }

  private static double number(Map<Object, Map<String, Object>> rows, Object key, String column) {
    assertThat(rows).containsKey(key);
    Object value = rows.get(key).get(column);
    assertThat(value).as("%s / %s", key, column).isInstanceOf(Double.class);
    return (Double) value;
  }

  @Test
  void costByModelIsTheSumOfCallCosts() {
    Map<Object, Map<String, Object>> rows = panel("tokenscope-cost-by-model", "model");

    callsByModel()
        .forEach(
            (model, calls) -> {
              double expected = sum(calls, s -> s.getAttributes().get(COST));
              if (expected > 0) {
                assertThat(number(rows, model, "cost"))
                    .as(model)
                    .isCloseTo(expected, within(ROUNDING * calls.size()));
              }
            });
  }

  @Test
  void costPerCallIsTotalCostOverPricedCallsNotAnAverageOfSomethingElse() {
    Map<Object, Map<String, Object>> rows = panel("tokenscope-cost-per-call-by-model", "model");

    callsByModel()
        .forEach(
            (model, calls) -> {
              List<SpanData> priced =
                  calls.stream().filter(s -> s.getAttributes().get(COST) != null).toList();
              if (priced.isEmpty()) {
                assertThat(rows.containsKey(model) ? rows.get(model).get("cpc") : null)
                    .as(model)
                    .isNull();
                return;
              }
              double expected = sum(priced, s -> s.getAttributes().get(COST)) / priced.size();
              assertThat(number(rows, model, "cpc"))
                  .as(model)
                  .isCloseTo(expected, within(ROUNDING));
            });
    // The unpriced model has no cost, so no cost per call, rather than a misleading $0.
    assertThat(
            rows.containsKey(MenuDesignerScenario.UNPRICED_MODEL)
                ? rows.get(MenuDesignerScenario.UNPRICED_MODEL).get("cpc")
                : null)
        .isNull();
  }

  @Test
  void inputOutputRatioIsARealRatioOfTotals() {
    Map<Object, Map<String, Object>> rows =
        panel("tokenscope-input-output-ratio-by-model", "model");

    callsByModel()
        .forEach(
            (model, calls) -> {
              double output = sum(calls, s -> s.getAttributes().get(OUTPUT));
              if (output > 0) {
                double expected = sum(calls, s -> s.getAttributes().get(INPUT)) / output;
                assertThat(number(rows, model, "ratio"))
                    .as(model)
                    .isCloseTo(expected, within(1e-9));
              }
            });
    assertThat(rows).containsKeys("gpt-4.1-mini", "claude-sonnet-4-5");
  }

  @Test
  void tokenPanelsAddInputAndOutputOnce() {
    Map<Object, Map<String, Object>> usage = panel("tokenscope-token-usage-by-model", "model");
    Map<Object, Map<String, Object>> totals = panel("tokenscope-total-tokens-by-model", "model");

    callsByModel()
        .forEach(
            (model, calls) -> {
              double input = sum(calls, s -> s.getAttributes().get(INPUT));
              double output = sum(calls, s -> s.getAttributes().get(OUTPUT));
              if (input + output == 0) {
                return;
              }
              assertThat(number(usage, model, "in")).isEqualTo(input);
              Object out = usage.get(model).get("out");
              assertThat(out == null ? 0.0 : out).as(model).isEqualTo(output);
              assertThat(number(totals, model, "total")).as(model).isEqualTo(input + output);
            });
  }

  @Test
  void errorRateIsFailedCallsOverAllCallsPerModel() {
    Map<Object, Map<String, Object>> rows = panel("tokenscope-error-rate-by-model", "model");

    callsByModel()
        .forEach(
            (model, calls) -> {
              long failed =
                  calls.stream()
                      .filter(s -> s.getStatus().getStatusCode() == StatusCode.ERROR)
                      .count();
              assertThat(number(rows, model, "rate"))
                  .as(model)
                  .isCloseTo((double) failed / calls.size(), within(1e-12));
            });
    assertThat(number(rows, "claude-sonnet-4-5", "rate")).isCloseTo(1 / 3.0, within(1e-12));
    assertThat(number(rows, "gpt-4.1-mini", "rate")).isCloseTo(1 / 4.0, within(1e-12));
  }

  @Test
  void latencyShowsTheMeanAndTheNinetyFifthPercentileInMilliseconds() {
    Map<Object, Map<String, Object>> rows = panel("tokenscope-latency-by-model", "model");

    callsByModel()
        .forEach(
            (model, calls) -> {
              List<Double> millis = new ArrayList<>();
              calls.forEach(s -> millis.add((s.getEndEpochNanos() - s.getStartEpochNanos()) / 1e6));
              millis.sort(null);
              double mean =
                  millis.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
              // APM keeps whole microseconds.
              assertThat(number(rows, model, "avg")).as(model).isCloseTo(mean, within(1e-3));
              assertThat(number(rows, model, "p95"))
                  .as(model)
                  .isCloseTo(LensEvaluator.percentile(millis, 95), within(1e-3));
            });
  }

  @Test
  void costByWorkflowComesFromRollUpsThatMatchTheCallsBelowThem() {
    Map<Object, Map<String, Object>> rows = panel("tokenscope-cost-by-workflow", "workflow");
    Map<String, String> traceOfWorkflow = new TreeMap<>();
    TelemetryUnderTest.get().spans().stream()
        .filter(s -> s.getName().endsWith(TelemetryContract.WORKFLOW_SPAN_SUFFIX))
        .forEach(
            s ->
                traceOfWorkflow.put(
                    s.getAttributes()
                        .get(AttributeKey.stringKey(TelemetryContract.TRACELOOP_WORKFLOW_NAME)),
                    s.getTraceId()));

    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(traceOfWorkflow.keySet());
    traceOfWorkflow.forEach(
        (workflow, traceId) -> {
          List<SpanData> calls =
              CALLS.stream().filter(s -> s.getTraceId().equals(traceId)).toList();
          double cost = sum(calls, s -> s.getAttributes().get(COST));
          assertThat(number(rows, workflow, "cost")).as(workflow).isCloseTo(cost, within(ROUNDING));
          assertThat(number(rows, workflow, "runs")).isEqualTo(1.0);
          assertThat(number(rows, workflow, "perrun")).isCloseTo(cost, within(ROUNDING));
          assertThat(number(rows, workflow, "calls")).isEqualTo((double) calls.size());
        });
    assertThat(number(rows, MenuDesignerScenario.MENU_WORKFLOW, "unpriced")).isEqualTo(1.0);
  }

  @Test
  void mostExpensiveTracesAreRankedByTheCostOfTheirCalls() {
    LensPanel panel = LensPanel.of(OBJECTS.get("lens/tokenscope-most-expensive-traces"));
    List<Map<String, Object>> rows = LensEvaluator.rows(panel, MappedTelemetry.TRACES);
    Map<String, Double> costByTrace =
        CALLS.stream()
            .collect(
                Collectors.groupingBy(
                    SpanData::getTraceId,
                    Collectors.summingDouble(
                        s -> {
                          Double c = s.getAttributes().get(COST);
                          return c == null ? 0 : c;
                        })));
    String mostExpensive =
        costByTrace.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();

    assertThat(rows.get(0).get("trace")).isEqualTo(mostExpensive);
    assertThat((Double) rows.get(0).get("cost"))
        .isCloseTo(costByTrace.get(mostExpensive), within(1e-5));
    assertThat(rows).hasSize(costByTrace.size());
  }

  @Test
  void retryPanelsShowWhatAttemptsAfterTheFirstCost() {
    Map<Object, Map<String, Object>> byAttempt =
        panel("tokenscope-retry-cost-by-attempt", "attempt");
    List<Map<String, Object>> spent =
        LensEvaluator.rows(
            LensPanel.of(OBJECTS.get("lens/tokenscope-spent-on-retries")), MappedTelemetry.TRACES);
    double retries =
        sum(
            CALLS.stream()
                .filter(
                    s ->
                        s.getAttributes().get(ATTEMPT) != null
                            && s.getAttributes().get(ATTEMPT) >= 2)
                .toList(),
            s -> s.getAttributes().get(COST));

    assertThat(retries).isPositive();
    assertThat(number(byAttempt, 2.0, "cost")).isCloseTo(retries, within(ROUNDING));
    assertThat(number(byAttempt, 1.0, "calls")).isEqualTo(1.0);
    assertThat(spent).hasSize(1);
    assertThat((Double) spent.get(0).get("cost")).isCloseTo(retries, within(ROUNDING));
  }

  @Test
  void unpricedCallsAreCountedPerModelNeverPricedAtZero() {
    Map<Object, Map<String, Object>> rows = panel("tokenscope-unpriced-calls", "model");

    assertThat(rows.keySet()).containsExactly(MenuDesignerScenario.UNPRICED_MODEL);
    assertThat(number(rows, MenuDesignerScenario.UNPRICED_MODEL, "calls")).isEqualTo(1.0);
    assertThat(
            MappedTelemetry.TRACES.stream()
                .filter(d -> "true".equals(d.get("labels.gen_ai_cost_pricing_unavailable"))))
        .allMatch(d -> !d.has("numeric_labels.gen_ai_cost_total_usd"));
  }

  @Test
  void metricsCostIsExactWhileSpanCostsCarrySixDecimals() {
    Map<Object, Map<String, Object>> rows = panel("tokenscope-cost-over-time-metrics", "model");
    double fromCounters = rows.values().stream().mapToDouble(r -> (Double) r.get("cost")).sum();
    double exported =
        TelemetryUnderTest.get().metrics().stream()
            .filter(m -> m.getName().equals(TelemetryContract.METRIC_COST))
            .flatMap(m -> m.getDoubleSumData().getPoints().stream())
            .mapToDouble(DoublePointData::getValue)
            .sum();
    double fromSpans = sum(CALLS, s -> s.getAttributes().get(COST));

    assertThat(fromCounters).isCloseTo(exported, within(1e-12));
    assertThat(fromCounters).isCloseTo(fromSpans, within(1e-12));
    // The embedding call costs $0.0000002: numeric_labels (scaled_float, factor 1e6) store 0.
    ApmDocument embedding =
        MappedTelemetry.TRACES.stream()
            .filter(d -> "text-embedding-3-small".equals(d.get("labels.gen_ai_request_model")))
            .findFirst()
            .orElseThrow();
    assertThat(embedding.number("numeric_labels.gen_ai_cost_total_usd")).isZero();
  }
}
