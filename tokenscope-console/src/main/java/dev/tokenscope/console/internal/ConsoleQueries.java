package dev.tokenscope.console.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The dashboard's questions as SQL over DuckDB. Every figure is computed here, once, so the API and
 * the UI cannot disagree: error rate is errors / calls, cost per call is cost / priced calls, the
 * input/output ratio is a ratio of sums, p95 is DuckDB's {@code quantile_cont}.
 */
public final class ConsoleQueries {

  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final long HOUR_NANOS = 3_600_000_000_000L;
  private static final long DAY_MILLIS = 86_400_000L;
  private static final int MAX_SERIES = 10;

  /** Aggregates shared by every breakdown; column positions are read in {@link #figures}. */
  private static final String FIGURES =
      "count(*) AS calls, coalesce(sum(input_tokens), 0), coalesce(sum(output_tokens), 0),"
          + " coalesce(sum(cache_read_tokens), 0), coalesce(sum(cache_write_tokens), 0),"
          + " coalesce(sum(reasoning_tokens), 0), coalesce(sum(cost_total_usd), 0) AS cost,"
          + " count(cost_total_usd), avg(duration_ms), quantile_cont(duration_ms, 0.95),"
          + " count(*) FILTER (WHERE error OR error_type IS NOT NULL),"
          + " count(*) FILTER (WHERE pricing_unavailable), coalesce(sum(cache_savings_usd), 0)";

  /**
   * Up to this many calls, breakdowns and the summary are computed from the spans themselves, with
   * exact percentiles; above it from the hourly roll-up (exact sums and counts, p95 from its
   * histogram). System property {@code tokenscope.console.exactQuantileCalls}.
   */
  static final long EXACT_QUANTILE_CALLS =
      Long.getLong("tokenscope.console.exactQuantileCalls", 10_000L);

  private final ConsoleDatabase database;
  private final long exactQuantileCalls;

  public ConsoleQueries(ConsoleDatabase database) {
    this(database, EXACT_QUANTILE_CALLS);
  }

  ConsoleQueries(ConsoleDatabase database, long exactQuantileCalls) {
    this.database = database;
    this.exactQuantileCalls = exactQuantileCalls;
  }

  // ---- The hourly roll-up (llm_rollup) plus the spans of the hours it cannot answer for. ----

  /** Sum columns read by {@link #rollupFigures}, in order, after the grouping columns. */
  private static final String ROLLUP_FIGURES;

  /** {@link #calls}' columns summed per key, named as before: for a second grouping. */
  private static final String KEY_SUMS;

  static {
    StringBuilder f = new StringBuilder();
    for (String c : LlmRollup.SUM_COLUMNS) {
      boolean real = c.endsWith("_usd") || c.equals("duration_ms_sum");
      f.append(f.length() == 0 ? "" : ", ")
          .append(real ? "sum(" + c + ")" : "CAST(sum(" + c + ") AS BIGINT)")
          .append(c.equals("calls") ? " AS calls" : c.equals("cost_usd") ? " AS cost" : "");
    }
    f.append(", max(max_duration_ms)");
    for (int i = 0; i < LlmRollup.BUCKETS; i++) {
      f.append(", CAST(sum(").append(LlmRollup.bucketColumn(i)).append(") AS BIGINT)");
    }
    ROLLUP_FIGURES = f.toString();
    StringBuilder k = new StringBuilder();
    for (String c : LlmRollup.SUM_COLUMNS) {
      k.append("sum(").append(c).append(") AS ").append(c).append(", ");
    }
    for (int i = 0; i < LlmRollup.BUCKETS; i++) {
      String c = LlmRollup.bucketColumn(i);
      k.append("sum(").append(c).append(") AS ").append(c).append(", ");
    }
    KEY_SUMS =
        k.append("max(max_duration_ms) AS max_duration_ms,")
            .append(" max(last_unpriced_ns) AS last_unpriced_ns")
            .toString();
  }

  /**
   * Every LLM call in the filter's range: with {@code days}, day roll-up rows for the whole UTC
   * days inside the range; hour roll-up rows for the other whole hours inside it; single calls from
   * {@code spans} for the hours cut by the range's ends (one range scan each). Columns: service,
   * provider, model, workflow, t (ms: the day, the hour, or the call's start), the roll-up's sums,
   * last_unpriced_ns, max_duration_ms, and with {@code histogram} the latency histogram.
   *
   * <p>A caller that groups by time passes {@code days} only when its cells are made of whole UTC
   * days, and uses this at all only when they are made of whole hours.
   */
  private static QueryFilter.Sql calls(QueryFilter filter, boolean histogram, boolean days) {
    return calls(filter, histogram, days, false);
  }

  /**
   * {@link #calls}; {@code byEndpoint}: keyed by endpoint alone (from the endpoint roll-ups, and
   * for the cut hours the root span's name), for a filter without service, workflow or model.
   */
  private static QueryFilter.Sql calls(
      QueryFilter filter, boolean histogram, boolean days, boolean byEndpoint) {
    LlmRollup.Level hours = byEndpoint ? LlmRollup.Level.ENDPOINT_HOUR : LlmRollup.Level.HOUR;
    long firstHour = ceil(filter.fromMillis(), hours.millis);
    long endHour = Math.floorDiv(filter.toMillis(), hours.millis) * hours.millis;
    QueryFilter.Sql sql = new QueryFilter.Sql();
    if (firstHour >= endHour) {
      // Spans only: named as the roll-up rows would name them (a UNION takes its first branch's).
      StringBuilder names =
          new StringBuilder(hours.keys + ", t, ")
              .append(String.join(", ", LlmRollup.SUM_COLUMNS))
              .append(", last_unpriced_ns, max_duration_ms");
      if (histogram) {
        for (int i = 0; i < LlmRollup.BUCKETS; i++) {
          names.append(", ").append(LlmRollup.bucketColumn(i));
        }
      }
      return sql.append("(SELECT * FROM (")
          .append(spanCalls(filter, histogram, byEndpoint))
          .append(") AS x(" + names + "))");
    }
    long firstDay = ceil(filter.fromMillis(), LlmRollup.DAY_MILLIS);
    long endDay = Math.floorDiv(filter.toMillis(), LlmRollup.DAY_MILLIS) * LlmRollup.DAY_MILLIS;
    sql.append("(");
    if (days && firstDay < endDay) {
      rollupRows(sql, filter, hours.day(), histogram, firstDay, endDay);
      sql.append(" UNION ALL ");
      rollupRows(sql, filter, hours, histogram, firstHour, firstDay, endDay, endHour);
    } else {
      rollupRows(sql, filter, hours, histogram, firstHour, endHour);
    }
    List<QueryFilter> ends = cutEnds(filter, firstHour, endHour);
    if (!ends.isEmpty()) {
      // Both cut ends in one scan of the spans.
      sql.append(" UNION ALL ").append(spanCalls(filter, ends, histogram, byEndpoint));
    }
    return sql.append(")");
  }

  /**
   * Every LLM call in the filter's range, for buckets of {@code stepMillis} (whole hours) starting
   * at the range's start: hour roll-up rows for the hours no bucket boundary cuts; single calls
   * from {@code spans} for the hours that are cut (a boundary falls in hour {@code h} exactly when
   * {@code h - floorHour(from)} is a multiple of the step, so one scan finds them all) and for the
   * hours cut by the range's ends. Columns as {@link #calls}, without the histogram.
   */
  private static QueryFilter.Sql seriesCalls(QueryFilter filter, long stepMillis) {
    long hour = LlmRollup.HOUR_MILLIS;
    long from = filter.fromMillis();
    long firstHour = ceil(from, hour);
    long endHour = Math.floorDiv(filter.toMillis(), hour) * hour;
    if (from % hour == 0 || firstHour >= endHour) {
      // No boundary cuts an hour (or no whole hour at all): the plain split.
      return calls(filter, false, false);
    }
    long base = Math.floorDiv(from, hour) * hour;
    long stepHours = stepMillis / hour;
    String cut = "(((T - ?) // " + hour + ") % " + stepHours + " = 0)";
    QueryFilter.Sql sql = new QueryFilter.Sql();
    sql.append("(");
    rollupRows(sql, filter, LlmRollup.Level.HOUR, false, firstHour, endHour);
    sql.append(" AND NOT " + cut.replace("T", LlmRollup.Level.HOUR.column), base);
    sql.append(" UNION ALL ")
        .append(spanCalls(filter, false, false))
        .append(
            " AND (s.start_ns < ? OR s.start_ns >= ? OR "
                + cut.replace("T", "s.start_ns // 1000000")
                + ")",
            firstHour * 1_000_000L,
            endHour * 1_000_000L,
            base);
    return sql.append(")");
  }

  /**
   * The parts of the filter's range before {@code firstHour} and from {@code endHour} (the hours
   * its ends cut), those that are not empty.
   */
  private static List<QueryFilter> cutEnds(QueryFilter filter, long firstHour, long endHour) {
    List<QueryFilter> ends = new ArrayList<>(2);
    if (filter.fromMillis() < firstHour) {
      ends.add(filter.withRange(filter.fromMillis(), firstHour));
    }
    if (endHour < filter.toMillis()) {
      ends.add(filter.withRange(endHour, filter.toMillis()));
    }
    return ends;
  }

  private static long ceil(long millis, long period) {
    return Math.floorDiv(millis + period - 1, period) * period;
  }

  /** Roll-up rows whose period starts in one of the ranges (pairs of from, to in ms). */
  private static void rollupRows(
      QueryFilter.Sql sql,
      QueryFilter filter,
      LlmRollup.Level level,
      boolean histogram,
      long... ranges) {
    sql.append(
        "SELECT "
            + level.keys
            + ", "
            + level.column
            + " AS t, "
            + String.join(", ", LlmRollup.SUM_COLUMNS)
            + ", last_unpriced_ns, max_duration_ms");
    if (histogram) {
      for (int i = 0; i < LlmRollup.BUCKETS; i++) {
        sql.append(", " + LlmRollup.bucketColumn(i));
      }
    }
    List<String> within = new ArrayList<>();
    List<Object> bounds = new ArrayList<>();
    for (int i = 0; i < ranges.length; i += 2) {
      if (ranges[i] < ranges[i + 1]) {
        within.add(level.column + " >= ? AND " + level.column + " < ?");
        bounds.add(ranges[i]);
        bounds.add(ranges[i + 1]);
      }
    }
    sql.append(
        " FROM "
            + level.table
            + " WHERE ("
            + (within.isEmpty() ? "false" : String.join(" OR ", within))
            + ")",
        bounds.toArray());
    dimensionFilters(filter, sql);
  }

  /**
   * The LLM calls of the filter as single-call rows with the roll-up's columns ({@code byEndpoint}:
   * the endpoint roll-up's).
   */
  private static QueryFilter.Sql spanCalls(
      QueryFilter filter, boolean histogram, boolean byEndpoint) {
    return spanCalls(filter, List.of(filter), histogram, byEndpoint);
  }

  /**
   * {@link #spanCalls} over the filter's dimensions and the time ranges of {@code ranges} (one
   * scan; with {@code byEndpoint}, each range's calls joined with the roots of that range).
   */
  private static QueryFilter.Sql spanCalls(
      QueryFilter filter, List<QueryFilter> ranges, boolean histogram, boolean byEndpoint) {
    QueryFilter.Sql sql = new QueryFilter.Sql();
    sql.append(
        "SELECT "
            + (byEndpoint ? "endpoint" : LlmRollup.KEYS)
            + ", start_ns // 1000000, 1,"
            + " coalesce(input_tokens, 0), coalesce(output_tokens, 0),"
            + " coalesce(cache_read_tokens, 0), coalesce(cache_write_tokens, 0),"
            + " coalesce(reasoning_tokens, 0), coalesce(cost_total_usd, 0),"
            + " CASE WHEN cost_total_usd IS NULL THEN 0 ELSE 1 END, duration_ms,"
            + " CASE WHEN error OR error_type IS NOT NULL THEN 1 ELSE 0 END,"
            + " CASE WHEN pricing_unavailable THEN 1 ELSE 0 END,"
            + " coalesce(cache_savings_usd, 0),"
            + " CASE WHEN pricing_unavailable THEN coalesce(input_tokens, 0) ELSE 0 END,"
            + " CASE WHEN pricing_unavailable THEN coalesce(output_tokens, 0) ELSE 0 END,"
            + " CASE WHEN pricing_unavailable THEN start_ns END, duration_ms");
    QueryFilter.Sql from = new QueryFilter.Sql().append(" FROM spans s");
    if (byEndpoint && ranges.size() == 1) {
      from.append(" LEFT JOIN ").append(roots(ranges.get(0))).append(" r USING (trace_id)");
    } else if (byEndpoint) {
      from.append(" LEFT JOIN ").append(roots(ranges.get(0), ranges.get(1)));
    }
    from.append(" WHERE ").append(filter.whereCallsIn("s", ranges));
    if (!histogram) {
      return sql.append(from);
    }
    for (int i = 0; i < LlmRollup.BUCKETS; i++) {
      sql.append(", CASE WHEN b = " + i + " THEN 1 ELSE 0 END");
    }
    // Materialised, so the bucket is computed once per selected call (inlined into the 82 CASEs,
    // DuckDB computed it for every span before filtering: 7x slower measured).
    QueryFilter.Sql outer = new QueryFilter.Sql();
    return outer
        .append(
            "SELECT * FROM (WITH e AS MATERIALIZED (SELECT service, provider, model, workflow,"
                + " start_ns, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,"
                + " reasoning_tokens, cost_total_usd, duration_ms, error, error_type,"
                + " pricing_unavailable, cache_savings_usd, "
                + (byEndpoint ? "endpoint, " : "")
                + LlmRollup.bucketSql("duration_ms")
                + " AS b")
        .append(from)
        .append(") ")
        .append(sql)
        .append(" FROM e)");
  }

  private static void dimensionFilters(QueryFilter filter, QueryFilter.Sql sql) {
    if (filter.service() != null) {
      sql.append(" AND service = ?", filter.service());
    }
    if (filter.workflow() != null) {
      sql.append(" AND workflow = ?", filter.workflow());
    }
    if (filter.model() != null) {
      sql.append(" AND model = ?", filter.model());
    }
  }

  /** Reads the {@link #ROLLUP_FIGURES} columns starting at {@code first} into {@code row}. */
  private static void rollupFigures(ResultSet r, int first, Map<String, Object> row)
      throws SQLException {
    int n = LlmRollup.SUM_COLUMNS.length;
    long calls = r.getLong(first);
    double durationSum = r.getDouble(first + 8);
    long errors = r.getLong(first + 9);
    Double maxDuration = nullableDouble(r, first + n);
    long[] histogram = new long[LlmRollup.BUCKETS];
    for (int i = 0; i < histogram.length; i++) {
      histogram[i] = r.getLong(first + n + 1 + i);
    }
    put(
        row,
        r,
        first,
        calls == 0 ? null : durationSum / calls,
        LlmRollup.quantile(histogram, 0.95, maxDuration),
        errors,
        r.getLong(first + 10),
        r.getDouble(first + 11));
  }

  /**
   * Puts every figure of a breakdown row: calls, the token sums, cost and priced calls from the
   * first eight columns at {@code first} (the same in both queries), the rest as given.
   */
  private static void put(
      Map<String, Object> row,
      ResultSet r,
      int first,
      @Nullable Double avgLatency,
      @Nullable Double p95,
      long errors,
      long unpriced,
      double savings)
      throws SQLException {
    long calls = r.getLong(first);
    long input = r.getLong(first + 1);
    long output = r.getLong(first + 2);
    double cost = r.getDouble(first + 6);
    long priced = r.getLong(first + 7);
    row.put("calls", calls);
    row.put("input_tokens", input);
    row.put("output_tokens", output);
    row.put("cache_read_tokens", r.getLong(first + 3));
    row.put("cache_write_tokens", r.getLong(first + 4));
    row.put("reasoning_tokens", r.getLong(first + 5));
    row.put("total_tokens", input + output);
    row.put("cost_usd", cost);
    row.put("priced_calls", priced);
    row.put("avg_cost_usd", priced == 0 ? null : cost / priced);
    row.put("avg_latency_ms", avgLatency);
    row.put("p95_latency_ms", p95);
    row.put("errors", errors);
    row.put("error_rate", calls == 0 ? 0.0 : (double) errors / calls);
    row.put("unpriced_calls", unpriced);
    row.put("avg_input_tokens", calls == 0 ? 0.0 : (double) input / calls);
    row.put("avg_output_tokens", calls == 0 ? 0.0 : (double) output / calls);
    row.put("input_output_ratio", output == 0 ? null : (double) input / output);
    row.put("cache_savings_usd", savings);
  }

  private static long totalCalls(List<Map<String, Object>> rows) {
    long total = 0;
    for (Map<String, Object> row : rows) {
      total += (Long) row.get("calls");
    }
    return total;
  }

  /** A breakdown dimension: the SQL expression and the JSON key it is reported under. */
  public enum Dimension {
    MODEL("model", "s.model"),
    WORKFLOW("workflow", "s.workflow"),
    SERVICE("service", "s.service"),
    PROVIDER("provider", "s.provider"),
    ENDPOINT("endpoint", "r.endpoint");

    final String key;
    final String expression;

    Dimension(String key, String expression) {
      this.key = key;
      this.expression = expression;
    }
  }

  /** Cost, tokens, latency and errors of LLM calls by one dimension (by model also by provider). */
  public List<Map<String, Object>> breakdown(QueryFilter filter, Dimension dimension)
      throws SQLException {
    boolean byEndpoint = dimension == Dimension.ENDPOINT;
    if (!byEndpoint || unfiltered(filter)) {
      String key = dimension.key + (dimension == Dimension.MODEL ? ", provider" : "");
      QueryFilter.Sql sql = new QueryFilter.Sql();
      sql.append("SELECT " + key + ", " + ROLLUP_FIGURES + " FROM ")
          .append(calls(filter, true, true, byEndpoint))
          .append(" c GROUP BY " + key + " HAVING sum(calls) > 0 ORDER BY cost DESC, calls DESC");
      List<Map<String, Object>> rows =
          rows(sql, (r, row) -> rollupFigures(r, putKey(r, dimension, row), row));
      if (totalCalls(rows) > exactQuantileCalls) {
        return rows;
      }
    }
    return exactBreakdown(filter, dimension);
  }

  /**
   * Whether the filter has no service, workflow or model: the endpoint roll-ups are keyed by
   * endpoint alone, so they answer only then (otherwise the spans do).
   */
  private static boolean unfiltered(QueryFilter filter) {
    return filter.service() == null && filter.workflow() == null && filter.model() == null;
  }

  /** {@link #breakdown} from the spans, with exact percentiles. */
  private List<Map<String, Object>> exactBreakdown(QueryFilter filter, Dimension dimension)
      throws SQLException {
    QueryFilter.Sql sql = new QueryFilter.Sql();
    String key = dimension.expression + (dimension == Dimension.MODEL ? ", s.provider" : "");
    sql.append("SELECT " + key + ", " + FIGURES + " FROM spans s");
    if (dimension == Dimension.ENDPOINT) {
      sql.append(" LEFT JOIN ").append(roots(filter)).append(" r USING (trace_id)");
    }
    sql.append(" WHERE ").append(filter.where("s", true));
    sql.append(" GROUP BY " + key + " ORDER BY cost DESC, calls DESC");
    return rows(sql, (r, row) -> figures(r, putKey(r, dimension, row), row));
  }

  /**
   * Puts a breakdown row's grouping columns (by model also the provider) and returns the column its
   * figures start at.
   */
  private static int putKey(ResultSet r, Dimension dimension, Map<String, Object> row)
      throws SQLException {
    row.put(dimension.key, r.getString(1));
    if (dimension != Dimension.MODEL) {
      return 2;
    }
    row.put("provider", r.getString(2));
    return 3;
  }

  /** Root span name per trace: the "endpoint" a request came in through. */
  private static QueryFilter.Sql roots(QueryFilter filter) {
    return new QueryFilter.Sql()
        .append(
            "(SELECT trace_id, any_value(name) AS endpoint FROM spans"
                + " WHERE parent_span_id IS NULL AND start_ns >= ? AND start_ns < ?"
                + " GROUP BY trace_id)",
            filter.fromNanos() - HOUR_NANOS,
            filter.toNanos());
  }

  /**
   * {@link #roots} of two ranges (the cut ends, {@code early} before {@code late}) in one scan,
   * joined so that a call of each range meets the roots of its own range only.
   */
  private static QueryFilter.Sql roots(QueryFilter early, QueryFilter late) {
    long lateRoots = late.fromNanos() - HOUR_NANOS;
    return new QueryFilter.Sql()
        .append(
            "(SELECT trace_id, start_ns >= ? AS late, any_value(name) AS endpoint FROM spans"
                + " WHERE parent_span_id IS NULL"
                + " AND ((start_ns >= ? AND start_ns < ?) OR (start_ns >= ? AND start_ns < ?))"
                + " GROUP BY trace_id, late) r"
                + " ON r.trace_id = s.trace_id AND r.late = (s.start_ns >= ?)",
            lateRoots,
            early.fromNanos() - HOUR_NANOS,
            early.toNanos(),
            lateRoots,
            late.toNanos(),
            late.fromNanos());
  }

  /** Reads the {@link #FIGURES} columns starting at {@code first} into {@code row}. */
  private static void figures(ResultSet r, int first, Map<String, Object> row) throws SQLException {
    put(
        row,
        r,
        first,
        nullableDouble(r, first + 8),
        nullableDouble(r, first + 9),
        r.getLong(first + 10),
        r.getLong(first + 11),
        r.getDouble(first + 12));
  }

  /**
   * Totals over the filter and how many traces there were, plus (when {@code withRetries}) what
   * retries cost. The retry totals need the recursive attempt tree; a caller that also asks for
   * {@link #retries} can sum its rows instead (each call belongs to its nearest retried unit only,
   * so the rows add up to the totals).
   */
  public Map<String, Object> summary(QueryFilter filter, boolean withRetries) throws SQLException {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("from", filter.fromMillis());
    summary.put("to", filter.toMillis());
    QueryFilter.Sql rollup = new QueryFilter.Sql();
    rollup
        .append("SELECT " + ROLLUP_FIGURES + " FROM ")
        .append(calls(filter, true, true))
        .append(" c");
    Map<String, Object> figures = rows(rollup, (r, row) -> rollupFigures(r, 1, row)).get(0);
    if ((Long) figures.get("calls") > exactQuantileCalls) {
      summary.putAll(withTraceCount(filter, figures));
    } else {
      QueryFilter.Sql sql = new QueryFilter.Sql();
      sql.append("SELECT " + FIGURES + ", count(DISTINCT trace_id) FROM spans s WHERE ");
      sql.append(filter.where("s", true));
      summary.putAll(
          rows(
                  sql,
                  (r, row) -> {
                    figures(r, 1, row);
                    row.put("traces_with_llm_calls", r.getLong(14));
                  })
              .get(0));
    }
    if (withRetries) {
      summary.putAll(retryTotals(filter));
    }
    return summary;
  }

  /** The roll-up's summary figures plus {@code traces_with_llm_calls}. */
  private Map<String, Object> withTraceCount(QueryFilter filter, Map<String, Object> figures)
      throws SQLException {
    figures.put(
        "traces_with_llm_calls",
        rows(tracesWithCalls(filter), (r, row) -> row.put("n", r.getLong(1))).get(0).get("n"));
    return figures;
  }

  /**
   * What the dashboard's first screen shows, from one query over the LLM calls (one read of the
   * roll-ups and one scan of the cut hours' spans, where asking for each panel read them once per
   * panel): {@code summary} (without retries), {@code models}, {@code workflows}, {@code services}
   * and {@code unpriced}, each as {@link #summary}, {@link #breakdown} and {@link #unpriced} answer
   * it.
   */
  public Map<String, Object> overview(QueryFilter filter) throws SQLException {
    // g: which grouping set a row belongs to (GROUPING(x) is 1 when x is not grouped).
    QueryFilter.Sql sql = new QueryFilter.Sql();
    sql.append(
            "SELECT GROUPING(model) + 2 * GROUPING(workflow) + 4 * GROUPING(service) AS g,"
                + " model, provider, workflow, service, "
                + ROLLUP_FIGURES
                + ", max(last_unpriced_ns) FROM (SELECT "
                + LlmRollup.KEYS
                + ", "
                + KEY_SUMS
                + " FROM ")
        .append(calls(filter, true, true))
        // Summed by every key first (~160 rows here), so the four grouping sets add up those
        // rather than every roll-up row each.
        .append(
            " c GROUP BY ALL) c GROUP BY GROUPING SETS ((), (model, provider), (workflow), (service))"
                + " ORDER BY g, cost DESC, calls DESC");
    int first = 6;
    int lastUnpriced = first + LlmRollup.SUM_COLUMNS.length + 1 + LlmRollup.BUCKETS;
    Map<String, Object> figures = new LinkedHashMap<>();
    List<Map<String, Object>> models = new ArrayList<>();
    List<Map<String, Object>> workflows = new ArrayList<>();
    List<Map<String, Object>> services = new ArrayList<>();
    List<Map<String, Object>> unpriced = new ArrayList<>();
    rows(
        sql,
        (r, unused) -> {
          int g = r.getInt(1);
          Map<String, Object> row = new LinkedHashMap<>();
          if (g == 6) {
            row.put("model", r.getString(2));
            row.put("provider", r.getString(3));
          } else if (g == 5) {
            row.put("workflow", r.getString(4));
          } else if (g == 3) {
            row.put("service", r.getString(5));
          }
          rollupFigures(r, first, row);
          if (g == 7) {
            figures.putAll(row);
          } else if ((Long) row.get("calls") > 0) {
            (g == 6 ? models : g == 5 ? workflows : services).add(row);
          }
          long unpricedCalls = r.getLong(first + sumColumn("unpriced_calls"));
          if (g == 6 && unpricedCalls > 0) {
            unpriced.add(
                unpricedRow(
                    r.getString(2),
                    r.getString(3),
                    unpricedCalls,
                    r.getLong(first + sumColumn("unpriced_input_tokens")),
                    r.getLong(first + sumColumn("unpriced_output_tokens")),
                    r.getLong(lastUnpriced)));
          }
        });
    // As unpriced() orders them.
    unpriced.sort(Comparator.comparingLong((Map<String, Object> u) -> -(Long) u.get("calls")));
    Map<String, Object> out = new LinkedHashMap<>();
    Long calls = (Long) figures.get("calls");
    if (calls == null || calls <= exactQuantileCalls) {
      // Few calls: exact percentiles from the spans, as each panel's own request answers.
      out.put("summary", summary(filter, false));
      out.put("models", breakdown(filter, Dimension.MODEL));
      out.put("workflows", breakdown(filter, Dimension.WORKFLOW));
      out.put("services", breakdown(filter, Dimension.SERVICE));
      out.put("unpriced", unpriced);
      return out;
    }
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("from", filter.fromMillis());
    summary.put("to", filter.toMillis());
    summary.putAll(withTraceCount(filter, figures));
    out.put("summary", summary);
    out.put("models", models);
    out.put("workflows", workflows);
    out.put("services", services);
    out.put("unpriced", unpriced);
    return out;
  }

  /**
   * How many traces have LLM calls in the filter's range: without service, workflow or model, from
   * {@link LlmTraceHours} for the whole hours inside the range (about one row per trace instead of
   * one per call) and the calls of the hours cut by its ends; otherwise from the calls.
   */
  private static QueryFilter.Sql tracesWithCalls(QueryFilter filter) {
    long hour = LlmRollup.HOUR_MILLIS;
    long firstHour = ceil(filter.fromMillis(), hour);
    long endHour = Math.floorDiv(filter.toMillis(), hour) * hour;
    QueryFilter.Sql sql = new QueryFilter.Sql();
    if (!unfiltered(filter) || firstHour >= endHour) {
      return sql.append("SELECT count(DISTINCT trace_id) FROM spans s WHERE ")
          .append(filter.where("s", true));
    }
    sql.append(
        "SELECT count(DISTINCT trace_id) FROM (SELECT trace_id FROM "
            + LlmTraceHours.TABLE
            + " WHERE hour_ms >= ? AND hour_ms < ?",
        firstHour,
        endHour);
    List<QueryFilter> ends = cutEnds(filter, firstHour, endHour);
    if (!ends.isEmpty()) {
      sql.append(" UNION ALL SELECT trace_id FROM spans s WHERE ")
          .append(filter.whereCallsIn("s", ends));
    }
    return sql.append(")");
  }

  /**
   * LLM calls under a retried unit (the nearest span above them, or themselves, with {@code
   * tokenscope.attempt}), resolved at ingest into {@code retry_calls}: units started in the range,
   * of the filter's service and workflow; calls of the filter's model.
   */
  private static QueryFilter.Sql retryCalls(QueryFilter filter) {
    QueryFilter.Sql sql = new QueryFilter.Sql();
    sql.append(
        " FROM retry_calls WHERE unit_start_ns >= ? AND unit_start_ns < ?",
        filter.fromNanos(),
        filter.toNanos());
    dimensionFilters(filter, sql);
    return sql;
  }

  private Map<String, Object> retryTotals(QueryFilter filter) throws SQLException {
    QueryFilter.Sql sql = new QueryFilter.Sql();
    sql.append(
            "SELECT coalesce(sum(cost_usd) FILTER (WHERE attempt > 1), 0),"
                + " count(*) FILTER (WHERE attempt > 1),"
                + " count(DISTINCT unit_span_id) FILTER (WHERE attempt > 1),"
                + " coalesce(sum(cost_usd), 0)")
        .append(retryCalls(filter));
    return rows(
            sql,
            (r, row) -> {
              row.put("retry_cost_usd", r.getDouble(1));
              row.put("retry_llm_calls", r.getLong(2));
              row.put("retried_units", r.getLong(3));
              row.put("attempt_loops_cost_usd", r.getDouble(4));
            })
        .get(0);
  }

  /** What retries and refinement loops cost, by the name of the retried unit. */
  public List<Map<String, Object>> retries(QueryFilter filter) throws SQLException {
    QueryFilter.Sql sql = new QueryFilter.Sql();
    sql.append(
            "SELECT unit, max(attempt),"
                + " count(DISTINCT unit_span_id) FILTER (WHERE attempt > 1),"
                + " count(*), count(*) FILTER (WHERE attempt > 1), coalesce(sum(cost_usd), 0),"
                + " coalesce(sum(cost_usd) FILTER (WHERE attempt > 1), 0) AS retry_cost")
        .append(retryCalls(filter))
        .append(" GROUP BY unit ORDER BY retry_cost DESC, unit");
    return rows(
        sql,
        (r, row) -> {
          row.put("unit", r.getString(1));
          row.put("max_attempt", r.getLong(2));
          row.put("retries", r.getLong(3));
          row.put("llm_calls", r.getLong(4));
          row.put("retry_llm_calls", r.getLong(5));
          row.put("loop_cost_usd", r.getDouble(6));
          row.put("retry_cost_usd", r.getDouble(7));
        });
  }

  /** LLM calls that could not be priced, by model and provider. */
  public List<Map<String, Object>> unpriced(QueryFilter filter) throws SQLException {
    QueryFilter.Sql sql = new QueryFilter.Sql();
    sql.append(
            "SELECT model, provider, CAST(sum(unpriced_calls) AS BIGINT) AS calls,"
                + " CAST(sum(unpriced_input_tokens) AS BIGINT),"
                + " CAST(sum(unpriced_output_tokens) AS BIGINT), max(last_unpriced_ns) FROM ")
        .append(calls(filter, false, true))
        .append(" c GROUP BY model, provider HAVING sum(unpriced_calls) > 0 ORDER BY calls DESC");
    return rows(
        sql,
        (r, row) ->
            row.putAll(
                unpricedRow(
                    r.getString(1),
                    r.getString(2),
                    r.getLong(3),
                    r.getLong(4),
                    r.getLong(5),
                    r.getLong(6))));
  }

  /** One model's row of {@link #unpriced} (also in {@link #overview}). */
  private static Map<String, Object> unpricedRow(
      @Nullable String model,
      @Nullable String provider,
      long calls,
      long inputTokens,
      long outputTokens,
      long lastSeenNanos) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("model", model);
    row.put("provider", provider);
    row.put("calls", calls);
    row.put("input_tokens", inputTokens);
    row.put("output_tokens", outputTokens);
    row.put("last_seen", lastSeenNanos / 1_000_000L);
    return row;
  }

  /** Where a {@link LlmRollup#SUM_COLUMNS} column is among {@link #ROLLUP_FIGURES}' sums. */
  private static int sumColumn(String name) {
    int i = Arrays.asList(LlmRollup.SUM_COLUMNS).indexOf(name);
    if (i < 0) {
      throw new IllegalArgumentException("not a roll-up sum column: " + name);
    }
    return i;
  }

  /** Which metric a time series shows. */
  public enum Metric {
    COST("coalesce(sum(cost_total_usd), 0)", "sum(cost_usd)"),
    TOKENS("coalesce(sum(input_tokens + output_tokens), 0)", "sum(input_tokens + output_tokens)"),
    CALLS("count(*)", "sum(calls)"),
    ERRORS("count(*) FILTER (WHERE error OR error_type IS NOT NULL)", "sum(errors)");

    final String expression;
    final String rollupExpression;

    Metric(String expression, String rollupExpression) {
      this.expression = expression;
      this.rollupExpression = rollupExpression;
    }
  }

  /**
   * One series per group (the top {@value #MAX_SERIES} by total; the rest summed as "other"),
   * aligned on buckets of {@code stepMillis} starting at {@code from}.
   */
  public Map<String, Object> timeseries(
      QueryFilter filter, Metric metric, Dimension groupBy, long stepMillis) throws SQLException {
    return timeseries(filter, metric, groupBy, stepMillis, true);
  }

  /** {@link #timeseries}; with {@code rollup} false, every bucket from the spans. */
  Map<String, Object> timeseries(
      QueryFilter filter, Metric metric, Dimension groupBy, long stepMillis, boolean rollup)
      throws SQLException {
    int buckets = (int) ((filter.toMillis() - filter.fromMillis() + stepMillis - 1) / stepMillis);
    QueryFilter.Sql sql = new QueryFilter.Sql();
    long hour = LlmRollup.HOUR_MILLIS;
    if (!rollup || groupBy == Dimension.ENDPOINT || stepMillis % hour != 0) {
      // Buckets that cut every hour, or by endpoint: from the spans.
      sql.append(
          "SELECT CAST(floor((s.start_ns / 1000000 - ?) / ?) AS BIGINT) AS bucket, "
              + groupBy.expression
              + " AS key, "
              + metric.expression
              + " AS v FROM spans s",
          filter.fromMillis(),
          stepMillis);
      if (groupBy == Dimension.ENDPOINT) {
        sql.append(" LEFT JOIN ").append(roots(filter)).append(" r USING (trace_id)");
      }
      sql.append(" WHERE ").append(filter.where("s", true)).append(" GROUP BY ALL");
    } else {
      // Buckets of whole hours: the hours inside a bucket from the roll-up; the hours a bucket
      // boundary or the range's ends cut, from the spans.
      sql.append(
              "SELECT CAST(floor((t - ?) / ?) AS BIGINT) AS bucket, "
                  + groupBy.key
                  + " AS key, "
                  + metric.rollupExpression
                  + " AS v FROM ",
              filter.fromMillis(),
              stepMillis)
          .append(seriesCalls(filter, stepMillis))
          .append(" c GROUP BY ALL HAVING sum(calls) <> 0");
    }
    Map<String, double[]> series = new LinkedHashMap<>();
    database.read(
        c -> {
          try (ResultSet r = prepare(c, sql).executeQuery()) {
            while (r.next()) {
              int bucket = (int) r.getLong(1);
              if (bucket < 0 || bucket >= buckets) {
                continue;
              }
              String key = r.getString(2);
              series
                      .computeIfAbsent(key == null ? "(none)" : key, k -> new double[buckets])[
                      bucket] +=
                  r.getDouble(3);
            }
          }
          return null;
        });
    List<Map.Entry<String, double[]>> ordered = new ArrayList<>(series.entrySet());
    ordered.sort(Comparator.comparingDouble((Map.Entry<String, double[]> e) -> -sum(e.getValue())));
    List<Map<String, Object>> out = new ArrayList<>();
    double[] other = null;
    for (int i = 0; i < ordered.size(); i++) {
      if (i < MAX_SERIES) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", ordered.get(i).getKey());
        s.put("values", ordered.get(i).getValue());
        s.put("total", sum(ordered.get(i).getValue()));
        out.add(s);
      } else {
        if (other == null) {
          other = new double[buckets];
        }
        double[] values = ordered.get(i).getValue();
        for (int b = 0; b < buckets; b++) {
          other[b] += values[b];
        }
      }
    }
    if (other != null) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("name", "(other)");
      s.put("values", other);
      s.put("total", sum(other));
      out.add(s);
    }
    long[] timestamps = new long[buckets];
    for (int b = 0; b < buckets; b++) {
      timestamps[b] = filter.fromMillis() + b * stepMillis;
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("metric", metric.name().toLowerCase(java.util.Locale.ROOT));
    result.put("group_by", groupBy.key);
    result.put("from", filter.fromMillis());
    result.put("to", filter.toMillis());
    result.put("step", stepMillis);
    result.put("timestamps", timestamps);
    result.put("series", out);
    return result;
  }

  private static double sum(double[] values) {
    double total = 0;
    for (double v : values) {
      total += v;
    }
    return total;
  }

  /** How trace lists are ordered. */
  public enum TraceSort {
    COST("cost_usd", "coalesce(sum(cost_total_usd), 0)"),
    DURATION("duration_ms", "(max(end_ns) - min(start_ns)) / 1e6"),
    START("start_ns", "min(start_ns)");

    final String column;
    final String aggregate;

    TraceSort(String column, String aggregate) {
      this.column = column;
      this.aggregate = aggregate;
    }
  }

  /** Traces that started in the range, with their cost; filters match any span of the trace. */
  public List<Map<String, Object>> traces(
      QueryFilter filter,
      @Nullable Double minCost,
      boolean errorsOnly,
      TraceSort sort,
      boolean descending,
      int limit)
      throws SQLException {
    // First the page of trace ids, aggregating only what sorts and filters them; then every
    // figure for those traces alone.
    String order = descending ? " DESC" : " ASC";
    QueryFilter.Sql sql = new QueryFilter.Sql();
    sql.append(
        "WITH page AS (SELECT trace_id, "
            + sort.aggregate
            + " AS k FROM spans WHERE start_ns >= ? AND start_ns < ? GROUP BY trace_id",
        filter.fromNanos(),
        filter.toNanos());
    havingFilters(filter, minCost, errorsOnly, sql);
    sql.append(" ORDER BY k" + order + ", trace_id LIMIT ?)", limit);
    sql.append(
        " SELECT trace_id,"
            + " coalesce(any_value(name) FILTER (WHERE parent_span_id IS NULL),"
            + " arg_min(name, start_ns)) AS root_name,"
            + " coalesce(any_value(service) FILTER (WHERE parent_span_id IS NULL),"
            + " arg_min(service, start_ns)) AS service,"
            + " min(start_ns) AS start_ns, (max(end_ns) - min(start_ns)) / 1e6 AS duration_ms,"
            + " coalesce(sum(cost_total_usd), 0) AS cost_usd,"
            + " count(*) FILTER (WHERE is_llm) AS llm_calls,"
            + " bool_or(error) AS error, count(*) AS spans,"
            + " any_value(workflow) AS workflow,"
            + " coalesce(sum(input_tokens), 0) + coalesce(sum(output_tokens), 0) AS tokens,"
            + " count(*) FILTER (WHERE pricing_unavailable) AS unpriced"
            + " FROM spans WHERE start_ns >= ? AND start_ns < ?"
            + " AND trace_id IN (SELECT trace_id FROM page) GROUP BY trace_id",
        filter.fromNanos(),
        filter.toNanos());
    sql.append(" ORDER BY " + sort.column + order + ", trace_id");
    return rows(
        sql,
        (r, row) -> {
          row.put("trace_id", r.getString(1));
          row.put("root_name", r.getString(2));
          row.put("service", r.getString(3));
          row.put("start", r.getLong(4) / 1_000_000L);
          row.put("duration_ms", r.getDouble(5));
          row.put("cost_usd", r.getDouble(6));
          row.put("llm_calls", r.getLong(7));
          row.put("error", r.getBoolean(8));
          row.put("spans", r.getLong(9));
          row.put("workflow", r.getString(10));
          row.put("tokens", r.getLong(11));
          row.put("unpriced_calls", r.getLong(12));
        });
  }

  /** The trace list's filters: any span of the trace matches; cost and errors of the trace. */
  private static void havingFilters(
      QueryFilter filter, @Nullable Double minCost, boolean errorsOnly, QueryFilter.Sql sql) {
    List<String> having = new ArrayList<>();
    List<Object> params = new ArrayList<>();
    if (filter.service() != null) {
      having.add("bool_or(service = ?)");
      params.add(filter.service());
    }
    if (filter.workflow() != null) {
      having.add("bool_or(workflow = ?)");
      params.add(filter.workflow());
    }
    if (filter.model() != null) {
      having.add("bool_or(model = ?)");
      params.add(filter.model());
    }
    if (minCost != null) {
      having.add("coalesce(sum(cost_total_usd), 0) >= ?");
      params.add(minCost);
    }
    if (errorsOnly) {
      having.add("bool_or(error)");
    }
    if (!having.isEmpty()) {
      sql.append(" HAVING " + String.join(" AND ", having), params.toArray());
    }
  }

  /** Every span of a trace in start order, or null when the trace is unknown. */
  public @Nullable Map<String, Object> trace(String traceId) throws SQLException {
    return database.read(
        c -> {
          List<Map<String, Object>> spans = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT span_id, parent_span_id, name, service, start_ns, end_ns, duration_ms,"
                      + " is_llm, model, provider, input_tokens, output_tokens,"
                      + " cache_read_tokens, reasoning_tokens, cost_total_usd,"
                      + " pricing_unavailable, workflow, attempt, details"
                      + " FROM spans WHERE trace_id = ? ORDER BY start_ns, span_id")) {
            ps.setString(1, traceId);
            try (ResultSet r = ps.executeQuery()) {
              while (r.next()) {
                JsonNode details = details(r.getString(19));
                Map<String, Object> span = new LinkedHashMap<>();
                span.put("span_id", r.getString(1));
                span.put("parent_span_id", r.getString(2));
                span.put("name", r.getString(3));
                span.put("kind", details.path("kind").asText(null));
                span.put("service", r.getString(4));
                long startNs = r.getLong(5);
                span.put("start", startNs / 1_000_000.0);
                span.put("start_ns", Long.toString(startNs));
                span.put("end_ns", Long.toString(r.getLong(6)));
                span.put("duration_ms", r.getDouble(7));
                span.put("status", details.path("status").asText("UNSET"));
                span.put("status_message", text(details, "status_message"));
                span.put("attributes", details.path("attributes"));
                span.put("resource", details.path("resource"));
                span.put("events", details.path("events"));
                boolean llm = r.getBoolean(8);
                span.put("llm", llm);
                if (llm) {
                  span.put("model", r.getString(9));
                  span.put("provider", r.getString(10));
                  span.put("operation", text(details, "operation"));
                  span.put("input_tokens", r.getLong(11));
                  span.put("output_tokens", r.getLong(12));
                  span.put("cache_read_tokens", r.getLong(13));
                  span.put("reasoning_tokens", r.getLong(14));
                  span.put("cost_usd", nullableDouble(r, 15));
                  span.put("priced_by", text(details, "priced_by"));
                  span.put("pricing_source", text(details, "pricing_source"));
                  span.put("pricing_unavailable", r.getBoolean(16));
                }
                span.put("workflow", r.getString(17));
                long attempt = r.getLong(18);
                span.put("attempt", r.wasNull() ? null : attempt);
                span.put("scope", text(details, "scope"));
                spans.add(span);
              }
            }
          }
          if (spans.isEmpty()) {
            return null;
          }
          Map<String, Object> trace = new LinkedHashMap<>();
          trace.put("trace_id", traceId);
          trace.put("spans", spans);
          return trace;
        });
  }

  /**
   * Cost per local day over {@code days} days ending at the filter's end, and the day whose cost
   * rose most over the day before, with what drove the rise (by model, workflow, service,
   * endpoint).
   */
  public Map<String, Object> dayOverDay(QueryFilter filter, int days, int tzOffsetMinutes)
      throws SQLException {
    long offsetMillis = tzOffsetMinutes * 60_000L;
    long lastDay = Math.floorDiv(filter.toMillis() - 1 + offsetMillis, DAY_MILLIS);
    long firstDay = lastDay - days + 1;
    QueryFilter range =
        new QueryFilter(
            firstDay * DAY_MILLIS - offsetMillis,
            filter.toMillis(),
            filter.service(),
            filter.workflow(),
            filter.model());
    String dayExpr =
        "CAST(floor((s.start_ns / 1000000 + " + offsetMillis + ") / " + DAY_MILLIS + ") AS BIGINT)";
    // Days of whole hours (a time zone offset in whole hours) come from the roll-up.
    String dayCell =
        offsetMillis % LlmRollup.HOUR_MILLIS != 0
            ? null
            : "CAST(floor((t + " + offsetMillis + ") / " + DAY_MILLIS + ") AS BIGINT)";
    QueryFilter.Sql sql = new QueryFilter.Sql();
    if (dayCell == null) {
      sql.append(
          "SELECT "
              + dayExpr
              + " AS day, coalesce(sum(cost_total_usd), 0), count(*) FROM spans s WHERE ");
      sql.append(range.where("s", true)).append(" GROUP BY day");
    } else {
      sql.append("SELECT " + dayCell + " AS day, sum(cost_usd), CAST(sum(calls) AS BIGINT) FROM ")
          .append(calls(range, false, offsetMillis == 0))
          .append(" c GROUP BY day HAVING sum(calls) <> 0");
    }
    double[] cost = new double[days];
    long[] calls = new long[days];
    database.read(
        c -> {
          try (ResultSet r = prepare(c, sql).executeQuery()) {
            while (r.next()) {
              int i = (int) (r.getLong(1) - firstDay);
              if (i >= 0 && i < days) {
                cost[i] = r.getDouble(2);
                calls[i] = r.getLong(3);
              }
            }
          }
          return null;
        });
    List<Map<String, Object>> dayList = new ArrayList<>();
    int spike = -1;
    double spikeDelta = 0;
    for (int i = 0; i < days; i++) {
      Map<String, Object> d = new LinkedHashMap<>();
      long startMillis = (firstDay + i) * DAY_MILLIS - offsetMillis;
      d.put(
          "day",
          Instant.ofEpochMilli((firstDay + i) * DAY_MILLIS)
              .atOffset(ZoneOffset.UTC)
              .toLocalDate()
              .toString());
      d.put("start", startMillis);
      d.put("cost_usd", cost[i]);
      d.put("calls", calls[i]);
      double delta = i == 0 ? 0 : cost[i] - cost[i - 1];
      d.put("delta_usd", i == 0 ? null : delta);
      dayList.add(d);
      if (i > 0 && delta > spikeDelta) {
        spikeDelta = delta;
        spike = i;
      }
    }
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("days", dayList);
    if (spike < 0) {
      result.put("spike", null);
      return result;
    }
    long spikeDay = firstDay + spike;
    Map<String, Object> s = new LinkedHashMap<>(dayList.get(spike));
    s.put("previous_cost_usd", cost[spike - 1]);
    for (Dimension d :
        new Dimension[] {
          Dimension.MODEL, Dimension.WORKFLOW, Dimension.SERVICE, Dimension.ENDPOINT
        }) {
      s.put("by_" + d.key, drivers(range, d, dayExpr, dayCell, spikeDay, offsetMillis));
    }
    result.put("spike", s);
    return result;
  }

  private List<Map<String, Object>> drivers(
      QueryFilter range,
      Dimension dimension,
      String dayExpr,
      @Nullable String dayCell,
      long spikeDay,
      long offsetMillis)
      throws SQLException {
    QueryFilter.Sql sql = new QueryFilter.Sql();
    // The two days only: other days add nothing to either side.
    QueryFilter twoDays =
        range.withRange(
            Math.max(range.fromMillis(), (spikeDay - 1) * DAY_MILLIS - offsetMillis),
            Math.min(range.toMillis(), (spikeDay + 1) * DAY_MILLIS - offsetMillis));
    boolean byEndpoint = dimension == Dimension.ENDPOINT;
    if (dayCell != null && (!byEndpoint || unfiltered(range))) {
      String day = dayCell;
      sql.append(
              "SELECT "
                  + dimension.key
                  + " AS key, coalesce(sum(cost_usd) FILTER (WHERE "
                  + day
                  + " = ?), 0) AS cur, coalesce(sum(cost_usd) FILTER (WHERE "
                  + day
                  + " = ?), 0) AS prev FROM ",
              spikeDay,
              spikeDay - 1)
          .append(calls(twoDays, false, offsetMillis == 0, byEndpoint))
          .append(" c GROUP BY ALL HAVING cur <> prev ORDER BY cur - prev DESC LIMIT 5");
      return rows(
          sql,
          (r, row) -> {
            row.put("key", r.getString(1));
            row.put("cost_usd", r.getDouble(2));
            row.put("previous_cost_usd", r.getDouble(3));
            row.put("delta_usd", r.getDouble(2) - r.getDouble(3));
          });
    }
    sql.append(
        "SELECT "
            + dimension.expression
            + " AS key, coalesce(sum(cost_total_usd) FILTER (WHERE "
            + dayExpr
            + " = ?), 0) AS cur, coalesce(sum(cost_total_usd) FILTER (WHERE "
            + dayExpr
            + " = ?), 0) AS prev FROM spans s",
        spikeDay,
        spikeDay - 1);
    if (dimension == Dimension.ENDPOINT) {
      sql.append(" LEFT JOIN ").append(roots(range)).append(" r USING (trace_id)");
    }
    sql.append(" WHERE ").append(twoDays.where("s", true));
    sql.append(" GROUP BY ALL HAVING cur <> prev ORDER BY cur - prev DESC LIMIT 5");
    return rows(
        sql,
        (r, row) -> {
          row.put("key", r.getString(1));
          row.put("cost_usd", r.getDouble(2));
          row.put("previous_cost_usd", r.getDouble(3));
          row.put("delta_usd", r.getDouble(2) - r.getDouble(3));
        });
  }

  /** Distinct services, workflows and models seen in the range, for the filter menus. */
  public Map<String, Object> filterValues(QueryFilter filter) throws SQLException {
    // One scan for the three menus.
    List<List<String>> values = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    database.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT CASE WHEN GROUPING(service) = 0 THEN 0"
                      + " WHEN GROUPING(workflow) = 0 THEN 1 ELSE 2 END AS kind,"
                      + " coalesce(service, workflow, model) AS v FROM spans"
                      + " WHERE start_ns >= ? AND start_ns < ?"
                      + " GROUP BY GROUPING SETS ((service), (workflow), (model))"
                      + " HAVING v IS NOT NULL ORDER BY kind, v")) {
            ps.setLong(1, filter.fromNanos());
            ps.setLong(2, filter.toNanos());
            try (ResultSet r = ps.executeQuery()) {
              while (r.next()) {
                List<String> list = values.get(r.getInt(1));
                if (list.size() < 500) {
                  list.add(r.getString(2));
                }
              }
            }
          }
          return null;
        });
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("services", values.get(0));
    out.put("workflows", values.get(1));
    out.put("models", values.get(2));
    return out;
  }

  /** Metric names received in the range with their point counts and, for delta sums, totals. */
  public List<Map<String, Object>> metrics(QueryFilter filter) throws SQLException {
    QueryFilter.Sql sql = new QueryFilter.Sql();
    sql.append(
        "SELECT name, type, unit, any_value(temporality), count(*),"
            + " sum(value) FILTER (WHERE type = 'sum' AND temporality = 'delta'),"
            + " sum(count) FILTER (WHERE temporality = 'delta'), max(time_ns)"
            + " FROM metric_points WHERE time_ns >= ? AND time_ns < ?",
        filter.fromNanos(),
        filter.toNanos());
    if (filter.service() != null) {
      sql.append(" AND service = ?", filter.service());
    }
    sql.append(" GROUP BY name, type, unit ORDER BY name");
    return rows(
        sql,
        (r, row) -> {
          row.put("name", r.getString(1));
          row.put("type", r.getString(2));
          row.put("unit", r.getString(3));
          row.put("temporality", r.getString(4));
          row.put("points", r.getLong(5));
          row.put("delta_sum", nullableDouble(r, 6));
          long count = r.getLong(7);
          row.put("delta_count", r.wasNull() ? null : count);
          row.put("last_seen", r.getLong(8) / 1_000_000L);
        });
  }

  /** Stored span and point counts and the oldest/newest span times. */
  public Map<String, Object> storage() throws SQLException {
    return database.read(
        c -> {
          Map<String, Object> out = new LinkedHashMap<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT count(*), count(*) FILTER (WHERE is_llm), min(start_ns), max(start_ns),"
                          + " (SELECT count(*) FROM metric_points) FROM spans");
              ResultSet r = ps.executeQuery()) {
            r.next();
            out.put("spans", r.getLong(1));
            out.put("llm_spans", r.getLong(2));
            long oldest = r.getLong(3);
            out.put("oldest_span", r.wasNull() ? null : oldest / 1_000_000L);
            long newest = r.getLong(4);
            out.put("newest_span", r.wasNull() ? null : newest / 1_000_000L);
            out.put("metric_points", r.getLong(5));
          }
          return out;
        });
  }

  /** Reads one result row into a JSON object. */
  @FunctionalInterface
  private interface RowReader {
    void read(ResultSet r, Map<String, Object> row) throws SQLException;
  }

  /** Runs a query and turns each result row into a JSON object. */
  private List<Map<String, Object>> rows(QueryFilter.Sql sql, RowReader reader)
      throws SQLException {
    return database.read(
        c -> {
          List<Map<String, Object>> rows = new ArrayList<>();
          try (ResultSet r = prepare(c, sql).executeQuery()) {
            while (r.next()) {
              Map<String, Object> row = new LinkedHashMap<>();
              reader.read(r, row);
              rows.add(row);
            }
          }
          return rows;
        });
  }

  /**
   * The connection's prepared statement for this SQL text, its parameters set. Planning the wide
   * roll-up queries costs milliseconds, so each reader connection keeps its last {@value
   * #PLANS_PER_CONNECTION} plans (times and filter values are parameters, so the text repeats from
   * one dashboard load to the next). Callers close the result set, never the statement. A reader
   * connection is used by one thread at a time (the pool hands it out), and so is its cache.
   */
  private PreparedStatement prepare(Connection c, QueryFilter.Sql sql) throws SQLException {
    Map<String, PreparedStatement> cache;
    synchronized (plans) {
      cache = plans.computeIfAbsent(c, k -> new LruPlans());
    }
    String text = sql.text.toString();
    PreparedStatement ps = cache.get(text);
    if (ps == null || ps.isClosed()) {
      ps = c.prepareStatement(text);
      cache.put(text, ps);
    } else {
      ps.clearParameters();
    }
    for (int i = 0; i < sql.params.size(); i++) {
      ps.setObject(i + 1, sql.params.get(i));
    }
    return ps;
  }

  private static final int PLANS_PER_CONNECTION = 64;

  /** Prepared statements per reader connection; see {@link #prepare}. */
  private final Map<Connection, Map<String, PreparedStatement>> plans = new IdentityHashMap<>();

  /** A connection's plans, least recently used closed first. */
  private static final class LruPlans extends LinkedHashMap<String, PreparedStatement> {
    private static final long serialVersionUID = 1L;

    LruPlans() {
      super(16, 0.75f, true);
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<String, PreparedStatement> eldest) {
      if (size() <= PLANS_PER_CONNECTION) {
        return false;
      }
      try {
        eldest.getValue().close();
      } catch (SQLException e) {
        // Closing a plan nobody uses any more; nothing to do.
      }
      return true;
    }
  }

  private static @Nullable Double nullableDouble(ResultSet r, int column) throws SQLException {
    double v = r.getDouble(column);
    return r.wasNull() ? null : v;
  }

  private static JsonNode details(@Nullable String text) {
    if (text == null) {
      return MAPPER.createObjectNode();
    }
    try {
      return MAPPER.readTree(text);
    } catch (IOException e) {
      return MAPPER.createObjectNode();
    }
  }

  private static @Nullable String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
