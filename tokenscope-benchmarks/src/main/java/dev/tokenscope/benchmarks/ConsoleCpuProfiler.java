package dev.tokenscope.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * CPU time per operation of {@link ConsoleIngestBenchmark}, split by who spent it: {@code cpu.http}
 * the console's OTLP worker threads (read, decode, build rows, journal), {@code cpu.writer} its
 * database writer thread (appends, roll-ups, commits, including DuckDB's native work on that
 * thread), {@code cpu.client} the senders (JMH workers and the JDK HTTP client's threads), {@code
 * cpu.otherjava} any other Java thread (the baselines' server threads among them) and {@code
 * cpu.native} the rest of the process (GC, JIT, DuckDB's own threads). Unlike the score, these do
 * not shrink when other processes take the CPU away. Use with {@code -prof
 * dev.tokenscope.benchmarks.ConsoleCpuProfiler}; iterations of a second or more (the process figure
 * moves in 10 ms steps).
 */
public final class ConsoleCpuProfiler implements InternalProfiler {

  private static final String[] GROUPS = {"http", "builder", "writer", "client", "otherjava"};

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private long start;
  private Map<Long, Long> threadStart = Map.of();

  @Override
  public String getDescription() {
    return "process CPU per operation, split into console HTTP workers, writer, senders and rest";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    threadStart = CpuTimeProfiler.threadCpu(threads);
    start = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = os.getProcessCpuTime() - start;
    long[] ids = threads.getAllThreadIds();
    long[] times = threads.getThreadCpuTime(ids);
    long[] byGroup = new long[GROUPS.length];
    for (int i = 0; i < ids.length; i++) {
      var info = threads.getThreadInfo(ids[i]);
      if (times[i] < 0 || info == null) {
        continue;
      }
      byGroup[group(info.getThreadName())] += times[i] - threadStart.getOrDefault(ids[i], 0L);
    }
    double ops = Math.max(1, result.getMetadata().getAllOps());
    List<Result> results = new ArrayList<>();
    results.add(new ScalarResult("cpu", cpu / ops, "ns/op", AggregationPolicy.AVG));
    long java = 0;
    for (int g = 0; g < GROUPS.length; g++) {
      java += byGroup[g];
      results.add(
          new ScalarResult("cpu." + GROUPS[g], byGroup[g] / ops, "ns/op", AggregationPolicy.AVG));
    }
    results.add(
        new ScalarResult(
            "cpu.native", Math.max(0, cpu - java) / ops, "ns/op", AggregationPolicy.AVG));
    return results;
  }

  private static int group(String name) {
    if (name.startsWith("tokenscope-console-otlp")) {
      return 0;
    }
    if (name.startsWith("tokenscope-console-builder")) {
      return 1;
    }
    if (name.startsWith("tokenscope-console-writer")) {
      return 2;
    }
    if (name.contains("jmh-worker") || name.startsWith("HttpClient")) {
      return 3;
    }
    return 4;
  }
}
