package dev.tokenscope.core;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Looks up one attribute by name, whatever holds the attributes: an OpenTelemetry {@link
 * Attributes}, a map decoded from OTLP/JSON, a database row. {@link InferenceAttributes#read}
 * accepts values as {@code Long}, {@code Integer}, {@code Double}, {@code String} (OTLP/JSON
 * encodes int64 as strings), lists, OTLP/JSON {@code AnyValue} maps ({@code {"intValue":"12"}}) or
 * OpenTelemetry {@link io.opentelemetry.api.common.Value}s.
 *
 * <pre>{@code
 * Map<String, Object> row = Map.of("gen_ai.request.model", "gpt-4o", "gen_ai.usage.input_tokens", "120");
 * InferenceAttributes inference = InferenceAttributes.read(row::get);
 * }</pre>
 */
@FunctionalInterface
public interface AttributeSource {

  /** The value of the attribute named {@code key}, or null when absent. */
  @Nullable Object get(String key);

  /** A source backed by a map from attribute name to value. */
  static AttributeSource of(Map<String, ?> attributes) {
    Objects.requireNonNull(attributes, "attributes");
    return attributes::get;
  }

  /**
   * A source backed by OpenTelemetry {@link Attributes}, looked up by name whatever the type. Built
   * once per call (one pass over the attributes); {@link InferenceAttributes#read(Attributes)} is
   * the faster path when you hold {@code Attributes}.
   */
  static AttributeSource of(Attributes attributes) {
    Objects.requireNonNull(attributes, "attributes");
    Map<String, Object> byName = new HashMap<>(attributes.size() * 2);
    attributes.forEach((AttributeKey<?> key, Object value) -> byName.put(key.getKey(), value));
    return byName::get;
  }
}
