package dev.tokenscope.console.internal;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands decoded batches to the single database writer and tells each request when its batch is
 * committed.
 *
 * <p>Back-pressure: the number of spans and points waiting to be written is bounded; a request that
 * does not fit is refused at once ({@link #submit} returns null) so the HTTP layer can answer 503
 * with Retry-After instead of buffering without limit. The writer drains everything waiting into
 * one transaction (group commit), which is what makes small concurrent batches cheap.
 */
public final class IngestPipeline implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(IngestPipeline.class.getName());

  private final ConsoleDatabase database;
  private final Semaphore capacity;
  private final int capacityItems;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread writerThread;
  private final Clock clock;
  private final Duration retentionAge;
  private final long retentionBytes;
  private final Duration retentionInterval;
  private final AtomicLong spansWritten = new AtomicLong();
  private final AtomicLong pointsWritten = new AtomicLong();
  private final AtomicLong refused = new AtomicLong();
  private final java.util.Queue<CompletableFuture<Void>> retentionRequests =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private volatile boolean running = true;
  private volatile long nextRetentionMillis;

  private record Pending(
      List<SpanRow> spans, List<MetricPointRow> points, CompletableFuture<Void> done) {
    int items() {
      return spans.size() + points.size();
    }
  }

  public IngestPipeline(
      ConsoleDatabase database,
      int capacityItems,
      Clock clock,
      Duration retentionAge,
      long retentionBytes,
      Duration retentionInterval) {
    this.database = database;
    this.capacityItems = capacityItems;
    this.capacity = new Semaphore(capacityItems);
    this.clock = clock;
    this.retentionAge = retentionAge;
    this.retentionBytes = retentionBytes;
    this.retentionInterval = retentionInterval;
    this.nextRetentionMillis = clock.millis();
    this.writerThread = new Thread(this::writeLoop, "tokenscope-console-writer");
    writerThread.setDaemon(true);
    writerThread.start();
  }

  /**
   * Queues a batch for writing. Returns a future completed once it is committed (or failed), or
   * null when the queue is full.
   */
  public CompletableFuture<Void> submit(List<SpanRow> spans, List<MetricPointRow> points) {
    int items = spans.size() + points.size();
    if (items == 0) {
      return CompletableFuture.completedFuture(null);
    }
    if (!running) {
      return CompletableFuture.failedFuture(new IllegalStateException("console is shutting down"));
    }
    // A batch larger than the whole queue still goes through when the queue is empty.
    int permits = Math.min(items, capacityItems);
    if (!capacity.tryAcquire(permits)) {
      refused.incrementAndGet();
      return null;
    }
    Pending pending = new Pending(spans, points, new CompletableFuture<>());
    queue.add(pending);
    return pending.done;
  }

  public long spansWritten() {
    return spansWritten.get();
  }

  public long pointsWritten() {
    return pointsWritten.get();
  }

  public long refusedRequests() {
    return refused.get();
  }

  public int queuedItems() {
    return capacityItems - capacity.availablePermits();
  }

  private void writeLoop() {
    List<Pending> group = new ArrayList<>();
    while (running || !queue.isEmpty()) {
      try {
        Pending first = queue.poll(1, TimeUnit.SECONDS);
        if (first != null) {
          group.add(first);
          queue.drainTo(group);
          writeGroup(group);
          group.clear();
        } else {
          compactWhenIdle();
        }
        maybeApplyRetention();
      } catch (InterruptedException e) {
        if (!running) {
          continue;
        }
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | Error e) {
        logger.log(Level.SEVERE, "Console writer failed; continuing", e);
        for (Pending p : group) {
          p.done.completeExceptionally(e);
          capacity.release(Math.min(p.items(), capacityItems));
        }
        group.clear();
      }
    }
  }

  private void writeGroup(List<Pending> group) {
    List<SpanRow> spans;
    List<MetricPointRow> points;
    if (group.size() == 1) {
      spans = group.get(0).spans;
      points = group.get(0).points;
    } else {
      spans = new ArrayList<>();
      points = new ArrayList<>();
      for (Pending p : group) {
        spans.addAll(p.spans);
        points.addAll(p.points);
      }
    }
    if (spans.isEmpty() && points.isEmpty()) {
      group.forEach(p -> p.done.complete(null));
      return;
    }
    Throwable failure = null;
    try {
      database.write(spans, points, clock.millis());
      spansWritten.addAndGet(spans.size());
      pointsWritten.addAndGet(points.size());
    } catch (SQLException | RuntimeException e) {
      failure = e;
      logger.log(Level.WARNING, "Could not store a batch of " + spans.size() + " spans", e);
    }
    for (Pending p : group) {
      capacity.release(Math.min(p.items(), capacityItems));
      if (failure == null) {
        p.done.complete(null);
      } else {
        p.done.completeExceptionally(failure);
      }
    }
  }

  /** A second without batches: merge the roll-up rows ingest added since the last merge. */
  private void compactWhenIdle() {
    try {
      database.compactRollup(true);
    } catch (SQLException | RuntimeException e) {
      logger.log(Level.WARNING, "Roll-up compaction failed; will retry", e);
    }
  }

  private void maybeApplyRetention() {
    long now = clock.millis();
    if (now < nextRetentionMillis) {
      return;
    }
    nextRetentionMillis = now + retentionInterval.toMillis();
    try {
      long cutoffNanos = TimeUnit.MILLISECONDS.toNanos(now - retentionAge.toMillis());
      database.applyRetention(cutoffNanos, retentionBytes);
    } catch (SQLException | RuntimeException e) {
      logger.log(Level.WARNING, "Retention failed; will retry", e);
    }
    CompletableFuture<Void> request;
    while ((request = retentionRequests.poll()) != null) {
      request.complete(null);
    }
  }

  /** Runs retention now on the writer thread; the future completes when it has run. */
  public CompletableFuture<Void> applyRetentionNow() {
    CompletableFuture<Void> done = new CompletableFuture<>();
    retentionRequests.add(done);
    nextRetentionMillis = 0;
    // Wakes the writer.
    queue.add(new Pending(List.of(), List.of(), new CompletableFuture<>()));
    return done;
  }

  /** Stops accepting work, writes what is queued, checkpoints, and stops the writer. */
  @Override
  public void close() {
    running = false;
    try {
      writerThread.join(TimeUnit.SECONDS.toMillis(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Pending p;
    while ((p = queue.poll()) != null) {
      p.done.completeExceptionally(new IllegalStateException("console shut down"));
    }
  }
}
