package dev.tokenscope.openai.internal;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.logs.LoggerProvider;
import io.opentelemetry.api.metrics.MeterProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import java.util.concurrent.TimeUnit;

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
    this.tracerProvider = new ClientKindTracerProvider(delegate.getTracerProvider());
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

  private static final class ClientKindTracerProvider implements TracerProvider {
    private final TracerProvider delegate;

    ClientKindTracerProvider(TracerProvider delegate) {
      this.delegate = delegate;
    }

    @Override
    public Tracer get(String instrumentationScopeName) {
      return new ClientKindTracer(delegate.get(instrumentationScopeName));
    }

    @Override
    public Tracer get(String instrumentationScopeName, String instrumentationScopeVersion) {
      return new ClientKindTracer(
          delegate.get(instrumentationScopeName, instrumentationScopeVersion));
    }

    @Override
    public TracerBuilder tracerBuilder(String instrumentationScopeName) {
      TracerBuilder builder = delegate.tracerBuilder(instrumentationScopeName);
      return new TracerBuilder() {
        @Override
        public TracerBuilder setSchemaUrl(String schemaUrl) {
          builder.setSchemaUrl(schemaUrl);
          return this;
        }

        @Override
        public TracerBuilder setInstrumentationVersion(String instrumentationScopeVersion) {
          builder.setInstrumentationVersion(instrumentationScopeVersion);
          return this;
        }

        @Override
        public Tracer build() {
          return new ClientKindTracer(builder.build());
        }
      };
    }
  }

  private static final class ClientKindTracer implements Tracer {
    private final Tracer delegate;

    ClientKindTracer(Tracer delegate) {
      this.delegate = delegate;
    }

    @Override
    public SpanBuilder spanBuilder(String spanName) {
      return new ClientKindSpanBuilder(delegate.spanBuilder(spanName).setSpanKind(SpanKind.CLIENT));
    }

    @Override
    public boolean isEnabled() {
      return delegate.isEnabled();
    }
  }

  private static final class ClientKindSpanBuilder implements SpanBuilder {
    private final SpanBuilder delegate;

    ClientKindSpanBuilder(SpanBuilder delegate) {
      this.delegate = delegate;
    }

    @Override
    public SpanBuilder setSpanKind(SpanKind spanKind) {
      return this;
    }

    @Override
    public SpanBuilder setParent(Context context) {
      delegate.setParent(context);
      return this;
    }

    @Override
    public SpanBuilder setNoParent() {
      delegate.setNoParent();
      return this;
    }

    @Override
    public SpanBuilder addLink(SpanContext spanContext) {
      delegate.addLink(spanContext);
      return this;
    }

    @Override
    public SpanBuilder addLink(
        SpanContext spanContext, io.opentelemetry.api.common.Attributes attributes) {
      delegate.addLink(spanContext, attributes);
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, String value) {
      delegate.setAttribute(key, value);
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, long value) {
      delegate.setAttribute(key, value);
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, double value) {
      delegate.setAttribute(key, value);
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, boolean value) {
      delegate.setAttribute(key, value);
      return this;
    }

    @Override
    public <T> SpanBuilder setAttribute(AttributeKey<T> key, T value) {
      delegate.setAttribute(key, value);
      return this;
    }

    @Override
    public SpanBuilder setAllAttributes(io.opentelemetry.api.common.Attributes attributes) {
      delegate.setAllAttributes(attributes);
      return this;
    }

    @Override
    public SpanBuilder setStartTimestamp(long startTimestamp, TimeUnit unit) {
      delegate.setStartTimestamp(startTimestamp, unit);
      return this;
    }

    @Override
    public Span startSpan() {
      return delegate.startSpan();
    }
  }
}
