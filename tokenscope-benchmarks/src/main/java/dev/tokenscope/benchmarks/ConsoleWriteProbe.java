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
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Probe (not JMH): the console's storage writer alone, rows pre-built from the benchmark's
 * synthetic traffic — how many rows per second {@code ConsoleDatabase.append} + {@code commit} take
 * at a given transaction size, optionally after DuckDB settings, and the CPU per row on the writer
 * thread (append, commit) and on the process's other threads (DuckDB's own, GC, JIT). Used to
 * choose the writer's transaction size; run under the bench lock:
 *
 * <pre>
 * java -cp tokenscope-benchmarks/target/benchmarks.jar \
 *     dev.tokenscope.benchmarks.ConsoleWriteProbe ROWS_PER_TRANSACTION TOTAL_ROWS ["SET ...;SET ..."] [memory]
 * </pre>
 *
 * <p>{@code ROWS_PER_TRANSACTION} 0 prints the average size of the {@code details} JSON instead.
 */
public final class ConsoleWriteProbe {
  public static void main(String[] args) throws Exception {
    int group = Integer.parseInt(args[0]);
    int total = Integer.parseInt(args[1]);
    String settings = args.length > 2 ? args[2] : "";
    boolean memory = args.length > 3 && args[3].equals("memory");
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
      db.append(batch, List.of(), now);
      long c1 = threads.getCurrentThreadCpuTime();
      db.commit(null);
      commitCpu += threads.getCurrentThreadCpuTime() - c1;
      appendCpu += c1 - c0;
      commitNanos += System.nanoTime() - t0;
      written += group;
    }
    double secs = (System.nanoTime() - start) / 1e9;
    long thread = threads.getCurrentThreadCpuTime() - threadStart;
    long process = os.getProcessCpuTime() - processStart;
    System.out.printf(
        "group=%d total=%d settings=[%s] %s: %.0f rows/s, %.1f us/row in append+commit;"
            + " CPU per row: writer thread %.2f us (append %.2f, commit %.2f),"
            + " other threads %.2f us%n",
        group,
        total,
        settings,
        memory ? "memory" : "file",
        written / secs,
        commitNanos / 1e3 / written,
        thread / 1e3 / written,
        appendCpu / 1e3 / written,
        commitCpu / 1e3 / written,
        (process - thread) / 1e3 / written);
    db.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
