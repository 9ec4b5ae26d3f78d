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
  private static final int SCHEMA_VERSION = 2;

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

  /** Traces stored recently with spans that had no workflow yet (bounded, writer thread only). */
  private final Map<String, Boolean> tracesAwaitingWorkflow = boundedMap(100_000);

  /** Workflow of recently seen traces, for children that arrive after their workflow span. */
  private final Map<String, String> recentWorkflows = boundedMap(100_000);

  private ConsoleDatabase(@Nullable Path file, DuckDBConnection writer, int readConnections)
      throws SQLException {
    this.file = file;
    this.writer = writer;
    this.readers = new ArrayBlockingQueue<>(readConnections);
    for (int i = 0; i < readConnections; i++) {
      Connection reader = writer.duplicate();
      readers.add(reader);
      allReaders.add(reader);
    }
    this.backfillWorkflow =
        writer.prepareStatement(
            "UPDATE spans SET workflow = ? WHERE trace_id = ? AND workflow IS NULL"
                + " AND start_ns >= ?");
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
      s.execute("CREATE TABLE IF NOT EXISTS console_meta (key VARCHAR PRIMARY KEY, value VARCHAR)");
      s.execute(
          "INSERT INTO console_meta VALUES ('schema_version', '"
              + SCHEMA_VERSION
              + "') ON CONFLICT DO NOTHING");
      try (ResultSet r =
          s.executeQuery("SELECT value FROM console_meta WHERE key = 'schema_version'")) {
        if (r.next() && !Integer.toString(SCHEMA_VERSION).equals(r.getString(1))) {
          throw new SQLException(
              "the database "
                  + file
                  + " has schema version "
                  + r.getString(1)
                  + "; this console reads version "
                  + SCHEMA_VERSION);
        }
      }
    }
    connection.setAutoCommit(false);
    return new ConsoleDatabase(file, connection, Math.max(2, threads * 2));
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
    try {
      // A statement first, so the appenders join this transaction rather than auto-committing.
      try (Statement s = writer.createStatement()) {
        s.execute("SELECT 1");
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
            appendSpan(appender, row, workflow, receivedMillis);
          }
        }
      }
      // Children exported before their workflow span ended: give them its workflow now.
      boolean backfill = false;
      for (Map.Entry<String, String> e : workflowsInGroup.entrySet()) {
        if (tracesAwaitingWorkflow.remove(e.getKey()) != null) {
          backfillWorkflow.setString(1, e.getValue());
          backfillWorkflow.setString(2, e.getKey());
          backfillWorkflow.setLong(3, workflowStarts.get(e.getKey()));
          backfillWorkflow.addBatch();
          backfill = true;
        }
      }
      if (backfill) {
        backfillWorkflow.executeBatch();
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
      writer.commit();
      for (String traceId : awaiting) {
        if (!workflowsInGroup.containsKey(traceId)) {
          tracesAwaitingWorkflow.put(traceId, Boolean.TRUE);
        }
      }
    } catch (SQLException | RuntimeException e) {
      try {
        writer.rollback();
      } catch (SQLException rollbackFailure) {
        e.addSuppressed(rollbackFailure);
      }
      throw e;
    }
  }

  private static void appendSpan(
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
            writer.prepareStatement("DELETE FROM metric_points WHERE time_ns < ?")) {
      spans.setLong(1, cutoffNanos);
      long n = spans.executeUpdate();
      points.setLong(1, cutoffNanos);
      points.executeUpdate();
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
