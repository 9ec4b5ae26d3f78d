package dev.tokenscope.core.internal;

import io.opentelemetry.sdk.trace.ReadableSpan;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReferenceArray;
import org.jspecify.annotations.Nullable;

/**
 * Which workflow roll-up each span started inside a workflow belongs to, from its start (where the
 * context names the workflow) to its end (where an inference is added to it). Every such span is
 * tracked until it ends, so roll-ups are exact.
 *
 * <p>Most spans are found in a fixed table indexed by the low bits of their span id (random hex),
 * claimed with one compare-and-set and released at end: no hashing of the span object, no entry
 * allocated. A span whose slot is taken by another open span goes to a map instead. This replaced a
 * map for every span, whose put and remove (plus the span's identity hash) were a tenth of what
 * TokenScope added per span on the caller's thread.
 */
final class RollupTracker {

  /** Slots in the table (a power of two): more than the spans a service has open at once. */
  static final int SLOTS = 4096;

  private final AtomicReferenceArray<ReadableSpan> spans = new AtomicReferenceArray<>(SLOTS);
  private final AtomicReferenceArray<WorkflowRollup> rollups = new AtomicReferenceArray<>(SLOTS);
  private final ConcurrentHashMap<ReadableSpan, WorkflowRollup> overflow =
      new ConcurrentHashMap<>();
  private final int overflowLimit;

  /**
   * @param overflowLimit spans tracked in the map at most; beyond it (spans that never end) further
   *     spans are not tracked
   */
  RollupTracker(int overflowLimit) {
    this.overflowLimit = overflowLimit;
  }

  /** Tracks {@code span} until it ends; false when it could not be tracked (too many open). */
  boolean track(ReadableSpan span, WorkflowRollup rollup) {
    int slot = slot(span);
    if (spans.compareAndSet(slot, null, span)) {
      rollups.set(slot, rollup);
      return true;
    }
    if (overflow.size() < overflowLimit) {
      overflow.put(span, rollup);
      return true;
    }
    return false;
  }

  /** The roll-up {@code span} was tracked for, no longer tracked; null when it was not tracked. */
  @Nullable WorkflowRollup untrack(ReadableSpan span) {
    int slot = slot(span);
    if (spans.get(slot) == span) {
      WorkflowRollup rollup = rollups.get(slot);
      rollups.set(slot, null);
      spans.set(slot, null);
      return rollup;
    }
    return overflow.isEmpty() ? null : overflow.remove(span);
  }

  void clear() {
    for (int i = 0; i < SLOTS; i++) {
      rollups.set(i, null);
      spans.set(i, null);
    }
    overflow.clear();
  }

  private static int slot(ReadableSpan span) {
    // A span id is always 16 hex digits (the API replaces an invalid one with zeros).
    String spanId = span.getSpanContext().getSpanId();
    return HexFormat.fromHexDigits(spanId, spanId.length() - 3, spanId.length()) & (SLOTS - 1);
  }
}
