package dev.tokenscope.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenscope.console.Otlp;
import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingCatalog;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * In memory (no journal) a batch is acknowledged only once committed, and batches already waiting
 * when the writer gets to them share one commit instead of one commit each.
 */
class InMemoryGroupCommitTest {

  private static final int BATCHES = 4;
  private static final int SPANS_PER_BATCH = 50;

  private final SpanMapper mapper = new SpanMapper(Pricing.of(PricingCatalog.builtin()));

  @Test
  void waitingBatchesShareOneCommitAndAreAcknowledgedOnlyOnceCommitted() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    AtomicBoolean first = new AtomicBoolean(true);
    try (ConsoleDatabase db = ConsoleDatabase.open(null, "256MB", 1);
        IngestPipeline pipeline =
            inMemory(
                db,
                (kind, payload, spans, points) -> {
                  // The first batch's rows wait until every batch is queued behind it.
                  if (first.getAndSet(false)) {
                    await(gate);
                  }
                  spans.addAll(mapper.map(ExportTraceServiceRequest.parseFrom(payload)).rows());
                },
                100_000)) {
      List<CompletableFuture<Long>> writtenWhenAcknowledged = new ArrayList<>();
      for (int b = 0; b < BATCHES; b++) {
        CompletableFuture<Void> done =
            pipeline.submitPayload(
                SPANS_PER_BATCH, OtlpHandler.JOURNAL_TRACES, batch(b).toByteArray());
        assertThat(done).isNotNull();
        writtenWhenAcknowledged.add(done.thenApply(ignored -> pipeline.spansWritten()));
      }
      gate.countDown();
      for (CompletableFuture<Long> written : writtenWhenAcknowledged) {
        // Counted only after the commit: every batch was in the one transaction.
        assertThat(written.get(20, TimeUnit.SECONDS)).isEqualTo(BATCHES * SPANS_PER_BATCH);
      }
      assertThat(spanCount(db)).isEqualTo(BATCHES * SPANS_PER_BATCH);
    }
  }

  /** A pipeline without a journal (acknowledged on commit), one builder thread. */
  static IngestPipeline inMemory(
      ConsoleDatabase db, IngestPipeline.JournalDecoder decoder, int capacityItems) {
    return new IngestPipeline(
        db,
        null,
        decoder,
        1,
        capacityItems,
        Clock.systemUTC(),
        Duration.ofDays(36500),
        Long.MAX_VALUE,
        Duration.ofHours(1));
  }

  /** Waits (up to 10 s) for a test's gate to open. */
  static void await(CountDownLatch gate) {
    try {
      gate.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static ExportTraceServiceRequest batch(int batch) {
    List<Span> spans = new ArrayList<>();
    long start = System.currentTimeMillis() - 60_000;
    for (int i = 0; i < SPANS_PER_BATCH; i++) {
      spans.add(
          Otlp.span("g" + batch + "-" + i, "s" + batch + "-" + i, null, "chat gpt-4o", start + i, 5)
              .addAttributes(Otlp.str("gen_ai.operation.name", "chat"))
              .addAttributes(Otlp.str("gen_ai.provider.name", "openai"))
              .addAttributes(Otlp.str("gen_ai.request.model", "gpt-4o"))
              .build());
    }
    return Otlp.request("group", spans);
  }

  private static long spanCount(ConsoleDatabase db) throws Exception {
    return db.read(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("SELECT count(*) FROM spans")) {
            r.next();
            return r.getLong(1);
          }
        });
  }
}
