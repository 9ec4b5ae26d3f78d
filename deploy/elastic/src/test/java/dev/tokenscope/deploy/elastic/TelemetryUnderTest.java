package dev.tokenscope.deploy.elastic;

import java.util.ArrayList;
import java.util.List;

/**
 * The telemetry every dashboard field, panel and alert rule is checked against.
 *
 * <p>The field names the Kibana assets use are never typed into the tests: they are derived by
 * applying {@link ApmMapping} to spans and metrics that running code exported. That code is the
 * demo service itself ({@link DemoServiceTelemetry}: the Restaurant Menu Designer serving HTTP
 * requests, its agents calling the official SDKs against the simulator), plus {@link
 * MenuDesignerScenario} for shapes the demo's traffic does not produce (a workflow that is the root
 * of its trace, an embedding, a rate-limited call).
 */
final class TelemetryUnderTest {

  static final List<TelemetrySource> SOURCES =
      List.of(new DemoServiceTelemetry(), new MenuDesignerScenario());

  private static ExportedTelemetry recorded;

  static synchronized ExportedTelemetry get() {
    if (recorded == null) {
      List<io.opentelemetry.sdk.trace.data.SpanData> spans = new ArrayList<>();
      List<io.opentelemetry.sdk.metrics.data.MetricData> metrics = new ArrayList<>();
      for (TelemetrySource source : SOURCES) {
        ExportedTelemetry telemetry = source.record();
        spans.addAll(telemetry.spans());
        metrics.addAll(telemetry.metrics());
      }
      recorded = new ExportedTelemetry(spans, metrics);
    }
    return recorded;
  }

  private TelemetryUnderTest() {}
}
