package dev.tokenscope.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** When the write queue is full, ingest answers 503 with Retry-After and loses nothing it acked. */
class BackPressureTest {

  /** In memory (acknowledged on commit) and with a data directory (acknowledged once journaled). */
  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void fullQueueAnswers503WithRetryAfter(boolean journaled, @TempDir Path dir) throws Exception {
    try (Console console =
        Otlp.console(journaled, dir).queueCapacity(1000).ingestThreads(8).start()) {
      AtomicLong acked = new AtomicLong();
      AtomicInteger refused = new AtomicInteger();
      AtomicInteger retryAfter = new AtomicInteger();
      ExecutorService senders = Executors.newFixedThreadPool(8);
      List<Future<?>> futures = new ArrayList<>();
      for (int s = 0; s < 8; s++) {
        int sender = s;
        futures.add(
            senders.submit(
                () -> {
                  for (int batch = 0; batch < 6; batch++) {
                    ExportTraceServiceRequest request = batch(sender, batch, 1000);
                    HttpResponse<byte[]> response = Otlp.postTraces(console, request);
                    if (response.statusCode() == 200) {
                      acked.addAndGet(1000);
                    } else {
                      assertThat(response.statusCode()).isEqualTo(503);
                      refused.incrementAndGet();
                      if (response.headers().firstValue("Retry-After").isPresent()) {
                        retryAfter.incrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
      senders.shutdown();
      assertThat(refused.get()).isPositive();
      assertThat(retryAfter.get()).isEqualTo(refused.get());
      // Journaled batches reach the database within about a second of their acknowledgement.
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () ->
                  assertThat(
                          new ObjectMapper()
                              .readTree(Otlp.get(console.uiUrl() + "api/v1/status").body())
                              .get("storage")
                              .get("spans")
                              .asLong())
                      .isEqualTo(acked.get()));
      // Still serving once the burst is over.
      assertThat(Otlp.postTraces(console, batch(99, 0, 10)).statusCode()).isEqualTo(200);
    }
  }

  static ExportTraceServiceRequest batch(int sender, int batch, int spans) {
    String trace = String.format("%016x%016x", sender + 1, batch + 1);
    return Otlp.request(
        "load",
        KnownTelemetry.calls(trace, spans, System.currentTimeMillis(), 1).stream()
            .map(Span.Builder::build)
            .toList());
  }
}
