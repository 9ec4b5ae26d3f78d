package dev.tokenscope.core;

import dev.tokenscope.core.internal.EntityFrame;
import dev.tokenscope.core.internal.TokenScopeRuntime;
import dev.tokenscope.core.internal.WorkflowRollup;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A workflow, task, agent or tool: a named unit of work traced as one span ({@code
 * {name}.workflow}, {@code {name}.task}, …, attributes as OpenLLMetry names them) with everything
 * it calls beneath it. Obtain one from {@link TokenScope#workflow}, {@link TokenScope#task}, {@link
 * TokenScope#agent} or {@link TokenScope#tool}; it is an immutable description, reusable and safe
 * to share.
 *
 * <pre>{@code
 * Menu menu = TokenScope.workflow("menu-designer").call(() -> designer.design(brief));
 *
 * TokenScope.task("load-inventory").run(() -> inventory.load());          // checked exceptions pass through
 *
 * CompletableFuture<Trends> trends =
 *     TokenScope.agent("researcher").callAsync(() -> researcher.researchAsync(cuisine));
 *
 * Pairing pairing = TokenScope.task("pair-wine")
 *     .refine(3, attempt -> sommelier.pair(menu, attempt), Pairing::isValid);
 * }</pre>
 *
 * <p>The span is current while the work runs, so LLM calls, nested entities and tasks submitted to
 * {@linkplain TokenScope#propagating(java.util.concurrent.ExecutorService) propagating executors}
 * become its children. Errors are recorded (status ERROR, {@code error.type}, exception event) and
 * rethrown unchanged. When a workflow ends, its span carries the roll-ups of every LLM call under
 * it ({@code tokenscope.rollup.*}), including calls made on other threads.
 */
public final class Entity {

  /** Longest name kept, in characters. */
  public static final int MAX_NAME_LENGTH = 128;

  private static final AttributeKey<String> SPAN_KIND =
      AttributeKey.stringKey(TelemetryContract.TRACELOOP_SPAN_KIND);
  private static final AttributeKey<String> ENTITY_NAME =
      AttributeKey.stringKey(TelemetryContract.TRACELOOP_ENTITY_NAME);
  private static final AttributeKey<String> ENTITY_PATH =
      AttributeKey.stringKey(TelemetryContract.TRACELOOP_ENTITY_PATH);
  private static final AttributeKey<String> WORKFLOW_NAME =
      AttributeKey.stringKey(TelemetryContract.TRACELOOP_WORKFLOW_NAME);
  private static final AttributeKey<String> OPERATION =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_OPERATION_NAME);
  private static final AttributeKey<String> AGENT_NAME =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_AGENT_NAME);
  private static final AttributeKey<String> TOOL_NAME =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_TOOL_NAME);
  private static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey(TelemetryContract.ATTEMPT);

  enum Kind {
    WORKFLOW(TelemetryContract.SPAN_KIND_WORKFLOW, TelemetryContract.WORKFLOW_SPAN_SUFFIX),
    TASK(TelemetryContract.SPAN_KIND_TASK, TelemetryContract.TASK_SPAN_SUFFIX),
    AGENT(TelemetryContract.SPAN_KIND_AGENT, TelemetryContract.AGENT_SPAN_SUFFIX),
    TOOL(TelemetryContract.SPAN_KIND_TOOL, TelemetryContract.TOOL_SPAN_SUFFIX);

    final String spanKind;
    final String suffix;

    Kind(String spanKind, String suffix) {
      this.spanKind = spanKind;
      this.suffix = suffix;
    }
  }

  /** Work that returns a value and may throw {@code E} (checked or not). */
  @FunctionalInterface
  public interface Work<T, E extends Throwable> {
    T call() throws E;
  }

  /** Work that returns nothing and may throw {@code E} (checked or not). */
  @FunctionalInterface
  public interface Action<E extends Throwable> {
    void run() throws E;
  }

  /** One attempt of a retried or refined unit; {@code attempt} starts at 1. */
  @FunctionalInterface
  public interface AttemptWork<T, E extends Throwable> {
    T call(int attempt) throws E;
  }

  private final Kind kind;
  private final String name;
  private final long attempt;
  private final Attributes attributes;

  private Entity(Kind kind, String name, long attempt, Attributes attributes) {
    this.kind = kind;
    this.name = name;
    this.attempt = attempt;
    this.attributes = attributes;
  }

  static Entity of(Kind kind, String name) {
    Objects.requireNonNull(name, "name");
    String trimmed = name.strip();
    if (trimmed.isEmpty()) {
      throw new IllegalArgumentException("an entity name must not be blank");
    }
    if (trimmed.length() > MAX_NAME_LENGTH) {
      trimmed = trimmed.substring(0, MAX_NAME_LENGTH);
    }
    return new Entity(kind, trimmed, 0, Attributes.empty());
  }

  /** The name, as given (trimmed). */
  public String name() {
    return name;
  }

  /**
   * The same entity as attempt number {@code attempt} (1-based) of an application-level retry or
   * refinement: recorded as {@code tokenscope.attempt} on its span and on every span beneath it, so
   * what retries cost can be summed.
   */
  public Entity attempt(int attempt) {
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt numbers start at 1, got " + attempt);
    }
    return new Entity(kind, name, attempt, attributes);
  }

  /** The same entity with one more attribute on its span. */
  public Entity attribute(String key, String value) {
    return with(AttributeKey.stringKey(key), value);
  }

  /** The same entity with one more attribute on its span. */
  public Entity attribute(String key, long value) {
    return with(AttributeKey.longKey(key), value);
  }

  /** The same entity with one more attribute on its span. */
  public Entity attribute(String key, double value) {
    return with(AttributeKey.doubleKey(key), value);
  }

  /** The same entity with one more attribute on its span. */
  public Entity attribute(String key, boolean value) {
    return with(AttributeKey.booleanKey(key), value);
  }

  private <T> Entity with(AttributeKey<T> key, T value) {
    Objects.requireNonNull(value, "value");
    return new Entity(kind, name, attempt, attributes.toBuilder().put(key, value).build());
  }

  /** Runs {@code work} in this entity's span and returns its result; errors are rethrown. */
  public <T, E extends Throwable> T call(Work<T, E> work) throws E {
    Objects.requireNonNull(work, "work");
    EntityScope scope = start();
    try {
      return work.call();
    } catch (Throwable t) {
      scope.recordError(t);
      throw t;
    } finally {
      scope.close();
    }
  }

  /** Runs {@code action} in this entity's span; errors are rethrown. */
  public <E extends Throwable> void run(Action<E> action) throws E {
    Objects.requireNonNull(action, "action");
    call(
        () -> {
          action.run();
          return null;
        });
  }

  /**
   * Starts {@code work} in this entity's span and ends the span when the stage it returns
   * completes. The returned future completes with the same result, after the span has ended (so a
   * workflow's roll-ups are on its span by then). Continuations you attach inside {@code work} run
   * in the span's context only on {@linkplain TokenScope#propagating propagating executors}.
   * Cancelling the returned future does not cancel {@code work}.
   */
  public <T> CompletableFuture<T> callAsync(Supplier<? extends CompletionStage<T>> work) {
    Objects.requireNonNull(work, "work");
    EntityScope scope = start();
    CompletionStage<T> stage;
    try {
      stage = Objects.requireNonNull(work.get(), "work returned a null CompletionStage");
    } catch (Throwable t) {
      scope.recordError(t);
      scope.close();
      return CompletableFuture.failedFuture(t);
    } finally {
      scope.detach();
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    stage.whenComplete(
        (value, error) -> {
          try {
            if (error != null) {
              scope.recordError(error);
            }
            scope.end();
          } finally {
            if (error != null) {
              result.completeExceptionally(error);
            } else {
              result.complete(value);
            }
          }
        });
    return result;
  }

  /**
   * Runs up to {@code maxAttempts} attempts of {@code work}, each in its own span carrying {@code
   * tokenscope.attempt}, until one returns without throwing; rethrows the last failure. There is no
   * delay between attempts: wait inside {@code work} if the provider needs it.
   */
  public <T, E extends Throwable> T retry(int maxAttempts, AttemptWork<T, E> work) throws E {
    requireAttempts(maxAttempts);
    Objects.requireNonNull(work, "work");
    for (int n = 1; ; n++) {
      int current = n;
      try {
        return attempt(current).call(() -> work.call(current));
      } catch (Throwable t) {
        if (n >= maxAttempts || t instanceof Error) {
          throw t;
        }
      }
    }
  }

  /**
   * Runs up to {@code maxAttempts} attempts of {@code work}, each in its own span carrying {@code
   * tokenscope.attempt}, until {@code accept} accepts a result; returns that result, or the last
   * one when none was accepted. Failures are not retried: they are recorded and rethrown.
   */
  public <T, E extends Throwable> T refine(
      int maxAttempts, AttemptWork<T, E> work, Predicate<? super T> accept) throws E {
    requireAttempts(maxAttempts);
    Objects.requireNonNull(work, "work");
    Objects.requireNonNull(accept, "accept");
    T last = null;
    for (int n = 1; n <= maxAttempts; n++) {
      int current = n;
      last = attempt(current).call(() -> work.call(current));
      if (accept.test(last)) {
        return last;
      }
    }
    return last;
  }

  private static void requireAttempts(int maxAttempts) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
  }

  /**
   * Starts this entity's span and makes it current on this thread until the returned scope is
   * closed. Prefer {@link #call} or {@link #run}, which also record errors.
   */
  public EntityScope start() {
    Context parent = Context.current();
    EntityFrame enclosing = EntityFrame.from(parent);
    String path = enclosing == null ? name : enclosing.path() + "." + name;
    String workflowName = enclosing == null ? null : enclosing.workflowName();
    WorkflowRollup rollup = enclosing == null ? null : enclosing.rollup();
    WorkflowRollup ownRollup = null;
    if (kind == Kind.WORKFLOW) {
      ownRollup = new WorkflowRollup(rollup);
      rollup = ownRollup;
      workflowName = name;
    }
    long effectiveAttempt = attempt > 0 ? attempt : enclosing == null ? 0 : enclosing.attempt();

    AttributesBuilder attrs = attributes.toBuilder();
    attrs.put(SPAN_KIND, kind.spanKind).put(ENTITY_NAME, name).put(ENTITY_PATH, path);
    if (workflowName != null) {
      attrs.put(WORKFLOW_NAME, workflowName);
    }
    if (effectiveAttempt > 0) {
      attrs.put(ATTEMPT, effectiveAttempt);
    }
    switch (kind) {
      case WORKFLOW:
        attrs.put(OPERATION, TelemetryContract.OPERATION_INVOKE_WORKFLOW);
        break;
      case AGENT:
        attrs.put(OPERATION, TelemetryContract.OPERATION_INVOKE_AGENT).put(AGENT_NAME, name);
        break;
      case TOOL:
        attrs.put(OPERATION, TelemetryContract.OPERATION_EXECUTE_TOOL).put(TOOL_NAME, name);
        break;
      default:
        break;
    }
    SpanBuilder builder =
        TokenScopeRuntime.active()
            .tracer()
            .spanBuilder(name + kind.suffix)
            .setParent(parent)
            .setSpanKind(SpanKind.INTERNAL)
            .setAllAttributes(attrs.build());
    Span span = builder.startSpan();
    Context context =
        new EntityFrame(workflowName, rollup, path, effectiveAttempt).storeIn(parent.with(span));
    return new EntityScope(span, ownRollup, context.makeCurrent());
  }

  @Override
  public String toString() {
    return "Entity{" + name + kind.suffix + (attempt > 0 ? ", attempt=" + attempt : "") + "}";
  }
}
