package dev.tokenscope.deploy.elastic;

import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;

/** Spans and metrics as an OpenTelemetry SDK exported them: the input of the APM mapping. */
record ExportedTelemetry(List<SpanData> spans, List<MetricData> metrics) {
  ExportedTelemetry {
    spans = List.copyOf(spans);
    metrics = List.copyOf(metrics);
  }
}
