package dev.tokenscope.benchmarks;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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
 * CPU time the benchmark JVM spent per operation (all its threads: the benchmark's, GC, JIT), from
 * {@code OperatingSystemMXBean.getProcessCpuTime()} around each iteration. Unlike the wall-clock
 * score it does not grow when other processes take the CPU away, which on a shared 2-core machine
 * makes it the steadier figure. Use with {@code -prof dev.tokenscope.benchmarks.CpuTimeProfiler}.
 *
 * <p>Also splits it, per operation: {@code cpu.caller} on the benchmark's own threads (JMH workers:
 * the application's thread), {@code cpu.threads} on every other Java thread (batch span processor,
 * HTTP client, metric reader), and {@code cpu.vm} the rest (GC, JIT and VM threads, which are not
 * Java threads). The process figure moves in 10 ms steps on Linux, so use iterations of a second or
 * more; the thread figures are exact.
 *
 * <p>{@code cpu.vm} is further split into {@code cpu.jit} (the JIT compiler threads) and {@code
 * cpu.gc} (the GC worker threads), read from Linux's {@code /proc/self/task/<tid>/schedstat} (0
 * where that is not readable). JIT compilation is warm-up work that a long-running service has
 * finished; on this shared 2-core machine it is still running in the measured iterations and
 * differs between forks by more than the code under test does. {@code cpu.steady} is {@code cpu}
 * without it: the figure to compare between configurations.
 */
public final class CpuTimeProfiler implements InternalProfiler {

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private long start;
  private long jitStart;
  private long gcStart;
  private Map<Long, Long> threadStart = Map.of();

  @Override
  public String getDescription() {
    return "process CPU time per operation, split into caller, other Java threads and VM";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    threadStart = threadCpu(threads);
    jitStart = vmThreadsCpu(JIT);
    gcStart = vmThreadsCpu(GC);
    start = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = os.getProcessCpuTime() - start;
    long jitNanos = vmThreadsCpu(JIT) - jitStart;
    long gcNanos = vmThreadsCpu(GC) - gcStart;
    long[] ids = threads.getAllThreadIds();
    long[] times = threads.getThreadCpuTime(ids);
    long caller = 0;
    long others = 0;
    for (int i = 0; i < ids.length; i++) {
      if (times[i] < 0) {
        continue;
      }
      long used = times[i] - threadStart.getOrDefault(ids[i], 0L);
      var info = threads.getThreadInfo(ids[i]);
      if (info != null && info.getThreadName().contains("jmh-worker")) {
        caller += used;
      } else {
        others += used;
      }
    }
    double ops = Math.max(1, result.getMetadata().getAllOps());
    List<Result> results = new ArrayList<>();
    results.add(new ScalarResult("cpu", cpu / ops, "ns/op", AggregationPolicy.AVG));
    results.add(new ScalarResult("cpu.caller", caller / ops, "ns/op", AggregationPolicy.AVG));
    results.add(new ScalarResult("cpu.threads", others / ops, "ns/op", AggregationPolicy.AVG));
    results.add(
        new ScalarResult(
            "cpu.vm", Math.max(0, cpu - caller - others) / ops, "ns/op", AggregationPolicy.AVG));
    results.add(new ScalarResult("cpu.jit", jitNanos / ops, "ns/op", AggregationPolicy.AVG));
    results.add(new ScalarResult("cpu.gc", gcNanos / ops, "ns/op", AggregationPolicy.AVG));
    results.add(
        new ScalarResult(
            "cpu.steady", Math.max(0, cpu - jitNanos) / ops, "ns/op", AggregationPolicy.AVG));
    return results;
  }

  private static final String[] JIT = {"C1 CompilerThre", "C2 CompilerThre"};
  private static final String[] GC = {"GC Thread", "G1 "};

  /** CPU of the JVM's own threads whose name starts with one of {@code prefixes}, nanoseconds. */
  private static long vmThreadsCpu(String[] prefixes) {
    File[] tasks = new File("/proc/self/task").listFiles();
    if (tasks == null) {
      return 0;
    }
    long total = 0;
    for (File task : tasks) {
      try {
        String name = Files.readString(task.toPath().resolve("comm"));
        for (String prefix : prefixes) {
          if (name.startsWith(prefix)) {
            String stat = Files.readString(task.toPath().resolve("schedstat"));
            total += Long.parseLong(stat.substring(0, stat.indexOf(' ')));
            break;
          }
        }
      } catch (IOException | RuntimeException e) {
        // the thread ended meanwhile, or no schedstat: not counted
      }
    }
    return total;
  }

  /** CPU time of every live Java thread, by thread id, nanoseconds (also ConsoleCpuProfiler's). */
  static Map<Long, Long> threadCpu(com.sun.management.ThreadMXBean threads) {
    long[] ids = threads.getAllThreadIds();
    long[] times = threads.getThreadCpuTime(ids);
    Map<Long, Long> byId = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (times[i] >= 0) {
        byId.put(ids[i], times[i]);
      }
    }
    return byId;
  }
}
