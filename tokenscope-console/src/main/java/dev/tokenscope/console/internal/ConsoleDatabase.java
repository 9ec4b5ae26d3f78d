package dev.tokenscope.console.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;
import org.duckdb.DuckDBAppender;
import org.duckdb.DuckDBConnection;
import org.jspecify.annotations.Nullable;

/**
 * The DuckDB database: schema, the single writer connection (bulk appends through DuckDB's
 * Appender, one transaction per group of batches), a small pool of read connections for queries,
 * and retention.
 *
 * <p>Writes happen on one thread only ({@link IngestPipeline}'s writer); reads may come from any
 * thread and see committed data only.
 */
public final class ConsoleDatabase implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(ConsoleDatabase.class.getName());
  static final String FILE_NAME = "tokenscope.duckdb";
  static final String CHECKPOINT_THRESHOLD = "256MB";

  private static final int SCHEMA_VERSION = 5;

  /** LLM calls under a retried unit ({@code tokenscope.attempt}), resolved at ingest. */
  static final String RETRY_CALLS_DDL =
      "CREATE TABLE IF NOT EXISTS retry_calls (trace_id VARCHAR NOT NULL,"
          + " unit_span_id VARCHAR NOT NULL, unit VARCHAR NOT NULL, attempt BIGINT NOT NULL,"
          + " unit_start_ns BIGINT NOT NULL, service VARCHAR NOT NULL, workflow VARCHAR,"
          + " model VARCHAR, cost_usd DOUBLE)";

  /** Fills {@code retry_calls} from the stored spans (upgrading a version 2 database). */
  static final String RETRY_CALLS_REBUILD =
      "INSERT INTO retry_calls SELECT * FROM (WITH RECURSIVE units AS MATERIALIZED ("
          + "SELECT trace_id, span_id, name, attempt, start_ns, service, workflow, is_llm, model,"
          + " cost_total_usd FROM spans WHERE attempt IS NOT NULL),"
          + " candidates AS MATERIALIZED (SELECT trace_id, span_id, parent_span_id, attempt,"
          + " is_llm, model, cost_total_usd FROM spans"
          + " WHERE trace_id IN (SELECT trace_id FROM units)),"
          + " tree(trace_id, span_id, unit, attempt, unit_span, unit_start, service, workflow,"
          + " depth, is_llm, model, cost) AS (SELECT trace_id, span_id, name, attempt, span_id,"
          + " start_ns, service, workflow, 0, is_llm, model, cost_total_usd FROM units"
          + " UNION ALL SELECT c.trace_id, c.span_id, t.unit, t.attempt, t.unit_span,"
          + " t.unit_start, t.service, t.workflow, t.depth + 1, c.is_llm, c.model,"
          + " c.cost_total_usd FROM candidates c JOIN tree t ON c.trace_id = t.trace_id"
          + " AND c.parent_span_id = t.span_id WHERE t.depth < "
          + AttemptTracker.MAX_DEPTH
          + " AND c.attempt IS NULL)"
          + " SELECT trace_id, unit_span, unit, attempt, unit_start, service, workflow, model, cost"
          + " FROM tree WHERE is_llm)";

  /**
   * The {@code spans} table: what the dashboard aggregates over as typed columns, everything else
   * in one JSON column, {@code details}, read by the trace view only. Kept narrow on purpose:
   * DuckDB's commit cost per row rises steeply once a transaction appends to many columns (measured
   * here with its JDBC appender: 24 columns ~1 us/row; 40 columns, or two tables of 24 and 20 in
   * one transaction, 13-70 us/row). The appender writes in exactly this column order.
   */
  static final String SPANS_DDL =
      "CREATE TABLE IF NOT EXISTS spans ("
          + "trace_id VARCHAR NOT NULL, span_id VARCHAR NOT NULL, parent_span_id VARCHAR,"
          + " service VARCHAR NOT NULL, name VARCHAR NOT NULL, start_ns BIGINT NOT NULL,"
          + " end_ns BIGINT NOT NULL, duration_ms DOUBLE NOT NULL, error BOOLEAN NOT NULL,"
          + " is_llm BOOLEAN NOT NULL, provider VARCHAR, model VARCHAR, input_tokens BIGINT,"
          + " output_tokens BIGINT, cache_read_tokens BIGINT, cache_write_tokens BIGINT,"
          + " reasoning_tokens BIGINT, cost_total_usd DOUBLE, pricing_unavailable BOOLEAN,"
          + " cache_savings_usd DOUBLE, workflow VARCHAR, attempt BIGINT, error_type VARCHAR,"
          + " received_ms BIGINT NOT NULL, details VARCHAR NOT NULL)";

  static final String METRICS_DDL =
      "CREATE TABLE IF NOT EXISTS metric_points ("
          + "service VARCHAR NOT NULL, scope VARCHAR, name VARCHAR NOT NULL, description VARCHAR,"
          + " unit VARCHAR, type VARCHAR NOT NULL, temporality VARCHAR, monotonic BOOLEAN,"
          + " start_ns BIGINT, time_ns BIGINT NOT NULL, value DOUBLE, count BIGINT, sum DOUBLE,"
          + " min DOUBLE, max DOUBLE, buckets VARCHAR, attributes VARCHAR,"
          + " received_ms BIGINT NOT NULL)";

  private final @Nullable Path file;
  private final DuckDBConnection writer;
  private final BlockingQueue<Connection> readers;
  private final List<Connection> allReaders = new ArrayList<>();
  private final PreparedStatement backfillWorkflow;
  private final PreparedStatement backfillRetryWorkflow;
  private final PreparedStatement saveJournalPosition;
  private final AttemptTracker attempts = new AttemptTracker(200_000);
  private final EndpointRollup endpoints = new EndpointRollup(100_000);
  private final LlmTraceHours traceHours = new LlmTraceHours();
  private long rollupRowsAtCompaction;

  /** Traces stored recently with spans that had no workflow yet (bounded, writer thread only). */
  private final Map<String, Boolean> tracesAwaitingWorkflow = boundedMap(100_000);

  /** Workflow of recently seen traces, for children that arrive after their workflow span. */
  private final Map<String, String> recentWorkflows = boundedMap(100_000);

  /**
   * The roll-up sums of the open transaction: every group appended adds to them, and they are
   * written once, at commit (one row per hour and key per transaction instead of per group: the
   * rows are 103 columns wide, and with a group per request they outnumbered the work of the
   * spans).
   */
  private LlmRollup.Batch openRollup = new LlmRollup.Batch();

  /** Traces in the open transaction with spans that had no workflow yet. */
  private final Set<String> awaitingInTransaction = new HashSet<>();

  private boolean inTransaction;

  private ConsoleDatabase(@Nullable Path file, DuckDBConnection writer, int readConnections)
      throws SQLException {
    this.file = file;
    this.writer = writer;
    this.readers = new ArrayBlockingQueue<>(readConnections);
    for (int i = 0; i < readConnections; i++) {
      Connection reader = writer.duplicate();
      // A duplicate inherits the writer's autocommit off: its first query would open a
      // transaction never ended, and the reader would see that snapshot for ever.
      reader.setAutoCommit(true);
      readers.add(reader);
      allReaders.add(reader);
    }
    this.backfillWorkflow =
        writer.prepareStatement(
            "UPDATE spans SET workflow = ? WHERE trace_id = ? AND workflow IS NULL"
                + " AND start_ns >= ?");
    this.backfillRetryWorkflow =
        writer.prepareStatement(
            "UPDATE retry_calls SET workflow = ? WHERE trace_id = ? AND workflow IS NULL");
    this.saveJournalPosition =
        writer.prepareStatement(
            "INSERT INTO console_meta VALUES ('journal_position', ?)"
                + " ON CONFLICT (key) DO UPDATE SET value = excluded.value");
    try (Statement s = writer.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM llm_rollup")) {
      r.next();
      rollupRowsAtCompaction = r.getLong(1);
    }
    writer.commit();
  }

  /**
   * Opens (creating if needed) the database in {@code directory}, or in memory when null.
   *
   * @param memoryLimit DuckDB's memory limit, e.g. {@code "1GB"}
   */
  public static ConsoleDatabase open(@Nullable Path directory, String memoryLimit, int threads)
      throws SQLException, IOException {
    try {
      Class.forName("org.duckdb.DuckDBDriver");
    } catch (ClassNotFoundException e) {
      throw new SQLException("DuckDB JDBC driver missing from the class path", e);
    }
    Path file = null;
    String url = "jdbc:duckdb:";
    if (directory != null) {
      Files.createDirectories(directory);
      file = directory.resolve(FILE_NAME);
      url = "jdbc:duckdb:" + file.toAbsolutePath();
    }
    Properties properties = new Properties();
    properties.setProperty("memory_limit", memoryLimit);
    properties.setProperty("threads", Integer.toString(Math.max(1, threads)));
    if (file != null) {
      // Checkpoint after 256 MB of WAL rather than DuckDB's 16 MB, which a single large ingest
      // transaction exceeds (so every commit checkpointed).
      properties.setProperty("checkpoint_threshold", CHECKPOINT_THRESHOLD);
    }
    DuckDBConnection connection;
    try {
      connection = (DuckDBConnection) DriverManager.getConnection(url, properties);
    } catch (SQLException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains("lock")) {
        throw new SQLException(
            "the database "
                + file
                + " is in use by another process (is another console running on this --data"
                + " directory?)",
            e);
      }
      throw e;
    }
    try (Statement s = connection.createStatement()) {
      s.execute(SPANS_DDL);
      s.execute(METRICS_DDL);
      s.execute(RETRY_CALLS_DDL);
      s.execute(LlmTraceHours.DDL);
      for (LlmRollup.Level level : LlmRollup.Level.values()) {
        s.execute(level.ddl());
      }
      s.execute("CREATE TABLE IF NOT EXISTS console_meta (key VARCHAR PRIMARY KEY, value VARCHAR)");
      s.execute(
          "INSERT INTO console_meta VALUES ('schema_version', '"
              + SCHEMA_VERSION
              + "') ON CONFLICT DO NOTHING");
      String version;
      try (ResultSet r =
          s.executeQuery("SELECT value FROM console_meta WHERE key = 'schema_version'")) {
        version = r.next() ? r.getString(1) : null;
      }
      if ("2".equals(version) || "3".equals(version) || "4".equals(version)) {
        upgrade(connection, file, Integer.parseInt(version));
      } else if (!Integer.toString(SCHEMA_VERSION).equals(version)) {
        throw new SQLException(
            "the database "
                + file
                + " has schema version "
                + version
                + "; this console reads version "
                + SCHEMA_VERSION);
      }
    }
    connection.setAutoCommit(false);
    return new ConsoleDatabase(file, connection, Math.max(2, threads * 2));
  }

  /**
   * Fills what versions after {@code version} added, from the stored spans, in one transaction with
   * the version bump: version 3 added {@code retry_calls} and the roll-ups, version 4 the endpoint
   * roll-ups ({@link EndpointRollup}), version 5 {@link LlmTraceHours}; all maintained at ingest.
   */
  private static void upgrade(DuckDBConnection connection, @Nullable Path file, int version)
      throws SQLException {
    logger.info("Upgrading " + file + " to schema version " + SCHEMA_VERSION);
    connection.setAutoCommit(false);
    try (Statement s = connection.createStatement()) {
      List<LlmRollup.Level> levels = new ArrayList<>();
      if (version < 3) {
        s.execute("DELETE FROM retry_calls");
        s.execute(RETRY_CALLS_REBUILD);
        levels.add(LlmRollup.Level.HOUR);
        levels.add(LlmRollup.Level.DAY);
      }
      if (version < 4) {
        levels.add(LlmRollup.Level.ENDPOINT_HOUR);
        levels.add(LlmRollup.Level.ENDPOINT_DAY);
      }
      for (LlmRollup.Level level : levels) {
        s.execute("DELETE FROM " + level.table);
        s.execute(LlmRollup.rebuildSql(level));
      }
      s.execute("DELETE FROM " + LlmTraceHours.TABLE);
      s.execute(LlmTraceHours.REBUILD);
      s.execute(
          "UPDATE console_meta SET value = '" + SCHEMA_VERSION + "' WHERE key = 'schema_version'");
      connection.commit();
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    } finally {
      connection.setAutoCommit(true);
    }
  }

  public @Nullable Path file() {
    return file;
  }

  /**
   * Appends spans and metric points in one transaction and commits; when this returns the data is
   * durable (DuckDB writes its WAL on commit). On failure the transaction is rolled back and
   * nothing of the group is stored. Writer thread only.
   */
  public void write(List<SpanRow> spans, List<MetricPointRow> points, long receivedMillis)
      throws SQLException {
    write(spans, points, receivedMillis, null);
  }

  /**
   * As {@link #write(List, List, long)}, and records in the same transaction that the ingest
   * journal is loaded up to {@code journalEnd} (when not null).
   */
  public void write(
      List<SpanRow> spans,
      List<MetricPointRow> points,
      long receivedMillis,
      IngestJournal.@Nullable Position journalEnd)
      throws SQLException {
    try {
      append(spans, points, receivedMillis);
      commit(journalEnd);
    } catch (SQLException | RuntimeException e) {
      rollback(e);
      throw e;
    }
  }

  /**
   * Appends spans and metric points (and what is maintained from them: roll-up, retried calls,
   * workflow back-fill) to the open transaction, beginning one if none is open; nothing is visible
   * or durable until {@link #commit}. On failure the caller must {@link #rollback}. Writer thread
   * only. Every stored row goes through here, once.
   */
  public void append(List<SpanRow> spans, List<MetricPointRow> points, long receivedMillis)
      throws SQLException {
    if (!inTransaction) {
      // A statement first, so the appenders join this transaction rather than auto-committing.
      try (Statement s = writer.createStatement()) {
        s.execute("SELECT 1");
      }
      inTransaction = true;
    }
    Map<String, String> workflowsInGroup = new LinkedHashMap<>();
    Map<String, Long> workflowStarts = new LinkedHashMap<>();
    for (SpanRow row : spans) {
      if (row.workflow() != null && "workflow".equals(row.entityKind())) {
        workflowsInGroup.putIfAbsent(row.traceId(), row.workflow());
        workflowStarts.merge(row.traceId(), row.startNanos(), Math::min);
      }
    }
    for (Map.Entry<String, String> e : workflowsInGroup.entrySet()) {
      recentWorkflows.put(e.getKey(), e.getValue());
    }
    Set<String> awaiting = new HashSet<>();
    List<@Nullable String> workflows = new ArrayList<>(spans.size());
    if (!spans.isEmpty()) {
      try (DuckDBAppender appender = writer.createAppender("main", "spans")) {
        for (SpanRow row : spans) {
          String workflow = row.workflow();
          if (workflow == null) {
            workflow = recentWorkflows.get(row.traceId());
            if (workflow == null) {
              awaiting.add(row.traceId());
            }
          }
          workflows.add(workflow);
          appendSpan(appender, row, workflow, receivedMillis);
        }
      }
    }
    LlmRollup.Batch rollup = openRollup;
    for (int i = 0; i < spans.size(); i++) {
      if (spans.get(i).llm()) {
        rollup.add(LlmRollup.Call.of(spans.get(i)), workflows.get(i), 1);
      }
    }
    appendRetryCalls(attempts.accept(spans, workflows));
    endpoints.accept(spans);
    traceHours.accept(spans);
    // Children exported before their workflow span ended: give them its workflow now.
    Map<String, String> backfills = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : workflowsInGroup.entrySet()) {
      if (tracesAwaitingWorkflow.remove(e.getKey()) != null
          || awaitingInTransaction.remove(e.getKey())) {
        backfills.put(e.getKey(), e.getValue());
        backfillWorkflow.setString(1, e.getValue());
        backfillWorkflow.setString(2, e.getKey());
        backfillWorkflow.setLong(3, workflowStarts.get(e.getKey()));
        backfillWorkflow.addBatch();
        backfillRetryWorkflow.setString(1, e.getValue());
        backfillRetryWorkflow.setString(2, e.getKey());
        backfillRetryWorkflow.addBatch();
        attempts.workflowKnown(e.getKey(), e.getValue());
      }
    }
    if (!backfills.isEmpty()) {
      // The roll-up moves those calls from "no workflow" to theirs, in the same transaction.
      moveRollupWorkflows(backfills, workflowStarts, rollup);
      backfillWorkflow.executeBatch();
      backfillRetryWorkflow.executeBatch();
    }
    if (!points.isEmpty()) {
      try (DuckDBAppender appender = writer.createAppender("main", "metric_points")) {
        for (MetricPointRow p : points) {
          appender
              .beginRow()
              .append(p.service())
              .append(p.scope())
              .append(p.name())
              .append(p.description())
              .append(p.unit())
              .append(p.type())
              .append(p.temporality())
              .append(p.monotonic())
              .append(p.startNanos())
              .append(p.timeNanos())
              .append(p.value())
              .append(p.count())
              .append(p.sum())
              .append(p.min())
              .append(p.max())
              .append(p.bucketsJson())
              .append(p.attributesJson())
              .append(receivedMillis)
              .endRow();
        }
      }
    }
    for (String traceId : awaiting) {
      if (!workflowsInGroup.containsKey(traceId)) {
        awaitingInTransaction.add(traceId);
      }
    }
  }

  /**
   * Commits what {@link #append} added (durable once this returns: DuckDB writes its WAL on
   * commit), recording with it how far the ingest journal is loaded when {@code journalEnd} is not
   * null. Writer thread only.
   */
  public void commit(IngestJournal.@Nullable Position journalEnd) throws SQLException {
    if (!inTransaction) {
      try (Statement s = writer.createStatement()) {
        s.execute("SELECT 1");
      }
    }
    openRollup.appendTo(writer);
    endpoints.appendTo(writer);
    traceHours.appendTo(writer);
    if (journalEnd != null) {
      saveJournalPosition.setString(1, journalEnd.toString());
      saveJournalPosition.executeUpdate();
    }
    writer.commit();
    inTransaction = false;
    for (String traceId : awaitingInTransaction) {
      tracesAwaitingWorkflow.put(traceId, Boolean.TRUE);
    }
    awaitingInTransaction.clear();
  }

  /** Rolls back the open transaction after a failed append or commit. Writer thread only. */
  public void rollback(Exception cause) {
    inTransaction = false;
    openRollup = new LlmRollup.Batch();
    endpoints.rollback();
    traceHours.rollback();
    awaitingInTransaction.clear();
    try {
      writer.rollback();
    } catch (SQLException rollbackFailure) {
      cause.addSuppressed(rollbackFailure);
    }
  }

  /** How far the ingest journal was loaded (committed with the data), or null if never. */
  public IngestJournal.@Nullable Position journalPosition() throws SQLException {
    try (Statement s = writer.createStatement();
        ResultSet r =
            s.executeQuery("SELECT value FROM console_meta WHERE key = 'journal_position'")) {
      IngestJournal.Position position =
          r.next() ? IngestJournal.Position.parse(r.getString(1)) : null;
      writer.commit();
      return position;
    }
  }

  private void appendRetryCalls(List<AttemptTracker.RetryCall> calls) throws SQLException {
    if (calls.isEmpty()) {
      return;
    }
    try (DuckDBAppender a = writer.createAppender("main", "retry_calls")) {
      for (AttemptTracker.RetryCall c : calls) {
        a.beginRow()
            .append(c.traceId())
            .append(c.unitSpanId())
            .append(c.unit())
            .append(c.attempt())
            .append(c.unitStartNanos())
            .append(c.service())
            .append(c.workflow())
            .append(c.model())
            .append(c.costUsd())
            .endRow();
      }
    }
  }

  /**
   * Adds to {@code rollup} the move of the stored LLM calls the workflow back-fill is about to
   * update (same predicate) from workflow NULL to their workflow.
   */
  private void moveRollupWorkflows(
      Map<String, String> backfills, Map<String, Long> starts, LlmRollup.Batch rollup)
      throws SQLException {
    StringBuilder sql =
        new StringBuilder(
            "SELECT s.trace_id, s.start_ns, s.service, s.provider, s.model, s.duration_ms,"
                + " s.input_tokens, s.output_tokens, s.cache_read_tokens, s.cache_write_tokens,"
                + " s.reasoning_tokens, s.cost_total_usd,"
                + " s.error OR s.error_type IS NOT NULL, s.pricing_unavailable,"
                + " s.cache_savings_usd FROM spans s JOIN (VALUES ");
    List<Object> params = new ArrayList<>();
    for (Map.Entry<String, String> e : backfills.entrySet()) {
      sql.append(params.isEmpty() ? "" : ", ").append("(?, ?)");
      params.add(e.getKey());
      params.add(starts.get(e.getKey()));
    }
    sql.append(
        ") v(t, st) ON s.trace_id = v.t AND s.start_ns >= v.st WHERE s.is_llm"
            + " AND s.workflow IS NULL");
    try (PreparedStatement ps = writer.prepareStatement(sql.toString())) {
      for (int i = 0; i < params.size(); i++) {
        ps.setObject(i + 1, params.get(i));
      }
      try (ResultSet r = ps.executeQuery()) {
        while (r.next()) {
          LlmRollup.Call call =
              new LlmRollup.Call(
                  r.getLong(2),
                  r.getString(3),
                  r.getString(4),
                  r.getString(5),
                  r.getDouble(6),
                  r.getLong(7),
                  r.getLong(8),
                  r.getLong(9),
                  r.getLong(10),
                  r.getLong(11),
                  nullableDouble(r, 12),
                  r.getBoolean(13),
                  r.getBoolean(14),
                  nullableDouble(r, 15));
          rollup.add(call, null, -1);
          rollup.add(call, backfills.get(r.getString(1)), 1);
        }
      }
    }
  }

  private static @Nullable Double nullableDouble(ResultSet r, int column) throws SQLException {
    double v = r.getDouble(column);
    return r.wasNull() ? null : v;
  }

  /**
   * Merges the roll-up's rows per key (ingest adds one row per key and transaction): when {@code
   * idle}, once a tenth more rows than after the last merge were added; otherwise (under ingest,
   * with retention) once they doubled. Writer thread only.
   */
  public void compactRollup(boolean idle) throws SQLException {
    long rows;
    try (Statement s = writer.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM llm_rollup")) {
      r.next();
      rows = r.getLong(1);
    }
    long threshold =
        idle
            ? rollupRowsAtCompaction + rollupRowsAtCompaction / 10 + 1_000
            : 2 * rollupRowsAtCompaction + 10_000;
    if (rows < threshold) {
      writer.commit();
      return;
    }
    long started = System.nanoTime();
    try (Statement s = writer.createStatement()) {
      for (LlmRollup.Level level : LlmRollup.Level.values()) {
        s.execute(LlmRollup.compactSql(level));
        s.execute("DELETE FROM " + level.table);
        // In period order: the zone maps then let a query read only its range's rows (from a
        // table in arrival order, the benchmark's cut days' hour rows cost ~20 ms, sorted ~7).
        s.execute(
            "INSERT INTO "
                + level.table
                + " SELECT * FROM llm_rollup_compact ORDER BY "
                + level.column);
        s.execute("DROP TABLE llm_rollup_compact");
      }
      for (String statement : LlmTraceHours.COMPACT) {
        s.execute(statement);
      }
      writer.commit();
    } catch (SQLException e) {
      writer.rollback();
      throw e;
    }
    try (Statement s = writer.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*) FROM llm_rollup")) {
      r.next();
      rollupRowsAtCompaction = r.getLong(1);
    }
    writer.commit();
    long merged = rollupRowsAtCompaction;
    logger.fine(
        () ->
            String.format(
                "Roll-up merged: %,d hour rows to %,d in %d ms",
                rows, merged, (System.nanoTime() - started) / 1_000_000));
  }

  /**
   * Appends one row to an appender on {@code spans}, in the table's column order (public for the
   * benchmarks' writer probe, which times DuckDB's share alone).
   */
  public static void appendSpan(
      DuckDBAppender a, SpanRow r, @Nullable String workflow, long receivedMillis)
      throws SQLException {
    a.beginRow()
        .append(r.traceId())
        .append(r.spanId())
        .append(r.parentSpanId())
        .append(r.service())
        .append(r.name())
        .append(r.startNanos())
        .append(r.endNanos())
        .append(r.durationMillis())
        .append(r.error())
        .append(r.llm())
        .append(r.provider())
        .append(r.model());
    if (r.llm()) {
      a.append(r.inputTokens())
          .append(r.outputTokens())
          .append(r.cacheReadTokens())
          .append(r.cacheWriteTokens())
          .append(r.reasoningTokens());
    } else {
      a.appendNull().appendNull().appendNull().appendNull().appendNull();
    }
    a.append(r.costTotalUsd())
        .append(r.pricingUnavailable())
        .append(r.cacheSavingsUsd())
        .append(workflow)
        .append(r.attempt())
        .append(r.errorType())
        .append(receivedMillis)
        .append(r.detailsJson())
        .endRow();
  }

  /** Runs a read-only piece of work on a pooled connection. */
  public <T> T read(SqlWork<T> work) throws SQLException {
    Connection connection;
    try {
      connection = readers.poll(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SQLException("interrupted while waiting for a database connection", e);
    }
    if (connection == null) {
      throw new SQLException("all database connections are busy");
    }
    try {
      return work.run(connection);
    } finally {
      readers.add(connection);
    }
  }

  /** A unit of database work. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Deletes spans and metric points older than {@code cutoffNanos}; then, for a file database above
   * {@code maxBytes}, the oldest tenth of the spans at a time until it fits. Returns the number of
   * spans deleted. Writer thread only.
   */
  public long applyRetention(long cutoffNanos, long maxBytes) throws SQLException {
    long deleted = 0;
    deleted += applyRetentionCutoff(cutoffNanos);
    compactRollup(false);
    if (file == null || maxBytes <= 0) {
      return deleted;
    }
    for (int round = 0; round < 10 && usedBytes() > maxBytes; round++) {
      long boundary;
      try (Statement s = writer.createStatement();
          ResultSet r = s.executeQuery("SELECT quantile_disc(start_ns, 0.1) FROM spans")) {
        r.next();
        boundary = r.getLong(1);
        if (r.wasNull()) {
          break;
        }
      }
      long pass = applyRetentionCutoff(boundary + 1);
      deleted += pass;
      checkpoint();
      if (pass == 0) {
        break;
      }
    }
    if (deleted > 0) {
      logger.info("Retention deleted " + deleted + " spans");
    }
    return deleted;
  }

  private long applyRetentionCutoff(long cutoffNanos) throws SQLException {
    try (PreparedStatement spans = writer.prepareStatement("DELETE FROM spans WHERE start_ns < ?");
        PreparedStatement points =
            writer.prepareStatement("DELETE FROM metric_points WHERE time_ns < ?");
        PreparedStatement retries =
            writer.prepareStatement("DELETE FROM retry_calls WHERE unit_start_ns < ?");
        Statement rollups = writer.createStatement()) {
      spans.setLong(1, cutoffNanos);
      long n = spans.executeUpdate();
      points.setLong(1, cutoffNanos);
      points.executeUpdate();
      retries.setLong(1, cutoffNanos);
      retries.executeUpdate();
      // The hour holding the cutoff goes whole: the roll-up then lacks up to an hour of calls
      // that spans still has, at the far end of the retention window.
      long cutoffMillis = Math.floorDiv(cutoffNanos, 1_000_000L);
      // The day holding the cutoff is summed again from its remaining hours.
      long day = LlmRollup.Level.DAY.periodOf(cutoffMillis);
      rollups.execute("DELETE FROM " + LlmTraceHours.TABLE + " WHERE hour_ms < " + cutoffMillis);
      for (LlmRollup.Level hours :
          new LlmRollup.Level[] {LlmRollup.Level.HOUR, LlmRollup.Level.ENDPOINT_HOUR}) {
        rollups.execute("DELETE FROM " + hours.table + " WHERE hour_ms < " + cutoffMillis);
        rollups.execute("DELETE FROM " + hours.day().table + " WHERE day_ms <= " + day);
        try (PreparedStatement cutDay = writer.prepareStatement(LlmRollup.dayFromHoursSql(hours))) {
          cutDay.setLong(1, day);
          cutDay.setLong(2, day);
          cutDay.setLong(3, day + LlmRollup.DAY_MILLIS);
          cutDay.executeUpdate();
        }
      }
      writer.commit();
      return n;
    } catch (SQLException e) {
      writer.rollback();
      throw e;
    }
  }

  /**
   * Bytes in use: the database file's blocks in use (freed blocks are reused, so the file itself
   * need not shrink) plus the write-ahead log; 0 in memory.
   */
  public long usedBytes() throws SQLException {
    if (file == null) {
      return 0;
    }
    long used;
    try (Statement s = writer.createStatement();
        ResultSet r =
            s.executeQuery("SELECT used_blocks * block_size FROM pragma_database_size()")) {
      used = r.next() ? r.getLong(1) : 0;
    }
    writer.commit();
    try {
      Path wal = file.resolveSibling(file.getFileName() + ".wal");
      if (Files.exists(wal)) {
        used += Files.size(wal);
      }
    } catch (IOException e) {
      // The WAL came and went; the block count alone will do.
    }
    return used;
  }

  /** Flushes the WAL into the database file. Writer thread only. */
  public void checkpoint() throws SQLException {
    // CHECKPOINT cannot run inside a transaction.
    writer.setAutoCommit(true);
    try (Statement s = writer.createStatement()) {
      s.execute("CHECKPOINT");
    } finally {
      writer.setAutoCommit(false);
    }
  }

  @Override
  public void close() {
    for (Connection c : allReaders) {
      closeQuietly(c);
    }
    try {
      backfillWorkflow.close();
      backfillRetryWorkflow.close();
      saveJournalPosition.close();
    } catch (SQLException ignored) {
      // closing anyway
    }
    closeQuietly(writer);
  }

  private static void closeQuietly(Connection c) {
    try {
      c.close();
    } catch (SQLException e) {
      logger.fine("close failed: " + e);
    }
  }

  private static <K, V> Map<K, V> boundedMap(int max) {
    return new LinkedHashMap<>(1024, 0.75f, false) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }
}
