package dev.tokenscope.deploy.elastic;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** kibana/tokenscope-saved-objects.ndjson, parsed, with views of its Lens panels. */
final class SavedObjects {

  static final String FILE = "kibana/tokenscope-saved-objects.ndjson";

  /**
   * How panels and rules select LLM calls: APM's genai span type, or the operation name of an
   * inference (for call spans APM types by their HTTP attributes, and root calls).
   */
  static final String LLM_CALLS =
      "(span.type : \"genai\" or labels.gen_ai_operation_name :"
          + " (\"chat\" or \"text_completion\" or \"embeddings\" or \"generate_content\"))";

  static final ObjectMapper JSON = new ObjectMapper();

  record Reference(String name, String type, String id) {}

  record SavedObject(String type, String id, JsonNode attributes, List<Reference> references) {}

  /** Lens functions whose first argument is a field, as they appear in formulas. */
  private static final Pattern FORMULA_FIELD =
      Pattern.compile(
          "\\b(sum|average|count|min|max|median|percentile|unique_count|last_value|standard_deviation)\\(\\s*([A-Za-z_@][\\w.@]*+)(?!\\s*=)");

  private static final Pattern FORMULA_KQL = Pattern.compile("kql='((?:[^'\\\\]|\\\\.)*)'");

  static List<SavedObject> load() {
    List<SavedObject> objects = new ArrayList<>();
    String[] lines = DeployFiles.read(FILE).split("\n");
    for (int i = 0; i < lines.length; i++) {
      objects.add(parse(lines[i], i + 1));
    }
    return objects;
  }

  static SavedObject parse(String line, int lineNumber) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          FILE + " line " + lineNumber + ": " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException(FILE + " line " + lineNumber + ": not a JSON object");
    }
    List<Reference> references = new ArrayList<>();
    for (JsonNode ref : node.path("references")) {
      references.add(
          new Reference(
              ref.path("name").asText(), ref.path("type").asText(), ref.path("id").asText()));
    }
    return new SavedObject(
        node.path("type").asText(), node.path("id").asText(), node.path("attributes"), references);
  }

  static Map<String, SavedObject> byId(List<SavedObject> objects) {
    Map<String, SavedObject> byId = new LinkedHashMap<>();
    objects.forEach(o -> byId.put(o.type() + "/" + o.id(), o));
    return byId;
  }

  /** Parses a JSON-in-a-string attribute such as panelsJSON. */
  static JsonNode embedded(JsonNode text) {
    try {
      return JSON.readTree(text.asText());
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("invalid embedded JSON: " + e.getOriginalMessage());
    }
  }

  /** One Lens visualization with one form-based layer. */
  record LensPanel(
      SavedObject object, String layerId, String dataViewId, JsonNode layer, String query) {

    static LensPanel of(SavedObject object) {
      JsonNode state = object.attributes().path("state");
      JsonNode layers = state.path("datasourceStates").path("formBased").path("layers");
      if (layers.size() != 1) {
        throw new IllegalArgumentException(object.id() + ": expected one form-based layer");
      }
      String layerId = layers.fieldNames().next();
      String dataView =
          object.references().stream()
              .filter(r -> r.name().equals("indexpattern-datasource-layer-" + layerId))
              .map(Reference::id)
              .findFirst()
              .orElseThrow(
                  () -> new IllegalArgumentException(object.id() + ": layer has no data view"));
      return new LensPanel(
          object,
          layerId,
          dataView,
          layers.get(layerId),
          state.path("query").path("query").asText());
    }

    String title() {
      return object.attributes().path("title").asText();
    }

    JsonNode column(String id) {
      JsonNode column = layer.path("columns").path(id);
      if (column.isMissingNode()) {
        throw new IllegalArgumentException(title() + ": no column " + id);
      }
      return column;
    }

    Map<String, JsonNode> columns() {
      Map<String, JsonNode> columns = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = layer.path("columns").fields();
      it.forEachRemaining(e -> columns.put(e.getKey(), e.getValue()));
      return columns;
    }

    List<String> columnOrder() {
      List<String> order = new ArrayList<>();
      layer.path("columnOrder").forEach(c -> order.add(c.asText()));
      return order;
    }

    /** Every field the panel reads: query, column source fields, filters and formulas. */
    Set<String> fields() {
      Set<String> fields = new LinkedHashSet<>(Kql.parse(query).fields());
      columns()
          .values()
          .forEach(
              column -> {
                String source = column.path("sourceField").asText("");
                if (!source.isEmpty() && !source.equals("___records___")) {
                  fields.add(source);
                }
                fields.addAll(Kql.parse(column.path("filter").path("query").asText("")).fields());
                String formula = column.path("params").path("formula").asText("");
                Matcher field = FORMULA_FIELD.matcher(formula);
                while (field.find()) {
                  fields.add(field.group(2));
                }
                Matcher kql = FORMULA_KQL.matcher(formula);
                while (kql.find()) {
                  fields.addAll(Kql.parse(kql.group(1).replace("\\'", "'")).fields());
                }
              });
      return fields;
    }

    /** Fields that numeric aggregations (sum, average, percentile, ...) read. */
    Set<String> numericFields() {
      Set<String> fields = new LinkedHashSet<>();
      columns()
          .values()
          .forEach(
              column -> {
                String op = column.path("operationType").asText();
                if (Set.of(
                        "sum",
                        "average",
                        "min",
                        "max",
                        "median",
                        "percentile",
                        "standard_deviation")
                    .contains(op)) {
                  fields.add(column.path("sourceField").asText());
                }
                if (op.equals("terms") && column.path("dataType").asText().equals("number")) {
                  fields.add(column.path("sourceField").asText());
                }
              });
      return fields;
    }

    /** Fields that terms buckets on strings read: they must hold keywords. */
    Set<String> keywordFields() {
      Set<String> fields = new LinkedHashSet<>();
      columns()
          .values()
          .forEach(
              column -> {
                if (column.path("operationType").asText().equals("terms")
                    && column.path("dataType").asText().equals("string")) {
                  fields.add(column.path("sourceField").asText());
                }
              });
      return fields;
    }
  }

  /** Whether an index name matches a data view title such as {@code metrics-apm.app.*}. */
  static boolean matchesTitle(String title, String index) {
    for (String pattern : title.split(",")) {
      String regex = Pattern.quote(pattern.strip()).replace("*", "\\E.*\\Q");
      if (index.matches(regex)) {
        return true;
      }
    }
    return false;
  }

  private SavedObjects() {}
}
