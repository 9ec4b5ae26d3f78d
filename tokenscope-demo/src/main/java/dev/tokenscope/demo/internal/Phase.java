package dev.tokenscope.demo.internal;

import dev.tokenscope.core.Entity;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import org.jspecify.annotations.Nullable;

/**
 * One phase of a menu design whose courses go through it at their own pace: a single workflow span
 * under the design, started when the phase's first piece of work starts and ended when its last
 * piece has ended. Every piece runs in the phase's context, so its spans are children of the phase
 * span whichever thread runs it, and the phase's roll-up covers exactly its pieces. Phases of one
 * design may overlap in time (course 2 is paired with a wine while course 3 is still being
 * revised); within a course the pieces still follow one another.
 *
 * <p>The number of pieces is fixed up front. A piece that will never run (its course failed in an
 * earlier phase) is {@linkplain #skip skipped}, so the span still ends with the last piece that did
 * run; a phase none of whose pieces ran has no span. A failed piece marks the span as failed.
 */
final class Phase {

  private final Entity entity;
  private final Context parent;
  private final AtomicInteger remaining;
  private final AtomicReference<@Nullable Throwable> firstFailure = new AtomicReference<>();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private @Nullable Context context; // guarded by this; null until the first piece starts

  /**
   * @param entity the phase's workflow entity
   * @param parent the context the phase span is a child of (the design's workflow)
   * @param pieces how many pieces of work the phase will run or skip
   */
  Phase(Entity entity, Context parent, int pieces) {
    if (pieces < 0) {
      throw new IllegalArgumentException("pieces must not be negative, got " + pieces);
    }
    this.entity = entity;
    this.parent = parent;
    this.remaining = new AtomicInteger(pieces);
    if (pieces == 0) {
      finished.complete(null);
    }
  }

  /** Runs {@code piece} on {@code executor} in this phase. */
  <T> CompletableFuture<T> submit(Executor executor, Callable<T> piece) {
    CompletableFuture<T> result = new CompletableFuture<>();
    execute(executor, piece, result);
    return result;
  }

  /**
   * Runs {@code piece} on {@code executor} in this phase once {@code first} and {@code second} have
   * completed, with their results. When either failed, the piece is skipped and the returned future
   * fails the same way.
   */
  <A, B, T> CompletableFuture<T> submitAfter(
      Executor executor,
      CompletableFuture<A> first,
      CompletableFuture<B> second,
      BiFunction<? super A, ? super B, ? extends T> piece) {
    CompletableFuture<T> result = new CompletableFuture<>();
    CompletableFuture.allOf(first, second)
        .whenComplete(
            (ignored, failure) -> {
              if (failure != null) {
                skip(1);
                result.completeExceptionally(unwrap(failure));
              } else {
                // Always a fresh task: this callback may run on the thread that registered it.
                execute(executor, () -> piece.apply(first.join(), second.join()), result);
              }
            });
    return result;
  }

  /** Counts {@code pieces} that will not run as done. */
  void skip(int pieces) {
    if (pieces > 0) {
      done(pieces);
    }
  }

  /** Completes when every piece has run or been skipped (and the span, if any, has ended). */
  CompletableFuture<Void> finished() {
    return finished;
  }

  private <T> void execute(Executor executor, Callable<T> piece, CompletableFuture<T> result) {
    try {
      executor.execute(
          () -> {
            try {
              result.complete(run(piece));
            } catch (Throwable t) {
              result.completeExceptionally(t);
            }
          });
    } catch (RejectedExecutionException e) {
      skip(1);
      result.completeExceptionally(e);
    }
  }

  private <T> T run(Callable<T> piece) throws Exception {
    try (Scope ignored = context().makeCurrent()) {
      return piece.call();
    } catch (Throwable t) {
      firstFailure.compareAndSet(null, t);
      throw t;
    } finally {
      done(1);
    }
  }

  /** The phase's context; starts its span on first use. */
  private synchronized Context context() {
    if (context == null) {
      try (Scope ignored = parent.makeCurrent()) {
        // The span ends when the last piece is done; the supplier runs with it current.
        entity.callAsync(
            () -> {
              context = Context.current();
              return finished;
            });
      }
    }
    return context;
  }

  private void done(int pieces) {
    int left = remaining.addAndGet(-pieces);
    if (left == 0) {
      Throwable failure = firstFailure.get();
      if (failure == null) {
        finished.complete(null);
      } else {
        finished.completeExceptionally(failure);
      }
    } else if (left < 0) {
      throw new IllegalStateException(
          "more pieces done than the phase was given (" + -left + " over)");
    }
  }

  private static Throwable unwrap(Throwable failure) {
    return failure instanceof CompletionException && failure.getCause() != null
        ? failure.getCause()
        : failure;
  }
}
