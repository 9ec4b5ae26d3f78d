package dev.tokenscope.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Spans older than the retention age go; so do the oldest when the database grows too large. */
class RetentionTest {

  private static JsonNode storage(Console console) throws Exception {
    return new ObjectMapper()
        .readTree(Otlp.get(console.uiUrl() + "api/v1/status").body())
        .get("storage");
  }

  private static List<Span> spans(String trace, long startMillis, int count, long stepMillis) {
    return KnownTelemetry.calls(trace, count, startMillis, stepMillis).stream()
        .map(span -> span.addAttributes(Otlp.str("padding", "x".repeat(200))).build())
        .toList();
  }

  @Test
  void spansOlderThanTheRetentionAgeAreDeleted() throws Exception {
    try (Console console =
        Console.builder()
            .inMemory()
            .otlpPort(0)
            .uiPort(0)
            .retention(Duration.ofDays(7))
            .retentionInterval(Duration.ofMillis(200))
            .pricing(KnownTelemetry.PRICING)
            .start()) {
      long now = System.currentTimeMillis();
      long old = now - Duration.ofDays(8).toMillis();
      assertThat(
              Otlp.postTraces(console, Otlp.request("app", spans(Otlp.traceId("old"), old, 5, 1)))
                  .statusCode())
          .isEqualTo(200);
      assertThat(
              Otlp.postTraces(
                      console, Otlp.request("app", spans(Otlp.traceId("new"), now - 60_000, 3, 1)))
                  .statusCode())
          .isEqualTo(200);
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(() -> assertThat(storage(console).get("spans").asLong()).isEqualTo(3));
      assertThat(storage(console).get("oldest_span").asLong()).isGreaterThanOrEqualTo(now - 60_000);
    }
  }

  @Test
  void oldestSpansGoWhenTheDatabaseIsTooLarge(@TempDir Path dir) throws Exception {
    long now = System.currentTimeMillis();
    try (Console console =
        Console.builder()
            .dataDirectory(dir)
            .otlpPort(0)
            .uiPort(0)
            .maxDatabaseBytes(1)
            .retentionInterval(Duration.ofMillis(200))
            .pricing(KnownTelemetry.PRICING)
            .start()) {
      for (int b = 0; b < 4; b++) {
        assertThat(
                Otlp.postTraces(
                        console,
                        Otlp.request(
                            "app",
                            spans(Otlp.traceId("t" + b), now - 3_600_000 + b * 600_000L, 2000, 1)))
                    .statusCode())
            .isEqualTo(200);
      }
      // Acknowledged once journaled: all four batches reach the database shortly after.
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(console.spansStored()).isEqualTo(8000));
      // Far over a one-byte budget: retention keeps deleting the oldest tenth until it cannot.
      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(() -> assertThat(storage(console).get("spans").asLong()).isLessThan(8000));
      JsonNode storage = storage(console);
      assertThat(storage.get("newest_span").asLong())
          .isEqualTo(now - 3_600_000 + 3 * 600_000L + 1999);
      assertThat(storage.get("oldest_span").asLong()).isGreaterThan(now - 3_600_000);
    }
  }
}
