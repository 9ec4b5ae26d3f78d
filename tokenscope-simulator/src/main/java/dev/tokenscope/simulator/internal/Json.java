package dev.tokenscope.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import org.jspecify.annotations.Nullable;

/** Small typed readers over request JSON, throwing provider-neutral 400s. */
public final class Json {

  private Json() {}

  public static @Nullable JsonNode field(JsonNode node, String name) {
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? null : value;
  }

  public static @Nullable String text(JsonNode node, String name, String param) {
    JsonNode value = field(node, name);
    if (value == null) {
      return null;
    }
    if (!value.isTextual()) {
      throw typeError(param, "a string", value);
    }
    return value.asText();
  }

  public static boolean bool(JsonNode node, String name, String param, boolean fallback) {
    JsonNode value = field(node, name);
    if (value == null) {
      return fallback;
    }
    if (!value.isBoolean()) {
      throw typeError(param, "a boolean", value);
    }
    return value.asBoolean();
  }

  /** An integer parameter within [min, max], or {@code fallback} when absent. */
  public static long integer(
      JsonNode node, String name, String param, long fallback, long min, long max) {
    JsonNode value = field(node, name);
    if (value == null) {
      return fallback;
    }
    if (!value.isIntegralNumber()) {
      throw typeError(param, "an integer", value);
    }
    long v = value.asLong();
    if (v < min || v > max) {
      throw ApiError.invalid(
          "Invalid '"
              + param
              + "': integer below minimum value. Expected a value >= "
              + min
              + ", but got "
              + v
              + " instead.",
          param,
          v < min ? "integer_below_min_value" : "integer_above_max_value");
    }
    return v;
  }

  public static ApiError typeError(String param, String expected, JsonNode got) {
    return ApiError.invalid(
        "Invalid type for '"
            + param
            + "': expected "
            + expected
            + ", but got "
            + describe(got)
            + " instead.",
        param,
        "invalid_type");
  }

  private static String describe(JsonNode node) {
    if (node.isTextual()) {
      return "a string";
    }
    if (node.isIntegralNumber()) {
      return "an integer";
    }
    if (node.isNumber()) {
      return "a decimal";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isObject()) {
      return "an object";
    }
    return "null";
  }
}
