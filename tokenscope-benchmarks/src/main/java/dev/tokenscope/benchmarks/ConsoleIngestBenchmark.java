package dev.tokenscope.benchmarks;

import dev.tokenscope.console.Console;
import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingCatalog;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Console ingest throughput, in spans per second: 4 senders posting protobuf batches of 512 spans
 * over loopback HTTP to a console writing to a DuckDB file (and, to separate the disk's share, to
 * an in-memory DuckDB), against the baseline of only decoding the same batches (4 threads, no HTTP,
 * no mapping, no storage), in the same run.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 10)
@Measurement(iterations = 3, time = 10)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx1g"})
@Threads(4)
public class ConsoleIngestBenchmark {

  static final int BATCH = 512;
  private static final int DISTINCT_BATCHES = 64;

  @State(Scope.Benchmark)
  public static class Batches {
    byte[][] bodies;
    final AtomicLong next = new AtomicLong();

    @Setup(Level.Trial)
    public void generate() {
      long now = System.currentTimeMillis();
      List<ExportTraceServiceRequest> requests =
          new SyntheticTraces(42).requests(DISTINCT_BATCHES, BATCH, now - 3_600_000L, now);
      bodies = new byte[requests.size()][];
      for (int i = 0; i < bodies.length; i++) {
        bodies[i] = requests.get(i).toByteArray();
      }
    }

    byte[] next() {
      return bodies[(int) (next.getAndIncrement() % bodies.length)];
    }
  }

  @State(Scope.Benchmark)
  public static class RunningConsole {
    /** {@code file}: the default, durable DuckDB file; {@code memory}: no disk, same code path. */
    @Param({"file", "memory"})
    public String storage;

    Path dir;
    Console console;
    URI traces;
    HttpClient client;
    final AtomicLong refused = new AtomicLong();

    @Setup(Level.Trial)
    public void start() throws IOException {
      dir = Files.createTempDirectory("tokenscope-ingest-bench");
      Console.Builder builder = Console.builder();
      if ("memory".equals(storage)) {
        builder.inMemory();
      } else {
        builder.dataDirectory(dir);
      }
      console =
          builder
              .otlpPort(0)
              .uiPort(0)
              .pricing(Pricing.of(PricingCatalog.builtin()))
              .maxDatabaseBytes(Long.MAX_VALUE)
              .start();
      traces = URI.create(console.otlpEndpoint() + "/v1/traces");
      client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException {
      System.out.println(
          "\n[ingest] spans stored: "
              + console.spansStored()
              + ", requests refused with 503 (retried): "
              + refused.get());
      console.close();
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** End to end: HTTP, decode, normalise and price, append and commit, acknowledge. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int ingest(RunningConsole console, Batches batches) throws Exception {
    byte[] body = batches.next();
    while (true) {
      HttpResponse<Void> response =
          console.client.send(
              HttpRequest.newBuilder(console.traces)
                  .header("Content-Type", "application/x-protobuf")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                  .build(),
              HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() == 200) {
        return response.statusCode();
      }
      if (response.statusCode() != 503) {
        throw new IllegalStateException("ingest answered " + response.statusCode());
      }
      console.refused.incrementAndGet();
      Thread.sleep(5);
    }
  }

  /** Baseline: protobuf decoding of the same batch, nothing else. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public ExportTraceServiceRequest decodeOnly(Batches batches) throws Exception {
    return ExportTraceServiceRequest.parseFrom(batches.next());
  }
}
