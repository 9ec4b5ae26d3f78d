package dev.tokenscope.benchmarks;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.tokenscope.console.Console;
import dev.tokenscope.console.internal.SpanMapper;
import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingCatalog;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
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
 * an in-memory DuckDB), against two baselines in the same run:
 *
 * <ul>
 *   <li>{@code httpDecode}: the same HTTP path without storage — the same JDK server setup (4
 *       worker threads, bounded queue, TCP_NODELAY as the console sets it), the same client,
 *       batches and senders; the handler reads the body, decodes it and sends the same 200
 *       response, and stores nothing. {@code ingest ÷ httpDecode} is what storage (and normalising,
 *       pricing and row building, which {@code httpDecodeMap} adds back) costs.
 *   <li>{@code decodeOnly}: protobuf decoding of the same batches on 4 threads, no HTTP at all (the
 *       first baseline, kept for comparison).
 * </ul>
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

  /**
   * The console's HTTP path without storage: a JDK server configured as the console configures its
   * OTLP server (4 workers, bounded queue, same JVM-wide TCP_NODELAY setting); the handler reads
   * the body, decodes it (and, for {@code map=true}, builds the rows as the console does), and
   * answers the same empty {@code ExportTraceServiceResponse}.
   */
  @State(Scope.Benchmark)
  public static class DecodeServer {
    HttpServer server;
    ExecutorService executor;
    URI decode;
    URI decodeMap;
    HttpClient client;

    @Setup(Level.Trial)
    public void start() throws IOException {
      // The console sets TCP_NODELAY for the JVM when its class initialises; do the same here so
      // this server behaves alike even when it is created first.
      Console.builder();
      SpanMapper mapper = new SpanMapper(Pricing.of(PricingCatalog.builtin()));
      byte[] ok = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
      executor =
          new ThreadPoolExecutor(
              4,
              4,
              60,
              TimeUnit.SECONDS,
              new ArrayBlockingQueue<>(1024),
              r -> {
                Thread t = new Thread(r, "baseline-http");
                t.setDaemon(true);
                return t;
              });
      server.setExecutor(executor);
      server.createContext("/decode", exchange -> answer(exchange, null, ok));
      server.createContext("/decode-map", exchange -> answer(exchange, mapper, ok));
      server.start();
      String base = "http://127.0.0.1:" + server.getAddress().getPort();
      decode = URI.create(base + "/decode");
      decodeMap = URI.create(base + "/decode-map");
      client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .connectTimeout(Duration.ofSeconds(5))
              .build();
    }

    private static void answer(HttpExchange exchange, SpanMapper mapper, byte[] ok)
        throws IOException {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body);
      if (mapper != null && mapper.map(request).rows().isEmpty()) {
        throw new IllegalStateException("no rows");
      }
      exchange.getResponseHeaders().set("Content-Type", "application/x-protobuf");
      exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
      exchange.sendResponseHeaders(200, ok.length == 0 ? -1 : ok.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(ok);
      }
    }

    @TearDown(Level.Trial)
    public void stop() {
      server.stop(0);
      executor.shutdownNow();
    }
  }

  /** End to end: HTTP, decode, normalise and price, append and commit, acknowledge. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int ingest(RunningConsole console, Batches batches) throws Exception {
    byte[] body = batches.next();
    while (true) {
      int status = postOtlp(console.client, console.traces, body);
      if (status == 200) {
        return status;
      }
      if (status != 503) {
        throw new IllegalStateException("ingest answered " + status);
      }
      console.refused.incrementAndGet();
      Thread.sleep(5);
    }
  }

  /** Baseline: the same HTTP path, decoding, the same response; no storage. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int httpDecode(DecodeServer server, Batches batches) throws Exception {
    return post(server.client, server.decode, batches.next());
  }

  /**
   * As {@link #httpDecode}, plus building the rows as the console does (normalise, price, JSON).
   */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public int httpDecodeMap(DecodeServer server, Batches batches) throws Exception {
    return post(server.client, server.decodeMap, batches.next());
  }

  private static int post(HttpClient client, URI uri, byte[] body) throws Exception {
    int status = postOtlp(client, uri, body);
    if (status != 200) {
      throw new IllegalStateException("baseline answered " + status);
    }
    return status;
  }

  /** Posts an OTLP/HTTP protobuf body, discarding the reply; returns the status code. */
  static int postOtlp(HttpClient client, URI uri, byte[] body)
      throws IOException, InterruptedException {
    return client
        .send(
            HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  /** Baseline: protobuf decoding of the same batch, nothing else. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public ExportTraceServiceRequest decodeOnly(Batches batches) throws Exception {
    return ExportTraceServiceRequest.parseFrom(batches.next());
  }
}
