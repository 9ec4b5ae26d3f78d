package dev.tokenscope.benchmarks;

import dev.tokenscope.demo.internal.DesignFlows;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One menu design, end to end through the official SDKs against the simulator's latency model: the
 * demo's workflow (research, refinement and wine pairing with courses concurrent) against the
 * reference design's sequential order of exactly the same LLM calls (the simulator's answers are
 * fixed per course so both flows make them all: 28 for five courses when the slowest course needs
 * all three reviews, 24 when courses need at most two). {@code speed} divides every simulated delay
 * on both sides alike; 1 is realistic.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
@Fork(1)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
public class MenuDesignBenchmark {

  @Param("10")
  double speed;

  @Param("5")
  int courses;

  @Param("6")
  int courseConcurrency;

  /** The most nutrition reviews a course needs: 3 (the loop's limit) or 2 (the reference's). */
  @Param({"3", "2"})
  int maxReviews;

  private DesignFlows flows;

  @Setup(Level.Trial)
  public void start() {
    flows = DesignFlows.start(speed, courseConcurrency, maxReviews);
  }

  @TearDown(Level.Trial)
  public void stop() {
    flows.close();
  }

  @Benchmark
  public int concurrentWorkflow() {
    return flows.concurrent(courses);
  }

  @Benchmark
  public int sequentialReference() {
    return flows.sequential(courses);
  }
}
