package dev.tokenscope.cli;

import dev.tokenscope.core.InferenceAttributes;
import dev.tokenscope.core.TelemetryContract;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the demo's spans say, added up as they are exported (after TokenScope has priced them): per
 * model, per workflow, errors, SDK resends, application-level retries and unpriced calls. The
 * summary table is printed from these numbers, so it shows exactly what the dashboard receives.
 */
final class DemoTelemetry implements SpanExporter {

  private static final AttributeKey<Double> COST =
      AttributeKey.doubleKey(TelemetryContract.GEN_AI_COST_TOTAL_USD);
  private static final AttributeKey<Boolean> UNPRICED =
      AttributeKey.booleanKey(TelemetryContract.GEN_AI_COST_PRICING_UNAVAILABLE);
  private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey(TelemetryContract.ATTEMPT);
  private static final AttributeKey<Long> RESENDS =
      AttributeKey.longKey(TelemetryContract.HTTP_REQUEST_RESEND_COUNT);
  private static final AttributeKey<String> ERROR_TYPE =
      AttributeKey.stringKey(TelemetryContract.ERROR_TYPE);
  private static final AttributeKey<String> SPAN_KIND =
      AttributeKey.stringKey(TelemetryContract.TRACELOOP_SPAN_KIND);
  private static final AttributeKey<String> ENTITY_PATH =
      AttributeKey.stringKey(TelemetryContract.TRACELOOP_ENTITY_PATH);
  private static final AttributeKey<String> WORKFLOW =
      AttributeKey.stringKey(TelemetryContract.TRACELOOP_WORKFLOW_NAME);
  private static final AttributeKey<Double> ROLLUP_COST =
      AttributeKey.doubleKey(TelemetryContract.ROLLUP_COST_USD);
  private static final AttributeKey<Long> ROLLUP_CALLS =
      AttributeKey.longKey(TelemetryContract.ROLLUP_LLM_CALLS);

  /** Totals for one model. */
  static final class ModelStats {
    long calls;
    long errors;
    long inputTokens;
    long outputTokens;
    long cacheReadTokens;
    long cacheWriteTokens;
    double costUsd;
    long unpriced;
    final List<Long> durationsNanos = new ArrayList<>();

    Percentiles latency() {
      return new Percentiles(durationsNanos.stream().mapToLong(Long::longValue).toArray());
    }
  }

  /** Totals for one workflow, from the roll-ups on its spans. */
  static final class WorkflowStats {
    long runs;
    long llmCalls;
    double costUsd;
  }

  /** Totals for the retried units of one workflow (attempt 2 and later). */
  static final class RetryStats {
    long calls;
    double costUsd;
  }

  private final Map<String, ModelStats> models = new TreeMap<>();
  private final Map<String, WorkflowStats> workflows = new TreeMap<>();
  private final Map<String, RetryStats> retries = new TreeMap<>();
  private long resends;
  private long spans;

  @Override
  public synchronized CompletableResultCode export(Collection<SpanData> batch) {
    for (SpanData span : batch) {
      spans++;
      Attributes attributes = span.getAttributes();
      if (TelemetryContract.SPAN_KIND_WORKFLOW.equals(attributes.get(SPAN_KIND))) {
        String path = attributes.get(ENTITY_PATH);
        WorkflowStats stats =
            workflows.computeIfAbsent(
                path == null ? span.getName() : path, k -> new WorkflowStats());
        stats.runs++;
        Long calls = attributes.get(ROLLUP_CALLS);
        Double cost = attributes.get(ROLLUP_COST);
        stats.llmCalls += calls == null ? 0 : calls;
        stats.costUsd += cost == null ? 0 : cost;
        continue;
      }
      Map<String, Object> byName = new HashMap<>();
      attributes.forEach((key, value) -> byName.put(key.getKey(), value));
      InferenceAttributes inference = InferenceAttributes.read(byName::get);
      if (inference == null) {
        continue;
      }
      String model = inference.model() == null ? "(unknown model)" : inference.model();
      ModelStats stats = models.computeIfAbsent(model, k -> new ModelStats());
      stats.calls++;
      boolean failed =
          span.getStatus().getStatusCode() == StatusCode.ERROR
              || attributes.get(ERROR_TYPE) != null;
      if (failed) {
        stats.errors++;
      }
      stats.inputTokens += inference.inputTokens();
      stats.outputTokens += inference.outputTokens();
      stats.cacheReadTokens += inference.cacheReadTokens();
      stats.cacheWriteTokens += inference.cacheWriteTokens();
      Double cost = attributes.get(COST);
      if (Boolean.TRUE.equals(attributes.get(UNPRICED))) {
        stats.unpriced++;
      } else if (cost != null) {
        stats.costUsd += cost;
      }
      stats.durationsNanos.add(span.getEndEpochNanos() - span.getStartEpochNanos());
      Long resent = attributes.get(RESENDS);
      resends += resent == null ? 0 : resent;
      Long attempt = attributes.get(ATTEMPT);
      if (attempt != null && attempt >= 2) {
        String workflow = attributes.get(WORKFLOW);
        RetryStats retry =
            retries.computeIfAbsent(workflow == null ? "(none)" : workflow, k -> new RetryStats());
        retry.calls++;
        retry.costUsd += cost == null ? 0 : cost;
      }
    }
    return CompletableResultCode.ofSuccess();
  }

  synchronized Map<String, ModelStats> models() {
    return new TreeMap<>(models);
  }

  synchronized Map<String, WorkflowStats> workflows() {
    return new TreeMap<>(workflows);
  }

  synchronized Map<String, RetryStats> retries() {
    return new TreeMap<>(retries);
  }

  /**
   * The SDKs' own resends (429, 5xx, connection errors), from {@code http.request.resend_count}.
   */
  synchronized long resends() {
    return resends;
  }

  synchronized long spans() {
    return spans;
  }

  @Override
  public CompletableResultCode flush() {
    return CompletableResultCode.ofSuccess();
  }

  @Override
  public CompletableResultCode shutdown() {
    return CompletableResultCode.ofSuccess();
  }
}
