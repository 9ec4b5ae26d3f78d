package dev.tokenscope.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Generates a JSON value that conforms to a JSON Schema, deterministically from a random stream.
 * Covers what structured outputs and tool input schemas use: objects with properties and required
 * lists, arrays with min/max items, enums and consts, strings (with length bounds and the common
 * formats), numbers and integers with bounds, booleans, nulls, type unions, anyOf/oneOf/allOf and
 * local {@code $ref}s into {@code $defs} or {@code definitions}. Unsupported keywords ({@code
 * pattern}, {@code not}, conditionals) are ignored.
 */
public final class SchemaValueGenerator {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final int MAX_DEPTH = 12;
  private static final String[] NAMES = {
    "Aurora", "Basil", "Cedar", "Dahlia", "Ember", "Fennel", "Juniper", "Marlow", "Saffron",
    "Willow"
  };

  private final JsonNode root;
  private final SplittableRandom random;

  private SchemaValueGenerator(JsonNode root, SplittableRandom random) {
    this.root = root;
    this.random = random;
  }

  /** A value conforming to {@code schema} (an empty or missing schema yields an object). */
  public static JsonNode generate(@Nullable JsonNode schema, SplittableRandom random) {
    if (schema == null || schema.isNull() || schema.isMissingNode()) {
      return genericObject(random);
    }
    return new SchemaValueGenerator(schema, random).value(schema, "value", 0);
  }

  /** A small object of plausible fields, for JSON mode without a schema. */
  public static ObjectNode genericObject(SplittableRandom random) {
    ObjectNode node = NODES.objectNode();
    node.put("answer", ContentGenerator.sentence(random));
    node.put("confidence", Math.round(random.nextDouble(0.5, 1.0) * 100) / 100.0);
    ArrayNode points = node.putArray("key_points");
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      points.add(ContentGenerator.words(random, 3));
    }
    return node;
  }

  private JsonNode value(JsonNode schema, String name, int depth) {
    schema = resolve(schema, 0);
    if (schema.isBoolean()) {
      return schema.asBoolean()
          ? NODES.textNode(ContentGenerator.words(random, 2))
          : NODES.nullNode();
    }
    if (schema.has("const")) {
      return schema.get("const").deepCopy();
    }
    JsonNode enumeration = schema.get("enum");
    if (enumeration != null && enumeration.isArray() && enumeration.size() > 0) {
      return enumeration.get(random.nextInt(enumeration.size())).deepCopy();
    }
    for (String combinator : new String[] {"anyOf", "oneOf"}) {
      JsonNode options = schema.get(combinator);
      if (options != null && options.isArray() && options.size() > 0) {
        return value(nonNullOption(options), name, depth + 1);
      }
    }
    JsonNode allOf = schema.get("allOf");
    if (allOf != null && allOf.isArray() && allOf.size() > 0) {
      return value(mergeAllOf(schema, allOf), name, depth + 1);
    }
    String type = type(schema);
    if (depth > MAX_DEPTH) {
      return shallow(type, schema);
    }
    switch (type) {
      case "object":
        return object(schema, depth);
      case "array":
        return array(schema, name, depth);
      case "string":
        return NODES.textNode(string(schema, name));
      case "integer":
        return NODES.numberNode(integer(schema));
      case "number":
        return NODES.numberNode(number(schema));
      case "boolean":
        return NODES.booleanNode(random.nextBoolean());
      case "null":
        return NODES.nullNode();
      default:
        return NODES.textNode(ContentGenerator.words(random, 2));
    }
  }

  private ObjectNode object(JsonNode schema, int depth) {
    ObjectNode node = NODES.objectNode();
    JsonNode properties = schema.get("properties");
    Set<String> required = new HashSet<>();
    JsonNode requiredList = schema.get("required");
    if (requiredList != null && requiredList.isArray()) {
      requiredList.forEach(r -> required.add(r.asText()));
    }
    if (properties != null && properties.isObject()) {
      Iterator<String> names = properties.fieldNames();
      while (names.hasNext()) {
        String property = names.next();
        // Optional properties appear most of the time, as a model would usually fill them.
        if (required.contains(property) || (depth < 4 && random.nextInt(4) > 0)) {
          node.set(property, value(properties.get(property), property, depth + 1));
        }
      }
    }
    for (String property : required) {
      if (!node.has(property)) {
        node.set(property, NODES.textNode(ContentGenerator.words(random, 2)));
      }
    }
    if (node.isEmpty() && (properties == null || properties.isEmpty())) {
      JsonNode additional = schema.get("additionalProperties");
      if (additional == null || !(additional.isBoolean() && !additional.asBoolean())) {
        return depth == 0 ? genericObject(random) : node;
      }
    }
    return node;
  }

  private ArrayNode array(JsonNode schema, String name, int depth) {
    ArrayNode node = NODES.arrayNode();
    int min = schema.path("minItems").asInt(depth > 6 ? 0 : 1);
    int max = schema.path("maxItems").asInt(Math.max(min, 3));
    if (max < min) {
      max = min;
    }
    int count = min + random.nextInt(max - min + 1);
    JsonNode prefixItems = schema.get("prefixItems");
    JsonNode items = schema.path("items");
    String itemName = name.endsWith("s") ? name.substring(0, name.length() - 1) : name;
    boolean unique = schema.path("uniqueItems").asBoolean(false);
    Set<JsonNode> seen = new HashSet<>();
    for (int i = 0; i < count; i++) {
      JsonNode itemSchema =
          prefixItems != null && prefixItems.isArray() && i < prefixItems.size()
              ? prefixItems.get(i)
              : items;
      JsonNode item =
          value(itemSchema.isMissingNode() ? NODES.objectNode() : itemSchema, itemName, depth + 1);
      for (int attempt = 0; unique && seen.contains(item) && attempt < 5; attempt++) {
        item = value(itemSchema, itemName, depth + 1);
      }
      seen.add(item);
      node.add(item);
    }
    return node;
  }

  private String string(JsonNode schema, String name) {
    String format = schema.path("format").asText("");
    String value;
    switch (format) {
      case "date-time":
        value =
            String.format(
                Locale.ROOT,
                "2026-%02d-%02dT%02d:%02d:00Z",
                1 + random.nextInt(12),
                1 + random.nextInt(28),
                random.nextInt(24),
                random.nextInt(60));
        break;
      case "date":
        value =
            String.format(
                Locale.ROOT, "2026-%02d-%02d", 1 + random.nextInt(12), 1 + random.nextInt(28));
        break;
      case "time":
        value = String.format(Locale.ROOT, "%02d:%02d:00", random.nextInt(24), random.nextInt(60));
        break;
      case "email":
        value = NAMES[random.nextInt(NAMES.length)].toLowerCase(Locale.ROOT) + "@example.com";
        break;
      case "uri":
      case "url":
        value =
            "https://example.com/" + NAMES[random.nextInt(NAMES.length)].toLowerCase(Locale.ROOT);
        break;
      case "uuid":
        value = new java.util.UUID(random.nextLong(), random.nextLong()).toString();
        break;
      default:
        value = byName(name);
    }
    int minLength = schema.path("minLength").asInt(0);
    int maxLength = schema.path("maxLength").asInt(Integer.MAX_VALUE);
    StringBuilder sb = new StringBuilder(value);
    while (sb.length() < minLength) {
      sb.append(' ').append(ContentGenerator.words(random, 1));
    }
    if (sb.length() > maxLength) {
      sb.setLength(maxLength);
    }
    return sb.toString();
  }

  private String byName(String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith("id")) {
      return Long.toHexString(random.nextLong() >>> 16);
    }
    if (n.contains("name") || n.equals("title")) {
      return NAMES[random.nextInt(NAMES.length)] + " " + ContentGenerator.words(random, 1);
    }
    if (n.contains("description")
        || n.contains("reason")
        || n.contains("summary")
        || n.contains("comment")
        || n.contains("text")
        || n.contains("feedback")
        || n.contains("explanation")
        || n.contains("answer")) {
      return ContentGenerator.sentence(random);
    }
    return ContentGenerator.words(random, 1 + random.nextInt(3));
  }

  private long integer(JsonNode schema) {
    long min = (long) Math.ceil(bound(schema, "minimum", "exclusiveMinimum", 0, true));
    long max =
        (long)
            Math.floor(bound(schema, "maximum", "exclusiveMaximum", Math.max(min, 0) + 100, false));
    if (max < min) {
      max = min;
    }
    long value = min + (long) (random.nextDouble() * (max - min + 1));
    long multiple = schema.path("multipleOf").asLong(0);
    if (multiple > 0) {
      long rounded = Math.floorDiv(value, multiple) * multiple;
      value = rounded < min ? rounded + multiple : rounded;
    }
    return Math.min(value, max);
  }

  private double number(JsonNode schema) {
    double min = bound(schema, "minimum", "exclusiveMinimum", 0, true);
    double max = bound(schema, "maximum", "exclusiveMaximum", Math.max(min, 0) + 100, false);
    if (max < min) {
      max = min;
    }
    double value = min + random.nextDouble() * (max - min);
    double rounded = Math.round(value * 100) / 100.0;
    return rounded < min || rounded > max ? value : rounded;
  }

  private static double bound(
      JsonNode schema, String inclusive, String exclusive, double fallback, boolean lower) {
    if (schema.has(inclusive) && schema.get(inclusive).isNumber()) {
      return schema.get(inclusive).asDouble();
    }
    if (schema.has(exclusive) && schema.get(exclusive).isNumber()) {
      double limit = schema.get(exclusive).asDouble();
      return lower ? Math.nextUp(limit) : Math.nextDown(limit);
    }
    return fallback;
  }

  private JsonNode shallow(String type, JsonNode schema) {
    switch (type) {
      case "object":
        ObjectNode node = NODES.objectNode();
        JsonNode required = schema.get("required");
        if (required != null) {
          required.forEach(r -> node.putNull(r.asText()));
        }
        return node;
      case "array":
        return NODES.arrayNode();
      case "null":
        return NODES.nullNode();
      default:
        return value(schema, "value", 0);
    }
  }

  private JsonNode resolve(JsonNode schema, int hops) {
    JsonNode ref = schema.get("$ref");
    if (ref == null || !ref.isTextual() || hops > 32) {
      return schema;
    }
    String pointer = ref.asText();
    if (!pointer.startsWith("#")) {
      return NODES.objectNode();
    }
    JsonNode target = root.at(pointer.substring(1));
    return target.isMissingNode() ? NODES.objectNode() : resolve(target, hops + 1);
  }

  private JsonNode nonNullOption(JsonNode options) {
    List<JsonNode> candidates = new ArrayList<>();
    for (JsonNode option : options) {
      JsonNode resolved = resolve(option, 0);
      if (!"null".equals(resolved.path("type").asText())) {
        candidates.add(option);
      }
    }
    if (candidates.isEmpty()) {
      return options.get(0);
    }
    return candidates.get(random.nextInt(candidates.size()));
  }

  private JsonNode mergeAllOf(JsonNode schema, JsonNode allOf) {
    ObjectNode merged = ((ObjectNode) schema.deepCopy());
    merged.remove("allOf");
    ObjectNode properties =
        merged.has("properties")
            ? (ObjectNode) merged.get("properties")
            : merged.putObject("properties");
    ArrayNode required =
        merged.has("required") ? (ArrayNode) merged.get("required") : merged.putArray("required");
    for (JsonNode part : allOf) {
      JsonNode resolved = resolve(part, 0);
      if (resolved.has("properties")) {
        properties.setAll((ObjectNode) resolved.get("properties"));
      }
      if (resolved.has("required")) {
        required.addAll((ArrayNode) resolved.get("required"));
      }
      if (resolved.has("type") && !merged.has("type")) {
        merged.set("type", resolved.get("type"));
      }
    }
    return merged;
  }

  private static String type(JsonNode schema) {
    JsonNode type = schema.get("type");
    if (type == null) {
      if (schema.has("properties")) {
        return "object";
      }
      if (schema.has("items")) {
        return "array";
      }
      return "string";
    }
    if (type.isArray()) {
      for (JsonNode t : type) {
        if (!"null".equals(t.asText())) {
          return t.asText();
        }
      }
      return "null";
    }
    return type.asText();
  }
}
