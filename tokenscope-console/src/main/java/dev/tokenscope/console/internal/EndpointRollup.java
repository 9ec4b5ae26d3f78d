package dev.tokenscope.console.internal;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.jspecify.annotations.Nullable;

/**
 * The LLM calls rolled up per hour ({@code llm_endpoint_rollup}) and UTC day ({@code
 * llm_endpoint_rollup_day}) by endpoint — the name of the call's trace's root span — with the
 * figures of {@link LlmRollup}. Maintained by the writer in the same transaction as the spans.
 *
 * <p>The root span usually arrives last (it ends last), often in a later export than the calls
 * under it: a call whose root is not known yet is rolled up under no endpoint and remembered; when
 * the root arrives, its trace's waiting calls move to its endpoint (one row out, one in, like the
 * workflow back-fill of {@code llm_rollup}). Bounded: the last {@code traces} roots, and calls of
 * at most {@code traces} traces waiting; a call whose root arrives after its trace was forgotten
 * (or after a restart) stays under no endpoint. Writer thread only.
 */
final class EndpointRollup {

  /** One row's key. */
  private record Key(long hourMillis, @Nullable String endpoint) {}

  private final Map<String, String> roots;
  private final Map<String, List<LlmRollup.Call>> waiting;

  /** Sums of the open transaction, per hour and endpoint. */
  private final Map<Key, LlmRollup.Sums> open = new LinkedHashMap<>();

  /** Waiting calls moved in the open transaction, put back on rollback. */
  private final Map<String, List<LlmRollup.Call>> moved = new HashMap<>();

  EndpointRollup(int traces) {
    this.roots = bounded(traces);
    this.waiting = bounded(traces);
  }

  /** Adds a group of stored spans to the open transaction's sums. */
  void accept(List<SpanRow> spans) {
    List<SpanRow> newRoots = null;
    for (SpanRow r : spans) {
      if (r.parentSpanId() == null && roots.putIfAbsent(r.traceId(), r.name()) == null) {
        if (newRoots == null) {
          newRoots = new ArrayList<>();
        }
        newRoots.add(r);
      }
    }
    // Calls stored earlier without their root: to its endpoint now.
    if (newRoots != null && !waiting.isEmpty()) {
      for (SpanRow root : newRoots) {
        List<LlmRollup.Call> calls = waiting.remove(root.traceId());
        if (calls != null) {
          moved.put(root.traceId(), calls);
          for (LlmRollup.Call c : calls) {
            add(c, null, -1);
            add(c, root.name(), 1);
          }
        }
      }
    }
    for (SpanRow r : spans) {
      if (r.llm()) {
        LlmRollup.Call call = LlmRollup.Call.of(r);
        String endpoint = roots.get(r.traceId());
        add(call, endpoint, 1);
        if (endpoint == null) {
          waiting.computeIfAbsent(r.traceId(), k -> new ArrayList<>(4)).add(call);
        }
      }
    }
  }

  private void add(LlmRollup.Call call, @Nullable String endpoint, int sign) {
    long hour = LlmRollup.Level.HOUR.periodOf(Math.floorDiv(call.startNanos(), 1_000_000L));
    open.computeIfAbsent(new Key(hour, endpoint), k -> new LlmRollup.Sums()).add(call, sign);
  }

  /** Writes the open transaction's hour and day rows (before its commit). */
  void appendTo(DuckDBConnection connection) throws SQLException {
    moved.clear();
    if (open.isEmpty()) {
      return;
    }
    Map<Key, LlmRollup.Sums> days = new LinkedHashMap<>();
    for (Map.Entry<Key, LlmRollup.Sums> e : open.entrySet()) {
      Key day =
          new Key(LlmRollup.Level.DAY.periodOf(e.getKey().hourMillis()), e.getKey().endpoint());
      days.computeIfAbsent(day, k -> new LlmRollup.Sums()).add(e.getValue());
    }
    append(connection, LlmRollup.Level.ENDPOINT_HOUR, open);
    append(connection, LlmRollup.Level.ENDPOINT_DAY, days);
    open.clear();
  }

  private static void append(
      DuckDBConnection connection, LlmRollup.Level level, Map<Key, LlmRollup.Sums> rows)
      throws SQLException {
    try (DuckDBAppender a = connection.createAppender("main", level.table)) {
      for (Map.Entry<Key, LlmRollup.Sums> e : rows.entrySet()) {
        a.beginRow().append(e.getKey().hourMillis()).append(e.getKey().endpoint());
        LlmRollup.appendFigures(a, e.getValue());
      }
    }
  }

  /** Forgets the open transaction's sums; calls it moved wait for their root again. */
  void rollback() {
    open.clear();
    for (Map.Entry<String, List<LlmRollup.Call>> e : moved.entrySet()) {
      waiting.put(e.getKey(), e.getValue());
    }
    moved.clear();
  }

  private static <V> Map<String, V> bounded(int max) {
    return new LinkedHashMap<>(1024, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > max;
      }
    };
  }
}
