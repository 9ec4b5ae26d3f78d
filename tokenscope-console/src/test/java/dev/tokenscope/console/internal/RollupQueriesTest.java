package dev.tokenscope.console.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.protobuf.ByteString;
import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingCatalog;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The roll-up ({@code llm_rollup}) and the retry table ({@code retry_calls}), both maintained at
 * ingest, answer as the spans do: the same calls, tokens, costs and errors, p95 within one
 * histogram bucket, the same retry figures as the recursive walk over the span tree — with children
 * exported before their parents (workflow back-fill, calls waiting for their unit), ranges that cut
 * hours, filters, after compaction, and after upgrading a version 2 database.
 */
class RollupQueriesTest {

  private static final long HOUR = 3_600_000L;
  private static final long START = 1_795_000_000_000L / HOUR * HOUR;

  /** Every grouping the roll-up answers (by endpoint always reads the spans). */
  private static final ConsoleQueries.Dimension[] GROUPINGS = {
    ConsoleQueries.Dimension.MODEL,
    ConsoleQueries.Dimension.WORKFLOW,
    ConsoleQueries.Dimension.SERVICE,
    ConsoleQueries.Dimension.PROVIDER
  };

  private static final String[] ENDPOINTS = {"POST /menus", "GET /search", "POST /chat"};
  private static final String[] SERVICES = {"menu-api", "chat-api", "search-api"};
  private static final String[] WORKFLOWS = {"menu_design", "support_chat", "research"};
  private static final String[][] MODELS = {
    {"openai", "gpt-4o"},
    {"openai", "gpt-4o-mini"},
    {"anthropic", "claude-sonnet-4-5"},
    {"openai", "no-such-model-1"}
  };

  private final SplittableRandom random = new SplittableRandom(11);
  private final SpanMapper mapper = new SpanMapper(Pricing.of(PricingCatalog.builtin()));
  private long nextId = 1;

  @Test
  void rollupAnswersAsTheSpansDo(@TempDir Path dir) throws Exception {
    try (ConsoleDatabase db = ConsoleDatabase.open(dir, "256MB", 1)) {
      load(db, 400);
      assertSameAnswers(db);
      db.compactRollup(true);
      assertThat(count(db, "llm_rollup")).isLessThan(count(db, "spans"));
      assertSameAnswers(db);
      assertRetriesMatchTheTreeWalk(db);
    }
  }

  @Test
  void queriesSeeCallsWrittenAfterThem(@TempDir Path dir) throws Exception {
    // Reader connections see each commit (they once kept their first snapshot), through the
    // prepared plans ConsoleQueries keeps per connection too.
    try (ConsoleDatabase db = ConsoleDatabase.open(dir, "256MB", 1)) {
      ConsoleQueries queries = new ConsoleQueries(db, 0);
      QueryFilter f = filter(START + 1234, START + 80 * HOUR);
      load(db, 40);
      Map<String, Object> before = queries.summary(f, false);
      Map<String, Object> seriesBefore =
          queries.timeseries(f, ConsoleQueries.Metric.CALLS, ConsoleQueries.Dimension.MODEL, HOUR);
      load(db, 40);
      Map<String, Object> after = queries.summary(f, false);
      assertThat((Long) after.get("calls")).isGreaterThan((Long) before.get("calls"));
      assertThat(after.get("calls"))
          .isEqualTo(new ConsoleQueries(db, 0).summary(f, false).get("calls"));
      Map<String, Object> seriesAfter =
          queries.timeseries(f, ConsoleQueries.Metric.CALLS, ConsoleQueries.Dimension.MODEL, HOUR);
      assertSameSeries(
          seriesAfter,
          new ConsoleQueries(db, 0)
              .timeseries(
                  f, ConsoleQueries.Metric.CALLS, ConsoleQueries.Dimension.MODEL, HOUR, false));
      assertThat(seriesTotal(seriesAfter)).isEqualTo((double) (Long) after.get("calls"));
      assertThat(seriesTotal(seriesBefore)).isEqualTo((double) (Long) before.get("calls"));
    }
  }

  @Test
  void upgradingAVersion2DatabaseFillsBothTables(@TempDir Path dir) throws Exception {
    Map<String, Object> before;
    try (ConsoleDatabase db = ConsoleDatabase.open(dir, "256MB", 1)) {
      load(db, 60);
      before = new ConsoleQueries(db, 0).summary(filter(START, START + 80 * HOUR), true);
      execute(
          db,
          "DELETE FROM llm_rollup",
          "DELETE FROM llm_rollup_day",
          "DELETE FROM llm_endpoint_rollup",
          "DELETE FROM llm_endpoint_rollup_day",
          "DELETE FROM llm_trace_hours",
          "DELETE FROM retry_calls",
          "UPDATE console_meta SET value = '2' WHERE key = 'schema_version'");
    }
    try (ConsoleDatabase db = ConsoleDatabase.open(dir, "256MB", 1)) {
      Map<String, Object> after =
          new ConsoleQueries(db, 0).summary(filter(START, START + 80 * HOUR), true);
      assertThat(after.get("calls")).isEqualTo(before.get("calls"));
      assertThat((Double) after.get("cost_usd"))
          .isCloseTo((Double) before.get("cost_usd"), within(1e-9));
      assertThat(after.get("retry_llm_calls")).isEqualTo(before.get("retry_llm_calls"));
      assertThat((Double) after.get("retry_cost_usd"))
          .isCloseTo((Double) before.get("retry_cost_usd"), within(1e-9));
      assertThat(after.get("p95_latency_ms")).isEqualTo(before.get("p95_latency_ms"));
      assertThat(after.get("traces_with_llm_calls")).isEqualTo(before.get("traces_with_llm_calls"));
    }
  }

  @Test
  void upgradingAVersion3DatabaseFillsTheEndpointRollupsAndTraceHours(@TempDir Path dir)
      throws Exception {
    QueryFilter f = filter(START + 1234, START + 80 * HOUR);
    List<Map<String, Object>> exact;
    try (ConsoleDatabase db = ConsoleDatabase.open(dir, "256MB", 1)) {
      load(db, 60);
      exact =
          new ConsoleQueries(db, Long.MAX_VALUE).breakdown(f, ConsoleQueries.Dimension.ENDPOINT);
      execute(
          db,
          "DROP TABLE llm_endpoint_rollup",
          "DROP TABLE llm_endpoint_rollup_day",
          "DROP TABLE llm_trace_hours",
          "UPDATE console_meta SET value = '3' WHERE key = 'schema_version'");
    }
    try (ConsoleDatabase db = ConsoleDatabase.open(dir, "256MB", 1)) {
      assertThat(count(db, "llm_endpoint_rollup")).isPositive();
      assertSameFigures(
          new ConsoleQueries(db, 0).breakdown(f, ConsoleQueries.Dimension.ENDPOINT),
          exact,
          "endpoint");
      assertThat(new ConsoleQueries(db, 0).summary(f, false).get("traces_with_llm_calls"))
          .isEqualTo(
              new ConsoleQueries(db, Long.MAX_VALUE)
                  .summary(f, false)
                  .get("traces_with_llm_calls"));
    }
  }

  private void assertSameAnswers(ConsoleDatabase db) throws Exception {
    ConsoleQueries rollup = new ConsoleQueries(db, 0);
    ConsoleQueries exact = new ConsoleQueries(db, Long.MAX_VALUE);
    List<QueryFilter> filters =
        List.of(
            filter(START - HOUR, START + 100 * HOUR),
            // Cuts hours at both ends.
            filter(START + 3 * HOUR + 1234, START + 40 * HOUR - 98_765),
            new QueryFilter(START, START + 60 * HOUR, "chat-api", null, null),
            new QueryFilter(START, START + 60 * HOUR, null, "research", null),
            new QueryFilter(START + 1, START + 60 * HOUR, null, null, "gpt-4o"),
            // No whole hour: the spans alone.
            filter(START + 20 * HOUR + 1234, START + 21 * HOUR + 5));
    for (QueryFilter f : filters) {
      boolean sparse = f.toMillis() - f.fromMillis() < 2 * HOUR;
      for (ConsoleQueries.Dimension d : GROUPINGS) {
        assertSameFigures(rollup.breakdown(f, d), exact.breakdown(f, d), d.key, !sparse);
      }
      // From the endpoint roll-up when unfiltered (roots arrive with or after their calls).
      assertSameFigures(
          rollup.breakdown(f, ConsoleQueries.Dimension.ENDPOINT),
          exact.breakdown(f, ConsoleQueries.Dimension.ENDPOINT),
          "endpoint",
          !sparse);
      Map<String, Object> summary = rollup.summary(f, false);
      Map<String, Object> exactSummary = exact.summary(f, false);
      assertSameFigures(List.of(summary), List.of(exactSummary), "from", !sparse);
      // From llm_trace_hours when unfiltered.
      assertThat(summary.get("traces_with_llm_calls"))
          .isEqualTo(exactSummary.get("traces_with_llm_calls"));
      assertThat(rollup.unpriced(f)).isEqualTo(spanUnpriced(db, f));
      // The dashboard's one request for all of these: the same figures (sums in another order).
      Map<String, Object> overview = rollup.overview(f);
      assertSameFigures(
          List.of(summary), List.of(overviewPart(overview, "summary")), "from", !sparse);
      assertThat(overviewPart(overview, "summary").get("traces_with_llm_calls"))
          .isEqualTo(summary.get("traces_with_llm_calls"));
      for (ConsoleQueries.Dimension d : GROUPINGS) {
        if (d != ConsoleQueries.Dimension.PROVIDER) {
          @SuppressWarnings("unchecked")
          List<Map<String, Object>> part = (List<Map<String, Object>>) overview.get(d.key + "s");
          assertSameFigures(rollup.breakdown(f, d), part, d.key, !sparse);
        }
      }
      assertThat(overview.get("unpriced")).isEqualTo(rollup.unpriced(f));
    }
    // Time series: hours inside a bucket from the roll-up, hours cut by a bucket boundary or the
    // range's ends from the spans; every bucket the same as from the spans alone.
    List<QueryFilter> seriesFilters = new ArrayList<>(filters);
    seriesFilters.add(filter(START, START + 72 * HOUR));
    seriesFilters.add(filter(START + 1, START + 72 * HOUR + 1));
    seriesFilters.add(filter(START + 17 * 60_000L, START + 71 * HOUR + 5 * 60_000L));
    seriesFilters.add(new QueryFilter(START + 1234, START + 50 * HOUR, "menu-api", null, null));
    seriesFilters.add(filter(START + 1234, START + HOUR + 5));
    for (QueryFilter f : seriesFilters) {
      for (long step : new long[] {HOUR, 6 * HOUR, 24 * HOUR}) {
        for (ConsoleQueries.Metric m : ConsoleQueries.Metric.values()) {
          for (ConsoleQueries.Dimension d : GROUPINGS) {
            assertSameSeries(
                rollup.timeseries(f, m, d, step, true), rollup.timeseries(f, m, d, step, false));
          }
        }
      }
    }
    // Days (UTC) from the roll-up against the spans.
    long day = 86_400_000L;
    long to = (START / day + 3) * day;
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> days =
        (List<Map<String, Object>>) rollup.dayOverDay(filter(START, to), 3, 0).get("days");
    List<String> fromSpans =
        db.read(
            c -> {
              try (Statement s = c.createStatement()) {
                return strings(
                    s,
                    "SELECT start_ns // 1000000 // 86400000 AS d, count(*), round(sum(cost_total_usd), 9),"
                        + " 0 FROM spans WHERE is_llm AND start_ns >= "
                        + (to - 3 * day) * 1_000_000L
                        + " AND start_ns < "
                        + to * 1_000_000L
                        + " GROUP BY d ORDER BY d");
              }
            });
    List<String> fromRollup = new ArrayList<>();
    for (Map<String, Object> d : days) {
      fromRollup.add(
          (Long) d.get("start") / day
              + "/"
              + d.get("calls")
              + "/"
              + java.math.BigDecimal.valueOf(Math.round((Double) d.get("cost_usd") * 1e9), 9)
                  .stripTrailingZeros()
                  .toPlainString()
              + "/0");
    }
    assertThat(fromRollup).hasSize(3);
    assertThat(fromRollup.toString().replaceAll("\\.?0+/", "/"))
        .isEqualTo(fromSpans.toString().replaceAll("\\.?0+/", "/"));
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> overviewPart(Map<String, Object> overview, String key) {
    return (Map<String, Object>) overview.get(key);
  }

  private static void assertSameSeries(Map<String, Object> a, Map<String, Object> b) {
    assertThat(a.get("timestamps")).isEqualTo(b.get("timestamps"));
    Map<Object, double[]> va = seriesByName(a);
    Map<Object, double[]> vb = seriesByName(b);
    // Series of equal totals may come in either order; by name they are the same.
    assertThat(va.keySet()).isEqualTo(vb.keySet());
    for (Map.Entry<Object, double[]> e : va.entrySet()) {
      double[] x = e.getValue();
      double[] y = vb.get(e.getKey());
      assertThat(x).hasSameSizeAs(y);
      for (int j = 0; j < x.length; j++) {
        assertThat(x[j]).as("%s[%d]", e.getKey(), j).isCloseTo(y[j], within(1e-9));
      }
    }
  }

  private static double seriesTotal(Map<String, Object> result) {
    double total = 0;
    for (double[] values : seriesByName(result).values()) {
      for (double v : values) {
        total += v;
      }
    }
    return total;
  }

  private static Map<Object, double[]> seriesByName(Map<String, Object> result) {
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> series = (List<Map<String, Object>>) result.get("series");
    Map<Object, double[]> byName = new LinkedHashMap<>();
    for (Map<String, Object> s : series) {
      byName.put(s.get("name"), (double[]) s.get("values"));
    }
    return byName;
  }

  private static void assertSameFigures(
      List<Map<String, Object>> rollup, List<Map<String, Object>> exact, String key) {
    assertSameFigures(rollup, exact, key, true);
  }

  /**
   * With {@code p95s} false, p95 is not compared: over a handful of calls neighbouring ranks can
   * lie buckets apart (the console answers ranges of up to exactQuantileCalls calls exactly, from
   * the spans).
   */
  private static void assertSameFigures(
      List<Map<String, Object>> rollup, List<Map<String, Object>> exact, String key, boolean p95s) {
    assertThat(rollup).hasSameSizeAs(exact).isNotEmpty();
    Map<Object, Map<String, Object>> byKey = new LinkedHashMap<>();
    for (Map<String, Object> row : exact) {
      byKey.put(String.valueOf(row.get(key)) + "|" + row.get("provider"), row);
    }
    for (Map<String, Object> r : rollup) {
      Map<String, Object> e = byKey.get(String.valueOf(r.get(key)) + "|" + r.get("provider"));
      assertThat(e).as("row %s", r).isNotNull();
      for (String f :
          List.of(
              "calls",
              "input_tokens",
              "output_tokens",
              "cache_read_tokens",
              "total_tokens",
              "priced_calls",
              "errors",
              "unpriced_calls")) {
        assertThat(r.get(f)).as(f + " of " + r.get(key)).isEqualTo(e.get(f));
      }
      for (String f :
          List.of(
              "cost_usd", "cache_savings_usd", "avg_latency_ms", "error_rate", "avg_cost_usd")) {
        if (e.get(f) == null) {
          assertThat(r.get(f)).isNull();
        } else {
          assertThat((Double) r.get(f))
              .as(f + " of " + r.get(key))
              .isCloseTo((Double) e.get(f), within(1e-9 * Math.max(1, (Double) e.get(f))));
        }
      }
      double p95 = (Double) e.get("p95_latency_ms");
      if (!p95s) {
        continue;
      }
      // One histogram bucket is 2^(1/4) wide: the estimate is within 19 % of the exact value.
      assertThat((Double) r.get("p95_latency_ms"))
          .as("p95 of " + r.get(key))
          .isCloseTo(p95, within(0.19 * p95 + 1));
    }
  }

  private static List<Map<String, Object>> spanUnpriced(ConsoleDatabase db, QueryFilter f)
      throws Exception {
    QueryFilter.Sql sql = new QueryFilter.Sql();
    sql.append(
        "SELECT model, provider, count(*) AS calls, coalesce(sum(input_tokens), 0),"
            + " coalesce(sum(output_tokens), 0), max(start_ns) FROM spans s WHERE ");
    sql.append(f.where("s", true));
    sql.append(" AND pricing_unavailable GROUP BY model, provider ORDER BY calls DESC");
    return db.read(
        c -> {
          List<Map<String, Object>> rows = new ArrayList<>();
          try (var ps = c.prepareStatement(sql.toString())) {
            for (int i = 0; i < sql.params.size(); i++) {
              ps.setObject(i + 1, sql.params.get(i));
            }
            try (ResultSet r = ps.executeQuery()) {
              while (r.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("model", r.getString(1));
                row.put("provider", r.getString(2));
                row.put("calls", r.getLong(3));
                row.put("input_tokens", r.getLong(4));
                row.put("output_tokens", r.getLong(5));
                row.put("last_seen", r.getLong(6) / 1_000_000L);
                rows.add(row);
              }
            }
          }
          return rows;
        });
  }

  private static void assertRetriesMatchTheTreeWalk(ConsoleDatabase db) throws Exception {
    String byUnit =
        " SELECT unit, attempt, count(*), round(sum(cost_usd), 9) FROM %s GROUP BY ALL ORDER BY ALL";
    db.read(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("CREATE TEMP TABLE tree_walk AS SELECT * FROM retry_calls LIMIT 0");
            s.execute(
                ConsoleDatabase.RETRY_CALLS_REBUILD.replace(
                    "INSERT INTO retry_calls", "INSERT INTO tree_walk"));
            List<String> walked = strings(s, String.format(byUnit, "tree_walk"));
            List<String> atIngest = strings(s, String.format(byUnit, "retry_calls"));
            assertThat(atIngest).isNotEmpty().isEqualTo(walked);
            s.execute("DROP TABLE tree_walk");
          }
          return null;
        });
  }

  private static List<String> strings(Statement s, String sql) throws java.sql.SQLException {
    List<String> out = new ArrayList<>();
    try (ResultSet r = s.executeQuery(sql)) {
      while (r.next()) {
        out.add(
            r.getString(1) + "/" + r.getString(2) + "/" + r.getString(3) + "/" + r.getString(4));
      }
    }
    return out;
  }

  /** Runs {@code statements} in order on one of the database's connections. */
  private static void execute(ConsoleDatabase db, String... statements) throws Exception {
    db.read(
        c -> {
          try (Statement s = c.createStatement()) {
            for (String sql : statements) {
              s.execute(sql);
            }
          }
          return null;
        });
  }

  private static long count(ConsoleDatabase db, String table) throws Exception {
    return db.read(
        c -> {
          try (Statement s = c.createStatement();
              ResultSet r = s.executeQuery("SELECT count(*) FROM " + table)) {
            r.next();
            return r.getLong(1);
          }
        });
  }

  private static QueryFilter filter(long from, long to) {
    return new QueryFilter(from, to, null, null, null);
  }

  /**
   * Traces over three days, written the way SDKs export them: children in one group, their parents
   * (unit, workflow, root) in a later one, or everything at once.
   */
  private void load(ConsoleDatabase db, int traces) throws Exception {
    List<SpanRow> early = new ArrayList<>();
    List<SpanRow> late = new ArrayList<>();
    for (int t = 0; t < traces; t++) {
      String service = SERVICES[random.nextInt(SERVICES.length)];
      List<Span> children = new ArrayList<>();
      List<Span> parents = new ArrayList<>();
      trace(children, parents, START + (long) (random.nextDouble() * 72 * HOUR));
      boolean split = random.nextInt(3) > 0;
      List<SpanRow> childRows = mapper.map(request(service, children)).rows();
      List<SpanRow> parentRows = mapper.map(request(service, parents)).rows();
      if (split) {
        early.addAll(childRows);
        late.addAll(parentRows);
      } else {
        early.addAll(childRows);
        early.addAll(parentRows);
      }
      if (early.size() > 150) {
        db.write(early, List.of(), START);
        db.write(late, List.of(), START);
        early.clear();
        late.clear();
      }
    }
    db.write(early, List.of(), START);
    db.write(late, List.of(), START);
  }

  private void trace(List<Span> children, List<Span> parents, long startMillis) {
    ByteString trace = id(16);
    ByteString root = id(8);
    ByteString workflow = id(8);
    String workflowName = WORKFLOWS[random.nextInt(WORKFLOWS.length)];
    boolean namedCalls = random.nextBoolean();
    long cursor = startMillis + 2;
    int tasks = 1 + random.nextInt(3);
    for (int task = 0; task < tasks; task++) {
      int attempts = random.nextInt(3) == 0 ? 2 + random.nextInt(2) : 1;
      for (int attempt = 1; attempt <= attempts; attempt++) {
        ByteString taskId = id(8);
        ByteString parentOfCalls = taskId;
        long taskStart = cursor;
        // Sometimes a step between the unit and its calls.
        ByteString step = random.nextInt(4) == 0 ? id(8) : null;
        if (step != null) {
          parentOfCalls = step;
        }
        int calls = 1 + random.nextInt(3);
        for (int c = 0; c < calls; c++) {
          long duration = (long) Math.exp(random.nextDouble() * Math.log(200_000)) + 1;
          children.add(
              llm(trace, parentOfCalls, cursor, duration, namedCalls ? workflowName : null));
          cursor += duration + 1;
        }
        if (step != null) {
          children.add(span(trace, step, taskId, "step", taskStart, cursor).build());
        }
        Span.Builder taskSpan = span(trace, taskId, workflow, "task" + task, taskStart, cursor);
        if (attempts > 1) {
          taskSpan.addAttributes(lng("tokenscope.attempt", attempt));
        }
        children.add(taskSpan.build());
      }
    }
    parents.add(
        span(trace, workflow, root, workflowName + ".workflow", startMillis + 1, cursor)
            .addAttributes(str("traceloop.span.kind", "workflow"))
            .addAttributes(str("traceloop.workflow.name", workflowName))
            .build());
    String endpoint = ENDPOINTS[random.nextInt(ENDPOINTS.length)];
    parents.add(span(trace, root, null, endpoint, startMillis, cursor + 1).build());
  }

  private Span llm(
      ByteString trace, ByteString parent, long start, long duration, String workflow) {
    String[] model = MODELS[random.nextInt(MODELS.length)];
    long input = 10 + random.nextInt(5000);
    long output = 5 + random.nextInt(800);
    Span.Builder span =
        span(trace, id(8), parent, "chat " + model[1], start, start + duration)
            .addAttributes(str("gen_ai.operation.name", "chat"))
            .addAttributes(str("gen_ai.provider.name", model[0]))
            .addAttributes(str("gen_ai.request.model", model[1]))
            .addAttributes(lng("gen_ai.usage.input_tokens", input))
            .addAttributes(lng("gen_ai.usage.output_tokens", output));
    if (workflow != null) {
      span.addAttributes(str("traceloop.workflow.name", workflow));
    }
    if (random.nextInt(10) == 0) {
      span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR));
    }
    if (random.nextInt(3) == 0) {
      span.addAttributes(lng("gen_ai.usage.cache_read.input_tokens", input / 2));
    }
    return span.build();
  }

  private static Span.Builder span(
      ByteString trace, ByteString id, ByteString parent, String name, long start, long end) {
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(trace)
            .setSpanId(id)
            .setName(name)
            .setStartTimeUnixNano(start * 1_000_000L)
            .setEndTimeUnixNano(end * 1_000_000L);
    if (parent != null) {
      b.setParentSpanId(parent);
    }
    return b;
  }

  private static ExportTraceServiceRequest request(String service, List<Span> spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(str("service.name", service)))
                .addScopeSpans(ScopeSpans.newBuilder().addAllSpans(spans)))
        .build();
  }

  private ByteString id(int bytes) {
    byte[] out = new byte[bytes];
    long n = nextId++;
    for (int i = 0; i < bytes; i++) {
      out[bytes - 1 - i] = (byte) (i < 8 ? n >>> (8 * i) : 0x5a);
    }
    return ByteString.copyFrom(out);
  }

  private static KeyValue str(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static KeyValue lng(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }
}
