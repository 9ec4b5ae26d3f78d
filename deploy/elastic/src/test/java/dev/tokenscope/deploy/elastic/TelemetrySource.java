package dev.tokenscope.deploy.elastic;

/** Runs code that emits TokenScope telemetry and returns what its SDK exported. */
@FunctionalInterface
interface TelemetrySource {
  ExportedTelemetry record();
}
