package dev.tokenscope.console.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The HTTP layer asks {@link IngestPipeline#saturated} before decoding a request: true (and counted
 * as refused) once less than 1/32 of the queue is free, false again once the writer drained it.
 */
class QueueSaturationTest {

  @Test
  void saturatedOnceLessThanAThirtySecondOfTheQueueIsFree() throws Exception {
    CountDownLatch gate = new CountDownLatch(1);
    try (ConsoleDatabase db = ConsoleDatabase.open(null, "256MB", 1);
        IngestPipeline pipeline =
            InMemoryGroupCommitTest.inMemory(
                db,
                // Nothing is built (so nothing leaves the queue) until the gate opens.
                (kind, payload, spans, points) -> InMemoryGroupCommitTest.await(gate),
                320)) {
      assertThat(pipeline.saturated()).isFalse();
      CompletableFuture<Void> first = pipeline.submitPayload(300, (byte) 0, new byte[0]);
      assertThat(pipeline.saturated()).isFalse(); // 20 of 320 free, the threshold is 10
      CompletableFuture<Void> second = pipeline.submitPayload(11, (byte) 0, new byte[0]);
      assertThat(pipeline.saturated()).isTrue(); // 9 free
      assertThat(pipeline.refusedRequests()).isEqualTo(1);
      gate.countDown();
      first.get(10, TimeUnit.SECONDS);
      second.get(10, TimeUnit.SECONDS);
      assertThat(pipeline.saturated()).isFalse();
      assertThat(pipeline.queuedItems()).isZero();
    }
  }
}
