package dev.tokenscope.core.internal;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import org.jspecify.annotations.Nullable;

/**
 * What a structure span leaves in the {@link Context} for everything beneath it, on any thread the
 * context reaches: the enclosing workflow's name and roll-up, the entity path, and the attempt
 * number of the innermost retried unit. TokenScope's span processor reads it when any span starts.
 */
public final class EntityFrame {

  private static final ContextKey<EntityFrame> KEY = ContextKey.named("tokenscope-entity");

  private final @Nullable String workflowName;
  private final @Nullable WorkflowRollup rollup;
  private final String path;
  private final long attempt;

  public EntityFrame(
      @Nullable String workflowName, @Nullable WorkflowRollup rollup, String path, long attempt) {
    this.workflowName = workflowName;
    this.rollup = rollup;
    this.path = path;
    this.attempt = attempt;
  }

  public static @Nullable EntityFrame from(Context context) {
    return context.get(KEY);
  }

  public Context storeIn(Context context) {
    return context.with(KEY, this);
  }

  /** Name of the innermost enclosing workflow, or null outside any workflow. */
  public @Nullable String workflowName() {
    return workflowName;
  }

  /** Roll-up of the innermost enclosing workflow, or null outside any workflow. */
  public @Nullable WorkflowRollup rollup() {
    return rollup;
  }

  /** Dot-separated names from the outermost structure span down to this one. */
  public String path() {
    return path;
  }

  /** 1-based attempt number of the innermost retried unit, 0 when there is none. */
  public long attempt() {
    return attempt;
  }
}
