package dev.tokenscope.benchmarks;

import com.sun.net.httpserver.HttpServer;
import dev.tokenscope.core.TokenScope;
import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingCatalog;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
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
 * Latency distribution (read p99) of one application workflow — a workflow span, three tasks, four
 * LLM-call spans priced and metered — while TokenScope exports over real OTLP/HTTP to a loopback
 * endpoint that is {@code healthy} (answers 200 at once), {@code dead} (nothing listens) or {@code
 * hanging} (takes 10 s per request, as a stuck collector). The application must not notice: the
 * three distributions should match.
 *
 * <p>Run from the repository root: {@code java -jar tokenscope-benchmarks/target/benchmarks.jar
 * DeadEndpointBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(2)
public class DeadEndpointBenchmark {

  @Param({"healthy", "dead", "hanging"})
  public String endpoint;

  @Param({""})
  public String snapshot;

  private static final long PAUSE_NANOS = 200_000;

  private HttpServer server;
  private ExecutorService serverThreads;
  private final CountDownLatch release = new CountDownLatch(1);
  private TokenScope tokenScope;
  private Tracer tracer;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    String url;
    switch (endpoint) {
      case "dead":
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
          url = "http://127.0.0.1:" + socket.getLocalPort();
        }
        break;
      case "hanging":
        url = startServer(true);
        break;
      default:
        url = startServer(false);
        break;
    }
    tokenScope =
        TokenScope.builder()
            .endpoint(url)
            .pricing(Pricing.of(PricingCatalog.load(PricingBenchmark.snapshotPath(snapshot))))
            .registerGlobal(false)
            .metricExportInterval(Duration.ofSeconds(1))
            .property("otel.logs.exporter", "none")
            .build();
    tracer = tokenScope.openTelemetry().getTracer("app");
  }

  private String startServer(boolean hang) throws IOException {
    serverThreads = Executors.newCachedThreadPool();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          exchange.getRequestBody().readAllBytes();
          if (hang) {
            try {
              release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
          }
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.setExecutor(serverThreads);
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    release.countDown();
    tokenScope.close();
    if (server != null) {
      server.stop(0);
      serverThreads.shutdownNow();
    }
  }

  /**
   * The time between requests, spent waiting (as an application waits on the LLM provider): the
   * benchmark then produces spans at a realistic rate (about 8 × 5,000 per second) instead of
   * saturating every variant's export queue; it is not part of the measured time.
   */
  @Setup(Level.Invocation)
  public void pause() {
    LockSupport.parkNanos(PAUSE_NANOS);
  }

  /** One application request: a workflow with three tasks and four LLM calls. */
  @Benchmark
  public void workflow() {
    TokenScope.workflow("menu")
        .run(
            () -> {
              TokenScope.task("plan")
                  .run(() -> SpanProcessingBenchmark.inferenceSpan(tracer, Context.current()));
              TokenScope.task("research")
                  .run(
                      () -> {
                        SpanProcessingBenchmark.inferenceSpan(tracer, Context.current());
                        SpanProcessingBenchmark.inferenceSpan(tracer, Context.current());
                      });
              TokenScope.task("write")
                  .run(() -> SpanProcessingBenchmark.inferenceSpan(tracer, Context.current()));
            });
  }
}
