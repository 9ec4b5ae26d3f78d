package dev.tokenscope.demo.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON schemas of the structured outputs, in the strict form both providers accept: every property
 * required, no additional properties.
 */
final class Schemas {

  private Schemas() {}

  static final Map<String, Object> MENU_PLAN =
      object(
          "concept", string(),
          "courses",
              Map.of(
                  "type",
                  "array",
                  "items",
                  object(
                      "course_number", Map.of("type", "integer"),
                      "course_type", string(),
                      "focus", string())));

  static final Map<String, Object> NUTRITION_REVIEW =
      object(
          "approved", Map.of("type", "boolean"),
          "score", Map.of("type", "integer"),
          "notes", string(),
          "concerns", Map.of("type", "array", "items", string()));

  static final Map<String, Object> WINE_PAIRING =
      object(
          "wine", string(),
          "grape", string(),
          "region", string(),
          "serving_temperature_c", Map.of("type", "integer"),
          "reasoning", string(),
          "confidence", Map.of("type", "number"));

  private static Map<String, Object> string() {
    return Map.of("type", "string");
  }

  private static Map<String, Object> object(Object... namesAndSchemas) {
    Map<String, Object> properties = new LinkedHashMap<>();
    for (int i = 0; i < namesAndSchemas.length; i += 2) {
      properties.put((String) namesAndSchemas[i], namesAndSchemas[i + 1]);
    }
    Map<String, Object> schema = new LinkedHashMap<>();
    schema.put("type", "object");
    schema.put("properties", properties);
    schema.put("required", List.copyOf(properties.keySet()));
    schema.put("additionalProperties", false);
    return schema;
  }
}
