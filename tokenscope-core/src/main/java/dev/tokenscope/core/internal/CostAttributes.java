package dev.tokenscope.core.internal;

import dev.tokenscope.core.TelemetryContract;
import dev.tokenscope.pricing.Cost;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import java.util.function.BiConsumer;

/** The {@code gen_ai.cost.*} attributes of one priced (or unpriceable) call. */
public final class CostAttributes {

  public static final AttributeKey<Double> INPUT_USD =
      AttributeKey.doubleKey(TelemetryContract.GEN_AI_COST_INPUT_USD);
  public static final AttributeKey<Double> CACHE_READ_USD =
      AttributeKey.doubleKey(TelemetryContract.GEN_AI_COST_CACHE_READ_USD);
  public static final AttributeKey<Double> CACHE_WRITE_USD =
      AttributeKey.doubleKey(TelemetryContract.GEN_AI_COST_CACHE_WRITE_USD);
  public static final AttributeKey<Double> OUTPUT_USD =
      AttributeKey.doubleKey(TelemetryContract.GEN_AI_COST_OUTPUT_USD);
  public static final AttributeKey<Double> TOTAL_USD =
      AttributeKey.doubleKey(TelemetryContract.GEN_AI_COST_TOTAL_USD);
  public static final AttributeKey<String> MODEL_RESOLVED =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_COST_MODEL_RESOLVED);
  public static final AttributeKey<String> PROVIDER =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_COST_PROVIDER);
  public static final AttributeKey<String> PRICING_SOURCE =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_COST_PRICING_SOURCE);
  public static final AttributeKey<Boolean> PRICING_UNAVAILABLE =
      AttributeKey.booleanKey(TelemetryContract.GEN_AI_COST_PRICING_UNAVAILABLE);

  /** {@code gen_ai.cost.}: every cost attribute's name starts with it. */
  private static final String PREFIX =
      TelemetryContract.GEN_AI_COST_TOTAL_USD.substring(
          0, TelemetryContract.GEN_AI_COST_TOTAL_USD.lastIndexOf('.') + 1);

  /** The most attributes one cost has. */
  public static final int MAX_COUNT = 8;

  private CostAttributes() {}

  /** Puts the attributes for {@code cost} into {@code builder}. */
  @SuppressWarnings("unchecked")
  public static void putAll(AttributesBuilder builder, Cost cost) {
    forEach(cost, (key, value) -> builder.put((AttributeKey<Object>) key, value));
  }

  /** Sets the attributes for {@code cost} on a span that has not ended. */
  @SuppressWarnings("unchecked")
  public static void setOn(Span span, Cost cost) {
    forEach(cost, (key, value) -> span.setAttribute((AttributeKey<Object>) key, value));
  }

  /** Hands each attribute for {@code cost} to {@code consumer}, in the order of {@link #fill}. */
  private static void forEach(Cost cost, BiConsumer<AttributeKey<?>, Object> consumer) {
    AttributeKey<?>[] keys = new AttributeKey<?>[MAX_COUNT];
    Object[] values = new Object[MAX_COUNT];
    int count = fill(cost, keys, values, 0);
    for (int i = 0; i < count; i++) {
      consumer.accept(keys[i], values[i]);
    }
  }

  /**
   * Writes the attributes for {@code cost} into {@code keys} and {@code values} from {@code offset}
   * on (at most {@link #MAX_COUNT} of them); returns the offset after the last one. The five
   * amounts, resolved model, provider and source when priced; {@code pricing_unavailable=true} and
   * the source (never an amount) when not.
   */
  public static int fill(Cost cost, AttributeKey<?>[] keys, Object[] values, int offset) {
    int i = offset;
    if (cost.priced()) {
      keys[i] = INPUT_USD;
      values[i++] = cost.inputUsd();
      keys[i] = CACHE_READ_USD;
      values[i++] = cost.cacheReadUsd();
      keys[i] = CACHE_WRITE_USD;
      values[i++] = cost.cacheWriteUsd();
      keys[i] = OUTPUT_USD;
      values[i++] = cost.outputUsd();
      keys[i] = TOTAL_USD;
      values[i++] = cost.totalUsd();
      if (cost.resolvedModel() != null) {
        keys[i] = MODEL_RESOLVED;
        values[i++] = cost.resolvedModel();
      }
      if (cost.provider() != null) {
        keys[i] = PROVIDER;
        values[i++] = cost.provider();
      }
    } else {
      keys[i] = PRICING_UNAVAILABLE;
      values[i++] = Boolean.TRUE;
    }
    keys[i] = PRICING_SOURCE;
    values[i++] = cost.pricingSource();
    return i;
  }

  /** True for every key {@link #forEach} may produce. */
  public static boolean isCostKey(String key) {
    return key.startsWith(PREFIX);
  }
}
