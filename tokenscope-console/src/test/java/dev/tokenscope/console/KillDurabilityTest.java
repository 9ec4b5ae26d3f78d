package dev.tokenscope.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A console process killed with SIGKILL in the middle of heavy ingest loses no span it
 * acknowledged: a batch is acknowledged only once its transaction is committed.
 */
class KillDurabilityTest {

  private static final int SENDERS = 4;
  private static final int BATCH = 256;

  @Test
  void everyAcknowledgedSpanSurvivesKillNine(@TempDir Path dir) throws Exception {
    Process child = startChild(dir);
    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger batches = new AtomicInteger();
    ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
    try {
      String endpoint = readEndpoint(child);
      for (int s = 0; s < SENDERS; s++) {
        int sender = s;
        senders.submit(
            () -> {
              for (int b = 0; !stop.get(); b++) {
                String trace = String.format("%016x%016x", sender + 1, b + 1);
                ExportTraceServiceRequest request = batch(trace);
                try {
                  HttpResponse<byte[]> response =
                      Otlp.post(
                          endpoint + "/v1/traces", "application/x-protobuf", request.toByteArray());
                  if (response.statusCode() == 200) {
                    for (int i = 0; i < BATCH; i++) {
                      acknowledged.add(trace + ":" + String.format("%016x", i + 1));
                    }
                    batches.incrementAndGet();
                  }
                } catch (Exception e) {
                  // The process died under us: this batch was never acknowledged.
                  return null;
                }
              }
              return null;
            });
      }
      // Heavy ingest for a while, then SIGKILL mid-stream.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (batches.get() < 60 && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      child.destroyForcibly();
      assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      stop.set(true);
      senders.shutdown();
      senders.awaitTermination(30, TimeUnit.SECONDS);
      child.destroyForcibly();
    }
    assertThat(acknowledged).hasSizeGreaterThan(10 * BATCH);

    // Restart on the same directory: the console replays DuckDB's WAL and has every span.
    try (Console restarted =
        Console.builder()
            .dataDirectory(dir)
            .otlpPort(0)
            .uiPort(0)
            .pricing(KnownTelemetry.PRICING)
            .retention(java.time.Duration.ofDays(36500))
            .start()) {
      String status = Otlp.get(restarted.uiUrl() + "api/v1/status").body();
      assertThat(status).contains("\"spans\":");
    }
    Set<String> stored = new HashSet<>();
    try (Connection c =
            DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("tokenscope.duckdb"));
        Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT trace_id, span_id FROM spans")) {
      while (r.next()) {
        stored.add(r.getString(1) + ":" + r.getString(2));
      }
    }
    Set<String> missing = new HashSet<>(acknowledged);
    missing.removeAll(stored);
    assertThat(missing).as("acknowledged spans missing after kill -9").isEmpty();
  }

  private static ExportTraceServiceRequest batch(String trace) {
    return Otlp.request(
        "durability",
        KnownTelemetry.calls(trace, BATCH, System.currentTimeMillis(), 1).stream()
            .map(Span.Builder::build)
            .toList());
  }

  private static Process startChild(Path dir) throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder =
        new ProcessBuilder(
            java,
            "-Xmx256m",
            "-cp",
            System.getProperty("java.class.path"),
            ConsoleProcess.class.getName(),
            dir.toString());
    builder.redirectErrorStream(true);
    return builder.start();
  }

  private static String readEndpoint(Process child) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    String line;
    while ((line = out.readLine()) != null) {
      if (line.startsWith("OTLP ")) {
        String endpoint = line.substring(5).trim();
        // Keep draining the child's output so it never blocks on a full pipe.
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (out.readLine() != null) {
                      // discard
                    }
                  } catch (Exception ignored) {
                    // child gone
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return endpoint;
      }
      if (System.nanoTime() > deadline) {
        break;
      }
    }
    throw new AssertionError("the console process did not start");
  }
}
