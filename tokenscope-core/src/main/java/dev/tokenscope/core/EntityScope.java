package dev.tokenscope.core;

import dev.tokenscope.core.internal.WorkflowRollup;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * A started workflow, task, agent or tool span that is current on this thread until {@link
 * #close()}. For code that can't be a lambda; close it on the thread that started it.
 *
 * <pre>{@code
 * try (EntityScope scope = TokenScope.task("parse-menu").start()) {
 *   try {
 *     return parser.parse(text);
 *   } catch (ParseException e) {
 *     scope.recordError(e);
 *     throw e;
 *   }
 * }
 * }</pre>
 */
public final class EntityScope implements AutoCloseable {

  private static final AttributeKey<String> ERROR_TYPE =
      AttributeKey.stringKey(TelemetryContract.ERROR_TYPE);
  private static final AttributeKey<Double> ROLLUP_COST =
      AttributeKey.doubleKey(TelemetryContract.ROLLUP_COST_USD);
  private static final AttributeKey<Long> ROLLUP_INPUT =
      AttributeKey.longKey(TelemetryContract.ROLLUP_INPUT_TOKENS);
  private static final AttributeKey<Long> ROLLUP_OUTPUT =
      AttributeKey.longKey(TelemetryContract.ROLLUP_OUTPUT_TOKENS);
  private static final AttributeKey<Long> ROLLUP_CALLS =
      AttributeKey.longKey(TelemetryContract.ROLLUP_LLM_CALLS);
  private static final AttributeKey<Long> ROLLUP_UNPRICED =
      AttributeKey.longKey(TelemetryContract.ROLLUP_UNPRICED_CALLS);

  private final Span span;
  private final @Nullable WorkflowRollup ownRollup;
  private @Nullable Scope scope;
  private final AtomicBoolean ended = new AtomicBoolean();

  EntityScope(Span span, @Nullable WorkflowRollup ownRollup, Scope scope) {
    this.span = span;
    this.ownRollup = ownRollup;
    this.scope = scope;
  }

  /** The span, to add attributes or events of your own. */
  public Span span() {
    return span;
  }

  /**
   * The totals so far of the LLM calls under this workflow (final once the work under it has
   * finished), or null when this scope is not a workflow's.
   */
  public @Nullable RollupTotals rollup() {
    if (ownRollup == null) {
      return null;
    }
    return ownRollup.totals();
  }

  /**
   * Marks the span as failed: status ERROR, {@code error.type} (the exception's class) and an
   * exception event. {@link CompletionException} and {@link ExecutionException} are unwrapped.
   */
  public void recordError(Throwable error) {
    Throwable cause = unwrap(error);
    span.setStatus(StatusCode.ERROR);
    span.setAttribute(ERROR_TYPE, cause.getClass().getName());
    span.recordException(cause);
  }

  /** Ends the span (with roll-ups on a workflow) and restores the previous context. Idempotent. */
  @Override
  public void close() {
    detach();
    end();
  }

  /** Restores the context that was current before {@code start()}; the span stays open. */
  void detach() {
    Scope current = scope;
    scope = null;
    if (current != null) {
      current.close();
    }
  }

  /** Ends the span, from any thread. */
  void end() {
    if (!ended.compareAndSet(false, true)) {
      return;
    }
    if (ownRollup != null) {
      RollupTotals totals = ownRollup.totals();
      span.setAttribute(ROLLUP_COST, totals.costUsd());
      span.setAttribute(ROLLUP_INPUT, totals.inputTokens());
      span.setAttribute(ROLLUP_OUTPUT, totals.outputTokens());
      span.setAttribute(ROLLUP_CALLS, totals.llmCalls());
      span.setAttribute(ROLLUP_UNPRICED, totals.unpricedCalls());
    }
    span.end();
  }

  static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
