package dev.tokenscope.cli;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import org.jspecify.annotations.Nullable;

/**
 * Sends HTTP requests to one service, either with a fixed number of requests in flight (closed
 * model) or at a fixed rate (open model), until a count or a duration is reached, and reports each
 * outcome. Connection failures and timeouts are outcomes too (status 0).
 */
final class LoadRunner {

  /** What happened to one request. */
  record Outcome(MenuRequests.Request request, int status, long nanos, @Nullable String error) {
    boolean ok() {
      return status >= 200 && status < 400;
    }
  }

  /** How much to send: {@code count} requests, or for {@code duration}; exactly one is set. */
  record Limit(long count, @Nullable Duration duration) {
    boolean done(long started, long sent) {
      return duration == null ? sent >= count : System.nanoTime() - started >= duration.toNanos();
    }
  }

  private final HttpClient client;
  private final URI base;
  private final Duration timeout;

  LoadRunner(URI base, Duration timeout) {
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    this.base = base;
    this.timeout = timeout;
  }

  /** Keeps {@code concurrency} requests in flight; {@code next} makes request number i. */
  List<Outcome> closed(
      int concurrency, Limit limit, IntFunction<MenuRequests.Request> next, Consumer<Outcome> done)
      throws InterruptedException {
    List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    AtomicLong sent = new AtomicLong();
    long started = System.nanoTime();
    ExecutorService workers = Executors.newFixedThreadPool(concurrency, daemon("tokenscope-load"));
    try {
      for (int w = 0; w < concurrency; w++) {
        workers.execute(
            () -> {
              while (true) {
                long n;
                synchronized (sent) {
                  if (limit.done(started, sent.get())) {
                    return;
                  }
                  n = sent.getAndIncrement();
                }
                Outcome outcome = send(next.apply((int) n));
                outcomes.add(outcome);
                done.accept(outcome);
              }
            });
      }
      workers.shutdown();
      while (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
        // Waiting for the last requests; Ctrl-C interrupts.
      }
    } finally {
      workers.shutdownNow();
    }
    return new ArrayList<>(outcomes);
  }

  /**
   * Starts {@code ratePerSecond} requests a second, whatever the service's speed, with at most
   * {@code maxInFlight} outstanding; a request that would exceed it is not sent and counts as an
   * outcome with status 0 and error "client overloaded".
   */
  List<Outcome> open(
      double ratePerSecond,
      int maxInFlight,
      Limit limit,
      IntFunction<MenuRequests.Request> next,
      Consumer<Outcome> done)
      throws InterruptedException {
    List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
    Semaphore inFlight = new Semaphore(maxInFlight);
    AtomicInteger sent = new AtomicInteger();
    long started = System.nanoTime();
    long intervalNanos = (long) (1_000_000_000L / ratePerSecond);
    ExecutorService senders = Executors.newCachedThreadPool(daemon("tokenscope-load"));
    try {
      while (!limit.done(started, sent.get())) {
        int n = sent.getAndIncrement();
        long due = started + n * intervalNanos;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          TimeUnit.NANOSECONDS.sleep(wait);
        }
        MenuRequests.Request request = next.apply(n);
        if (!inFlight.tryAcquire()) {
          Outcome skipped = new Outcome(request, 0, 0, "client overloaded");
          outcomes.add(skipped);
          done.accept(skipped);
          continue;
        }
        senders.execute(
            () -> {
              try {
                Outcome outcome = send(request);
                outcomes.add(outcome);
                done.accept(outcome);
              } finally {
                inFlight.release();
              }
            });
      }
      // Let the requests in flight finish.
      inFlight.acquire(maxInFlight);
      inFlight.release(maxInFlight);
    } finally {
      senders.shutdownNow();
    }
    return new ArrayList<>(outcomes);
  }

  Outcome send(MenuRequests.Request request) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(base.resolve(request.path())).timeout(timeout);
    if (request.method().equals("GET")) {
      builder.GET();
    } else {
      builder
          .header("Content-Type", "application/json")
          .method(request.method(), HttpRequest.BodyPublishers.ofString(request.body()));
    }
    long start = System.nanoTime();
    try {
      HttpResponse<Void> response =
          client.send(builder.build(), HttpResponse.BodyHandlers.discarding());
      return new Outcome(request, response.statusCode(), System.nanoTime() - start, null);
    } catch (HttpTimeoutException e) {
      return new Outcome(request, 0, System.nanoTime() - start, "timeout");
    } catch (IOException e) {
      String message = e.getMessage();
      return new Outcome(
          request,
          0,
          System.nanoTime() - start,
          message == null ? e.getClass().getSimpleName() : message);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(request, 0, System.nanoTime() - start, "interrupted");
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
