package dev.tokenscope.core.internal;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import org.jspecify.annotations.Nullable;

/**
 * The association properties in scope, as the span attributes they become ({@code
 * traceloop.association.properties.<key>}, ids already hashed). Stamped on every span that starts
 * in the scope by TokenScope's span processor.
 */
public final class AssociationFrame {

  private static final ContextKey<AssociationFrame> KEY =
      ContextKey.named("tokenscope-association-properties");

  private final Attributes attributes;

  public AssociationFrame(Attributes attributes) {
    this.attributes = attributes;
  }

  public static @Nullable AssociationFrame from(Context context) {
    return context.get(KEY);
  }

  public Context storeIn(Context context) {
    return context.with(KEY, this);
  }

  public Attributes attributes() {
    return attributes;
  }
}
