package dev.tokenscope.core.internal;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts sampled spans as they end, so the exporter can tell how many never reached it (dropped by
 * a full export queue, or ended during shutdown) without looking inside the SDK's batch processor.
 */
public final class DeliveryStats {

  private final LongAdder endedSampled = new LongAdder();

  void ended() {
    endedSampled.increment();
  }

  /** Sampled spans ended so far. */
  public long endedSampled() {
    return endedSampled.sum();
  }
}
