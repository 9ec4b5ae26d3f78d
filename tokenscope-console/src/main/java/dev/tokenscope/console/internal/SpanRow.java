package dev.tokenscope.console.internal;

import org.jspecify.annotations.Nullable;

/**
 * One span as stored: the fields dashboards aggregate over as typed columns, everything else (kind,
 * status, cost components, pricing source, all attributes, resource, events) in one JSON document,
 * {@link #detailsJson()} (UTF-8, encoded by the builder thread so the single writer only copies
 * it). Built once at ingest by {@link SpanMapper} on a builder thread, written once by {@link
 * ConsoleDatabase}.
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
    byte[] detailsJson) {

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
