package dev.tokenscope.core.internal;

import dev.tokenscope.pricing.Cost;
import io.opentelemetry.api.trace.SpanContext;
import java.util.HexFormat;
import org.jspecify.annotations.Nullable;

/**
 * Hands the cost the span processor computed for a span it priced (one TokenScope does not own)
 * over to the exporter wrapper, so the span is priced once: the processor needs the cost on the
 * caller's thread for the metrics and the roll-up, the exporter needs it on the export thread for
 * the {@code gen_ai.cost.*} attributes.
 *
 * <p>A fixed-size, direct-mapped table indexed by the low bits of the span id (random hex): a new
 * entry overwrites whatever was in its slot, so memory is bounded whatever happens to the spans
 * (dropped by a full queue, never exported, exported by several exporters). A lookup that finds
 * another span's entry, or none, returns null and the exporter prices the span itself — the same
 * result, computed twice. No locks: the batch processor's queue orders the processor's write before
 * the exporter's read, and an entry is immutable.
 */
public final class CostHandoff {

  private final Entry[] slots;
  private final int mask;

  /**
   * @param inFlight how many ended spans can wait for export at once (queue plus one batch); the
   *     table is at least twice that, so collisions are rare
   */
  public CostHandoff(long inFlight) {
    int size = Integer.highestOneBit((int) Math.min(1 << 16, Math.max(512, inFlight * 2)) - 1) << 1;
    slots = new Entry[size];
    mask = size - 1;
  }

  /** Slots in the table. */
  int capacity() {
    return slots.length;
  }

  /** Remembers the cost of a sampled span that has just ended. */
  public void put(SpanContext context, Cost cost) {
    slots[index(context.getSpanId())] = new Entry(context, cost);
  }

  /** The cost the processor computed for this span, or null when it is not (or no longer) here. */
  public @Nullable Cost get(SpanContext context) {
    Entry entry = slots[index(context.getSpanId())];
    if (entry == null) {
      return null;
    }
    // The span data carries the live span's own SpanContext instance; equals covers a copy.
    if (entry.context == context || entry.context.equals(context)) {
      return entry.cost;
    }
    return null;
  }

  private int index(String spanId) {
    // A span id is always 16 hex digits (the API replaces an invalid one with zeros).
    return HexFormat.fromHexDigits(spanId, spanId.length() - 5, spanId.length()) & mask;
  }

  private record Entry(SpanContext context, Cost cost) {}
}
