package dev.tokenscope.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenscope.console.internal.IngestJournal;
import dev.tokenscope.console.internal.OtlpHandler;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Builder validation, a taken port, and data that survives a clean restart. */
class ConsoleBuilderTest {

  @Test
  void rejectsNonsense() {
    Console.Builder builder = Console.builder();
    assertThatThrownBy(() -> builder.otlpPort(70_000)).hasMessageContaining("port");
    assertThatThrownBy(() -> builder.retention(Duration.ZERO)).hasMessageContaining("retention");
    assertThatThrownBy(() -> builder.retentionInterval(Duration.ofSeconds(-1)))
        .hasMessageContaining("retentionInterval");
    assertThatThrownBy(() -> builder.maxDatabaseBytes(0)).hasMessageContaining("maxDatabaseBytes");
    assertThatThrownBy(() -> builder.maxRequestBytes(10)).hasMessageContaining("1024");
    assertThatThrownBy(() -> builder.queueCapacity(0)).hasMessageContaining("queueCapacity");
    assertThatThrownBy(() -> builder.ingestThreads(0)).hasMessageContaining("ingestThreads");
  }

  /** A console on {@code dir} with free ports, keeping everything. */
  private static Console onDisk(Path dir) throws Exception {
    return Console.builder()
        .dataDirectory(dir)
        .otlpPort(0)
        .uiPort(0)
        .pricing(KnownTelemetry.PRICING)
        .retention(Duration.ofDays(36500))
        .start();
  }

  @Test
  void journaledBatchesNotYetInTheDatabaseAreLoadedOnStart(@TempDir Path dir) throws Exception {
    // As a console killed after acknowledging (journal synced) but before its writer committed
    // leaves it: the record is in the journal only.
    try (IngestJournal journal = IngestJournal.open(dir.resolve("journal"), 1 << 20)) {
      journal.sync(
          journal.append(
              OtlpHandler.JOURNAL_TRACES,
              System.currentTimeMillis(),
              KnownTelemetry.requests().get(0).toByteArray(),
              position -> {}));
    }
    try (Console console = onDisk(dir)) {
      assertThat(console.spansStored()).isPositive();
      assertThat(Otlp.get(console.uiUrl() + "api/v1/traces/" + KnownTelemetry.TRACE_A).statusCode())
          .isEqualTo(200);
    }
    // Loaded once: the next start finds nothing to replay and the old segment is gone.
    try (Console again = onDisk(dir)) {
      assertThat(again.spansStored()).isZero();
      try (var files = java.nio.file.Files.list(dir.resolve("journal"))) {
        assertThat(files.count()).isEqualTo(1);
      }
    }
  }

  @Test
  void aTakenPortIsAClearError() throws Exception {
    try (ServerSocket taken = new ServerSocket(0)) {
      assertThatThrownBy(
              () ->
                  Console.builder()
                      .inMemory()
                      .otlpPort(taken.getLocalPort())
                      .uiPort(0)
                      .pricing(KnownTelemetry.PRICING)
                      .start())
          .hasMessageContaining("port " + taken.getLocalPort());
    }
  }

  @Test
  void dataSurvivesACleanRestartAndOnePortCanServeEverything(@TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    try (Console console =
        Console.builder()
            .dataDirectory(dir)
            .otlpPort(port)
            .uiPort(port)
            .pricing(KnownTelemetry.PRICING)
            .retention(Duration.ofDays(36500))
            .start()) {
      assertThat(console.uiUrl()).isEqualTo(console.otlpEndpoint() + "/");
      assertThat(Otlp.postTraces(console, KnownTelemetry.requests().get(0)).statusCode())
          .isEqualTo(200);
    }
    try (Console again = onDisk(dir)) {
      assertThat(Otlp.get(again.uiUrl() + "api/v1/traces/" + KnownTelemetry.TRACE_A).statusCode())
          .isEqualTo(200);
    }
  }
}
