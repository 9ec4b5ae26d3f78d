package dev.tokenscope.benchmarks;

import java.lang.management.ManagementFactory;
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
 */
public final class CpuTimeProfiler implements InternalProfiler {

  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final com.sun.management.ThreadMXBean threads =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private long start;
  private Map<Long, Long> threadStart = Map.of();

  @Override
  public String getDescription() {
    return "process CPU time per operation, split into caller, other Java threads and VM";
  }

  @Override
  public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
    threadStart = threadCpu();
    start = os.getProcessCpuTime();
  }

  @Override
  public Collection<? extends Result> afterIteration(
      BenchmarkParams benchmarkParams, IterationParams iterationParams, IterationResult result) {
    long cpu = os.getProcessCpuTime() - start;
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
    return results;
  }

  private Map<Long, Long> threadCpu() {
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
