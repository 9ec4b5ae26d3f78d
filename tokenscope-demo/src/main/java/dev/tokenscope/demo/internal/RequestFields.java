package dev.tokenscope.demo.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Reads and validates the fields of one JSON request object. Every problem becomes a 400 whose
 * message names the field: missing, wrong type, out of range. Unknown fields are ignored, as the
 * reference service did.
 */
final class RequestFields {

  /** Longest accepted free-text field, in characters. */
  static final int MAX_TEXT = 200;

  /** Most entries accepted in a list of strings. */
  static final int MAX_LIST = 20;

  private final ObjectNode body;
  private final String prefix;

  private RequestFields(ObjectNode body, String prefix) {
    this.body = body;
    this.prefix = prefix;
  }

  static RequestFields of(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw ApiException.badRequest("request body must be a JSON object");
    }
    return new RequestFields((ObjectNode) body, "");
  }

  /** Fields of a nested object, named {@code prefix.field} in messages. */
  static RequestFields nested(ObjectNode body, String prefix) {
    return new RequestFields(body, prefix + ".");
  }

  ObjectNode node() {
    return body;
  }

  boolean has(String name) {
    JsonNode value = body.get(name);
    return value != null && !value.isNull();
  }

  String requiredText(String name) {
    String value = optionalText(name, null);
    if (value == null) {
      throw ApiException.badRequest(prefix + name + " is required");
    }
    return value;
  }

  /** A string; blank strings count as missing for required fields only. */
  @Nullable String optionalText(String name, @Nullable String defaultValue) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return defaultValue;
    }
    if (!value.isTextual()) {
      throw ApiException.badRequest(prefix + name + " must be a string");
    }
    String text = value.asText().strip();
    if (text.length() > MAX_TEXT) {
      throw ApiException.badRequest(prefix + name + " must be at most " + MAX_TEXT + " characters");
    }
    if (text.isEmpty() && defaultValue == null) {
      return null;
    }
    return text;
  }

  int integer(String name, int defaultValue, int min, int max) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return defaultValue;
    }
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw ApiException.badRequest(prefix + name + " must be an integer");
    }
    int n = value.intValue();
    if (n < min || n > max) {
      throw ApiException.badRequest(
          prefix + name + " must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  double number(String name, double defaultValue, double min, double max) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return defaultValue;
    }
    if (!value.isNumber()) {
      throw ApiException.badRequest(prefix + name + " must be a number");
    }
    double n = value.doubleValue();
    if (!(n >= min && n <= max)) {
      throw ApiException.badRequest(
          prefix + name + " must be between " + min + " and " + max + ", got " + value);
    }
    return n;
  }

  List<String> textList(String name) {
    JsonNode value = body.get(name);
    if (value == null || value.isNull()) {
      return List.of();
    }
    if (!value.isArray()) {
      throw ApiException.badRequest(prefix + name + " must be an array of strings");
    }
    if (value.size() > MAX_LIST) {
      throw ApiException.badRequest(prefix + name + " must have at most " + MAX_LIST + " entries");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode item : value) {
      if (!item.isTextual()) {
        throw ApiException.badRequest(prefix + name + " must be an array of strings");
      }
      String text = item.asText().strip();
      if (text.length() > MAX_TEXT) {
        throw ApiException.badRequest(
            prefix + name + " entries must be at most " + MAX_TEXT + " characters");
      }
      if (!text.isEmpty()) {
        out.add(text);
      }
    }
    return List.copyOf(out);
  }
}
