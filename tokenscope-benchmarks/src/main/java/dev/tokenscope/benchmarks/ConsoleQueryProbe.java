package dev.tokenscope.benchmarks;

import dev.tokenscope.console.Console;
import dev.tokenscope.console.internal.ConsoleDatabase;
import dev.tokenscope.console.internal.ConsoleQueries;
import dev.tokenscope.console.internal.QueryFilter;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Probe (not JMH): each dashboard query over {@link ConsoleQueryBenchmark}'s 1,000,000 spans,
 * in-process (no HTTP, no JSON), to see which query costs what while changing one. Loads the spans
 * once into {@code DIR} (kept between runs; delete it to load again), then times every query {@code
 * ROUNDS} times and prints the median and the minimum. Run under the bench lock:
 *
 * <pre>
 * java -cp tokenscope-benchmarks/target/benchmarks.jar \
 *     dev.tokenscope.benchmarks.ConsoleQueryProbe DIR [ROUNDS]
 * </pre>
 */
public final class ConsoleQueryProbe {

  /** One timed query. */
  @FunctionalInterface
  interface Query {
    Object run() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
    Path range = dir.resolve("range.txt");
    if (!Files.exists(range)) {
      load(dir, range);
    }
    String[] fromTo = Files.readString(range).trim().split(" ");
    long from = Long.parseLong(fromTo[0]);
    long to = Long.parseLong(fromTo[1]);
    try (ConsoleDatabase db = ConsoleDatabase.open(dir, "1GB", 2)) {
      ConsoleQueries q = new ConsoleQueries(db);
      QueryFilter f = new QueryFilter(from, to, null, null, null);
      long step = 6 * 3_600_000L;
      Map<String, Query> queries = new LinkedHashMap<>();
      queries.put("overview", () -> q.overview(f));
      queries.put("summary", () -> q.summary(f, false));
      queries.put("models", () -> q.breakdown(f, ConsoleQueries.Dimension.MODEL));
      queries.put("workflows", () -> q.breakdown(f, ConsoleQueries.Dimension.WORKFLOW));
      queries.put("endpoints", () -> q.breakdown(f, ConsoleQueries.Dimension.ENDPOINT));
      queries.put("services", () -> q.breakdown(f, ConsoleQueries.Dimension.SERVICE));
      queries.put(
          "timeseries",
          () -> q.timeseries(f, ConsoleQueries.Metric.COST, ConsoleQueries.Dimension.MODEL, step));
      queries.put("traces", () -> q.traces(f, null, false, ConsoleQueries.TraceSort.COST, true, 8));
      queries.put("retries", () -> q.retries(f));
      queries.put("unpriced", () -> q.unpriced(f));
      queries.put("day-over-day", () -> q.dayOverDay(f, 30, 0));
      queries.put("filters", () -> q.filterValues(f));
      double total = 0;
      for (Map.Entry<String, Query> e : queries.entrySet()) {
        long[] t = new long[rounds];
        Object answer = null;
        for (int i = 0; i < rounds; i++) {
          long start = System.nanoTime();
          answer = e.getValue().run();
          t[i] = System.nanoTime() - start;
        }
        Arrays.sort(t);
        total += t[rounds / 2] / 1e6;
        String text = String.valueOf(answer);
        System.out.printf(
            "%-14s median %7.1f ms  min %7.1f ms  %s%n",
            e.getKey(),
            t[rounds / 2] / 1e6,
            t[0] / 1e6,
            text.substring(0, Math.min(160, text.length())));
      }
      System.out.printf("sum of medians %.1f ms%n", total);
    }
  }

  private static void load(Path dir, Path range) throws Exception {
    Files.createDirectories(dir);
    long now = System.currentTimeMillis();
    long from = now - 30 * 86_400_000L;
    try (Console console = ConsoleQueryBenchmark.start(dir)) {
      ConsoleQueryBenchmark.load(
          console, HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build(), from, now);
    }
    Files.writeString(range, from + " " + now);
  }
}
