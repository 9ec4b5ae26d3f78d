package dev.tokenscope.benchmarks;

import dev.tokenscope.pricing.PricingCatalog;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Loading the 1.6 MB LiteLLM snapshot (2,982 entries): {@link #coldLoad} is the first load in a
 * fresh JVM (no JIT warm-up, classes loading: what an application start pays), one shot per fork;
 * {@link #warmLoad} is a refresh in a running JVM.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CatalogLoadBenchmark {

  @Param({""})
  public String snapshot;

  private Path path;

  @Setup
  public void setUp() {
    path = PricingBenchmark.snapshotPath(snapshot);
  }

  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @Warmup(iterations = 0)
  @Measurement(iterations = 1)
  @Fork(10)
  public PricingCatalog coldLoad() {
    return PricingCatalog.load(path);
  }

  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @Warmup(iterations = 3, time = 2)
  @Measurement(iterations = 5, time = 2)
  @Fork(1)
  public PricingCatalog warmLoad() {
    return PricingCatalog.load(path);
  }
}
