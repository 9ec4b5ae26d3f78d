package dev.tokenscope.deploy.elastic;

/**
 * The telemetry every dashboard field, panel and alert rule is checked against.
 *
 * <p>The field names the Kibana assets use are never typed into the tests: they are derived by
 * applying {@link ApmMapping} to spans and metrics that running code exported. Today that code is
 * {@link MenuDesignerScenario}, which drives the OpenTelemetry SDK with TokenScope's contract
 * names. When {@code tokenscope-demo} can run its workload in-process, replace the one line below
 * with a source that runs the demo against the simulator and returns its exported telemetry.
 */
final class TelemetryUnderTest {

  // TODO(demo): swap for the demo's exported telemetry once tokenscope-demo exists.
  static final TelemetrySource SOURCE = new MenuDesignerScenario();

  private static ExportedTelemetry recorded;

  static synchronized ExportedTelemetry get() {
    if (recorded == null) {
      recorded = SOURCE.record();
    }
    return recorded;
  }

  private TelemetryUnderTest() {}
}
