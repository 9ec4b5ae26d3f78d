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
  private static final AttributeKey<Boolean> PRICING_UNAVAILABLE =
      AttributeKey.booleanKey(TelemetryContract.GEN_AI_COST_PRICING_UNAVAILABLE);

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
    assertThat(rows).hasSizeGreaterThanOrEqualTo(3);
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
    assertThat(rows.values().stream().map(r -> (Double) r.get("rate")))
        .as("the recorded traffic has failures")
        .anyMatch(rate -> rate > 0);
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
    AttributeKey<String> workflowName =
        AttributeKey.stringKey(TelemetryContract.TRACELOOP_WORKFLOW_NAME);
    Map<String, List<SpanData>> runs =
        TelemetryUnderTest.get().spans().stream()
            .filter(s -> s.getName().endsWith(TelemetryContract.WORKFLOW_SPAN_SUFFIX))
            .collect(Collectors.groupingBy(s -> s.getAttributes().get(workflowName)));

    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(runs.keySet());
    runs.forEach(
        (workflow, spans) -> {
          // Each run's roll-up covers the calls beneath it, nested workflows included.
          List<SpanData> calls = new ArrayList<>();
          spans.forEach(run -> calls.addAll(descendantCalls(run)));
          double cost = sum(calls, s -> s.getAttributes().get(COST));
          long unpriced =
              calls.stream()
                  .filter(s -> Boolean.TRUE.equals(s.getAttributes().get(PRICING_UNAVAILABLE)))
                  .count();
          assertThat(number(rows, workflow, "runs")).as(workflow).isEqualTo(spans.size());
          assertThat(number(rows, workflow, "cost"))
              .as(workflow)
              .isCloseTo(cost, within(ROUNDING * spans.size()));
          assertThat(number(rows, workflow, "perrun"))
              .as(workflow)
              .isCloseTo(cost / spans.size(), within(ROUNDING));
          assertThat(number(rows, workflow, "calls")).as(workflow).isEqualTo(calls.size());
          Object unpricedColumn = rows.get(workflow).get("unpriced");
          assertThat(unpricedColumn == null ? 0.0 : unpricedColumn)
              .as(workflow)
              .isEqualTo((double) unpriced);
        });
  }

  /** The inference spans below {@code ancestor} in its trace. */
  private static List<SpanData> descendantCalls(SpanData ancestor) {
    Map<String, SpanData> byId =
        TelemetryUnderTest.get().spans().stream()
            .filter(s -> s.getTraceId().equals(ancestor.getTraceId()))
            .collect(Collectors.toMap(SpanData::getSpanId, s -> s));
    List<SpanData> below = new ArrayList<>();
    for (SpanData call : CALLS) {
      for (SpanData s = byId.get(call.getParentSpanId());
          s != null;
          s = byId.get(s.getParentSpanId())) {
        if (s.getSpanId().equals(ancestor.getSpanId())) {
          below.add(call);
          break;
        }
      }
    }
    return below;
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
    assertThat(rows).hasSize(Math.min(10, costByTrace.size()));
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
    double fromPanel =
        byAttempt.entrySet().stream()
            .filter(e -> ((Number) e.getKey()).doubleValue() >= 2)
            .mapToDouble(e -> (Double) e.getValue().get("cost"))
            .sum();
    assertThat(fromPanel).isCloseTo(retries, within(ROUNDING * CALLS.size()));
    assertThat(number(byAttempt, 1.0, "calls"))
        .isEqualTo(
            (double)
                CALLS.stream()
                    .filter(s -> Long.valueOf(1).equals(s.getAttributes().get(ATTEMPT)))
                    .count());
    assertThat(spent).hasSize(1);
    assertThat((Double) spent.get(0).get("cost"))
        .isCloseTo(retries, within(ROUNDING * CALLS.size()));
  }

  @Test
  void unpricedCallsAreCountedPerModelNeverPricedAtZero() {
    Map<Object, Map<String, Object>> rows = panel("tokenscope-unpriced-calls", "model");

    Map<String, Long> unpriced =
        CALLS.stream()
            .filter(s -> Boolean.TRUE.equals(s.getAttributes().get(PRICING_UNAVAILABLE)))
            .collect(
                Collectors.groupingBy(
                    s -> s.getAttributes().get(REQUEST_MODEL), Collectors.counting()));

    assertThat(unpriced).isNotEmpty();
    assertThat(rows.keySet()).containsExactlyInAnyOrderElementsOf(unpriced.keySet());
    unpriced.forEach(
        (model, count) -> assertThat(number(rows, model, "calls")).isEqualTo((double) count));
    assertThat(
            MappedTelemetry.TRACES.stream()
                .filter(d -> "true".equals(d.get("labels.gen_ai_cost_pricing_unavailable"))))
        .allMatch(d -> !d.has("numeric_labels.gen_ai_cost_total_usd"));
  }

  @Test
  void metricsCostIsExactWhileSpanCostsCarrySixDecimals() {
    Map<Object, Map<String, Object>> rows = panel("tokenscope-cost-over-time-metrics", "model");
    AttributeKey<String> responseModel =
        AttributeKey.stringKey(TelemetryContract.GEN_AI_RESPONSE_MODEL);
    Map<String, Double> exported =
        TelemetryUnderTest.get().metrics().stream()
            .filter(m -> m.getName().equals(TelemetryContract.METRIC_COST))
            .flatMap(m -> m.getDoubleSumData().getPoints().stream())
            .collect(
                Collectors.groupingBy(
                    p -> p.getAttributes().get(responseModel),
                    Collectors.summingDouble(DoublePointData::getValue)));
    double fromSpans = sum(CALLS, s -> s.getAttributes().get(COST));

    // The counters are the exact sum of the calls' costs ...
    assertThat(exported.values().stream().mapToDouble(Double::doubleValue).sum())
        .isCloseTo(fromSpans, within(1e-12));
    // ... and the panel shows them per model, unrounded.
    assertThat(rows).isNotEmpty();
    rows.forEach(
        (model, row) ->
            assertThat((Double) row.get("cost"))
                .as("%s", model)
                .isCloseTo(exported.get(model), within(1e-12)));
    // Calls cheaper than half a micro-dollar (the embedding) are stored as 0 in numeric_labels.
    List<SpanData> subMicro =
        CALLS.stream()
            .filter(s -> s.getAttributes().get(COST) != null)
            .filter(s -> s.getAttributes().get(COST) > 0 && s.getAttributes().get(COST) < 5e-7)
            .toList();
    assertThat(subMicro).isNotEmpty();
    for (SpanData call : subMicro) {
      assertThat(ApmMapping.span(call).number("numeric_labels.gen_ai_cost_total_usd")).isZero();
    }
  }
}
