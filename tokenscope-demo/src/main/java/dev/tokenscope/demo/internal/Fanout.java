package dev.tokenscope.demo.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Runs one request's independent pieces of work concurrently on a shared executor, at most {@code
 * limit} at a time for this request. The executor propagates the OpenTelemetry context, so each
 * piece's spans are children of the span current at {@link #submit}. {@link #joinAll} waits for
 * every piece before it reports the first failure, so no span outlives its workflow.
 */
final class Fanout {

  private final Executor executor;
  private final Semaphore permits;

  Fanout(Executor executor, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    this.executor = executor;
    this.permits = new Semaphore(limit);
  }

  /** Starts {@code work} as soon as a permit is free (waiting on this thread until then). */
  <T> CompletableFuture<T> submit(Callable<T> work) {
    return begin(
        () -> {
          CompletableFuture<T> result = new CompletableFuture<>();
          executor.execute(
              () -> {
                try {
                  result.complete(work.call());
                } catch (Throwable t) {
                  result.completeExceptionally(t);
                }
              });
          return result;
        },
        () -> {});
  }

  /**
   * Starts asynchronous {@code work} as soon as a permit is free (waiting on this thread until
   * then) and holds the permit until the future it returns completes. When the wait is interrupted
   * or {@code work} throws, {@code notStarted} runs and the returned future fails.
   */
  <T> CompletableFuture<T> begin(Supplier<CompletableFuture<T>> work, Runnable notStarted) {
    try {
      permits.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      notStarted.run();
      return CompletableFuture.failedFuture(e);
    }
    CompletableFuture<T> started;
    try {
      started = work.get();
    } catch (RuntimeException e) {
      permits.release();
      notStarted.run();
      return CompletableFuture.failedFuture(e);
    }
    return started.whenComplete((value, failure) -> permits.release());
  }

  /** Runs every piece and returns the results in order, or throws the first failure. */
  <T> List<T> all(List<Callable<T>> work) {
    List<CompletableFuture<T>> futures = new ArrayList<>();
    for (Callable<T> piece : work) {
      futures.add(submit(piece));
    }
    joinAll(futures);
    List<T> out = new ArrayList<>();
    for (CompletableFuture<T> future : futures) {
      out.add(future.join());
    }
    return out;
  }

  /** Waits for every future; then rethrows the first failure, unwrapped. */
  static void joinAll(List<? extends CompletableFuture<?>> futures) {
    Throwable first = null;
    for (CompletableFuture<?> future : futures) {
      try {
        future.join();
      } catch (CompletionException e) {
        if (first == null) {
          first = e.getCause() != null ? e.getCause() : e;
        }
      }
    }
    if (first instanceof RuntimeException) {
      throw (RuntimeException) first;
    }
    if (first instanceof Error) {
      throw (Error) first;
    }
    if (first != null) {
      throw new CompletionException(first);
    }
  }
}
