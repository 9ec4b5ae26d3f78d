package dev.tokenscope.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SchemaValueGeneratorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String MENU_SCHEMA =
      "{\"type\":\"object\",\"additionalProperties\":false,"
          + "\"required\":[\"title\",\"courses\",\"guests\",\"price\",\"vegan\",\"chef\",\"notes\",\"created\"],"
          + "\"properties\":{"
          + "\"title\":{\"type\":\"string\",\"minLength\":3,\"maxLength\":40},"
          + "\"courses\":{\"type\":\"array\",\"minItems\":2,\"maxItems\":4,\"items\":{\"$ref\":\"#/$defs/course\"}},"
          + "\"guests\":{\"type\":\"integer\",\"minimum\":2,\"maximum\":12},"
          + "\"price\":{\"type\":\"number\",\"exclusiveMinimum\":0,\"maximum\":250},"
          + "\"vegan\":{\"type\":\"boolean\"},"
          + "\"chef\":{\"anyOf\":[{\"type\":\"null\"},{\"$ref\":\"#/$defs/person\"}]},"
          + "\"notes\":{\"type\":[\"string\",\"null\"]},"
          + "\"created\":{\"type\":\"string\",\"format\":\"date-time\"}},"
          + "\"$defs\":{"
          + "\"course\":{\"type\":\"object\",\"additionalProperties\":false,\"required\":[\"name\",\"kind\",\"allergens\"],"
          + "\"properties\":{\"name\":{\"type\":\"string\"},\"kind\":{\"enum\":[\"starter\",\"main\",\"dessert\"]},"
          + "\"allergens\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"enum\":[\"nuts\",\"gluten\",\"dairy\"]},\"maxItems\":2}}},"
          + "\"person\":{\"type\":\"object\",\"required\":[\"name\",\"email\"],\"properties\":{"
          + "\"name\":{\"type\":\"string\"},\"email\":{\"type\":\"string\",\"format\":\"email\"}}}}}";

  @Test
  void generatedValuesConformToARichSchemaForManySeeds() throws Exception {
    JsonNode schema = JSON.readTree(MENU_SCHEMA);
    for (long seed = 0; seed < 200; seed++) {
      JsonNode value = SchemaValueGenerator.generate(schema, new SplittableRandom(seed));
      List<String> errors = new ArrayList<>();
      validate(schema, schema, value, "$", errors);
      assertThat(errors).as("seed %d: %s", seed, value).isEmpty();
    }
  }

  @Test
  void theSameSeedGivesTheSameValue() throws Exception {
    JsonNode schema = JSON.readTree(MENU_SCHEMA);
    assertThat(SchemaValueGenerator.generate(schema, new SplittableRandom(5)))
        .isEqualTo(SchemaValueGenerator.generate(schema, new SplittableRandom(5)));
  }

  @Test
  void recursiveSchemasTerminate() throws Exception {
    JsonNode schema =
        JSON.readTree(
            "{\"$ref\":\"#/definitions/node\",\"definitions\":{\"node\":{\"type\":\"object\",\"required\":[\"label\",\"children\"],"
                + "\"properties\":{\"label\":{\"type\":\"string\"},\"children\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/definitions/node\"}}}}}}");
    JsonNode value = SchemaValueGenerator.generate(schema, new SplittableRandom(1));
    assertThat(value.has("label")).isTrue();
    assertThat(value.has("children")).isTrue();
  }

  @Test
  void constAllOfMultipleOfAndMissingSchemas() throws Exception {
    assertThat(
            SchemaValueGenerator.generate(
                    JSON.readTree("{\"const\":\"fixed\"}"), new SplittableRandom(1))
                .asText())
        .isEqualTo("fixed");
    JsonNode merged =
        SchemaValueGenerator.generate(
            JSON.readTree(
                "{\"allOf\":[{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"}},\"required\":[\"a\"]},"
                    + "{\"properties\":{\"b\":{\"type\":\"boolean\"}},\"required\":[\"b\"]}]}"),
            new SplittableRandom(1));
    assertThat(merged.get("a").isIntegralNumber()).isTrue();
    assertThat(merged.get("b").isBoolean()).isTrue();
    for (long seed = 0; seed < 50; seed++) {
      long v =
          SchemaValueGenerator.generate(
                  JSON.readTree(
                      "{\"type\":\"integer\",\"minimum\":10,\"maximum\":100,\"multipleOf\":7}"),
                  new SplittableRandom(seed))
              .asLong();
      assertThat(v % 7).isZero();
      assertThat(v).isBetween(10L, 100L);
    }
    assertThat(SchemaValueGenerator.generate(null, new SplittableRandom(1)).isObject()).isTrue();
    assertThat(
            SchemaValueGenerator.generate(JSON.readTree("{}"), new SplittableRandom(1)).isTextual())
        .isTrue();
  }

  /** A small JSON Schema checker covering the keywords the generator promises. */
  static void validate(
      JsonNode root, JsonNode schema, JsonNode value, String path, List<String> errors) {
    if (schema.has("$ref")) {
      validate(root, root.at(schema.get("$ref").asText().substring(1)), value, path, errors);
      return;
    }
    if (schema.has("anyOf")) {
      for (JsonNode option : schema.get("anyOf")) {
        List<String> optionErrors = new ArrayList<>();
        validate(root, option, value, path, optionErrors);
        if (optionErrors.isEmpty()) {
          return;
        }
      }
      errors.add(path + ": matches no anyOf option");
      return;
    }
    if (schema.has("enum")) {
      boolean found = false;
      for (JsonNode option : schema.get("enum")) {
        found |= option.equals(value);
      }
      if (!found) {
        errors.add(path + ": not in enum");
      }
      return;
    }
    List<String> types = new ArrayList<>();
    if (schema.path("type").isArray()) {
      schema.get("type").forEach(t -> types.add(t.asText()));
    } else if (schema.has("type")) {
      types.add(schema.get("type").asText());
    }
    if (!types.isEmpty() && types.stream().noneMatch(t -> hasType(value, t))) {
      errors.add(path + ": expected " + types + " got " + value);
      return;
    }
    if (value.isObject()) {
      schema
          .path("required")
          .forEach(
              r -> {
                if (!value.has(r.asText())) {
                  errors.add(path + ": missing " + r.asText());
                }
              });
      Iterator<String> names = value.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        JsonNode property = schema.path("properties").get(name);
        if (property == null) {
          if (schema.path("additionalProperties").isBoolean()
              && !schema.get("additionalProperties").asBoolean()) {
            errors.add(path + ": unexpected " + name);
          }
        } else {
          validate(root, property, value.get(name), path + "." + name, errors);
        }
      }
    }
    if (value.isArray()) {
      if (value.size() < schema.path("minItems").asInt(0)
          || value.size() > schema.path("maxItems").asInt(Integer.MAX_VALUE)) {
        errors.add(path + ": bad item count " + value.size());
      }
      for (int i = 0; i < value.size(); i++) {
        validate(root, schema.path("items"), value.get(i), path + "[" + i + "]", errors);
      }
    }
    if (value.isTextual()) {
      int length = value.asText().length();
      if (length < schema.path("minLength").asInt(0)
          || length > schema.path("maxLength").asInt(Integer.MAX_VALUE)) {
        errors.add(path + ": bad length " + length);
      }
      if ("email".equals(schema.path("format").asText()) && !value.asText().contains("@")) {
        errors.add(path + ": not an email");
      }
      if ("date-time".equals(schema.path("format").asText())) {
        java.time.OffsetDateTime.parse(value.asText());
      }
    }
    if (value.isNumber()) {
      double v = value.asDouble();
      if (schema.has("minimum") && v < schema.get("minimum").asDouble()
          || schema.has("maximum") && v > schema.get("maximum").asDouble()
          || schema.has("exclusiveMinimum") && v <= schema.get("exclusiveMinimum").asDouble()) {
        errors.add(path + ": out of bounds " + v);
      }
    }
  }

  private static boolean hasType(JsonNode value, String type) {
    switch (type) {
      case "object":
        return value.isObject();
      case "array":
        return value.isArray();
      case "string":
        return value.isTextual();
      case "integer":
        return value.isIntegralNumber();
      case "number":
        return value.isNumber();
      case "boolean":
        return value.isBoolean();
      case "null":
        return value.isNull();
      default:
        return false;
    }
  }
}
