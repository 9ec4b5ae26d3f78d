package dev.tokenscope.core.internal;

import dev.tokenscope.core.InferenceAttributes;
import dev.tokenscope.pricing.Cost;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.trace.ReadableSpan;
import org.jspecify.annotations.Nullable;

/**
 * Hands what {@code InferenceSpans.enrich} worked out for a span (its inference and cost) to the
 * span processor, which would otherwise read the same attributes again when the span ends a moment
 * later. Integrations enrich a span right before ending it, on the same thread, and the SDK calls
 * the processor's {@code onEnd} inside {@code end()} on that thread: one slot per thread is enough.
 * A span ended elsewhere, or after another span was enriched on the thread, finds no slot and is
 * read as usual.
 */
public final class OwnSpanHandoff {

  private static final ThreadLocal<OwnSpanHandoff> SLOT =
      ThreadLocal.withInitial(OwnSpanHandoff::new);

  private @Nullable Span span;
  private @Nullable InferenceAttributes inference;
  private @Nullable Cost cost;

  private OwnSpanHandoff() {}

  /** Remembers what {@code enrich} computed for {@code span}, replacing the thread's last one. */
  public static void enriched(Span span, InferenceAttributes inference, Cost cost) {
    OwnSpanHandoff slot = SLOT.get();
    slot.span = span;
    slot.inference = inference;
    slot.cost = cost;
  }

  /**
   * The slot holding what was computed for {@code span} on this thread, or null; the caller reads
   * {@link #inference()} and {@link #cost()} and then {@link #clear()}s it. A slot left behind by a
   * span that ended elsewhere is cleared, so it keeps no ended span alive.
   */
  static @Nullable OwnSpanHandoff take(ReadableSpan span) {
    OwnSpanHandoff slot = SLOT.get();
    Span held = slot.span;
    if (held == null) {
      return null;
    }
    if (held == span) {
      return slot;
    }
    if (held instanceof ReadableSpan && ((ReadableSpan) held).hasEnded()) {
      slot.clear();
    }
    return null;
  }

  InferenceAttributes inference() {
    return java.util.Objects.requireNonNull(inference);
  }

  Cost cost() {
    return java.util.Objects.requireNonNull(cost);
  }

  void clear() {
    span = null;
    inference = null;
    cost = null;
  }
}
