package dev.tokenscope.console.internal;

import org.jspecify.annotations.Nullable;

/** One metric data point as stored (gauge, sum, histogram, exponential histogram or summary). */
public record MetricPointRow(
    String service,
    String scope,
    String name,
    String description,
    String unit,
    String type,
    @Nullable String temporality,
    @Nullable Boolean monotonic,
    long startNanos,
    long timeNanos,
    @Nullable Double value,
    @Nullable Long count,
    @Nullable Double sum,
    @Nullable Double min,
    @Nullable Double max,
    @Nullable String bucketsJson,
    String attributesJson) {}
