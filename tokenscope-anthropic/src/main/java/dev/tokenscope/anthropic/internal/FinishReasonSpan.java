package dev.tokenscope.anthropic.internal;

import dev.tokenscope.core.TelemetryContract;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One of the Anthropic SDK's spans, which records why the model stopped as {@code
 * anthropic.message.stop_reason} only: this also sets it as the contract's {@code
 * gen_ai.response.finish_reasons}, as the SDK sets it. Everything else goes to the SDK's span
 * unchanged.
 */
public final class FinishReasonSpan implements Span {

  /** The SDK's attribute (anthropic-java 3.14.0). */
  static final String STOP_REASON = "anthropic.message.stop_reason";

  private static final AttributeKey<String> STOP_REASON_KEY = AttributeKey.stringKey(STOP_REASON);
  private static final AttributeKey<List<String>> FINISH_REASONS =
      AttributeKey.stringArrayKey(TelemetryContract.GEN_AI_RESPONSE_FINISH_REASONS);

  private final Span delegate;

  public FinishReasonSpan(Span delegate) {
    this.delegate = delegate;
  }

  @Override
  public <T> Span setAttribute(AttributeKey<T> key, T value) {
    delegate.setAttribute(key, value);
    if (value instanceof String reason && key.getKey().equals(STOP_REASON)) {
      delegate.setAttribute(FINISH_REASONS, List.of(reason));
    }
    return this;
  }

  @Override
  public Span setAllAttributes(Attributes attributes) {
    delegate.setAllAttributes(attributes);
    String reason = attributes.get(STOP_REASON_KEY);
    if (reason != null) {
      delegate.setAttribute(FINISH_REASONS, List.of(reason));
    }
    return this;
  }

  @Override
  public Span addEvent(String name, Attributes attributes) {
    delegate.addEvent(name, attributes);
    return this;
  }

  @Override
  public Span addEvent(String name, Attributes attributes, long timestamp, TimeUnit unit) {
    delegate.addEvent(name, attributes, timestamp, unit);
    return this;
  }

  @Override
  public Span setStatus(StatusCode statusCode, String description) {
    delegate.setStatus(statusCode, description);
    return this;
  }

  @Override
  public Span recordException(Throwable exception, Attributes additionalAttributes) {
    delegate.recordException(exception, additionalAttributes);
    return this;
  }

  @Override
  public Span addLink(SpanContext spanContext, Attributes attributes) {
    delegate.addLink(spanContext, attributes);
    return this;
  }

  @Override
  public Span updateName(String name) {
    delegate.updateName(name);
    return this;
  }

  @Override
  public void end() {
    delegate.end();
  }

  @Override
  public void end(long timestamp, TimeUnit unit) {
    delegate.end(timestamp, unit);
  }

  @Override
  public SpanContext getSpanContext() {
    return delegate.getSpanContext();
  }

  @Override
  public boolean isRecording() {
    return delegate.isRecording();
  }

  @Override
  public String toString() {
    return delegate.toString();
  }
}
