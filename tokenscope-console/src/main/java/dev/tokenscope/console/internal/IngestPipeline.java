package dev.tokenscope.console.internal;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

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
  private final @Nullable IngestJournal journal;
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
  private final AtomicLong dropped = new AtomicLong();
  private final java.util.Queue<CompletableFuture<Void>> retentionRequests =
      new java.util.concurrent.ConcurrentLinkedQueue<>();
  private volatile boolean running = true;
  private volatile long nextRetentionMillis;

  /** Longest a journaled batch waits in an open transaction before it is committed. */
  private static final long MAX_COMMIT_DELAY_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final int commitItems;
  // Writer thread only: batches appended to the open transaction.
  private final List<Pending> transaction = new ArrayList<>();
  private int transactionItems;
  private long transactionDeadline;
  private long loadedSegment;

  /**
   * A queued batch. Its rows either came built ({@link #submit}: metric points, tests) or are built
   * from {@link #payload} by a builder thread shortly before the writer appends them ({@link
   * #submitPayload}), and dropped once appended: a failed transaction builds them again.
   */
  private static final class Pending {
    final byte kind;
    final byte @Nullable [] payload;
    final int items;
    final CompletableFuture<Void> done;
    final IngestJournal.@Nullable Position journalEnd;
    // Written by a builder thread before `built` completes, read by the writer after.
    @Nullable List<SpanRow> spans;
    @Nullable List<MetricPointRow> points;
    int spanCount;
    int pointCount;
    @Nullable Exception buildFailure;
    CompletableFuture<Void> built = BUILT;

    Pending(
        byte kind,
        byte @Nullable [] payload,
        int items,
        @Nullable List<SpanRow> spans,
        @Nullable List<MetricPointRow> points,
        CompletableFuture<Void> done,
        IngestJournal.@Nullable Position journalEnd) {
      this.kind = kind;
      this.payload = payload;
      this.items = items;
      this.spans = spans;
      this.points = points;
      this.spanCount = spans == null ? 0 : spans.size();
      this.pointCount = points == null ? 0 : points.size();
      this.done = done;
      this.journalEnd = journalEnd;
    }

    int items() {
      return items;
    }
  }

  private static final CompletableFuture<Void> BUILT = CompletableFuture.completedFuture(null);

  /** Batches whose rows are being built ahead of the writer (a few, so the rows die young). */
  private static final int BUILD_AHEAD = 8;

  private final JournalDecoder decoder;
  private final ExecutorService builders;
  // Writer thread only: batches taken from the queue, in order, their rows being built.
  private final ArrayDeque<Pending> building = new ArrayDeque<>();

  /**
   * @param decoder builds a batch's rows from its protobuf payload (as the journal holds it)
   * @param builderThreads threads building rows ahead of the writer
   */
  public IngestPipeline(
      ConsoleDatabase database,
      @Nullable IngestJournal journal,
      JournalDecoder decoder,
      int builderThreads,
      int capacityItems,
      Clock clock,
      Duration retentionAge,
      long retentionBytes,
      Duration retentionInterval) {
    this.database = database;
    this.journal = journal;
    this.loadedSegment = journal == null ? 0 : journal.start().segment();
    this.capacityItems = capacityItems;
    this.capacity = new Semaphore(capacityItems);
    this.commitItems = Math.max(1, capacityItems / 2);
    this.clock = clock;
    this.retentionAge = retentionAge;
    this.retentionBytes = retentionBytes;
    this.retentionInterval = retentionInterval;
    this.nextRetentionMillis = clock.millis();
    this.decoder = decoder;
    AtomicInteger builderNumber = new AtomicInteger();
    this.builders =
        Executors.newFixedThreadPool(
            Math.max(1, builderThreads),
            r -> {
              Thread t =
                  new Thread(r, "tokenscope-console-builder-" + builderNumber.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.writerThread = new Thread(this::writeLoop, "tokenscope-console-writer");
    writerThread.setDaemon(true);
    writerThread.start();
  }

  /** Whether a batch is acknowledged once journaled (file database) rather than committed. */
  public boolean journaled() {
    return journal != null;
  }

  /**
   * Queues a batch of built rows for writing (metric points; spans in memory). Returns a future
   * completed once it is durable (or failed), or null when the queue is full.
   *
   * <p>Without a journal (in memory) durable means committed to the database. With one, the
   * request's decoded protobuf ({@code journalKind}, {@code journalPayload}) is appended to the
   * journal and synced here, on the calling thread; the future is then already complete and the
   * writer loads the batch into the database shortly after (within a second unless it lags, and
   * then the bounded queue refuses new batches).
   */
  public @Nullable CompletableFuture<Void> submit(
      List<SpanRow> spans,
      List<MetricPointRow> points,
      byte journalKind,
      byte @Nullable [] journalPayload) {
    return enqueue(spans.size() + points.size(), journalKind, journalPayload, spans, points);
  }

  /**
   * Queues a request's {@code items} spans or points as its protobuf {@code payload} (a journal
   * record's contents): a builder thread turns it into rows with the pipeline's decoder just before
   * the writer appends them. Acknowledgement as for {@link #submit(List, List, byte, byte[])}.
   */
  public @Nullable CompletableFuture<Void> submitPayload(int items, byte kind, byte[] payload) {
    return enqueue(items, kind, payload, null, null);
  }

  /**
   * Queues a batch: journaled first when there is a journal and a {@code payload} (which is also
   * what the rows are built, or built again after a failed commit, from); else acknowledged on
   * commit.
   */
  private @Nullable CompletableFuture<Void> enqueue(
      int items,
      byte kind,
      byte @Nullable [] payload,
      @Nullable List<SpanRow> spans,
      @Nullable List<MetricPointRow> points) {
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
    if (journal == null || payload == null) {
      Pending pending =
          new Pending(kind, payload, items, spans, points, new CompletableFuture<>(), null);
      queue.add(pending);
      return pending.done;
    }
    long end;
    try {
      end =
          journal.append(
              kind,
              clock.millis(),
              payload,
              position ->
                  queue.add(
                      new Pending(kind, payload, items, spans, points, ACKNOWLEDGED, position)));
    } catch (IOException e) {
      capacity.release(permits);
      logger.log(Level.WARNING, "Could not append to the ingest journal", e);
      return CompletableFuture.failedFuture(e);
    }
    try {
      journal.sync(end);
    } catch (IOException e) {
      // Queued already, so it will probably be stored; the sender retries (at least once).
      logger.log(Level.WARNING, "Could not sync the ingest journal", e);
      return CompletableFuture.failedFuture(e);
    }
    return ACKNOWLEDGED;
  }

  /**
   * Queues a batch for writing (no journal record): see {@link #submit(List, List, byte, byte[])}.
   */
  public @Nullable CompletableFuture<Void> submit(
      List<SpanRow> spans, List<MetricPointRow> points) {
    return submit(spans, points, (byte) 0, null);
  }

  private static final CompletableFuture<Void> ACKNOWLEDGED =
      CompletableFuture.completedFuture(null);

  /**
   * Loads the journal's records after {@code from} into the database (startup, before ingest
   * opens), in transactions of up to {@code groupItems} spans and points, then records the new
   * segment as the starting point and deletes the old segments.
   */
  public void replay(IngestJournal.Position from, int groupItems) throws IOException, SQLException {
    if (journal == null) {
      return;
    }
    List<SpanRow> spans = new ArrayList<>();
    List<MetricPointRow> points = new ArrayList<>();
    long[] received = {0};
    IngestJournal.Position[] last = {null};
    long[] records = {0};
    journal.replay(
        from,
        entry -> {
          try {
            decoder.decode(entry.kind(), entry.payload(), spans, points);
          } catch (IOException | RuntimeException e) {
            logger.log(Level.SEVERE, "Skipping an unreadable journal record at " + entry.end(), e);
          }
          received[0] = entry.receivedMillis();
          last[0] = entry.end();
          records[0]++;
          if (spans.size() + points.size() >= groupItems) {
            try {
              database.write(spans, points, received[0], last[0]);
              spansWritten.addAndGet(spans.size());
              pointsWritten.addAndGet(points.size());
            } catch (SQLException e) {
              dropped.incrementAndGet();
              logger.log(
                  Level.SEVERE,
                  "Skipping " + spans.size() + " journaled spans the database refused",
                  e);
            }
            spans.clear();
            points.clear();
          }
        });
    database.write(spans, points, received[0], journal.start());
    spansWritten.addAndGet(spans.size());
    pointsWritten.addAndGet(points.size());
    journal.deleteBefore(journal.start().segment());
    if (records[0] > 0) {
      logger.info(
          "Loaded "
              + records[0]
              + " journaled requests ("
              + spansWritten.get()
              + " spans) that were acknowledged but not yet in the database");
    }
  }

  /** Turns a journal record back into rows (as the OTLP handler did when it was received). */
  @FunctionalInterface
  public interface JournalDecoder {
    void decode(byte kind, byte[] payload, List<SpanRow> spans, List<MetricPointRow> points)
        throws IOException;
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

  /** Journaled batches the database refused even alone, after retries (logged). */
  public long droppedBatches() {
    return dropped.get();
  }

  /**
   * Whether the queue is (nearly) full: fewer than 1/32 of its capacity free, so a typical request
   * would be refused anyway. The HTTP layer asks this before decoding a request and then answers
   * 503 at once, counted as refused: decoding (and, in memory, mapping) a request only to refuse it
   * took CPU from the writer exactly when it was the bottleneck.
   */
  public boolean saturated() {
    if (capacity.availablePermits() >= Math.max(1, capacityItems / 32)) {
      return false;
    }
    refused.incrementAndGet();
    return true;
  }

  public int queuedItems() {
    return capacityItems - capacity.availablePermits();
  }

  private void writeLoop() {
    List<Pending> group = new ArrayList<>();
    while (running || !queue.isEmpty() || !building.isEmpty() || !transaction.isEmpty()) {
      try {
        Pending first = queue.poll();
        if (first == null && building.isEmpty()) {
          long waitNanos =
              transaction.isEmpty()
                  ? TimeUnit.SECONDS.toNanos(1)
                  : Math.max(0, transactionDeadline - System.nanoTime());
          first = queue.poll(waitNanos, TimeUnit.NANOSECONDS);
          if (first == null && transaction.isEmpty()) {
            compactWhenIdle();
          }
        }
        if (first != null) {
          startBuild(first);
          Pending next;
          while (building.size() < BUILD_AHEAD && (next = queue.poll()) != null) {
            startBuild(next);
          }
        }
        if (!building.isEmpty()) {
          // The oldest batch, and those after it whose rows are ready too, in queue order.
          group.add(awaitBuilt(building.poll()));
          while (!building.isEmpty() && building.peek().built.isDone()) {
            group.add(awaitBuilt(building.poll()));
          }
          appendGroup(group);
          group.clear();
        }
        if (!transaction.isEmpty()
            && (transactionItems >= commitItems
                || System.nanoTime() - transactionDeadline >= 0
                || !running
                || (journal == null && building.isEmpty() && queue.isEmpty()))) {
          commitTransaction();
        }
        if (transaction.isEmpty()) {
          maybeApplyRetention();
        }
      } catch (InterruptedException e) {
        if (!running) {
          continue;
        }
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException | Error e) {
        logger.log(Level.SEVERE, "Console writer failed; continuing", e);
        database.rollback(e instanceof Exception ex ? ex : new RuntimeException(e));
        group.addAll(0, transaction);
        transaction.clear();
        transactionItems = 0;
        for (Pending p : group) {
          p.done.completeExceptionally(e);
          capacity.release(Math.min(p.items(), capacityItems));
        }
        group.clear();
      }
    }
  }

  /** Starts building a batch's rows on a builder thread (unless it came built). */
  private void startBuild(Pending p) {
    if (p.spans == null && p.points == null && p.payload != null) {
      p.built = CompletableFuture.runAsync(() -> build(p), builders);
    }
    building.add(p);
  }

  /** Builds a batch's rows from its payload; a failure is kept on the batch, never thrown. */
  private void build(Pending p) {
    List<SpanRow> spans = new ArrayList<>(p.items);
    List<MetricPointRow> points = new ArrayList<>();
    try {
      decoder.decode(p.kind, p.payload, spans, points);
      p.spans = spans;
      p.points = points;
      p.spanCount = spans.size();
      p.pointCount = points.size();
    } catch (IOException | RuntimeException e) {
      p.buildFailure = e;
    }
  }

  private Pending awaitBuilt(Pending p) {
    p.built.join();
    return p;
  }

  /** The batch's rows, built again if they were dropped after an earlier append. */
  private List<SpanRow> spans(Pending p) {
    if (p.spans == null && p.payload != null) {
      build(p);
    }
    return p.spans == null ? List.of() : p.spans;
  }

  private List<MetricPointRow> points(Pending p) {
    if (p.points == null && p.payload != null) {
      build(p);
    }
    return p.points == null ? List.of() : p.points;
  }

  /**
   * Appends a drained group to the open transaction. With a journal the transaction stays open
   * until it holds {@link #commitItems} items or is {@link #MAX_COMMIT_DELAY_NANOS} old, so DuckDB
   * commits (and checkpoints) large transactions, which cost far less per row than one per group.
   * Without one (a batch is acknowledged on commit) it stays open only while more batches are
   * already waiting (queued or being built), under the same limits: the writer commits as soon as
   * it has caught up, and batches that arrived together share one commit and one set of roll-up
   * rows instead of paying for them each.
   */
  private void appendGroup(List<Pending> group) {
    for (Iterator<Pending> it = group.iterator(); it.hasNext(); ) {
      Pending p = it.next();
      if (p.buildFailure != null) {
        // Its payload decoded when it was received, so this is a bug rather than bad input;
        // the batch cannot be stored (a journaled one stays in the journal until its segment is
        // loaded past).
        it.remove();
        dropped.incrementAndGet();
        logger.log(Level.SEVERE, "Could not build the rows of a queued batch", p.buildFailure);
        p.done.completeExceptionally(p.buildFailure);
        capacity.release(Math.min(p.items(), capacityItems));
      }
    }
    if (group.isEmpty()) {
      return;
    }
    List<SpanRow> spans;
    List<MetricPointRow> points;
    if (group.size() == 1) {
      spans = spans(group.get(0));
      points = points(group.get(0));
    } else {
      spans = new ArrayList<>();
      points = new ArrayList<>();
      for (Pending p : group) {
        spans.addAll(spans(p));
        points.addAll(points(p));
      }
    }
    if (spans.isEmpty() && points.isEmpty()) {
      for (Pending p : group) {
        capacity.release(Math.min(p.items(), capacityItems));
        p.done.complete(null);
      }
      return;
    }
    try {
      database.append(spans, points, clock.millis());
    } catch (SQLException | RuntimeException e) {
      database.rollback(e);
      List<Pending> failed = new ArrayList<>(transaction);
      failed.addAll(group);
      transaction.clear();
      transactionItems = 0;
      fail(failed, e);
      return;
    }
    if (transaction.isEmpty()) {
      transactionDeadline = System.nanoTime() + MAX_COMMIT_DELAY_NANOS;
    }
    for (Pending p : group) {
      if (p.payload != null) {
        // Appended: until commit only the compact payload is kept (to build again on failure).
        p.spans = null;
        p.points = null;
      }
    }
    transaction.addAll(group);
    transactionItems += spans.size() + points.size();
  }

  private void commitTransaction() {
    IngestJournal.Position end = null;
    long spans = 0;
    long points = 0;
    for (Pending p : transaction) {
      if (p.journalEnd != null) {
        end = p.journalEnd;
      }
      spans += p.spanCount;
      points += p.pointCount;
    }
    List<Pending> committed = new ArrayList<>(transaction);
    transaction.clear();
    transactionItems = 0;
    try {
      database.commit(end);
    } catch (SQLException | RuntimeException e) {
      database.rollback(e);
      fail(committed, e);
      return;
    }
    spansWritten.addAndGet(spans);
    pointsWritten.addAndGet(points);
    for (Pending p : committed) {
      capacity.release(Math.min(p.items(), capacityItems));
      p.done.complete(null);
    }
    if (end != null && end.segment() > loadedSegment) {
      loadedSegment = end.segment();
      journal.deleteBefore(loadedSegment);
    }
  }

  /**
   * A transaction failed and was rolled back. Batches that were not acknowledged yet fail (their
   * senders get 503); journaled ones were acknowledged, so each is tried alone.
   */
  private void fail(List<Pending> failed, Exception e) {
    int spans = 0;
    for (Pending p : failed) {
      spans += p.spanCount;
    }
    logger.log(Level.WARNING, "Could not store a batch of " + spans + " spans", e);
    List<Pending> journaled = new ArrayList<>();
    for (Pending p : failed) {
      if (p.journalEnd != null) {
        journaled.add(p);
      } else {
        p.done.completeExceptionally(e);
      }
    }
    writeOneByOne(journaled);
    for (Pending p : failed) {
      capacity.release(Math.min(p.items(), capacityItems));
    }
  }

  /** After a failed transaction: each journaled batch alone, a few tries, else dropped (logged). */
  private void writeOneByOne(List<Pending> group) {
    for (Pending p : group) {
      for (int attempt = 1; ; attempt++) {
        try {
          database.write(spans(p), points(p), clock.millis(), p.journalEnd);
          spansWritten.addAndGet(p.spanCount);
          pointsWritten.addAndGet(p.pointCount);
          break;
        } catch (SQLException | RuntimeException e) {
          if (attempt == 3) {
            dropped.incrementAndGet();
            logger.log(
                Level.SEVERE,
                "Dropping a journaled batch of "
                    + p.spanCount
                    + " spans and "
                    + p.pointCount
                    + " points the database refused three times",
                e);
            break;
          }
          try {
            Thread.sleep(1000);
          } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return;
          }
        }
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
    queue.add(
        new Pending((byte) 0, null, 0, List.of(), List.of(), new CompletableFuture<>(), null));
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
    builders.shutdownNow();
    Pending p;
    while ((p = queue.poll()) != null) {
      p.done.completeExceptionally(new IllegalStateException("console shut down"));
    }
  }
}
