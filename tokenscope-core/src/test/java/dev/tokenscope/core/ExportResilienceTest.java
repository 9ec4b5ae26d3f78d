package dev.tokenscope.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The real OTLP exporter against a loopback endpoint that is down, hangs, or answers 500 / 429: the
 * application's calls go through (a blocked caller would hit the timeout), memory stays bounded by
 * the export queue, and what was lost is reported once, not per span.
 */
@Timeout(60)
class ExportResilienceTest {

  private static final int SPANS = 3_000;
  private static final int QUEUE = 200;

  private final List<LogRecord> records = new ArrayList<>();
  private final Logger exporterLogger =
      Logger.getLogger("dev.tokenscope.core.internal.TokenScopeSpanExporter");
  private final Handler handler = AssociationPropertiesTest.recordingHandler(records);
  private HttpServer server;
  private ExecutorService serverThreads;

  @BeforeEach
  void captureLogs() {
    exporterLogger.addHandler(handler);
  }

  @AfterEach
  void cleanUp() {
    exporterLogger.removeHandler(handler);
    if (server != null) {
      server.stop(0);
      serverThreads.shutdownNow();
    }
    GlobalOpenTelemetry.resetForTest();
  }

  private String startServer(com.sun.net.httpserver.HttpHandler behaviour) throws IOException {
    serverThreads = Executors.newCachedThreadPool();
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", behaviour);
    server.setExecutor(serverThreads);
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static String deadEndpoint() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  private static TokenScope tokenScope(String endpoint) {
    return TokenScope.builder()
        .endpoint(endpoint)
        .pricing(TestPricing.snapshot())
        .registerGlobal(false)
        .exportTimeout(java.time.Duration.ofMillis(300))
        .batchMaxQueueSize(QUEUE)
        .batchMaxExportSize(50)
        .batchScheduleDelay(java.time.Duration.ofMillis(20))
        .property("otel.metrics.exporter", "none")
        .property("otel.logs.exporter", "none")
        .property("otel.java.exporter.otlp.retry.disabled", "true")
        .build();
  }

  /** What the application does: LLM-call spans, as fast as it can. */
  private static void applicationWork(TokenScope tokenScope) {
    Tracer tracer = tokenScope.openTelemetry().getTracer("app");
    for (int i = 0; i < SPANS; i++) {
      Span span =
          tracer
              .spanBuilder("chat gpt-4o")
              .setAttribute("gen_ai.operation.name", "chat")
              .setAttribute("gen_ai.request.model", "gpt-4o")
              .setAttribute("gen_ai.usage.input_tokens", 100L)
              .startSpan();
      span.end();
    }
  }

  private long logged(String fragment) {
    synchronized (records) {
      return records.stream().filter(r -> r.getMessage().contains(fragment)).count();
    }
  }

  @Test
  void endpointDown() throws IOException {
    TokenScope tokenScope = tokenScope(deadEndpoint());

    applicationWork(tokenScope);
    tokenScope.close();

    var exporter = tokenScope.exporters().get(0);
    assertThat(exporter.delivered()).isZero();
    assertThat(exporter.failed() + exporter.notReceived()).isEqualTo(SPANS);
    assertThat(logged("could not be exported")).isEqualTo(1);
    assertThat(logged("were not delivered")).isEqualTo(1);
  }

  @Test
  void endpointHangs() throws IOException {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger requests = new AtomicInteger();
    String endpoint =
        startServer(
            exchange -> {
              requests.incrementAndGet();
              try {
                // Stands in for a collector taking 10 s per request; released when the test ends.
                release.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              exchange.sendResponseHeaders(200, -1);
              exchange.close();
            });
    TokenScope tokenScope = tokenScope(endpoint);

    try {
      applicationWork(tokenScope);
      var exporter = tokenScope.exporters().get(0);
      // The caller finished all its work while every export hung; what waits is bounded.
      assertThat(exporter.notReceived()).isGreaterThan(0);
      assertThat(exporter.received()).isLessThan(SPANS);
    } finally {
      release.countDown();
      tokenScope.close();
    }

    var exporter = tokenScope.exporters().get(0);
    assertThat(requests.get()).isPositive();
    assertThat(exporter.notReceived()).isGreaterThanOrEqualTo(SPANS - 4L * QUEUE);
    assertThat(logged("export queue is full")).isEqualTo(1);
    assertThat(logged("were not delivered")).isEqualTo(1);
  }

  @Test
  void endpointAnswers500() throws IOException {
    String endpoint =
        startServer(
            exchange -> {
              exchange.sendResponseHeaders(500, -1);
              exchange.close();
            });
    TokenScope tokenScope = tokenScope(endpoint);

    applicationWork(tokenScope);
    tokenScope.close();

    var exporter = tokenScope.exporters().get(0);
    assertThat(exporter.failed()).isPositive();
    assertThat(exporter.delivered()).isZero();
    assertThat(logged("could not be exported")).isEqualTo(1);
    assertThat(logged("were not delivered")).isEqualTo(1);
  }

  @Test
  void endpointAnswers429() throws IOException {
    String endpoint =
        startServer(
            exchange -> {
              exchange.getResponseHeaders().add("Retry-After", "1");
              exchange.sendResponseHeaders(429, -1);
              exchange.close();
            });
    TokenScope tokenScope = tokenScope(endpoint);

    applicationWork(tokenScope);
    tokenScope.close();

    var exporter = tokenScope.exporters().get(0);
    assertThat(exporter.failed()).isPositive();
    assertThat(logged("could not be exported")).isEqualTo(1);
  }

  @Test
  void aHealthyEndpointGetsEverythingAndNothingIsLogged() throws IOException {
    AtomicInteger requests = new AtomicInteger();
    String endpoint =
        startServer(
            exchange -> {
              requests.incrementAndGet();
              exchange.getRequestBody().readAllBytes();
              exchange.sendResponseHeaders(200, -1);
              exchange.close();
            });
    TokenScope tokenScope =
        TokenScope.builder()
            .endpoint(endpoint)
            .pricing(TestPricing.snapshot())
            .registerGlobal(false)
            .property("otel.metrics.exporter", "none")
            .property("otel.logs.exporter", "none")
            .build();

    Tracer tracer = tokenScope.openTelemetry().getTracer("app");
    for (int i = 0; i < 100; i++) {
      tracer
          .spanBuilder("chat gpt-4o")
          .setAttribute("gen_ai.request.model", "gpt-4o")
          .startSpan()
          .end();
    }
    tokenScope.close();

    var exporter = tokenScope.exporters().get(0);
    assertThat(exporter.delivered()).isEqualTo(100);
    assertThat(exporter.failed()).isZero();
    assertThat(requests.get()).isPositive();
    synchronized (records) {
      assertThat(records).isEmpty();
    }
  }
}
