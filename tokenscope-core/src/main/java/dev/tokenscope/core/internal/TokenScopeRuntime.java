package dev.tokenscope.core.internal;

import dev.tokenscope.core.ContentPolicy;
import dev.tokenscope.pricing.Pricing;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.TracerProvider;
import org.jspecify.annotations.Nullable;

/**
 * What the static parts of the API (structure spans, association properties, {@code
 * InferenceSpans}) use: the tracer, the id hasher, the pricing and the content policy of the
 * TokenScope installed last. Before any is installed, spans go to {@link GlobalOpenTelemetry} and
 * nothing is priced.
 */
public final class TokenScopeRuntime {

  public static final String INSTRUMENTATION_NAME = "dev.tokenscope.core";

  private static final TokenScopeRuntime DEFAULT =
      new TokenScopeRuntime(null, IdHasher.withRandomKey(), null, ContentPolicy.disabled());

  private static volatile TokenScopeRuntime active = DEFAULT;

  private final @Nullable TracerProvider tracerProvider;
  private final @Nullable Tracer tracer;
  private final IdHasher hasher;
  private final @Nullable Pricing pricing;
  private final ContentPolicy contentPolicy;

  public TokenScopeRuntime(
      @Nullable TracerProvider tracerProvider,
      IdHasher hasher,
      @Nullable Pricing pricing,
      ContentPolicy contentPolicy) {
    this.tracerProvider = tracerProvider;
    this.tracer = tracerProvider == null ? null : tracerProvider.get(INSTRUMENTATION_NAME);
    this.hasher = hasher;
    this.pricing = pricing;
    this.contentPolicy = contentPolicy;
  }

  public static TokenScopeRuntime active() {
    return active;
  }

  public static void activate(TokenScopeRuntime runtime) {
    active = runtime;
  }

  /** Goes back to the default runtime if {@code runtime} is still the active one. */
  public static void deactivate(TokenScopeRuntime runtime) {
    if (active == runtime) {
      active = DEFAULT;
    }
  }

  /** The tracer for structure spans: TokenScope's own SDK, else the global one. */
  public Tracer tracer() {
    if (tracer != null) {
      return tracer;
    }
    return GlobalOpenTelemetry.getOrNoop().getTracer(INSTRUMENTATION_NAME);
  }

  public @Nullable TracerProvider tracerProvider() {
    return tracerProvider;
  }

  public IdHasher hasher() {
    return hasher;
  }

  public @Nullable Pricing pricing() {
    return pricing;
  }

  public ContentPolicy contentPolicy() {
    return contentPolicy;
  }
}
