package dev.tokenscope.console.internal;

import org.jspecify.annotations.Nullable;

/**
 * One span as stored: the fields dashboards aggregate over as typed columns, everything else as
 * JSON. Built once at ingest by {@link SpanMapper}, written once by {@link ConsoleDatabase}.
 */
public record SpanRow(
    String traceId,
    String spanId,
    @Nullable String parentSpanId,
    String service,
    String scope,
    String name,
    String kind,
    long startNanos,
    long endNanos,
    String status,
    @Nullable String statusMessage,
    boolean llm,
    @Nullable String operation,
    @Nullable String provider,
    @Nullable String requestModel,
    @Nullable String model,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    long reasoningTokens,
    @Nullable Double costInputUsd,
    @Nullable Double costCacheReadUsd,
    @Nullable Double costCacheWriteUsd,
    @Nullable Double costOutputUsd,
    @Nullable Double costTotalUsd,
    boolean pricingUnavailable,
    @Nullable String pricedBy,
    @Nullable String pricingSource,
    @Nullable Double cacheSavingsUsd,
    @Nullable String workflow,
    @Nullable String entityKind,
    @Nullable Long attempt,
    @Nullable String errorType,
    @Nullable Double rollupCostUsd,
    String attributesJson,
    String resourceJson,
    String eventsJson) {

  /** Who computed {@link #costTotalUsd()}: the emitting SDK or this console at ingest. */
  public static final String PRICED_BY_SOURCE = "source";

  public static final String PRICED_BY_CONSOLE = "console";

  public double durationMillis() {
    return Math.max(0, endNanos - startNanos) / 1_000_000.0;
  }

  public boolean error() {
    return "ERROR".equals(status);
  }
}
