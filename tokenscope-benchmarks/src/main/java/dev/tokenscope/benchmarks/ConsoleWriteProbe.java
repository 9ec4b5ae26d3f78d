package dev.tokenscope.benchmarks;

import dev.tokenscope.console.internal.ConsoleDatabase;
import dev.tokenscope.console.internal.SpanMapper;
import dev.tokenscope.console.internal.SpanRow;
import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingCatalog;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Probe (not JMH): the console's storage writer alone, rows pre-built from the benchmark's
 * synthetic traffic — how many rows per second {@code ConsoleDatabase.append} + {@code commit} take
 * at a given transaction size, optionally after DuckDB settings, and the CPU per row on the writer
 * thread (append, commit) and on the process's other threads (DuckDB's own, GC, JIT). Used to
 * choose the writer's transaction size; run under the bench lock:
 *
 * <pre>
 * java -cp tokenscope-benchmarks/target/benchmarks.jar \
 *     dev.tokenscope.benchmarks.ConsoleWriteProbe ROWS_PER_TRANSACTION TOTAL_ROWS ["SET ...;SET ..."] [memory][,raw]
 * </pre>
 *
 * <p>{@code raw}: DuckDB's share alone — the same rows through a plain JDBC appender on {@code
 * spans} and a commit, without the console's roll-ups, retried units and workflow maps. To compare
 * DuckDB JDBC versions, put the other driver's jar first on the class path.
 *
 * <p>{@code ROWS_PER_TRANSACTION} 0 prints the average size of the {@code details} JSON instead.
 */
public final class ConsoleWriteProbe {
  public static void main(String[] args) throws Exception {
    int group = Integer.parseInt(args[0]);
    int total = Integer.parseInt(args[1]);
    String settings = args.length > 2 ? args[2] : "";
    List<String> flags = args.length > 3 ? List.of(args[3].split(",")) : List.of();
    boolean memory = flags.contains("memory");
    boolean raw = flags.contains("raw");
    long now = System.currentTimeMillis();
    SpanMapper mapper = new SpanMapper(Pricing.of(PricingCatalog.builtin()));
    List<SpanRow> rows = new ArrayList<>();
    for (ExportTraceServiceRequest r :
        new SyntheticTraces(42).requests(128, 512, now - 3_600_000L, now)) {
      rows.addAll(mapper.map(r).rows());
    }
    if (group == 0) {
      long d = 0;
      for (SpanRow r : rows) {
        d += r.detailsJson().length;
      }
      System.out.println("average details JSON: " + d / rows.size() + " bytes (UTF-8)");
      System.out.println(
          "example: " + new String(rows.get(3).detailsJson(), StandardCharsets.UTF_8));
      return;
    }
    Path dir = Files.createTempDirectory("probe");
    ConsoleDatabase db = ConsoleDatabase.open(memory ? null : dir, "1GB", 2);
    if (!settings.isEmpty()) {
      db.read(
          c -> {
            try (Statement s = c.createStatement()) {
              for (String set : settings.split(";")) {
                s.execute(set);
              }
            }
            return null;
          });
    }
    String version =
        db.read(
            c -> {
              try (Statement s = c.createStatement();
                  java.sql.ResultSet r = s.executeQuery("SELECT version()")) {
                r.next();
                return r.getString(1);
              }
            });
    DuckDBConnection rawConnection = null;
    if (raw) {
      // The schema from the console, then a connection of our own with the same settings.
      db.close();
      Properties properties = new Properties();
      properties.setProperty("memory_limit", "1GB");
      properties.setProperty("threads", "2");
      properties.setProperty("checkpoint_threshold", "256MB");
      rawConnection =
          (DuckDBConnection)
              DriverManager.getConnection(
                  "jdbc:duckdb:" + dir.resolve("tokenscope.duckdb"), properties);
      try (Statement s = rawConnection.createStatement()) {
        for (String set : settings.isEmpty() ? new String[0] : settings.split(";")) {
          s.execute(set);
        }
      }
      rawConnection.setAutoCommit(false);
    }
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long start = System.nanoTime();
    long processStart = os.getProcessCpuTime();
    long threadStart = threads.getCurrentThreadCpuTime();
    long commitNanos = 0;
    long appendCpu = 0;
    long commitCpu = 0;
    int written = 0;
    int i = 0;
    while (written < total) {
      List<SpanRow> batch = new ArrayList<>(group);
      for (int k = 0; k < group; k++) {
        batch.add(rows.get(i++ % rows.size()));
      }
      long t0 = System.nanoTime();
      long c0 = threads.getCurrentThreadCpuTime();
      long c1;
      if (raw) {
        try (Statement s = rawConnection.createStatement()) {
          s.execute("SELECT 1"); // joins the appender to this transaction
        }
        try (DuckDBAppender a = rawConnection.createAppender("main", "spans")) {
          for (SpanRow row : batch) {
            ConsoleDatabase.appendSpan(a, row, row.workflow(), now);
          }
        }
        c1 = threads.getCurrentThreadCpuTime();
        rawConnection.commit();
      } else {
        db.append(batch, List.of(), now);
        c1 = threads.getCurrentThreadCpuTime();
        db.commit(null);
      }
      commitCpu += threads.getCurrentThreadCpuTime() - c1;
      appendCpu += c1 - c0;
      commitNanos += System.nanoTime() - t0;
      written += group;
    }
    // What the loop left for later (the WAL of the last commits) is paid here, in the same clock:
    // otherwise a transaction size that defers checkpointing past the end would look cheaper.
    long checkpointStart = System.nanoTime();
    long checkpointThreadCpu = threads.getCurrentThreadCpuTime();
    if (!memory) {
      if (raw) {
        rawConnection.setAutoCommit(true);
        try (Statement s = rawConnection.createStatement()) {
          s.execute("CHECKPOINT");
        }
      } else {
        db.checkpoint();
      }
    }
    long checkpointNanos = System.nanoTime() - checkpointStart;
    checkpointThreadCpu = threads.getCurrentThreadCpuTime() - checkpointThreadCpu;
    double secs = (System.nanoTime() - start) / 1e9;
    long thread = threads.getCurrentThreadCpuTime() - threadStart;
    long process = os.getProcessCpuTime() - processStart;
    System.out.printf(
        "DuckDB %s group=%d total=%d settings=[%s] %s: %.0f rows/s, %.1f us/row in"
            + " append+commit, final checkpoint %.2f us/row; CPU per row: writer thread %.2f us"
            + " (append %.2f, commit %.2f, checkpoint %.2f), other threads %.2f us; file %d MB%n",
        version,
        group,
        total,
        settings,
        (memory ? "memory" : "file") + (raw ? " raw" : ""),
        written / secs,
        commitNanos / 1e3 / written,
        checkpointNanos / 1e3 / written,
        thread / 1e3 / written,
        appendCpu / 1e3 / written,
        commitCpu / 1e3 / written,
        checkpointThreadCpu / 1e3 / written,
        (process - thread) / 1e3 / written,
        memory ? 0 : Files.size(dir.resolve("tokenscope.duckdb")) >> 20);
    if (raw) {
      rawConnection.close();
    } else {
      db.close();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
