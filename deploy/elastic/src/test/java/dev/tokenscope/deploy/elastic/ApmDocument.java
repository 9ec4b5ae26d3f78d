package dev.tokenscope.deploy.elastic;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One Elasticsearch document as APM Server would index it, with fields flattened to the dotted
 * names Kibana shows ({@code span.type}, {@code labels.gen_ai_request_model}).
 */
record ApmDocument(String index, Map<String, Object> fields) {

  ApmDocument {
    fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
  }

  @Nullable Object get(String field) {
    return fields.get(field);
  }

  boolean has(String field) {
    return fields.containsKey(field);
  }

  /** The numeric value of a field, or null when absent or not a number. */
  @Nullable Double number(String field) {
    return fields.get(field) instanceof Number n ? n.doubleValue() : null;
  }

  String string(String field) {
    Object value = fields.get(field);
    return value == null ? "" : value.toString();
  }
}
