package dev.tokenscope.core.internal;

import dev.tokenscope.core.TelemetryContract;
import dev.tokenscope.pricing.Cost;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;

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

  private CostAttributes() {}

  /**
   * The attributes for {@code cost}: the five amounts, resolved model, provider and source when
   * priced; {@code pricing_unavailable=true} and the source (never an amount) when not.
   */
  public static Attributes of(Cost cost) {
    AttributesBuilder builder = Attributes.builder();
    putAll(builder, cost);
    return builder.build();
  }

  public static void putAll(AttributesBuilder builder, Cost cost) {
    if (cost.priced()) {
      builder
          .put(INPUT_USD, cost.inputUsd())
          .put(CACHE_READ_USD, cost.cacheReadUsd())
          .put(CACHE_WRITE_USD, cost.cacheWriteUsd())
          .put(OUTPUT_USD, cost.outputUsd())
          .put(TOTAL_USD, cost.totalUsd());
      if (cost.resolvedModel() != null) {
        builder.put(MODEL_RESOLVED, cost.resolvedModel());
      }
      if (cost.provider() != null) {
        builder.put(PROVIDER, cost.provider());
      }
    } else {
      builder.put(PRICING_UNAVAILABLE, true);
    }
    builder.put(PRICING_SOURCE, cost.pricingSource());
  }
}
