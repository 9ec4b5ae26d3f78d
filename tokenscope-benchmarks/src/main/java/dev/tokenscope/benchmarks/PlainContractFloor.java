package dev.tokenscope.benchmarks;

import static dev.tokenscope.benchmarks.SpanProcessingBenchmark.OPERATION;
import static dev.tokenscope.benchmarks.SpanProcessingBenchmark.PROVIDER;
import static dev.tokenscope.benchmarks.SpanProcessingBenchmark.REQUEST_MODEL;
import static dev.tokenscope.benchmarks.SpanProcessingBenchmark.RESPONSE_MODEL;

import dev.tokenscope.core.internal.InferenceMetrics;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.time.Duration;

/**
 * The floor the telemetry contract sets for the benchmarks' LLM-call span: what a plain
 * OpenTelemetry SDK has to do, by hand and with no TokenScope code, to emit exactly what TokenScope
 * adds to that span — the ten span attributes ({@link #addSameOutput}) and the contract's seven
 * metric recordings ({@link #endAndRecord}). Values are precomputed constants (no pricing, no
 * attribute reading, no roll-up): the cheapest way to produce the same output, so TokenScope's cost
 * against it is its own processing, not the contract's.
 *
 * <p>The meter provider has the same reader as TokenScope's in the span benchmarks ({@link
 * SpanProcessingBenchmark#tokenScopeBuilder}: periodic, hourly, discarding), the instruments the
 * same names, units and bucket advice as the contract's, and the measurements the same attribute
 * sets TokenScope records for this span (operation, provider, request/response model; the counters'
 * operation, provider, priced model, workflow; plus {@code gen_ai.token.type}), without exemplars
 * (root context) as TokenScope records them.
 */
final class PlainContractFloor implements AutoCloseable {

  // The ten attributes TokenScope adds to the span: workflow name, gen_ai.system alias, cost.
  private static final AttributeKey<String> WORKFLOW =
      AttributeKey.stringKey("traceloop.workflow.name");
  private static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("gen_ai.system");
  private static final AttributeKey<Double> COST_INPUT =
      AttributeKey.doubleKey("gen_ai.cost.input_usd");
  private static final AttributeKey<Double> COST_CACHE_READ =
      AttributeKey.doubleKey("gen_ai.cost.cache_read_usd");
  private static final AttributeKey<Double> COST_CACHE_WRITE =
      AttributeKey.doubleKey("gen_ai.cost.cache_write_usd");
  private static final AttributeKey<Double> COST_OUTPUT =
      AttributeKey.doubleKey("gen_ai.cost.output_usd");
  private static final AttributeKey<Double> COST_TOTAL =
      AttributeKey.doubleKey("gen_ai.cost.total_usd");
  private static final AttributeKey<String> COST_MODEL =
      AttributeKey.stringKey("gen_ai.cost.model_resolved");
  private static final AttributeKey<String> COST_PROVIDER =
      AttributeKey.stringKey("gen_ai.cost.provider");
  private static final AttributeKey<String> COST_SOURCE =
      AttributeKey.stringKey("gen_ai.cost.pricing_source");

  // The span's usage (SpanProcessingBenchmark.inferenceSpanOpen) and its gpt-4o-2024-08-06 cost.
  private static final long INPUT_TOKENS = 1_200L;
  private static final long OUTPUT_TOKENS = 300L;
  private static final long CACHE_READ_TOKENS = 1_000L;
  private static final double TOTAL_USD = 0.00475;

  private static final AttributeKey<String> TOKEN_TYPE =
      AttributeKey.stringKey("gen_ai.token.type");
  private static final AttributeKey<String> METRIC_WORKFLOW =
      AttributeKey.stringKey("tokenscope.workflow");

  private static final Attributes SEMCONV =
      Attributes.of(
          OPERATION, "chat",
          PROVIDER, "openai",
          REQUEST_MODEL, "gpt-4o",
          RESPONSE_MODEL, "gpt-4o-2024-08-06");
  private static final Attributes USAGE_INPUT =
      SEMCONV.toBuilder().put(TOKEN_TYPE, "input").build();
  private static final Attributes USAGE_OUTPUT =
      SEMCONV.toBuilder().put(TOKEN_TYPE, "output").build();
  private static final Attributes COST =
      Attributes.of(
          OPERATION, "chat",
          PROVIDER, "openai",
          RESPONSE_MODEL, "gpt-4o-2024-08-06",
          METRIC_WORKFLOW, "menu");
  private static final Attributes TOKENS_INPUT = COST.toBuilder().put(TOKEN_TYPE, "input").build();
  private static final Attributes TOKENS_OUTPUT =
      COST.toBuilder().put(TOKEN_TYPE, "output").build();
  private static final Attributes TOKENS_CACHE_READ =
      COST.toBuilder().put(TOKEN_TYPE, "cache_read").build();

  private final SdkMeterProvider meters;
  private final DoubleHistogram duration;
  private final LongHistogram tokenUsage;
  private final DoubleCounter cost;
  private final LongCounter tokens;

  PlainContractFloor() {
    meters =
        SdkMeterProvider.builder()
            .registerMetricReader(
                PeriodicMetricReader.builder(new SpanProcessingBenchmark.DiscardingMetricExporter())
                    .setInterval(Duration.ofHours(1))
                    .build())
            .build();
    Meter meter = meters.get("bench");
    duration =
        meter
            .histogramBuilder("gen_ai.client.operation.duration")
            .setUnit("s")
            .setExplicitBucketBoundariesAdvice(InferenceMetrics.DURATION_BUCKETS)
            .build();
    tokenUsage =
        meter
            .histogramBuilder("gen_ai.client.token.usage")
            .ofLongs()
            .setUnit("{token}")
            .setExplicitBucketBoundariesAdvice(InferenceMetrics.TOKEN_BUCKETS)
            .build();
    cost = meter.counterBuilder("gen_ai.client.cost").ofDoubles().setUnit("USD").build();
    tokens = meter.counterBuilder("gen_ai.client.tokens").setUnit("{token}").build();
  }

  /** Sets the ten attributes TokenScope adds to the span (what {@code plainSdkSameOutput} adds). */
  static void addSameOutput(Span span) {
    span.setAttribute(WORKFLOW, "menu");
    span.setAttribute(SYSTEM, "openai");
    span.setAttribute(COST_INPUT, 0.0005);
    span.setAttribute(COST_CACHE_READ, 0.00125);
    span.setAttribute(COST_CACHE_WRITE, 0.0);
    span.setAttribute(COST_OUTPUT, 0.003);
    span.setAttribute(COST_TOTAL, TOTAL_USD);
    span.setAttribute(COST_MODEL, "gpt-4o-2024-08-06");
    span.setAttribute(COST_PROVIDER, "openai");
    span.setAttribute(COST_SOURCE, "litellm@2026-07-24");
  }

  /**
   * Ends the span (with the attributes already added) and records the contract's seven measurements
   * for it: duration, token usage input and output, cost, tokens input, output and cache read. The
   * duration is the span's own (the plain SDK's public {@code ReadableSpan}), so no extra clock
   * reads.
   */
  void endAndRecord(Span span) {
    span.end();
    Context root = Context.root();
    duration.record(((ReadableSpan) span).getLatencyNanos() / 1e9, SEMCONV, root);
    tokenUsage.record(INPUT_TOKENS, USAGE_INPUT, root);
    tokenUsage.record(OUTPUT_TOKENS, USAGE_OUTPUT, root);
    cost.add(TOTAL_USD, COST, root);
    tokens.add(INPUT_TOKENS, TOKENS_INPUT, root);
    tokens.add(OUTPUT_TOKENS, TOKENS_OUTPUT, root);
    tokens.add(CACHE_READ_TOKENS, TOKENS_CACHE_READ, root);
  }

  @Override
  public void close() {
    meters.close();
  }
}
