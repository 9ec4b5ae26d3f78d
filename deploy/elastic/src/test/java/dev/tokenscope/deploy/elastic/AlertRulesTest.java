package dev.tokenscope.deploy.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The alert rule templates in kibana/rules: API shape, data sources, fields and behaviour. */
class AlertRulesTest {

  private static final Pattern PLACEHOLDER = Pattern.compile("\"\\{\\{([A-Z0-9_]+)}}\"");

  /** What setup.sh puts in the placeholders by default. */
  private static final Map<String, String> DEFAULTS =
      Map.of("HOURLY_BUDGET_USD", "5", "P95_LATENCY_US", "20000000", "ERROR_RATE", "0.05");

  private static final Map<String, String> TEXT = load();
  private static final Map<String, JsonNode> RULES = parseAll();

  private static Map<String, String> load() {
    Map<String, String> text = new TreeMap<>();
    try (Stream<Path> files = Files.list(DeployFiles.path("kibana/rules"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).toList()) {
        text.put(file.getFileName().toString(), Files.readString(file));
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return text;
  }

  private static Map<String, JsonNode> parseAll() {
    Map<String, JsonNode> rules = new TreeMap<>();
    TEXT.forEach(
        (name, text) -> {
          try {
            Matcher m = PLACEHOLDER.matcher(text);
            StringBuilder filled = new StringBuilder();
            while (m.find()) {
              m.appendReplacement(filled, DEFAULTS.get(m.group(1)));
            }
            m.appendTail(filled);
            rules.put(name, SavedObjects.JSON.readTree(filled.toString()));
          } catch (IOException e) {
            throw new IllegalStateException(name + ": " + e.getMessage());
          }
        });
    return rules;
  }

  private static JsonNode rule(String file) {
    assertThat(RULES).containsKey(file);
    return RULES.get(file);
  }

  @Test
  void everyRuleIsACreateRuleBodyWithoutAnId() throws IOException {
    assertThat(RULES).hasSize(4);
    for (Map.Entry<String, String> entry : TEXT.entrySet()) {
      JsonNode raw = SavedObjects.JSON.readTree(entry.getValue());
      Set<String> keys = new LinkedHashSet<>();
      raw.fieldNames().forEachRemaining(keys::add);
      assertThat(keys)
          .as(entry.getKey())
          .containsAll(List.of("rule_type_id", "consumer", "name", "schedule", "params"))
          .isSubsetOf(
              "rule_type_id",
              "consumer",
              "name",
              "tags",
              "schedule",
              "actions",
              "params",
              "alert_delay");
      // setup.sh derives the update body by dropping these two lines.
      assertThat(entry.getValue()).containsPattern("(?m)^  \"rule_type_id\": \"[^\"]+\",$");
      assertThat(entry.getValue()).containsPattern("(?m)^  \"consumer\": \"[^\"]+\",$");
      assertThat(raw.path("name").asText()).startsWith("TokenScope: ");
    }
  }

  @Test
  void placeholdersOnlyStandForThresholdsSetupShFills() {
    String setup = DeployFiles.read("setup.sh");
    TEXT.forEach(
        (file, text) -> {
          Matcher m = PLACEHOLDER.matcher(text);
          while (m.find()) {
            assertThat(DEFAULTS).containsKey(m.group(1));
            assertThat(setup).contains("\\{\\{" + m.group(1) + "\\}\\}");
            String before = text.substring(0, m.start());
            assertThat(before.substring(before.lastIndexOf('"', before.lastIndexOf('[')) - 10))
                .as(file)
                .contains("\"threshold\": [");
          }
        });
    for (JsonNode rule : RULES.values()) {
      assertThat(rule.toString()).doesNotContain("{{");
    }
  }

  @Test
  void spendPerHourSumsTheExactCostCounterOverOneHour() {
    JsonNode params = rule("spend-per-hour.json").path("params");

    assertThat(rule("spend-per-hour.json").path("rule_type_id").asText()).isEqualTo(".es-query");
    assertThat(params.path("aggType").asText()).isEqualTo("sum");
    assertThat(params.path("aggField").asText()).isEqualTo("gen_ai.client.cost");
    assertThat(params.path("timeWindowSize").asInt()).isEqualTo(1);
    assertThat(params.path("timeWindowUnit").asText()).isEqualTo("h");
    assertThat(params.path("thresholdComparator").asText()).isEqualTo(">");
    assertThat(params.path("threshold").get(0).isNumber()).isTrue();
  }

  @Test
  void latencyAndErrorRateRulesAlertPerModelOnLlmSpans() {
    JsonNode latency = rule("p95-latency-per-model.json").path("params");
    JsonNode errors = rule("error-rate-per-model.json").path("params");

    for (JsonNode params : List.of(latency, errors)) {
      assertThat(params.path("groupBy").get(0).asText()).isEqualTo("labels.gen_ai_request_model");
      assertThat(params.path("searchConfiguration").path("query").path("query").asText())
          .isEqualTo(SavedObjects.LLM_CALLS);
    }
    JsonNode p95 = latency.path("criteria").get(0);
    assertThat(p95.path("metrics").get(0).path("aggType").asText()).isEqualTo("p95");
    assertThat(p95.path("metrics").get(0).path("field").asText()).isEqualTo("span.duration.us");
    assertThat(p95.path("threshold").get(0).asLong()).isEqualTo(20_000_000L);

    JsonNode rate = errors.path("criteria").get(0);
    assertThat(rate.path("equation").asText()).isEqualTo("A / B");
    assertThat(rate.path("metrics").get(0).path("filter").asText())
        .isEqualTo("event.outcome : \"failure\"");
    assertThat(rate.path("metrics").get(1).has("filter")).isFalse();
  }

  @Test
  void unpricedCallsAlertAsSoonAsOneAppears() {
    JsonNode params = rule("unpriced-calls.json").path("params");

    assertThat(params.path("searchConfiguration").path("query").path("query").asText())
        .isEqualTo(
            SavedObjects.LLM_CALLS + " and labels.gen_ai_cost_pricing_unavailable : \"true\"");
    assertThat(params.path("thresholdComparator").asText()).isEqualTo(">");
    assertThat(params.path("threshold").get(0).asInt()).isZero();
    assertThat(params.path("termField").asText()).isEqualTo("labels.gen_ai_request_model");
  }

  /** The documents a rule queries: a data view id from the NDJSON, or index patterns. */
  private static List<ApmDocument> source(JsonNode params) {
    JsonNode index = params.path("searchConfiguration").path("index");
    if (index.isTextual()) {
      Map<String, SavedObjects.SavedObject> objects = SavedObjects.byId(SavedObjects.load());
      SavedObjects.SavedObject dataView = objects.get("index-pattern/" + index.asText());
      assertThat(dataView)
          .as("data view " + index.asText() + " is in the saved objects")
          .isNotNull();
      return MappedTelemetry.matching(dataView.attributes().path("title").asText());
    }
    List<ApmDocument> documents = new ArrayList<>();
    params
        .path("index")
        .forEach(pattern -> documents.addAll(MappedTelemetry.matching(pattern.asText())));
    return documents;
  }

  @Test
  void everyFieldARuleReadsIsOneApmServerProducesForTokenScopeTelemetry() throws IOException {
    for (Map.Entry<String, JsonNode> entry : RULES.entrySet()) {
      JsonNode params = entry.getValue().path("params");
      List<ApmDocument> documents = source(params);
      assertThat(documents).as(entry.getKey()).isNotEmpty();
      Set<String> numeric = new LinkedHashSet<>();
      Set<String> keyword = new LinkedHashSet<>();
      Set<String> any = new LinkedHashSet<>();
      any.addAll(
          Kql.parse(params.path("searchConfiguration").path("query").path("query").asText())
              .fields());
      for (JsonNode criterion : params.path("criteria")) {
        for (JsonNode metric : criterion.path("metrics")) {
          if (metric.has("field")) {
            numeric.add(metric.path("field").asText());
          }
          any.addAll(Kql.parse(metric.path("filter").asText("")).fields());
        }
      }
      params.path("groupBy").forEach(g -> keyword.add(g.asText()));
      if (params.has("aggField")) {
        numeric.add(params.path("aggField").asText());
      }
      if (params.has("termField")) {
        keyword.add(params.path("termField").asText());
      }
      if (params.has("esQuery")) {
        collectFields(SavedObjects.JSON.readTree(params.path("esQuery").asText()), any);
      }
      any.addAll(numeric);
      any.addAll(keyword);
      for (String field : any) {
        assertThat(documents.stream().anyMatch(d -> d.has(field)))
            .as("%s reads %s", entry.getKey(), field)
            .isTrue();
      }
      for (String field : numeric) {
        assertThat(documents.stream().map(d -> d.get(field)).filter(Objects::nonNull))
            .as("%s: %s is numeric", entry.getKey(), field)
            .allMatch(v -> v instanceof Number);
      }
      for (String field : keyword) {
        assertThat(documents.stream().map(d -> d.get(field)).filter(Objects::nonNull))
            .as("%s: %s holds keywords", entry.getKey(), field)
            .allMatch(v -> v instanceof String);
      }
    }
  }

  /** Field names in a query DSL tree: "field" values and the keys of term/match/range clauses. */
  private static void collectFields(JsonNode node, Set<String> fields) {
    Iterator<Map.Entry<String, JsonNode>> it = node.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (entry.getKey().equals("field") && entry.getValue().isTextual()) {
        fields.add(entry.getValue().asText());
      } else if (Set.of("term", "terms", "match", "match_phrase", "range")
          .contains(entry.getKey())) {
        entry.getValue().fieldNames().forEachRemaining(fields::add);
      } else {
        collectFields(entry.getValue(), fields);
      }
    }
    if (node.isArray()) {
      node.forEach(child -> collectFields(child, fields));
    }
  }

  @Test
  void onTheRecordedTelemetryTheErrorAndUnpricedRulesFireAndTheOthersStayQuiet() {
    // Error rate per model: A / B over LLM spans, grouped by model.
    JsonNode errors = rule("error-rate-per-model.json").path("params");
    Kql llm = Kql.parse(errors.path("searchConfiguration").path("query").path("query").asText());
    Kql failed =
        Kql.parse(errors.path("criteria").get(0).path("metrics").get(0).path("filter").asText());
    double errorThreshold = errors.path("criteria").get(0).path("threshold").get(0).asDouble();
    Map<String, List<ApmDocument>> byModel = new TreeMap<>();
    source(errors).stream()
        .filter(llm::matches)
        .forEach(
            d ->
                byModel
                    .computeIfAbsent(
                        d.string("labels.gen_ai_request_model"), k -> new ArrayList<>())
                    .add(d));
    Map<String, Double> rates = new LinkedHashMap<>();
    byModel.forEach(
        (model, docs) ->
            rates.put(model, docs.stream().filter(failed::matches).count() / (double) docs.size()));
    // The same rates from the exported spans: failed calls over all calls, per model.
    Map<String, long[]> fromSpans = new TreeMap<>();
    for (io.opentelemetry.sdk.trace.data.SpanData span : TelemetryUnderTest.get().spans()) {
      String model =
          span.getAttributes()
              .get(io.opentelemetry.api.common.AttributeKey.stringKey("gen_ai.request.model"));
      if (model == null || span.getKind() != io.opentelemetry.api.trace.SpanKind.CLIENT) {
        continue;
      }
      long[] counts = fromSpans.computeIfAbsent(model, k -> new long[2]);
      counts[1]++;
      if (span.getStatus().getStatusCode() == io.opentelemetry.api.trace.StatusCode.ERROR) {
        counts[0]++;
      }
    }
    List<String> expected =
        fromSpans.entrySet().stream()
            .filter(e -> (double) e.getValue()[0] / e.getValue()[1] > errorThreshold)
            .map(Map.Entry::getKey)
            .toList();
    assertThat(expected).isNotEmpty();
    assertThat(
            rates.entrySet().stream()
                .filter(e -> e.getValue() > errorThreshold)
                .map(Map.Entry::getKey))
        .containsExactlyInAnyOrderElementsOf(expected);

    // Unpriced calls: any matching document in the window fires.
    JsonNode unpriced = rule("unpriced-calls.json").path("params");
    Kql unpricedQuery =
        Kql.parse(unpriced.path("searchConfiguration").path("query").path("query").asText());
    assertThat(source(unpriced).stream().filter(unpricedQuery::matches).count())
        .isGreaterThan(unpriced.path("threshold").get(0).asLong());

    // p95 per model stays under 20 s; spend stays under $5 for the hour.
    JsonNode latency = rule("p95-latency-per-model.json").path("params");
    double p95Threshold = latency.path("criteria").get(0).path("threshold").get(0).asDouble();
    byModel.forEach(
        (model, docs) -> {
          List<Double> durations =
              new ArrayList<>(docs.stream().map(d -> d.number("span.duration.us")).toList());
          durations.sort(null);
          assertThat(LensEvaluator.percentile(durations, 95)).as(model).isLessThan(p95Threshold);
        });
    JsonNode spend = rule("spend-per-hour.json").path("params");
    double total =
        source(spend).stream()
            .map(d -> d.number(spend.path("aggField").asText()))
            .filter(Objects::nonNull)
            .mapToDouble(Double::doubleValue)
            .sum();
    assertThat(total).isPositive().isLessThan(spend.path("threshold").get(0).asDouble());
  }
}
