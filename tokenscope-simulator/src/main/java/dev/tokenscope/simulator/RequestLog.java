package dev.tokenscope.simulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The simulator's own record of every request it answered, newest last, bounded: when full the
 * oldest entries are dropped (and counted). Thread-safe. An entry is recorded before the last byte
 * of its reply is sent, so once a client has its complete answer the entry is visible.
 *
 * <pre>{@code
 * RecordedRequest last = sim.requestLog().last();
 * assertThat(last.inputTokens()).isEqualTo(spanInputTokens);
 * }</pre>
 */
public final class RequestLog {

  private final int capacity;
  private final ArrayDeque<RecordedRequest> entries;
  private long dropped;

  private RequestLog(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "request log capacity must be at least 1, got " + capacity);
    }
    this.capacity = capacity;
    this.entries = new ArrayDeque<>(Math.min(capacity, 1024));
  }

  /** An empty log keeping at most {@code capacity} entries. */
  public static RequestLog create(int capacity) {
    return new RequestLog(capacity);
  }

  /** Appends an entry, dropping the oldest when full. */
  public synchronized void record(RecordedRequest request) {
    if (entries.size() == capacity) {
      entries.removeFirst();
      dropped++;
    }
    entries.addLast(request);
  }

  /** A snapshot of the entries, oldest first. */
  public synchronized List<RecordedRequest> entries() {
    return new ArrayList<>(entries);
  }

  /** A snapshot of the entries for one provider, oldest first. */
  public List<RecordedRequest> entries(Provider provider) {
    return filter(r -> r.provider() == provider);
  }

  /** A snapshot of the entries that satisfy {@code predicate}, oldest first. */
  public synchronized List<RecordedRequest> filter(Predicate<RecordedRequest> predicate) {
    List<RecordedRequest> result = new ArrayList<>();
    for (RecordedRequest entry : entries) {
      if (predicate.test(entry)) {
        result.add(entry);
      }
    }
    return result;
  }

  /** The newest entry, or null when the log is empty. */
  public synchronized @Nullable RecordedRequest last() {
    return entries.peekLast();
  }

  /** How many entries the log holds now. */
  public synchronized int size() {
    return entries.size();
  }

  /** How many entries were dropped because the log was full. */
  public synchronized long dropped() {
    return dropped;
  }

  /** The maximum number of entries kept. */
  public int capacity() {
    return capacity;
  }

  /** Forgets every entry (and the dropped count). */
  public synchronized void clear() {
    entries.clear();
    dropped = 0;
  }
}
