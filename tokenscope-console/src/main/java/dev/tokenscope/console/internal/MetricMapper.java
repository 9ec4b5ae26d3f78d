package dev.tokenscope.console.internal;

import static dev.tokenscope.core.TelemetryContract.SERVICE_NAME;

import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import java.util.ArrayList;
import java.util.List;

/** Turns OTLP metrics into one {@link MetricPointRow} per data point. */
public final class MetricMapper {

  private MetricMapper() {}

  /** The points of a request, plus how many were rejected (metrics without data). */
  public record Result(List<MetricPointRow> rows, int rejected) {}

  public static Result map(ExportMetricsServiceRequest request) {
    List<MetricPointRow> rows = new ArrayList<>();
    int rejected = 0;
    for (ResourceMetrics rm : request.getResourceMetricsList()) {
      String service = "unknown_service";
      for (KeyValue kv : rm.getResource().getAttributesList()) {
        if (SERVICE_NAME.equals(kv.getKey()) && !kv.getValue().getStringValue().isEmpty()) {
          service = kv.getValue().getStringValue();
        }
      }
      for (ScopeMetrics sm : rm.getScopeMetricsList()) {
        String scope = sm.getScope().getName();
        for (Metric metric : sm.getMetricsList()) {
          if (metric.getName().isEmpty()) {
            rejected++;
            continue;
          }
          switch (metric.getDataCase()) {
            case GAUGE:
              for (NumberDataPoint p : metric.getGauge().getDataPointsList()) {
                rows.add(number(service, scope, metric, "gauge", null, null, p));
              }
              break;
            case SUM:
              for (NumberDataPoint p : metric.getSum().getDataPointsList()) {
                rows.add(
                    number(
                        service,
                        scope,
                        metric,
                        "sum",
                        temporality(metric.getSum().getAggregationTemporality()),
                        metric.getSum().getIsMonotonic(),
                        p));
              }
              break;
            case HISTOGRAM:
              for (HistogramDataPoint p : metric.getHistogram().getDataPointsList()) {
                StringBuilder buckets = new StringBuilder("{\"bounds\":[");
                for (int i = 0; i < p.getExplicitBoundsCount(); i++) {
                  if (i > 0) {
                    buckets.append(',');
                  }
                  AttributeValues.writeDouble(buckets, p.getExplicitBounds(i));
                }
                buckets.append("],\"counts\":[");
                for (int i = 0; i < p.getBucketCountsCount(); i++) {
                  if (i > 0) {
                    buckets.append(',');
                  }
                  buckets.append(p.getBucketCounts(i));
                }
                buckets.append("]}");
                rows.add(
                    new MetricPointRow(
                        service,
                        scope,
                        metric.getName(),
                        metric.getDescription(),
                        metric.getUnit(),
                        "histogram",
                        temporality(metric.getHistogram().getAggregationTemporality()),
                        null,
                        p.getStartTimeUnixNano(),
                        p.getTimeUnixNano(),
                        null,
                        p.getCount(),
                        p.hasSum() ? p.getSum() : null,
                        p.hasMin() ? p.getMin() : null,
                        p.hasMax() ? p.getMax() : null,
                        buckets.toString(),
                        AttributeValues.toJson(p.getAttributesList())));
              }
              break;
            case EXPONENTIAL_HISTOGRAM:
              for (ExponentialHistogramDataPoint p :
                  metric.getExponentialHistogram().getDataPointsList()) {
                rows.add(
                    new MetricPointRow(
                        service,
                        scope,
                        metric.getName(),
                        metric.getDescription(),
                        metric.getUnit(),
                        "exponential_histogram",
                        temporality(metric.getExponentialHistogram().getAggregationTemporality()),
                        null,
                        p.getStartTimeUnixNano(),
                        p.getTimeUnixNano(),
                        null,
                        p.getCount(),
                        p.hasSum() ? p.getSum() : null,
                        p.hasMin() ? p.getMin() : null,
                        p.hasMax() ? p.getMax() : null,
                        null,
                        AttributeValues.toJson(p.getAttributesList())));
              }
              break;
            case SUMMARY:
              for (SummaryDataPoint p : metric.getSummary().getDataPointsList()) {
                rows.add(
                    new MetricPointRow(
                        service,
                        scope,
                        metric.getName(),
                        metric.getDescription(),
                        metric.getUnit(),
                        "summary",
                        null,
                        null,
                        p.getStartTimeUnixNano(),
                        p.getTimeUnixNano(),
                        null,
                        p.getCount(),
                        p.getSum(),
                        null,
                        null,
                        null,
                        AttributeValues.toJson(p.getAttributesList())));
              }
              break;
            default:
              rejected++;
          }
        }
      }
    }
    return new Result(rows, rejected);
  }

  private static MetricPointRow number(
      String service,
      String scope,
      Metric metric,
      String type,
      String temporality,
      Boolean monotonic,
      NumberDataPoint p) {
    double value =
        p.getValueCase() == NumberDataPoint.ValueCase.AS_INT ? p.getAsInt() : p.getAsDouble();
    return new MetricPointRow(
        service,
        scope,
        metric.getName(),
        metric.getDescription(),
        metric.getUnit(),
        type,
        temporality,
        monotonic,
        p.getStartTimeUnixNano(),
        p.getTimeUnixNano(),
        value,
        null,
        null,
        null,
        null,
        null,
        AttributeValues.toJson(p.getAttributesList()));
  }

  private static String temporality(AggregationTemporality temporality) {
    switch (temporality) {
      case AGGREGATION_TEMPORALITY_DELTA:
        return "delta";
      case AGGREGATION_TEMPORALITY_CUMULATIVE:
        return "cumulative";
      default:
        return "unspecified";
    }
  }
}
