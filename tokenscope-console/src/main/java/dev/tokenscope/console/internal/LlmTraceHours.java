package dev.tokenscope.console.internal;

import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;

/**
 * Which traces had LLM calls in which hour ({@code llm_trace_hours}: one row per hour and trace,
 * written by the writer in the same transaction as the spans), so that the summary's count of
 * traces with LLM calls reads about one row per trace instead of every call: {@code count(DISTINCT
 * trace_id)} over the rows of the range's whole hours plus the calls of its cut hours. A trace
 * whose calls arrive in several transactions may have the same row twice until the next roll-up
 * compaction merges them (a distinct count does not mind). Writer thread only.
 */
final class LlmTraceHours {

  static final String TABLE = "llm_trace_hours";

  static final String DDL =
      "CREATE TABLE IF NOT EXISTS "
          + TABLE
          + " (hour_ms BIGINT NOT NULL, trace_id VARCHAR NOT NULL)";

  /** Fills the table from {@code spans} (schema upgrades). */
  static final String REBUILD =
      "INSERT INTO "
          + TABLE
          + " SELECT DISTINCT (start_ns // 1000000 - ((start_ns // 1000000) % 3600000 + 3600000)"
          + " % 3600000) AS h, trace_id FROM spans WHERE is_llm ORDER BY h";

  /** Replaces the table's rows by its distinct rows in hour order (writer, in a transaction). */
  static final String[] COMPACT = {
    "CREATE TEMP TABLE llm_trace_hours_compact AS SELECT DISTINCT hour_ms, trace_id FROM " + TABLE,
    "DELETE FROM " + TABLE,
    "INSERT INTO " + TABLE + " SELECT * FROM llm_trace_hours_compact ORDER BY hour_ms",
    "DROP TABLE llm_trace_hours_compact"
  };

  private record Row(long hourMillis, String traceId) {}

  /** Rows of the open transaction. */
  private final Set<Row> open = new LinkedHashSet<>();

  /** Adds the LLM calls of a group of stored spans to the open transaction. */
  void accept(List<SpanRow> spans) {
    for (SpanRow r : spans) {
      if (r.llm()) {
        long hour = LlmRollup.Level.HOUR.periodOf(Math.floorDiv(r.startNanos(), 1_000_000L));
        open.add(new Row(hour, r.traceId()));
      }
    }
  }

  /** Writes the open transaction's rows (before its commit). */
  void appendTo(DuckDBConnection connection) throws SQLException {
    if (open.isEmpty()) {
      return;
    }
    try (DuckDBAppender a = connection.createAppender("main", TABLE)) {
      for (Row row : open) {
        a.beginRow().append(row.hourMillis()).append(row.traceId()).endRow();
      }
    }
    open.clear();
  }

  /** Forgets the open transaction's rows. */
  void rollback() {
    open.clear();
  }
}
