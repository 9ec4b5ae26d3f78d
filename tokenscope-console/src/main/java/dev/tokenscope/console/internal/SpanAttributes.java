package dev.tokenscope.console.internal;

import static dev.tokenscope.core.TelemetryContract.ATTEMPT;
import static dev.tokenscope.core.TelemetryContract.ERROR_TYPE;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_CACHE_READ_USD;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_CACHE_WRITE_USD;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_INPUT_USD;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_OUTPUT_USD;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_PRICING_SOURCE;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_PRICING_UNAVAILABLE;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_TOTAL_USD;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_OPERATION_NAME;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_PROVIDER_NAME;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_REQUEST_MODEL;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_RESPONSE_MODEL;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_SYSTEM;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_USAGE_INPUT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_USAGE_OUTPUT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_USAGE_TOTAL_TOKENS;
import static dev.tokenscope.core.TelemetryContract.LEGACY_USAGE_CACHE_CREATION_INPUT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.LEGACY_USAGE_COMPLETION_TOKENS;
import static dev.tokenscope.core.TelemetryContract.LEGACY_USAGE_PROMPT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.OPENLLMETRY_REQUEST_TYPE;
import static dev.tokenscope.core.TelemetryContract.OPENLLMETRY_USAGE_CACHE_CREATION_INPUT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.OPENLLMETRY_USAGE_CACHE_READ_INPUT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.OPENLLMETRY_USAGE_REASONING_TOKENS;
import static dev.tokenscope.core.TelemetryContract.ROLLUP_COST_USD;
import static dev.tokenscope.core.TelemetryContract.SPRING_AI_KIND;
import static dev.tokenscope.core.TelemetryContract.TRACELOOP_ENTITY_NAME;
import static dev.tokenscope.core.TelemetryContract.TRACELOOP_SPAN_KIND;
import static dev.tokenscope.core.TelemetryContract.TRACELOOP_WORKFLOW_NAME;

import dev.tokenscope.core.AttributeSource;
import io.opentelemetry.proto.common.v1.KeyValue;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The attributes of one span that ingest reads (the normaliser's keys and the console's own), taken
 * in one pass over the span's attribute list: a slot per known key, converted to a Java value only
 * for those keys. The map of every attribute this replaced cost a hash-map entry and a boxed value
 * per attribute, and ~30 look-ups, on every span. A key outside the table (a normaliser key added
 * later) is still found, by a scan of the list.
 */
final class SpanAttributes implements AttributeSource {

  private static final String[] KEYS = {
    GEN_AI_OPERATION_NAME,
    OPENLLMETRY_REQUEST_TYPE,
    GEN_AI_PROVIDER_NAME,
    GEN_AI_SYSTEM,
    GEN_AI_REQUEST_MODEL,
    GEN_AI_RESPONSE_MODEL,
    GEN_AI_USAGE_INPUT_TOKENS,
    LEGACY_USAGE_PROMPT_TOKENS,
    GEN_AI_USAGE_OUTPUT_TOKENS,
    LEGACY_USAGE_COMPLETION_TOKENS,
    GEN_AI_USAGE_TOTAL_TOKENS,
    GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS,
    OPENLLMETRY_USAGE_CACHE_READ_INPUT_TOKENS,
    GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS,
    LEGACY_USAGE_CACHE_CREATION_INPUT_TOKENS,
    OPENLLMETRY_USAGE_CACHE_CREATION_INPUT_TOKENS,
    GEN_AI_USAGE_REASONING_OUTPUT_TOKENS,
    OPENLLMETRY_USAGE_REASONING_TOKENS,
    GEN_AI_COST_TOTAL_USD,
    GEN_AI_COST_PRICING_UNAVAILABLE,
    TRACELOOP_SPAN_KIND,
    SPRING_AI_KIND,
    GEN_AI_COST_INPUT_USD,
    GEN_AI_COST_CACHE_READ_USD,
    GEN_AI_COST_CACHE_WRITE_USD,
    GEN_AI_COST_OUTPUT_USD,
    GEN_AI_COST_PRICING_SOURCE,
    TRACELOOP_WORKFLOW_NAME,
    TRACELOOP_ENTITY_NAME,
    ATTEMPT,
    ERROR_TYPE,
    ROLLUP_COST_USD,
  };

  private static final Map<String, Integer> SLOTS = new HashMap<>(KEYS.length * 2);

  static {
    for (int i = 0; i < KEYS.length; i++) {
      SLOTS.put(KEYS[i], i);
    }
  }

  private final List<KeyValue> attributes;
  private final @Nullable Object[] values = new Object[KEYS.length];

  SpanAttributes(List<KeyValue> attributes) {
    this.attributes = attributes;
    for (KeyValue kv : attributes) {
      Integer slot = SLOTS.get(kv.getKey());
      if (slot != null) {
        Object value = AttributeValues.toJava(kv.getValue());
        // As a map would keep it: the last non-null value of a repeated key.
        if (value != null) {
          values[slot] = value;
        }
      }
    }
  }

  @Override
  public @Nullable Object get(String key) {
    Integer slot = SLOTS.get(key);
    if (slot != null) {
      return values[slot];
    }
    Object found = null;
    for (KeyValue kv : attributes) {
      if (key.equals(kv.getKey())) {
        Object value = AttributeValues.toJava(kv.getValue());
        if (value != null) {
          found = value;
        }
      }
    }
    return found;
  }
}
