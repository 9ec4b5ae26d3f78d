package dev.tokenscope.deploy.elastic;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenscope.deploy.elastic.SavedObjects.LensPanel;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Computes a Lens panel's table over mapped documents the way Elasticsearch aggregations would:
 * terms buckets (top N by the order column), then each metric column per bucket, formulas through
 * their persisted math tree. Date histograms collapse into one bucket: the tests check what a panel
 * computes, not how Kibana picks intervals. Percentiles are exact here (Elasticsearch's are TDigest
 * estimates).
 */
final class LensEvaluator {

  /** A row: bucket column id to bucket key, metric column id to value (null: no data). */
  static List<Map<String, @Nullable Object>> rows(LensPanel panel, List<ApmDocument> documents) {
    Kql query = Kql.parse(panel.query());
    List<ApmDocument> selected = documents.stream().filter(query::matches).toList();
    List<String> buckets =
        panel.columnOrder().stream()
            .filter(id -> panel.column(id).path("isBucketed").asBoolean())
            .toList();
    List<Map<String, @Nullable Object>> rows = new ArrayList<>();
    split(panel, buckets, 0, selected, new LinkedHashMap<>(), rows);
    return rows;
  }

  private static void split(
      LensPanel panel,
      List<String> buckets,
      int level,
      List<ApmDocument> documents,
      Map<String, @Nullable Object> keys,
      List<Map<String, @Nullable Object>> rows) {
    if (level == buckets.size()) {
      Map<String, @Nullable Object> row = new LinkedHashMap<>(keys);
      for (String id : panel.columns().keySet()) {
        if (!panel.column(id).path("isBucketed").asBoolean()) {
          row.put(id, value(panel, id, documents));
        }
      }
      rows.add(row);
      return;
    }
    String bucketId = buckets.get(level);
    JsonNode column = panel.column(bucketId);
    if (column.path("operationType").asText().equals("date_histogram")) {
      keys.put(bucketId, "all");
      split(panel, buckets, level + 1, documents, keys, rows);
      return;
    }
    String field = column.path("sourceField").asText();
    Map<Object, List<ApmDocument>> groups = new LinkedHashMap<>();
    for (ApmDocument doc : documents) {
      Object value = doc.get(field);
      if (value instanceof List<?> list) {
        list.forEach(v -> groups.computeIfAbsent(v, k -> new ArrayList<>()).add(doc));
      } else if (value != null) {
        groups.computeIfAbsent(value, k -> new ArrayList<>()).add(doc);
      }
    }
    List<Map.Entry<Object, List<ApmDocument>>> ordered = new ArrayList<>(groups.entrySet());
    JsonNode params = column.path("params");
    JsonNode orderBy = params.path("orderBy");
    Comparator<Map.Entry<Object, List<ApmDocument>>> comparator;
    if (orderBy.path("type").asText().equals("column")) {
      String by = orderBy.path("columnId").asText();
      comparator =
          Comparator.comparing(
              e -> {
                Object v = value(panel, by, e.getValue());
                return v instanceof Number n ? n.doubleValue() : Double.NEGATIVE_INFINITY;
              });
    } else {
      comparator = Comparator.comparing(e -> e.getKey().toString());
    }
    if (params.path("orderDirection").asText("desc").equals("desc")) {
      comparator = comparator.reversed();
    }
    ordered.sort(comparator);
    int size = params.path("size").asInt(Integer.MAX_VALUE);
    for (Map.Entry<Object, List<ApmDocument>> group :
        ordered.subList(0, Math.min(size, ordered.size()))) {
      keys.put(bucketId, group.getKey());
      split(panel, buckets, level + 1, group.getValue(), keys, rows);
    }
    keys.remove(bucketId);
  }

  /** A metric column's value over the documents of one bucket. */
  @Nullable
  static Object value(LensPanel panel, String columnId, List<ApmDocument> documents) {
    JsonNode column = panel.column(columnId);
    String op = column.path("operationType").asText();
    if (op.equals("formula")) {
      return value(panel, column.path("references").get(0).asText(), documents);
    }
    if (op.equals("math")) {
      return math(panel, column.path("params").path("tinymathAst"), documents);
    }
    Kql filter = Kql.parse(column.path("filter").path("query").asText(""));
    List<ApmDocument> filtered = documents.stream().filter(filter::matches).toList();
    String field = column.path("sourceField").asText();
    if (op.equals("count")) {
      long count =
          field.equals("___records___")
              ? filtered.size()
              : filtered.stream().filter(d -> d.has(field)).count();
      return (double) count;
    }
    List<Double> values = new ArrayList<>();
    for (ApmDocument doc : filtered) {
      Object value = doc.get(field);
      if (value instanceof Number n) {
        values.add(n.doubleValue());
      } else if (value != null) {
        throw new IllegalStateException(panel.title() + ": " + field + " is not numeric: " + value);
      }
    }
    boolean emptyAsNull = column.path("params").path("emptyAsNull").asBoolean(true);
    if (values.isEmpty()) {
      return op.equals("sum") && !emptyAsNull ? 0.0 : null;
    }
    values.sort(null);
    return switch (op) {
      case "sum" -> values.stream().mapToDouble(Double::doubleValue).sum();
      case "average" -> values.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
      case "min" -> values.get(0);
      case "max" -> values.get(values.size() - 1);
      case "median" -> percentile(values, 50);
      case "percentile" -> percentile(values, column.path("params").path("percentile").asDouble());
      default -> throw new IllegalStateException(panel.title() + ": unsupported operation " + op);
    };
  }

  /** Linear interpolation between closest ranks. */
  static double percentile(List<Double> sorted, double percent) {
    double rank = percent / 100 * (sorted.size() - 1);
    int low = (int) Math.floor(rank);
    int high = (int) Math.ceil(rank);
    return sorted.get(low) + (sorted.get(high) - sorted.get(low)) * (rank - low);
  }

  @Nullable
  private static Double math(LensPanel panel, JsonNode node, List<ApmDocument> documents) {
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isTextual()) {
      Object value = value(panel, node.asText(), documents);
      return value == null ? null : ((Number) value).doubleValue();
    }
    List<Double> args = new ArrayList<>();
    for (JsonNode arg : node.path("args")) {
      Double value = math(panel, arg, documents);
      if (value == null) {
        return null;
      }
      args.add(value);
    }
    String name = node.path("name").asText();
    return switch (name) {
      case "add" -> args.get(0) + args.get(1);
      case "subtract" -> args.get(0) - args.get(1);
      case "multiply" -> args.get(0) * args.get(1);
      case "divide" -> args.get(1) == 0 ? null : args.get(0) / args.get(1);
      default -> throw new IllegalStateException(panel.title() + ": unsupported math " + name);
    };
  }

  private LensEvaluator() {}
}
