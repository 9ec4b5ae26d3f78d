package dev.tokenscope.benchmarks;

import dev.tokenscope.demo.internal.DesignFlows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Load script beside {@link MenuDesignBenchmark}: the same two flows on one simulator in one JVM,
 * shots interleaved (concurrent then sequential, then sequential then concurrent, …) so a change in
 * the machine's load hits both sides alike, with the speed-up of every pair, and for every shot the
 * critical path the simulator's own latencies allow — what the flow would take with zero overhead —
 * so the gap between the two is visible.
 *
 * <pre>
 * java -cp tokenscope-benchmarks/target/benchmarks.jar \
 *     dev.tokenscope.benchmarks.MenuDesignInterleaved [speed=1] [pairs=3] [warmup=1] [maxReviews=3]
 * </pre>
 */
public final class MenuDesignInterleaved {

  private static final Pattern COURSE = Pattern.compile(" course (\\d+)");

  private MenuDesignInterleaved() {}

  public static void main(String[] args) {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("arguments are name=value, got " + arg);
      }
      options.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    double speed = Double.parseDouble(options.getOrDefault("speed", "1"));
    int pairs = Integer.parseInt(options.getOrDefault("pairs", "3"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "1"));
    int maxReviews = Integer.parseInt(options.getOrDefault("maxReviews", "3"));
    int courses = 5;
    System.out.printf(
        Locale.ROOT,
        "Menu design, %d courses, speed %s, maxReviews %d: %d warm-up pair(s), %d measured pairs."
            + " Load average %s%n",
        courses,
        speed,
        maxReviews,
        warmup,
        pairs,
        loadAverage());
    List<Double> ratios = new ArrayList<>();
    double concurrentTotal = 0;
    double sequentialTotal = 0;
    try (DesignFlows flows = DesignFlows.start(speed, 6, maxReviews)) {
      for (int i = 0; i < warmup + pairs; i++) {
        boolean concurrentFirst = i % 2 == 0;
        Shot first = shot(flows, concurrentFirst, courses);
        Shot second = shot(flows, !concurrentFirst, courses);
        Shot concurrent = concurrentFirst ? first : second;
        Shot sequential = concurrentFirst ? second : first;
        double ratio = sequential.millis() / concurrent.millis();
        boolean measured = i >= warmup;
        System.out.printf(
            Locale.ROOT,
            "%s %d: concurrent %,.0f ms (latency-bound %,.0f), sequential %,.0f ms (latency-bound"
                + " %,.0f): %.2fx (latency-bound %.2fx), load %s%n    concurrent critical path:"
                + " %s%n    sequential: %s%n",
            measured ? "pair" : "warm-up",
            measured ? i - warmup + 1 : i + 1,
            concurrent.millis(),
            concurrent.bound(),
            sequential.millis(),
            sequential.bound(),
            ratio,
            sequential.bound() / concurrent.bound(),
            loadAverage(),
            concurrent.path(),
            sequential.path());
        if (measured) {
          ratios.add(ratio);
          concurrentTotal += concurrent.millis();
          sequentialTotal += sequential.millis();
        }
      }
    }
    if (pairs > 0) {
      double logSum = 0;
      for (double r : ratios) {
        logSum += Math.log(r);
      }
      System.out.printf(
          Locale.ROOT,
          "Mean concurrent %,.0f ms, mean sequential %,.0f ms: %.2fx (pairs: geometric mean %.2fx,"
              + " min %.2fx, max %.2fx). Load average %s%n",
          concurrentTotal / pairs,
          sequentialTotal / pairs,
          sequentialTotal / concurrentTotal,
          Math.exp(logSum / pairs),
          ratios.stream().mapToDouble(Double::doubleValue).min().orElse(0),
          ratios.stream().mapToDouble(Double::doubleValue).max().orElse(0),
          loadAverage());
    }
  }

  /** One design: wall time, and the time its LLM calls' latencies alone would take in its order. */
  private record Shot(double millis, double bound, String path) {}

  private static Shot shot(DesignFlows flows, boolean concurrent, int courses) {
    int before = flows.calls().size();
    long started = System.nanoTime();
    if (concurrent) {
      flows.concurrent(courses);
    } else {
      flows.sequential(courses);
    }
    double millis = (System.nanoTime() - started) / 1e6;
    List<DesignFlows.Call> calls = flows.timedCalls();
    Bound bound = bound(calls.subList(before, calls.size()), concurrent, courses);
    return new Shot(millis, bound.millis(), bound.path());
  }

  /** A flow's duration with zero overhead, and what it is made of. */
  record Bound(double millis, String path) {}

  /**
   * The flow's duration with zero overhead, from the simulator's latencies: sequential — the plan,
   * the longer of guidelines and strategy, then every course's calls one after another; concurrent
   * — guidelines and strategy beside the plan, then each course's draft, refinement (once the
   * guidelines are there) and wine (once the strategy is there and the recipe is final: beside a
   * third review), the slowest course deciding.
   */
  static Bound bound(List<DesignFlows.Call> calls, boolean concurrent, int courses) {
    double plan = 0;
    double guidelines = 0;
    double strategy = 0;
    double[] draft = new double[courses + 1];
    double[] refinement = new double[courses + 1];
    int[] refinementCalls = new int[courses + 1];
    double[] lastReview = new double[courses + 1];
    double[] wine = new double[courses + 1];
    int[] wineCalls = new int[courses + 1];
    for (DesignFlows.Call call : calls) {
      double ms = call.latency().toNanos() / 1e6;
      String s = call.signature();
      Matcher m = COURSE.matcher(s);
      int course = m.find() ? Integer.parseInt(m.group(1)) : 0;
      if (s.contains("TASK: PLAN MENU")) {
        plan += ms;
      } else if (s.contains("TASK: NUTRITION GUIDELINES")) {
        guidelines += ms;
      } else if (s.contains("TASK: PAIRING STRATEGY")) {
        strategy += ms;
      } else if (s.contains("TASK: DRAFT RECIPE")) {
        draft[course] += ms;
      } else if (s.contains("TASK: PAIR WINE")) {
        wine[course] += ms;
        wineCalls[course]++;
      } else {
        refinement[course] += ms;
        refinementCalls[course]++;
        if (s.contains("TASK: NUTRITION REVIEW") && s.endsWith(" iteration 3")) {
          lastReview[course] = ms;
        }
      }
    }
    if (!concurrent) {
      double drafts = 0;
      double refinements = 0;
      double wines = 0;
      for (int k = 1; k <= courses; k++) {
        drafts += draft[k];
        refinements += refinement[k];
        wines += wine[k];
      }
      double research = Math.max(guidelines, strategy);
      return new Bound(
          plan + research + drafts + refinements + wines,
          String.format(
              Locale.ROOT,
              "plan %,.0f + research %,.0f + drafts %,.0f + refinement %,.0f + wine %,.0f",
              plan,
              research,
              drafts,
              refinements,
              wines));
    }
    // The same calls with every phase waiting for its slowest course (the workflow before the
    // courses were pipelined): plan; research; refinement; wine.
    double slowestDraft = 0;
    double slowestRefinement = 0;
    double slowestWine = 0;
    for (int k = 1; k <= courses; k++) {
      slowestDraft = Math.max(slowestDraft, draft[k]);
      slowestRefinement = Math.max(slowestRefinement, refinement[k]);
      slowestWine = Math.max(slowestWine, wine[k]);
    }
    double barriers =
        plan
            + Math.max(Math.max(guidelines, strategy), slowestDraft)
            + slowestRefinement
            + slowestWine;
    double slowest = Math.max(guidelines, strategy);
    double slowestUnoverlapped = slowest;
    String path = "guidelines or strategy";
    for (int k = 1; k <= courses; k++) {
      // The wine after the whole refinement (before it overlapped the third review).
      slowestUnoverlapped =
          Math.max(
              slowestUnoverlapped,
              Math.max(Math.max(plan + draft[k], guidelines) + refinement[k], strategy) + wine[k]);
      // The wine needs the final recipe: the third review, when there is one, runs beside it.
      double recipeFinal = Math.max(plan + draft[k], guidelines) + refinement[k] - lastReview[k];
      double paired =
          Math.max(recipeFinal + lastReview[k], Math.max(recipeFinal, strategy) + wine[k]);
      if (paired > slowest) {
        slowest = paired;
        path =
            String.format(
                Locale.ROOT,
                "plan %,.0f + course %d: draft %,.0f + refinement %,.0f (%d calls) + the longer"
                    + " of its third review %,.0f and wine %,.0f (%d)",
                plan,
                k,
                draft[k],
                refinement[k] - lastReview[k],
                refinementCalls[k] - (lastReview[k] > 0 ? 1 : 0),
                lastReview[k],
                wine[k],
                wineCalls[k]);
      }
    }
    return new Bound(
        slowest,
        path
            + String.format(
                Locale.ROOT,
                "; wine after the third review: %,.0f; phases as barriers: %,.0f",
                slowestUnoverlapped,
                barriers));
  }

  private static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
