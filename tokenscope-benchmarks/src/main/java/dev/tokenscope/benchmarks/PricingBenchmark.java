package dev.tokenscope.benchmarks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.tokenscope.pricing.Cost;
import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingCatalog;
import dev.tokenscope.pricing.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Resolve + cost over 1,000 realistic model names on warm names, against the reference design's
 * linear prefix/substring scan in the same run; and loading the LiteLLM snapshot.
 *
 * <p>Run from the repository root: {@code java -jar tokenscope-benchmarks/target/benchmarks.jar
 * PricingBenchmark}. The snapshot path is the {@code snapshot} parameter ({@code -p snapshot=...})
 * or the {@code tokenscope.snapshot} system property.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class PricingBenchmark {
  static final int NAMES = 1_000;
  static final String DEFAULT_SNAPSHOT =
      "../shared/data/pricing/litellm-model-prices-2026-07-24.json";

  @Param({""})
  public String snapshot;

  private ModelNameMix.Call[] calls;
  private Usage usage;
  private Pricing pricing;
  private ReferenceLinearScan reference;

  @Setup
  public void setUp() throws IOException {
    Path path = snapshotPath(snapshot);
    pricing = Pricing.of(PricingCatalog.load(path));
    reference = new ReferenceLinearScan(referenceRates(path));
    List<ModelNameMix.Call> mix = ModelNameMix.calls(NAMES);
    calls = mix.toArray(new ModelNameMix.Call[0]);
    usage =
        Usage.builder()
            .inputTokens(12_000)
            .cacheReadTokens(8_000)
            .outputTokens(900)
            .reasoningTokens(300)
            .build();
    for (ModelNameMix.Call call : calls) { // warm the resolution cache
      pricing.cost(call.model(), call.provider(), usage);
    }
  }

  /** Resolve + cost of one name: the score is per name. */
  @Benchmark
  @OperationsPerInvocation(NAMES)
  public void resolveAndCost(Blackhole bh) {
    Usage u = usage;
    for (ModelNameMix.Call call : calls) {
      Cost cost = pricing.cost(call.model(), call.provider(), u);
      bh.consume(cost);
    }
  }

  /** The reference design's linear first-prefix-or-substring scan, per name. */
  @Benchmark
  @OperationsPerInvocation(NAMES)
  public void referenceLinearScan(Blackhole bh) {
    Usage u = usage;
    for (ModelNameMix.Call call : calls) {
      bh.consume(reference.cost(call.model(), u));
    }
  }

  static Path snapshotPath(String param) {
    String value = param;
    if (value == null || value.isEmpty()) {
      value = System.getProperty("tokenscope.snapshot", DEFAULT_SNAPSHOT);
    }
    Path path = Path.of(value);
    if (!Files.isReadable(path)) {
      throw new IllegalStateException(
          "pricing snapshot not found at "
              + path.toAbsolutePath()
              + "; run from the repository root or pass -p snapshot=PATH");
    }
    return path;
  }

  /** Input and output rates by key in file order, read the simple way the reference did. */
  static Map<String, double[]> referenceRates(Path path) throws IOException {
    Map<String, double[]> rates = new LinkedHashMap<>();
    try (InputStream in = Files.newInputStream(path);
        JsonParser p = new JsonFactory().createParser(in)) {
      p.nextToken();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        if (p.nextToken() != JsonToken.START_OBJECT) {
          p.skipChildren();
          continue;
        }
        double[] rate = {0, 0};
        boolean priced = false;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken v = p.nextToken();
          if (v.isNumeric() && field.equals("input_cost_per_token")) {
            rate[0] = p.getDoubleValue();
            priced = true;
          } else if (v.isNumeric() && field.equals("output_cost_per_token")) {
            rate[1] = p.getDoubleValue();
          } else {
            p.skipChildren();
          }
        }
        if (priced && !key.equals("sample_spec")) {
          rates.put(key, rate);
        }
      }
    }
    return rates;
  }
}
