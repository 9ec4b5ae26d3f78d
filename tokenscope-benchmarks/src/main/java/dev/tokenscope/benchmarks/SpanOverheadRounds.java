package dev.tokenscope.benchmarks;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * The span-overhead figure as a distribution instead of one run: {@code rounds} rounds, each
 * running every listed benchmark in its own fresh JVM (one JMH fork), in an order that rotates and
 * reverses from round to round, so a change in the shared machine's load, or one fork's JIT
 * decisions, hits every variant alike instead of one. Prints, per round, each variant's CPU per
 * operation ({@link CpuTimeProfiler}: all threads, and without the JIT compilers' share) and its
 * ratio to the first benchmark listed (the baseline), then the median, minimum and maximum over the
 * rounds.
 *
 * <pre>
 * java [-Drounds=5] [-Dclass=ExportedSpanBenchmark] [-Dbenchmarks=plainSdk,withTokenScope,plainSdkSameOutput] \
 *     [-Dwarmup=5] [-Diterations=5] [-Dseconds=2] [-Dsnapshot=PATH] \
 *     -cp tokenscope-benchmarks/target/benchmarks.jar dev.tokenscope.benchmarks.SpanOverheadRounds
 * </pre>
 *
 * Why (measured, `tokenscope-benchmarks/README.md`): two runs of the same jar disagreed far beyond
 * JMH's error bars because each variant's forks ran minutes apart, and JIT compilation still took a
 * third of the CPU in the measured iterations of some forks.
 */
public final class SpanOverheadRounds {

  private static final String[] FIGURES = {
    "cpu", "cpu.steady", "cpu.caller", "cpu.threads", "cpu.jit", "cpu.gc", "gc.alloc.rate.norm"
  };

  private SpanOverheadRounds() {}

  public static void main(String[] args) throws RunnerException {
    if (args.length > 0) {
      throw new IllegalArgumentException(
          "settings are system properties (-Drounds=5 ...), not arguments: " + List.of(args));
    }
    int rounds = Integer.getInteger("rounds", 5);
    String benchmarkClass = System.getProperty("class", "ExportedSpanBenchmark");
    List<String> benchmarks =
        Arrays.asList(
            System.getProperty("benchmarks", "plainSdk,withTokenScope,plainSdkSameOutput")
                .split(","));
    int warmup = Integer.getInteger("warmup", 5);
    int iterations = Integer.getInteger("iterations", 5);
    int seconds = Integer.getInteger("seconds", 2);
    String snapshot = System.getProperty("snapshot", "");

    System.out.printf(
        Locale.ROOT,
        "%s %s: %d rounds, 1 fork each, %d x %d s warm-up, %d x %d s measured. Load average %s%n",
        benchmarkClass,
        benchmarks,
        rounds,
        warmup,
        seconds,
        iterations,
        seconds,
        loadAverage());
    // figures.get(benchmark).get(figure) = one value per round
    Map<String, Map<String, List<Double>>> figures = new LinkedHashMap<>();
    int n = benchmarks.size();
    for (int round = 1; round <= rounds; round++) {
      for (int k = 0; k < n; k++) {
        int index = (k + round) % n;
        if (round % 2 == 0) {
          index = n - 1 - index;
        }
        String benchmark = benchmarks.get(index);
        Options run =
            new OptionsBuilder()
                .include(benchmarkClass + "\\." + benchmark + "$")
                .param("snapshot", snapshot)
                .forks(1)
                .warmupIterations(warmup)
                .warmupTime(TimeValue.seconds(seconds))
                .measurementIterations(iterations)
                .measurementTime(TimeValue.seconds(seconds))
                .addProfiler(CpuTimeProfiler.class)
                .addProfiler("gc")
                .verbosity(VerboseMode.SILENT)
                .build();
        Collection<RunResult> results = new Runner(run).run();
        Map<String, List<Double>> byFigure =
            figures.computeIfAbsent(benchmark, b -> new LinkedHashMap<>());
        for (RunResult result : results) {
          Map<String, Result> secondary = result.getSecondaryResults();
          for (String figure : FIGURES) {
            Result value = secondary.get(figure);
            if (value == null) {
              value = secondary.get("\u00b7" + figure); // JMH before 1.37 prefixed its profilers'
            }
            if (value != null) {
              byFigure.computeIfAbsent(figure, f -> new ArrayList<>()).add(value.getScore());
            }
          }
        }
        Map<String, List<Double>> done = figures.get(benchmark);
        System.out.printf(
            Locale.ROOT,
            "round %d %-22s cpu %6.0f  steady %6.0f  caller %5.0f  threads %6.0f  jit %5.0f ns/op,"
                + " load %s%n",
            round,
            benchmark,
            last(done, "cpu"),
            last(done, "cpu.steady"),
            last(done, "cpu.caller"),
            last(done, "cpu.threads"),
            last(done, "cpu.jit"),
            loadAverage());
      }
    }

    System.out.println();
    System.out.println("median [min - max] over the rounds, ns/op (allocation B/op):");
    for (Map.Entry<String, Map<String, List<Double>>> entry : figures.entrySet()) {
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-22s", entry.getKey()));
      for (String figure : FIGURES) {
        List<Double> values = entry.getValue().get(figure);
        if (values != null) {
          line.append(String.format(Locale.ROOT, "  %s %s", figure, spread(values, "%.0f")));
        }
      }
      System.out.println(line);
    }
    String baseline = benchmarks.get(0);
    for (String benchmark : benchmarks.subList(1, n)) {
      for (String figure : new String[] {"cpu", "cpu.steady", "cpu.caller", "cpu.threads"}) {
        List<Double> base = figures.get(baseline).get(figure);
        List<Double> other = figures.get(benchmark).get(figure);
        if (base == null || other == null) {
          continue;
        }
        List<Double> ratios = new ArrayList<>();
        List<Double> added = new ArrayList<>();
        for (int i = 0; i < Math.min(base.size(), other.size()); i++) {
          ratios.add(other.get(i) / base.get(i));
          added.add(other.get(i) - base.get(i));
        }
        System.out.printf(
            Locale.ROOT,
            "%s / %s, %s: ratio %s, added %s ns; per round %s%n",
            benchmark,
            baseline,
            figure,
            spread(ratios, "%.2f"),
            spread(added, "%.0f"),
            format(ratios, "%.2f"));
      }
    }
  }

  private static double last(Map<String, List<Double>> figures, String figure) {
    List<Double> values = figures.get(figure);
    return values == null || values.isEmpty() ? Double.NaN : values.get(values.size() - 1);
  }

  /** {@code median [min - max]}. */
  static String spread(List<Double> values, String format) {
    double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = sorted.length;
    double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    return String.format(Locale.ROOT, format, median)
        + " ["
        + String.format(Locale.ROOT, format, sorted[0])
        + " - "
        + String.format(Locale.ROOT, format, sorted[n - 1])
        + "]";
  }

  private static String format(List<Double> values, String format) {
    List<String> out = new ArrayList<>();
    for (double value : values) {
      out.add(String.format(Locale.ROOT, format, value));
    }
    return out.toString();
  }

  private static String loadAverage() {
    return String.format(
        Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
  }
}
