package dev.tokenscope.core.internal;

import dev.tokenscope.core.InferenceAttributes;
import dev.tokenscope.core.TelemetryContract;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.context.Context;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The contract's metrics for inference calls: the semantic-convention duration and token-usage
 * histograms (with the conventions' bucket boundaries), and TokenScope's cost, token and unpriced
 * call counters. Attribute sets are built once per combination and cached (bounded), so recording
 * allocates nothing in the steady state.
 */
public final class InferenceMetrics {

  /** Bucket boundaries of {@code gen_ai.client.operation.duration}, seconds (semconv). */
  public static final List<Double> DURATION_BUCKETS =
      List.of(
          0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);

  /** Bucket boundaries of {@code gen_ai.client.token.usage} (semconv). */
  public static final List<Long> TOKEN_BUCKETS =
      List.of(
          1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L, 1048576L, 4194304L,
          16777216L, 67108864L);

  private static final int MAX_CACHED_ATTRIBUTE_SETS = 2048;

  static final AttributeKey<String> OPERATION =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_OPERATION_NAME);
  static final AttributeKey<String> PROVIDER =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_PROVIDER_NAME);
  static final AttributeKey<String> REQUEST_MODEL =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_REQUEST_MODEL);
  static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_RESPONSE_MODEL);
  static final AttributeKey<String> ERROR_TYPE =
      AttributeKey.stringKey(TelemetryContract.ERROR_TYPE);
  static final AttributeKey<String> TOKEN_TYPE =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_TOKEN_TYPE);
  static final AttributeKey<String> WORKFLOW =
      AttributeKey.stringKey(TelemetryContract.TOKENSCOPE_WORKFLOW);

  private final DoubleHistogram duration;
  private final LongHistogram tokenUsage;
  private final DoubleCounter cost;
  private final LongCounter tokens;
  private final LongCounter unpriced;
  private final ConcurrentHashMap<Key, AttributeSets> cache = new ConcurrentHashMap<>();

  public InferenceMetrics(Meter meter) {
    duration =
        meter
            .histogramBuilder(TelemetryContract.METRIC_OPERATION_DURATION)
            .setDescription("GenAI operation duration.")
            .setUnit("s")
            .setExplicitBucketBoundariesAdvice(DURATION_BUCKETS)
            .build();
    tokenUsage =
        meter
            .histogramBuilder(TelemetryContract.METRIC_TOKEN_USAGE)
            .ofLongs()
            .setDescription("Number of input and output tokens used per call.")
            .setUnit("{token}")
            .setExplicitBucketBoundariesAdvice(TOKEN_BUCKETS)
            .build();
    cost =
        meter
            .counterBuilder(TelemetryContract.METRIC_COST)
            .ofDoubles()
            .setDescription("Cost of LLM calls, from the pricing catalog.")
            .setUnit("USD")
            .build();
    tokens =
        meter
            .counterBuilder(TelemetryContract.METRIC_TOKENS)
            .setDescription("Tokens used by LLM calls, by token type.")
            .setUnit("{token}")
            .build();
    unpriced =
        meter
            .counterBuilder(TelemetryContract.METRIC_UNPRICED_CALLS)
            .setDescription("LLM calls whose model could not be priced.")
            .setUnit("{call}")
            .build();
  }

  /**
   * Records one call.
   *
   * @param histograms false when the span's own instrumentation already records the
   *     semantic-convention histograms (recording them twice would double count)
   */
  public void record(
      InferenceAttributes inference,
      @Nullable String errorType,
      @Nullable String workflow,
      double durationSeconds,
      boolean priced,
      double costUsd,
      boolean histograms) {
    AttributeSets sets = attributeSets(inference, errorType, workflow);
    // The root context: no exemplar sampling on the caller's thread for these measurements.
    Context root = Context.root();
    if (histograms) {
      duration.record(durationSeconds, sets.duration, root);
      tokenUsage.record(inference.inputTokens(), sets.usageInput, root);
      tokenUsage.record(inference.outputTokens(), sets.usageOutput, root);
    }
    if (priced) {
      cost.add(costUsd, sets.cost, root);
    } else {
      unpriced.add(1, sets.unpriced, root);
    }
    add(inference.inputTokens(), sets.tokensInput);
    add(inference.outputTokens(), sets.tokensOutput);
    add(inference.cacheReadTokens(), sets.tokensCacheRead);
    add(inference.cacheWriteTokens(), sets.tokensCacheWrite);
    add(inference.reasoningTokens(), sets.tokensReasoning);
  }

  private void add(long count, Attributes attributes) {
    if (count > 0) {
      tokens.add(count, attributes, Context.root());
    }
  }

  private AttributeSets attributeSets(
      InferenceAttributes inference, @Nullable String errorType, @Nullable String workflow) {
    Key key =
        new Key(
            inference.operation(),
            inference.provider(),
            inference.requestModel(),
            inference.responseModel(),
            errorType,
            workflow);
    AttributeSets sets = cache.get(key);
    if (sets == null) {
      sets = new AttributeSets(key);
      if (cache.size() < MAX_CACHED_ATTRIBUTE_SETS) {
        cache.putIfAbsent(key, sets);
      }
    }
    return sets;
  }

  /**
   * The combination an attribute set is cached for. A plain class, not a record: a record's equals
   * and hashCode go through an invokedynamic bootstrap that costs more than the lookup itself.
   */
  private static final class Key {
    private final @Nullable String operation;
    private final @Nullable String provider;
    private final @Nullable String requestModel;
    private final @Nullable String responseModel;
    private final @Nullable String errorType;
    private final @Nullable String workflow;
    private final int hash;

    Key(
        @Nullable String operation,
        @Nullable String provider,
        @Nullable String requestModel,
        @Nullable String responseModel,
        @Nullable String errorType,
        @Nullable String workflow) {
      this.operation = operation;
      this.provider = provider;
      this.requestModel = requestModel;
      this.responseModel = responseModel;
      this.errorType = errorType;
      this.workflow = workflow;
      int h = Objects.hashCode(operation);
      h = 31 * h + Objects.hashCode(provider);
      h = 31 * h + Objects.hashCode(requestModel);
      h = 31 * h + Objects.hashCode(responseModel);
      h = 31 * h + Objects.hashCode(errorType);
      this.hash = 31 * h + Objects.hashCode(workflow);
    }

    @Nullable String operation() {
      return operation;
    }

    @Nullable String provider() {
      return provider;
    }

    @Nullable String requestModel() {
      return requestModel;
    }

    @Nullable String responseModel() {
      return responseModel;
    }

    @Nullable String errorType() {
      return errorType;
    }

    @Nullable String workflow() {
      return workflow;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      if (this == o) {
        return true;
      }
      if (!(o instanceof Key)) {
        return false;
      }
      Key other = (Key) o;
      return hash == other.hash
          && Objects.equals(operation, other.operation)
          && Objects.equals(provider, other.provider)
          && Objects.equals(requestModel, other.requestModel)
          && Objects.equals(responseModel, other.responseModel)
          && Objects.equals(errorType, other.errorType)
          && Objects.equals(workflow, other.workflow);
    }

    @Override
    public int hashCode() {
      return hash;
    }
  }

  private static final class AttributeSets {
    final Attributes duration;
    final Attributes usageInput;
    final Attributes usageOutput;
    final Attributes cost;
    final Attributes unpriced;
    final Attributes tokensInput;
    final Attributes tokensOutput;
    final Attributes tokensCacheRead;
    final Attributes tokensCacheWrite;
    final Attributes tokensReasoning;

    AttributeSets(Key key) {
      AttributesBuilder semconv = Attributes.builder();
      putIfPresent(semconv, OPERATION, key.operation());
      putIfPresent(semconv, PROVIDER, key.provider());
      putIfPresent(semconv, REQUEST_MODEL, key.requestModel());
      putIfPresent(semconv, RESPONSE_MODEL, key.responseModel());
      Attributes base = semconv.build();
      AttributesBuilder withError = base.toBuilder();
      putIfPresent(withError, ERROR_TYPE, key.errorType());
      duration = withError.build();
      usageInput = base.toBuilder().put(TOKEN_TYPE, TelemetryContract.TOKEN_TYPE_INPUT).build();
      usageOutput = base.toBuilder().put(TOKEN_TYPE, TelemetryContract.TOKEN_TYPE_OUTPUT).build();

      String model = key.responseModel() != null ? key.responseModel() : key.requestModel();
      AttributesBuilder costBuilder = Attributes.builder();
      putIfPresent(costBuilder, OPERATION, key.operation());
      putIfPresent(costBuilder, PROVIDER, key.provider());
      putIfPresent(costBuilder, RESPONSE_MODEL, model);
      putIfPresent(costBuilder, WORKFLOW, key.workflow());
      cost = costBuilder.build();
      tokensInput = cost.toBuilder().put(TOKEN_TYPE, TelemetryContract.TOKEN_TYPE_INPUT).build();
      tokensOutput = cost.toBuilder().put(TOKEN_TYPE, TelemetryContract.TOKEN_TYPE_OUTPUT).build();
      tokensCacheRead =
          cost.toBuilder().put(TOKEN_TYPE, TelemetryContract.TOKEN_TYPE_CACHE_READ).build();
      tokensCacheWrite =
          cost.toBuilder().put(TOKEN_TYPE, TelemetryContract.TOKEN_TYPE_CACHE_WRITE).build();
      tokensReasoning =
          cost.toBuilder().put(TOKEN_TYPE, TelemetryContract.TOKEN_TYPE_REASONING).build();

      AttributesBuilder unpricedBuilder = Attributes.builder();
      putIfPresent(unpricedBuilder, PROVIDER, key.provider());
      putIfPresent(unpricedBuilder, RESPONSE_MODEL, model);
      unpriced = unpricedBuilder.build();
    }

    private static void putIfPresent(
        AttributesBuilder builder, AttributeKey<String> key, @Nullable String value) {
      if (value != null) {
        builder.put(key, Objects.requireNonNull(value));
      }
    }
  }
}
