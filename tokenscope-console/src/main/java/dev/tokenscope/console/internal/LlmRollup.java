package dev.tokenscope.console.internal;

import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.jspecify.annotations.Nullable;

/**
 * The roll-ups of LLM calls: per hour ({@code llm_rollup}) and per UTC day ({@code
 * llm_rollup_day}), service, provider, model and workflow, the sums and counts every breakdown
 * needs plus a latency histogram. Both are written at ingest in the same transaction as the spans
 * (one row per key and transaction; {@link ConsoleDatabase#compactRollup} merges rows later), so a
 * day row always holds exactly the day's hour rows and the dashboard reads thousands of rows
 * instead of every span.
 *
 * <p>Latency histogram: bucket 0 holds calls under 1 ms, buckets 1–80 split 1 ms to 2<sup>20</sup>
 * ms (17.5 min) in four buckets per doubling (each 19 % wider than the last), bucket 81 holds the
 * rest. A percentile is read by linear interpolation of the rank inside its bucket, clamped to the
 * slowest call: at most one bucket's width off (&lt; 19 % of the value), typically far less. {@link
 * ConsoleQueries} uses exact quantiles instead when the calls in question are few.
 */
final class LlmRollup {

  static final long HOUR_MILLIS = 3_600_000L;
  static final long DAY_MILLIS = 86_400_000L;

  /** The key columns of {@code llm_rollup} and {@code llm_rollup_day}. */
  static final String KEYS = "service, provider, model, workflow";

  /**
   * One roll-up table: its name, its period column, the period's length and its key columns. The
   * endpoint roll-ups ({@link EndpointRollup}) have the same figures keyed by endpoint alone.
   */
  enum Level {
    HOUR("llm_rollup", "hour_ms", HOUR_MILLIS, KEYS),
    DAY("llm_rollup_day", "day_ms", DAY_MILLIS, KEYS),
    ENDPOINT_HOUR("llm_endpoint_rollup", "hour_ms", HOUR_MILLIS, "endpoint"),
    ENDPOINT_DAY("llm_endpoint_rollup_day", "day_ms", DAY_MILLIS, "endpoint");

    final String table;
    final String column;
    final long millis;
    final String keys;

    Level(String table, String column, long millis, String keys) {
      this.table = table;
      this.column = column;
      this.millis = millis;
      this.keys = keys;
    }

    /** The day table summed from this hour table (itself for a day table). */
    Level day() {
      return this == HOUR ? DAY : this == ENDPOINT_HOUR ? ENDPOINT_DAY : this;
    }

    long periodOf(long millis) {
      return Math.floorDiv(millis, this.millis) * this.millis;
    }

    String ddl() {
      String keyColumns =
          keys.equals(KEYS)
              ? "service VARCHAR NOT NULL, provider VARCHAR, model VARCHAR, workflow VARCHAR"
              : "endpoint VARCHAR";
      return "CREATE TABLE IF NOT EXISTS "
          + table
          + " ("
          + column
          + " BIGINT NOT NULL, "
          + keyColumns
          + FIGURE_COLUMNS_DDL
          + ")";
    }
  }

  static final int BUCKETS = 82;
  private static final double[] LOWER = new double[BUCKETS];

  static {
    LOWER[0] = 0;
    for (int i = 1; i < BUCKETS; i++) {
      LOWER[i] = Math.pow(2, (i - 1) / 4.0);
    }
  }

  /** The figure columns' definitions, after the key columns. */
  private static final String FIGURE_COLUMNS_DDL;

  /** Additive and max columns after the key, in table order (histogram columns follow). */
  static final String[] SUM_COLUMNS = {
    "calls",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_write_tokens",
    "reasoning_tokens",
    "cost_usd",
    "priced_calls",
    "duration_ms_sum",
    "errors",
    "unpriced_calls",
    "cache_savings_usd",
    "unpriced_input_tokens",
    "unpriced_output_tokens"
  };

  static {
    StringBuilder ddl =
        new StringBuilder(
            ", calls BIGINT NOT NULL, input_tokens BIGINT NOT NULL,"
                + " output_tokens BIGINT NOT NULL, cache_read_tokens BIGINT NOT NULL,"
                + " cache_write_tokens BIGINT NOT NULL, reasoning_tokens BIGINT NOT NULL,"
                + " cost_usd DOUBLE NOT NULL, priced_calls BIGINT NOT NULL,"
                + " duration_ms_sum DOUBLE NOT NULL, errors BIGINT NOT NULL,"
                + " unpriced_calls BIGINT NOT NULL, cache_savings_usd DOUBLE NOT NULL,"
                + " unpriced_input_tokens BIGINT NOT NULL, unpriced_output_tokens BIGINT NOT NULL,"
                + " last_unpriced_ns BIGINT, max_duration_ms DOUBLE");
    for (int i = 0; i < BUCKETS; i++) {
      ddl.append(", ").append(bucketColumn(i)).append(" INTEGER NOT NULL");
    }
    FIGURE_COLUMNS_DDL = ddl.toString();
  }

  static String bucketColumn(int i) {
    return i < 10 ? "l0" + i : "l" + i;
  }

  /** The histogram bucket of a duration in ms. */
  static int bucket(double millis) {
    if (!(millis >= 1)) {
      return 0;
    }
    int i = 1 + (int) Math.floor(Math.log(millis) / Math.log(2) * 4);
    // Correct the floating-point edge so a value always lies within its bucket's bounds.
    while (i > 1 && millis < LOWER[i]) {
      i--;
    }
    while (i < BUCKETS - 1 && millis >= LOWER[i + 1]) {
      i++;
    }
    return Math.min(i, BUCKETS - 1);
  }

  /** The same bucket as {@link #bucket}, as SQL over a duration expression. */
  static String bucketSql(String millis) {
    return "CASE WHEN NOT ("
        + millis
        + " >= 1) THEN 0 WHEN "
        + millis
        + " >= "
        + LOWER[BUCKETS - 1]
        + " THEN "
        + (BUCKETS - 1)
        + " ELSE 1 + CAST(floor(log2("
        + millis
        + ") * 4) AS INTEGER) END";
  }

  /**
   * The {@code q} quantile from summed histogram counts, interpolating the rank inside its bucket
   * (as {@code quantile_cont} interpolates between neighbouring values), clamped to {@code max}.
   */
  static @Nullable Double quantile(long[] counts, double q, @Nullable Double max) {
    long total = 0;
    for (long c : counts) {
      total += c;
    }
    if (total <= 0) {
      return null;
    }
    double rank = q * (total - 1);
    long below = 0;
    for (int i = 0; i < counts.length; i++) {
      long c = counts[i];
      if (c > 0 && rank < below + c) {
        double lower = LOWER[i];
        double upper = i + 1 < BUCKETS ? LOWER[i + 1] : lower * 2;
        if (max != null) {
          upper = Math.min(upper, Math.max(max, lower));
        }
        double fraction = c == 1 ? 0.5 : (rank - below) / (c - 1);
        return lower + (upper - lower) * fraction;
      }
      below += c;
    }
    return max;
  }

  /** One roll-up row's key. */
  record Key(
      long periodMillis,
      String service,
      @Nullable String provider,
      @Nullable String model,
      @Nullable String workflow) {

    // Written out: the record's generated equals (ObjectMethods) showed in the writer's profile.
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && periodMillis == k.periodMillis
          && service.equals(k.service)
          && Objects.equals(provider, k.provider)
          && Objects.equals(model, k.model)
          && Objects.equals(workflow, k.workflow);
    }

    @Override
    public int hashCode() {
      int h = Long.hashCode(periodMillis);
      h = 31 * h + service.hashCode();
      h = 31 * h + Objects.hashCode(provider);
      h = 31 * h + Objects.hashCode(model);
      return 31 * h + Objects.hashCode(workflow);
    }
  }

  /** Sums for one key, accumulated from calls (or removed, for corrections). */
  static final class Sums {
    long calls;
    long input;
    long output;
    long cacheRead;
    long cacheWrite;
    long reasoning;
    double cost;
    long priced;
    double durationSum;
    long errors;
    long unpriced;
    double savings;
    long unpricedInput;
    long unpricedOutput;
    // Primitive, with a "none" value, so adding a call boxes nothing.
    long lastUnpricedNanos = Long.MIN_VALUE;
    double maxDuration = Double.NEGATIVE_INFINITY;
    final int[] histogram = new int[BUCKETS];

    /** Adds ({@code sign} 1) or removes ({@code sign} -1) one call. */
    void add(Call c, int sign) {
      calls += sign;
      input += sign * c.input;
      output += sign * c.output;
      cacheRead += sign * c.cacheRead;
      cacheWrite += sign * c.cacheWrite;
      reasoning += sign * c.reasoning;
      if (c.cost != null) {
        cost += sign * c.cost;
        priced += sign;
      }
      durationSum += sign * c.durationMillis;
      if (c.error) {
        errors += sign;
      }
      if (c.unpriced) {
        unpriced += sign;
        unpricedInput += sign * c.input;
        unpricedOutput += sign * c.output;
        if (sign > 0) {
          lastUnpricedNanos = Math.max(lastUnpricedNanos, c.startNanos);
        }
      }
      if (c.savings != null) {
        savings += sign * c.savings;
      }
      if (sign > 0) {
        maxDuration = Math.max(maxDuration, c.durationMillis);
      }
      histogram[bucket(c.durationMillis)] += sign;
    }

    /** Adds another key's sums (an hour's into its day). */
    void add(Sums o) {
      calls += o.calls;
      input += o.input;
      output += o.output;
      cacheRead += o.cacheRead;
      cacheWrite += o.cacheWrite;
      reasoning += o.reasoning;
      cost += o.cost;
      priced += o.priced;
      durationSum += o.durationSum;
      errors += o.errors;
      unpriced += o.unpriced;
      savings += o.savings;
      unpricedInput += o.unpricedInput;
      unpricedOutput += o.unpricedOutput;
      lastUnpricedNanos = Math.max(lastUnpricedNanos, o.lastUnpricedNanos);
      maxDuration = Math.max(maxDuration, o.maxDuration);
      for (int i = 0; i < BUCKETS; i++) {
        histogram[i] += o.histogram[i];
      }
    }
  }

  /** What one LLM call contributes, from a span row or read back from {@code spans}. */
  record Call(
      long startNanos,
      String service,
      @Nullable String provider,
      @Nullable String model,
      double durationMillis,
      long input,
      long output,
      long cacheRead,
      long cacheWrite,
      long reasoning,
      @Nullable Double cost,
      boolean error,
      boolean unpriced,
      @Nullable Double savings) {

    static Call of(SpanRow r) {
      return new Call(
          r.startNanos(),
          r.service(),
          r.provider(),
          r.model(),
          r.durationMillis(),
          r.inputTokens(),
          r.outputTokens(),
          r.cacheReadTokens(),
          r.cacheWriteTokens(),
          r.reasoningTokens(),
          r.costTotalUsd(),
          r.error() || r.errorType() != null,
          r.pricingUnavailable(),
          r.cacheSavingsUsd());
    }

    Key key(Level level, @Nullable String workflow) {
      return new Key(
          level.periodOf(Math.floorDiv(startNanos, 1_000_000L)),
          service,
          provider,
          model,
          workflow);
    }
  }

  /**
   * Rows being prepared for one transaction: calls are summed per hour key, and the day rows are
   * summed from those hour rows when written (one merge per hour key rather than a second map
   * update per call).
   */
  static final class Batch {
    private final Map<Key, Sums> hours = new LinkedHashMap<>();

    void add(Call call, @Nullable String workflow, int sign) {
      hours.computeIfAbsent(call.key(Level.HOUR, workflow), k -> new Sums()).add(call, sign);
    }

    void appendTo(DuckDBConnection connection) throws SQLException {
      Map<Key, Sums> days = new LinkedHashMap<>();
      for (Map.Entry<Key, Sums> e : hours.entrySet()) {
        Key h = e.getKey();
        Key day =
            new Key(
                Level.DAY.periodOf(h.periodMillis()),
                h.service(),
                h.provider(),
                h.model(),
                h.workflow());
        days.computeIfAbsent(day, k -> new Sums()).add(e.getValue());
      }
      append(connection, Level.HOUR, hours);
      append(connection, Level.DAY, days);
    }

    private static void append(DuckDBConnection connection, Level level, Map<Key, Sums> rows)
        throws SQLException {
      if (rows.isEmpty()) {
        return;
      }
      try (DuckDBAppender a = connection.createAppender("main", level.table)) {
        for (Map.Entry<Key, Sums> e : rows.entrySet()) {
          Key k = e.getKey();
          Sums s = e.getValue();
          a.beginRow()
              .append(k.periodMillis())
              .append(k.service())
              .append(k.provider())
              .append(k.model())
              .append(k.workflow());
          appendFigures(a, s);
        }
      }
      rows.clear();
    }
  }

  /** Appends a row's figure columns, after its key columns; ends the row. */
  static void appendFigures(DuckDBAppender a, Sums s) throws SQLException {
    a.append(s.calls)
        .append(s.input)
        .append(s.output)
        .append(s.cacheRead)
        .append(s.cacheWrite)
        .append(s.reasoning)
        .append(s.cost)
        .append(s.priced)
        .append(s.durationSum)
        .append(s.errors)
        .append(s.unpriced)
        .append(s.savings)
        .append(s.unpricedInput)
        .append(s.unpricedOutput)
        .append(s.lastUnpricedNanos == Long.MIN_VALUE ? null : s.lastUnpricedNanos)
        .append(s.maxDuration == Double.NEGATIVE_INFINITY ? null : s.maxDuration);
    for (int i = 0; i < BUCKETS; i++) {
      a.append(s.histogram[i]);
    }
    a.endRow();
  }

  /**
   * SQL that rebuilds the roll-up rows from {@code spans} (schema upgrades); the endpoint levels
   * take each call's endpoint from its trace's root span.
   */
  static String rebuildSql(Level level) {
    long p = level.millis;
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO "
                + level.table
                + " SELECT (start_ns // 1000000 - ((start_ns // 1000000) % "
                + p
                + " + "
                + p
                + ") % "
                + p
                + "), "
                + level.keys
                + ", count(*),"
                + " coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),"
                + " coalesce(sum(cache_read_tokens), 0), coalesce(sum(cache_write_tokens), 0),"
                + " coalesce(sum(reasoning_tokens), 0), coalesce(sum(cost_total_usd), 0),"
                + " count(cost_total_usd), coalesce(sum(duration_ms), 0),"
                + " count(*) FILTER (WHERE error OR error_type IS NOT NULL),"
                + " count(*) FILTER (WHERE pricing_unavailable),"
                + " coalesce(sum(cache_savings_usd), 0),"
                + " coalesce(sum(input_tokens) FILTER (WHERE pricing_unavailable), 0),"
                + " coalesce(sum(output_tokens) FILTER (WHERE pricing_unavailable), 0),"
                + " max(start_ns) FILTER (WHERE pricing_unavailable), max(duration_ms)");
    for (int i = 0; i < BUCKETS; i++) {
      sql.append(", count(*) FILTER (WHERE b = ").append(i).append(")");
    }
    String source =
        level.keys.equals(KEYS)
            ? "spans WHERE is_llm"
            : "spans s LEFT JOIN (SELECT trace_id, any_value(name) AS endpoint FROM spans"
                + " WHERE parent_span_id IS NULL GROUP BY trace_id) r USING (trace_id)"
                + " WHERE s.is_llm";
    sql.append(" FROM (SELECT *, ")
        .append(bucketSql("duration_ms"))
        .append(" AS b FROM " + source + ") GROUP BY ALL");
    return sql.toString();
  }

  /** SQL that merges all rows of a key into one, dropping keys whose calls all moved away. */
  static String compactSql(Level level) {
    return "CREATE TEMP TABLE llm_rollup_compact AS SELECT "
        + level.column
        + ", "
        + level.keys
        + sums()
        + " FROM "
        + level.table
        + " GROUP BY ALL HAVING sum(calls) <> 0";
  }

  /**
   * SQL that sums the rows of the hour table {@code hours} of the day starting at parameters 1 and
   * 2 (to 3) into its day table.
   */
  static String dayFromHoursSql(Level hours) {
    return "INSERT INTO "
        + hours.day().table
        + " SELECT CAST(? AS BIGINT), "
        + hours.keys
        + sums()
        + " FROM "
        + hours.table
        + " WHERE hour_ms >= ? AND hour_ms < ?"
        + " GROUP BY "
        + hours.keys
        + " HAVING sum(calls) <> 0";
  }

  private static String sums() {
    StringBuilder sql = new StringBuilder();
    for (String c : SUM_COLUMNS) {
      sql.append(", sum(").append(c).append(") AS ").append(c);
    }
    sql.append(", max(last_unpriced_ns) AS last_unpriced_ns")
        .append(", max(max_duration_ms) AS max_duration_ms");
    for (int i = 0; i < BUCKETS; i++) {
      sql.append(", CAST(sum(")
          .append(bucketColumn(i))
          .append(") AS INTEGER) AS ")
          .append(bucketColumn(i));
    }
    return sql.toString();
  }

  private LlmRollup() {}
}
