package dev.tokenscope.openai.internal;

import dev.tokenscope.core.internal.DecoratedTracerProvider;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.util.function.UnaryOperator;

/**
 * The {@link OpenTelemetry} handed to OpenTelemetry's OpenAI instrumentation: the application's,
 * with two differences, both through public API only.
 *
 * <ul>
 *   <li>Spans start as {@code CLIENT}. Version 2.31.1 builds its chat instrumenter without a span
 *       kind extractor, so chat spans are {@code INTERNAL} while the GenAI conventions (and its own
 *       embeddings spans) say {@code CLIENT}; fixed upstream by open-telemetry/
 *       opentelemetry-java-instrumentation#19858, after which this changes nothing.
 *   <li>No log events: with message content off they carry only roles and indexes, and with it on
 *       they would carry prompts past TokenScope's content policy, which applies to spans.
 *       TokenScope records content on the span instead, as the contract says.
 * </ul>
 */
final class ClientKindOpenTelemetry implements OpenTelemetry {

  private final OpenTelemetry delegate;
  private final TracerProvider tracerProvider;

  ClientKindOpenTelemetry(OpenTelemetry delegate) {
    this.delegate = delegate;
    this.tracerProvider =
        new DecoratedTracerProvider(
            delegate.getTracerProvider(), SpanKind.CLIENT, UnaryOperator.identity());
  }

  @Override
  public TracerProvider getTracerProvider() {
    return tracerProvider;
  }

  @Override
  public MeterProvider getMeterProvider() {
    return delegate.getMeterProvider();
  }

  @Override
  public LoggerProvider getLogsBridge() {
    return LoggerProvider.noop();
  }

  @Override
  public ContextPropagators getPropagators() {
    return delegate.getPropagators();
  }
}
