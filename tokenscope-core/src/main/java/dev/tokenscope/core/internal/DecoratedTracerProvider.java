package dev.tokenscope.core.internal;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerBuilder;
import io.opentelemetry.api.trace.TracerProvider;
import io.opentelemetry.context.Context;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;

/**
 * A tracer provider for the integrations to hand an SDK's built-in tracing or a library
 * instrumentation, when what it creates needs adjusting: every span it starts gets {@code kind}
 * (when not null, whatever kind the instrumentation asks for), and {@code onStart} may decorate
 * each span it returns. Public API only; spans keep their own context and identity.
 *
 * <p>Tracers asked for by name (and version) are built once: the Anthropic SDK asks for its tracer
 * on every call.
 */
public final class DecoratedTracerProvider implements TracerProvider {

  private final TracerProvider delegate;
  private final @Nullable SpanKind kind;
  private final UnaryOperator<Span> onStart;
  private final ConcurrentHashMap<String, Tracer> tracers = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Tracer>> versionedTracers =
      new ConcurrentHashMap<>();

  public DecoratedTracerProvider(
      TracerProvider delegate, @Nullable SpanKind kind, UnaryOperator<Span> onStart) {
    this.delegate = delegate;
    this.kind = kind;
    this.onStart = onStart;
  }

  @Override
  public Tracer get(String instrumentationScopeName) {
    Tracer tracer = tracers.get(instrumentationScopeName);
    if (tracer == null) {
      tracer = new DecoratedTracer(delegate.get(instrumentationScopeName));
      tracers.putIfAbsent(instrumentationScopeName, tracer);
    }
    return tracer;
  }

  @Override
  public Tracer get(String instrumentationScopeName, String instrumentationScopeVersion) {
    ConcurrentHashMap<String, Tracer> versions =
        versionedTracers.computeIfAbsent(
            instrumentationScopeName, name -> new ConcurrentHashMap<>());
    Tracer tracer = versions.get(instrumentationScopeVersion);
    if (tracer == null) {
      tracer =
          new DecoratedTracer(delegate.get(instrumentationScopeName, instrumentationScopeVersion));
      versions.putIfAbsent(instrumentationScopeVersion, tracer);
    }
    return tracer;
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
        return new DecoratedTracer(builder.build());
      }
    };
  }

  @Override
  public String toString() {
    return "DecoratedTracerProvider{" + delegate + "}";
  }

  private final class DecoratedTracer implements Tracer {
    private final Tracer tracer;

    DecoratedTracer(Tracer tracer) {
      this.tracer = tracer;
    }

    @Override
    public SpanBuilder spanBuilder(String spanName) {
      SpanBuilder builder = tracer.spanBuilder(spanName);
      if (kind != null) {
        builder.setSpanKind(kind);
      }
      return new DecoratedSpanBuilder(builder);
    }

    @Override
    public boolean isEnabled() {
      return tracer.isEnabled();
    }
  }

  private final class DecoratedSpanBuilder implements SpanBuilder {
    private final SpanBuilder builder;

    DecoratedSpanBuilder(SpanBuilder builder) {
      this.builder = builder;
    }

    @Override
    public SpanBuilder setSpanKind(SpanKind spanKind) {
      if (kind == null) {
        builder.setSpanKind(spanKind);
      }
      return this;
    }

    @Override
    public SpanBuilder setParent(Context context) {
      builder.setParent(context);
      return this;
    }

    @Override
    public SpanBuilder setNoParent() {
      builder.setNoParent();
      return this;
    }

    @Override
    public SpanBuilder addLink(SpanContext spanContext) {
      builder.addLink(spanContext);
      return this;
    }

    @Override
    public SpanBuilder addLink(SpanContext spanContext, Attributes attributes) {
      builder.addLink(spanContext, attributes);
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, String value) {
      builder.setAttribute(key, value);
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, long value) {
      builder.setAttribute(key, value);
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, double value) {
      builder.setAttribute(key, value);
      return this;
    }

    @Override
    public SpanBuilder setAttribute(String key, boolean value) {
      builder.setAttribute(key, value);
      return this;
    }

    @Override
    public <T> SpanBuilder setAttribute(AttributeKey<T> key, T value) {
      builder.setAttribute(key, value);
      return this;
    }

    @Override
    public SpanBuilder setAllAttributes(Attributes attributes) {
      builder.setAllAttributes(attributes);
      return this;
    }

    @Override
    public SpanBuilder setStartTimestamp(long startTimestamp, TimeUnit unit) {
      builder.setStartTimestamp(startTimestamp, unit);
      return this;
    }

    @Override
    public Span startSpan() {
      return onStart.apply(builder.startSpan());
    }
  }
}
