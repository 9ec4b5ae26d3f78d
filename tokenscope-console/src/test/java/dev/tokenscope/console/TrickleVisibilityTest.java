package dev.tokenscope.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Under a steady trickle (a small batch every 100 ms, so the writer never waits long for more),
 * every acknowledged batch is queryable within 2 s: with a data directory the writer keeps its
 * transaction open for at most a second, in memory it commits before acknowledging.
 */
class TrickleVisibilityTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void acknowledgedBatchesAreQueryableWithinTwoSeconds(boolean journaled, @TempDir Path dir)
      throws Exception {
    try (Console console = Otlp.console(journaled, dir).start()) {
      AtomicLong acked = new AtomicLong();
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService sender = Executors.newSingleThreadExecutor();
      Future<?> trickle =
          sender.submit(
              () -> {
                for (int batch = 0; !stop.get(); batch++) {
                  assertThat(
                          Otlp.postTraces(console, BackPressureTest.batch(7, batch, 20))
                              .statusCode())
                      .isEqualTo(200);
                  acked.addAndGet(20);
                  Thread.sleep(100);
                }
                return null;
              });
      try {
        for (int check = 0; check < 3; check++) {
          Thread.sleep(500);
          // What was acknowledged so far shows up within 2 s while the trickle goes on.
          long expected = acked.get();
          await()
              .atMost(Duration.ofSeconds(2))
              .pollInterval(Duration.ofMillis(50))
              .untilAsserted(
                  () -> assertThat(storedSpans(console)).isGreaterThanOrEqualTo(expected));
          assertThat(trickle.isDone()).isFalse();
        }
      } finally {
        stop.set(true);
        sender.shutdown();
      }
      trickle.get();
    }
  }

  private static long storedSpans(Console console) throws Exception {
    return JSON.readTree(Otlp.get(console.uiUrl() + "api/v1/status").body())
        .get("storage")
        .get("spans")
        .asLong();
  }
}
