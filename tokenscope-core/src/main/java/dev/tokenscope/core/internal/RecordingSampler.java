package dev.tokenscope.core.internal;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.opentelemetry.sdk.trace.samplers.SamplingDecision;
import io.opentelemetry.sdk.trace.samplers.SamplingResult;
import java.util.List;

/**
 * Wraps the configured sampler so that a span it drops is recorded instead ({@code RECORD_ONLY}):
 * TokenScope's span processor still sees it, so cost and token counters and workflow roll-ups stay
 * exact under any sampling ratio, while the batch processor exports only sampled spans and the
 * not-sampled flag still propagates downstream.
 */
public final class RecordingSampler implements Sampler {

  private final Sampler delegate;

  private RecordingSampler(Sampler delegate) {
    this.delegate = delegate;
  }

  /** {@code delegate}, recording what it drops; wrapping twice is a no-op. */
  public static Sampler wrap(Sampler delegate) {
    if (delegate instanceof RecordingSampler) {
      return delegate;
    }
    return new RecordingSampler(delegate);
  }

  @Override
  public SamplingResult shouldSample(
      Context parentContext,
      String traceId,
      String name,
      SpanKind spanKind,
      Attributes attributes,
      List<LinkData> parentLinks) {
    SamplingResult result =
        delegate.shouldSample(parentContext, traceId, name, spanKind, attributes, parentLinks);
    if (result.getDecision() != SamplingDecision.DROP) {
      return result;
    }
    if (result.getAttributes().isEmpty() && isPlainDrop(result)) {
      return SamplingResult.recordOnly();
    }
    return new RecordOnly(result);
  }

  private static boolean isPlainDrop(SamplingResult result) {
    return result == SamplingResult.drop();
  }

  @Override
  public String getDescription() {
    return "TokenScopeRecording{" + delegate.getDescription() + "}";
  }

  @Override
  public CompletableResultCode shutdown() {
    return delegate.shutdown();
  }

  @Override
  public String toString() {
    return getDescription();
  }

  /** A drop decision turned into record-only, keeping the delegate's attributes and trace state. */
  private static final class RecordOnly implements SamplingResult {
    private final SamplingResult dropped;

    RecordOnly(SamplingResult dropped) {
      this.dropped = dropped;
    }

    @Override
    public SamplingDecision getDecision() {
      return SamplingDecision.RECORD_ONLY;
    }

    @Override
    public Attributes getAttributes() {
      return dropped.getAttributes();
    }

    @Override
    public TraceState getUpdatedTraceState(TraceState parentTraceState) {
      return dropped.getUpdatedTraceState(parentTraceState);
    }
  }
}
