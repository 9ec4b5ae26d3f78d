package dev.tokenscope.deploy.elastic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenscope.deploy.elastic.SavedObjects.LensPanel;
import dev.tokenscope.deploy.elastic.SavedObjects.Reference;
import dev.tokenscope.deploy.elastic.SavedObjects.SavedObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The Kibana saved objects: valid NDJSON, unique ids, resolvable references, a consistent
 * dashboard, and panels that only read fields APM Server produces for TokenScope's telemetry.
 */
class SavedObjectsTest {

  private static final List<SavedObject> OBJECTS = SavedObjects.load();
  private static final Map<String, SavedObject> BY_ID = SavedObjects.byId(OBJECTS);

  private static List<LensPanel> lensPanels() {
    return OBJECTS.stream().filter(o -> o.type().equals("lens")).map(LensPanel::of).toList();
  }

  private static String titleOf(String dataViewId) {
    SavedObject dataView = BY_ID.get("index-pattern/" + dataViewId);
    assertThat(dataView).as("data view " + dataViewId).isNotNull();
    return dataView.attributes().path("title").asText();
  }

  private static SavedObject dashboard() {
    return BY_ID.get("dashboard/tokenscope-llm-dashboard");
  }

  @Test
  void everyLineIsASavedObjectWithTypeIdAndAttributes() {
    String[] lines = DeployFiles.read(SavedObjects.FILE).split("\n");

    assertThat(lines).hasSize(OBJECTS.size());
    for (SavedObject object : OBJECTS) {
      assertThat(object.type()).isIn("index-pattern", "lens", "dashboard");
      assertThat(object.id()).isNotBlank();
      assertThat(object.attributes().path("title").asText()).isNotBlank();
    }
  }

  @Test
  void aMalformedLineIsReportedWithItsLineNumber() {
    assertThatThrownBy(() -> SavedObjects.parse("{\"type\": \"lens\",", 7))
        .hasMessageContaining("line 7");
    assertThatThrownBy(() -> SavedObjects.parse("[1]", 3))
        .hasMessageContaining("not a JSON object");
  }

  @Test
  void idsAreUnique() {
    Set<String> ids = new HashSet<>();
    for (SavedObject object : OBJECTS) {
      assertThat(ids.add(object.id())).as("duplicate id " + object.id()).isTrue();
    }
  }

  @Test
  void everyReferenceResolvesToAnObjectInTheFile() {
    for (SavedObject object : OBJECTS) {
      Set<String> names = new HashSet<>();
      for (Reference reference : object.references()) {
        assertThat(names.add(reference.name())).as(object.id() + " " + reference.name()).isTrue();
        assertThat(BY_ID)
            .as("%s references %s/%s", object.id(), reference.type(), reference.id())
            .containsKey(reference.type() + "/" + reference.id());
      }
    }
  }

  @Test
  void theDataViewsCoverApmTracesAndApplicationMetrics() {
    assertThat(titleOf("tokenscope-traces-apm")).isEqualTo("traces-apm*");
    assertThat(titleOf("tokenscope-metrics-apm-app")).isEqualTo("metrics-apm.app.*");
    OBJECTS.stream()
        .filter(o -> o.type().equals("index-pattern"))
        .forEach(
            dv -> {
              assertThat(dv.attributes().path("timeFieldName").asText()).isEqualTo("@timestamp");
              assertThat(MappedTelemetry.matching(dv.attributes().path("title").asText()))
                  .as("documents for " + dv.id())
                  .isNotEmpty();
              SavedObjects.embedded(dv.attributes().path("fieldFormatMap"));
            });
  }

  @Test
  void theDashboardPlacesEveryVisualizationOnTheGridThroughItsReferences() {
    SavedObject dashboard = dashboard();
    JsonNode panels = SavedObjects.embedded(dashboard.attributes().path("panelsJSON"));
    SavedObjects.embedded(dashboard.attributes().path("optionsJSON"));
    SavedObjects.embedded(
        dashboard.attributes().path("kibanaSavedObjectMeta").path("searchSourceJSON"));
    List<int[]> cells = new ArrayList<>();
    Set<String> placed = new HashSet<>();

    for (JsonNode panel : panels) {
      String index = panel.path("panelIndex").asText();
      JsonNode grid = panel.path("gridData");
      assertThat(grid.path("i").asText()).isEqualTo(index);
      String refName = panel.path("panelRefName").asText();
      Reference reference =
          dashboard.references().stream()
              .filter(r -> r.name().equals(index + ":" + refName))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no reference for panel " + index));
      assertThat(reference.type()).isEqualTo(panel.path("type").asText()).isEqualTo("lens");
      placed.add(reference.id());
      int x = grid.path("x").asInt();
      int y = grid.path("y").asInt();
      int w = grid.path("w").asInt();
      int h = grid.path("h").asInt();
      assertThat(x).isNotNegative();
      assertThat(w).isPositive();
      assertThat(h).isPositive();
      assertThat(x + w).as("panel %s fits the 48-column grid", index).isLessThanOrEqualTo(48);
      for (int[] other : cells) {
        boolean overlaps =
            x < other[0] + other[2]
                && other[0] < x + w
                && y < other[1] + other[3]
                && other[1] < y + h;
        assertThat(overlaps).as("panel %s overlaps another", index).isFalse();
      }
      cells.add(new int[] {x, y, w, h});
    }
    assertThat(placed)
        .as("every visualization is on the dashboard")
        .containsExactlyInAnyOrderElementsOf(
            lensPanels().stream().map(p -> p.object().id()).toList());
  }

  @Test
  void theDashboardHasTheReferenceDesignsEightPanelsAndTheProductionExtras() {
    assertThat(lensPanels().stream().map(p -> p.object().id()))
        .contains(
            // the reference design's eight, computed correctly
            "tokenscope-cost-by-model",
            "tokenscope-cost-per-call-by-model",
            "tokenscope-cost-over-time-by-model",
            "tokenscope-token-usage-by-model",
            "tokenscope-input-output-ratio-by-model",
            "tokenscope-total-tokens-by-model",
            "tokenscope-latency-by-model",
            "tokenscope-error-rate-by-model",
            // beyond it
            "tokenscope-cost-by-workflow",
            "tokenscope-most-expensive-traces",
            "tokenscope-retry-cost-by-attempt",
            "tokenscope-spent-on-retries",
            "tokenscope-unpriced-calls",
            "tokenscope-cost-over-time-metrics");
  }

  @Test
  void panelsOnLlmCallsSelectGenaiSpansAndInferenceOperations() {
    for (LensPanel panel : lensPanels()) {
      if (!panel.dataViewId().equals("tokenscope-traces-apm")
          || panel.object().id().equals("tokenscope-cost-by-workflow")) {
        continue;
      }
      assertThat(panel.query()).as(panel.title()).startsWith(SavedObjects.LLM_CALLS);
    }
    assertThat(LensPanel.of(BY_ID.get("lens/tokenscope-cost-by-workflow")).query())
        .isEqualTo("labels.traceloop_span_kind : \"workflow\"");
  }

  @Test
  void everyLayerReferencesItsDataViewAndListsEveryColumn() {
    for (LensPanel panel : lensPanels()) {
      assertThat(BY_ID).containsKey("index-pattern/" + panel.dataViewId());
      assertThat(panel.columnOrder())
          .as(panel.title())
          .containsExactlyInAnyOrderElementsOf(panel.columns().keySet());
      assertThat(panel.object().attributes().path("visualizationType").asText())
          .isIn("lnsXY", "lnsPie", "lnsDatatable", "lnsMetric");
      // Every accessor the visualization shows is a column of the layer.
      String visualization =
          panel.object().attributes().path("state").path("visualization").toString();
      Matcher accessor =
          Pattern.compile("\"(?:accessors|primaryGroups|metrics)\":\\[([^\\]]*)]")
              .matcher(visualization);
      while (accessor.find()) {
        for (String id : accessor.group(1).replace("\"", "").split(",")) {
          assertThat(panel.columns()).as(panel.title()).containsKey(id);
        }
      }
    }
  }

  @Test
  void formulasAreBackedByMatchingHiddenColumns() {
    Pattern call = Pattern.compile("\\b(sum|average|count|percentile)\\(([^)]*)\\)");
    int formulas = 0;
    for (LensPanel panel : lensPanels()) {
      for (Map.Entry<String, JsonNode> entry : panel.columns().entrySet()) {
        JsonNode column = entry.getValue();
        if (!column.path("operationType").asText().equals("formula")) {
          continue;
        }
        formulas++;
        String formula = column.path("params").path("formula").asText();
        String mathId = column.path("references").get(0).asText();
        JsonNode math = panel.column(mathId);
        assertThat(math.path("operationType").asText()).isEqualTo("math");
        assertThat(math.path("params").path("tinymathAst").path("text").asText())
            .isEqualTo(formula);

        List<JsonNode> parts = new ArrayList<>();
        math.path("references").forEach(r -> parts.add(panel.column(r.asText())));
        Matcher calls = call.matcher(formula);
        int i = 0;
        while (calls.find()) {
          JsonNode part = parts.get(i++);
          assertThat(part.path("operationType").asText()).as(formula).isEqualTo(calls.group(1));
          String argument = calls.group(2).split(",")[0].strip();
          if (argument.startsWith("kql=")) {
            assertThat(part.path("filter").path("query").asText())
                .isEqualTo(argument.substring(5, argument.length() - 1));
          } else if (!argument.isEmpty()) {
            assertThat(part.path("sourceField").asText()).as(formula).isEqualTo(argument);
          }
        }
        assertThat(i).as(formula).isEqualTo(parts.size());
      }
    }
    assertThat(formulas).isGreaterThanOrEqualTo(7);
  }

  @Test
  void everyFieldAPanelReadsIsOneApmServerProducesForTokenScopeTelemetry() {
    for (LensPanel panel : lensPanels()) {
      List<ApmDocument> documents = MappedTelemetry.matching(titleOf(panel.dataViewId()));
      Kql query = Kql.parse(panel.query());
      List<ApmDocument> selected = documents.stream().filter(query::matches).toList();
      assertThat(selected).as("%s selects documents", panel.title()).isNotEmpty();
      for (String field : panel.fields()) {
        assertThat(documents.stream().anyMatch(d -> d.has(field)))
            .as("%s reads %s, which no mapped document has", panel.title(), field)
            .isTrue();
      }
      for (String field : panel.numericFields()) {
        List<Object> values =
            selected.stream().map(d -> d.get(field)).filter(Objects::nonNull).toList();
        assertThat(values).as("%s: %s has values", panel.title(), field).isNotEmpty();
        assertThat(values)
            .as("%s: %s is numeric", panel.title(), field)
            .allMatch(v -> v instanceof Number);
      }
      for (String field : panel.keywordFields()) {
        assertThat(selected.stream().map(d -> d.get(field)).filter(Objects::nonNull))
            .as("%s: %s holds keywords", panel.title(), field)
            .isNotEmpty()
            .allMatch(v -> v instanceof String);
      }
    }
  }

  @Test
  void everyPanelShowsDataForTheRecordedTelemetry() {
    for (LensPanel panel : lensPanels()) {
      List<Map<String, Object>> rows =
          LensEvaluator.rows(panel, MappedTelemetry.matching(titleOf(panel.dataViewId())));
      assertThat(rows).as(panel.title()).isNotEmpty();
      assertThat(
              rows.stream()
                  .flatMap(r -> r.values().stream())
                  .anyMatch(v -> v instanceof Double d && d > 0))
          .as("%s has a positive value", panel.title())
          .isTrue();
    }
  }

  @Test
  void objectsCarryMigrationVersionsKibanaNineUpgradesFrom() {
    for (SavedObject object : OBJECTS) {
      JsonNode raw = SavedObjects.JSON.valueToTree(object);
      assertThat(raw).isNotNull();
    }
    for (String line : DeployFiles.read(SavedObjects.FILE).split("\n")) {
      assertThat(line)
          .contains("\"coreMigrationVersion\":\"8.8.0\"")
          .contains("\"typeMigrationVersion\":");
    }
  }
}
