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
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
 * The dashboard's queries over 1,000,000 stored spans spread over 30 days, through the HTTP API
 * (query, JSON, loopback): {@code dashboard} issues every request the dashboard page makes, one
 * after the other (the pessimistic sum), and prints the mean time of each request at the end;
 * {@code dashboardConcurrent} issues the same requests all at once, as the page does (its
 * Promise.all), and waits for the last answer — the time a user waits for the whole page.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(
    value = 1,
    jvmArgsAppend = {"-Xmx2g"})
@State(Scope.Benchmark)
public class ConsoleQueryBenchmark {

  static final int SPANS = 1_000_000;
  private static final long DAY = 86_400_000L;

  /** The API requests of one dashboard load (the page's Promise.all plus its filter menus). */
  static final String[] DASHBOARD = {
    "overview",
    "endpoints",
    "timeseries?metric=cost&group_by=model",
    "traces?sort=cost&limit=8",
    "retries",
    "day-over-day?tz_offset_minutes=0",
    "filters",
  };

  /**
   * What the page asked for until round 5 (the summary, three breakdowns and the unpriced calls
   * each in a request of its own; {@code overview} now answers them in one): {@code -p
   * requests=separate}, to compare with the figures measured before.
   */
  static final String[] SEPARATE = {
    "summary?include_retries=false",
    "models",
    "workflows",
    "endpoints",
    "services",
    "timeseries?metric=cost&group_by=model",
    "traces?sort=cost&limit=8",
    "retries",
    "unpriced",
    "day-over-day?tz_offset_minutes=0",
    "filters",
  };

  /** Which requests make one load: {@code page} ({@link #DASHBOARD}) or {@code separate}. */
  @Param({"page"})
  public String requests;

  private String[] paths;

  private Path dir;
  private Console console;
  private HttpClient client;
  private String base;
  private String range;
  // Per-request time over every invocation (warm-up included), printed at the end: which query
  // costs what. JMH's score is the figure; this is the breakdown.
  private long[] nanos;
  private long rounds;

  @Setup(Level.Trial)
  public void load() throws Exception {
    paths =
        switch (requests) {
          case "page" -> DASHBOARD;
          case "separate" -> SEPARATE;
          default -> throw new IllegalArgumentException("requests: page or separate");
        };
    nanos = new long[paths.length];
    dir = Files.createTempDirectory("tokenscope-query-bench");
    console = start(dir);
    client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    long now = System.currentTimeMillis();
    long from = now - 30 * DAY;
    load(console, client, from, now);
    base = console.uiUrl() + "api/v1/";
    range = "from=" + from + "&to=" + now;
  }

  /** A console on {@code dir} without size retention, as loaded and queried here. */
  static Console start(Path dir) throws IOException {
    return Console.builder()
        .dataDirectory(dir)
        .otlpPort(0)
        .uiPort(0)
        .pricing(Pricing.of(PricingCatalog.builtin()))
        .maxDatabaseBytes(Long.MAX_VALUE)
        .start();
  }

  /**
   * Sends {@link #SPANS} spans of {@link SyntheticTraces} starting between {@code from} and a
   * minute before {@code now} (every request spread over the whole range), then waits 15 s.
   */
  static void load(Console console, HttpClient client, long from, long now) throws Exception {
    SyntheticTraces traces = new SyntheticTraces(7);
    URI ingest = URI.create(console.otlpEndpoint() + "/v1/traces");
    int perRequest = 5000;
    long started = System.nanoTime();
    for (int sent = 0; sent < SPANS; sent += perRequest) {
      ExportTraceServiceRequest request = traces.request(perRequest, from, now - 60_000L);
      int status;
      // Back-pressure (503 + Retry-After) while the writer catches up: wait and send again.
      while ((status = ConsoleIngestBenchmark.postOtlp(client, ingest, request.toByteArray()))
          == 503) {
        Thread.sleep(200);
      }
      if (status != 200) {
        throw new IllegalStateException("loading failed: HTTP " + status);
      }
    }
    System.out.printf(
        "%n[query] loaded %,d spans in %.1f s%n",
        console.spansStored(), (System.nanoTime() - started) / 1e9);
    // A console merges its roll-up rows after a second without ingest; give it time to, as it
    // would have had between a load and someone opening the dashboard.
    Thread.sleep(15_000);
  }

  @TearDown(Level.Trial)
  public void stop() throws IOException {
    System.out.printf("%n[query] mean per request over %d dashboard loads:%n", rounds);
    for (int i = 0; i < paths.length && rounds > 0; i++) {
      System.out.printf("[query]   %-40s %8.1f ms%n", paths[i], nanos[i] / 1e6 / rounds);
    }
    console.close();
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private int get(String path) throws Exception {
    String url = base + path + (path.contains("?") ? "&" : "?") + range;
    HttpResponse<byte[]> response =
        client.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(path + " answered " + response.statusCode());
    }
    return response.body().length;
  }

  /** Every request of one dashboard load at once, as the page sends them; until the last answer. */
  @Benchmark
  public int dashboardConcurrent() throws Exception {
    List<CompletableFuture<HttpResponse<byte[]>>> answers = new ArrayList<>();
    for (String path : paths) {
      String url = base + path + (path.contains("?") ? "&" : "?") + range;
      answers.add(
          client.sendAsync(
              HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
              HttpResponse.BodyHandlers.ofByteArray()));
    }
    int bytes = 0;
    for (int i = 0; i < answers.size(); i++) {
      HttpResponse<byte[]> response = answers.get(i).get();
      if (response.statusCode() != 200) {
        throw new IllegalStateException(paths[i] + " answered " + response.statusCode());
      }
      bytes += response.body().length;
    }
    return bytes;
  }

  /** Every request of one dashboard load, in sequence. */
  @Benchmark
  public int dashboard() throws Exception {
    int bytes = 0;
    for (int i = 0; i < paths.length; i++) {
      long start = System.nanoTime();
      bytes += get(paths[i]);
      nanos[i] += System.nanoTime() - start;
    }
    rounds++;
    return bytes;
  }
}
