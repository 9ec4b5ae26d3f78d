package dev.tokenscope.console;

import com.sun.net.httpserver.HttpServer;
import dev.tokenscope.console.internal.ApiHandler;
import dev.tokenscope.console.internal.Auth;
import dev.tokenscope.console.internal.ConsoleDatabase;
import dev.tokenscope.console.internal.ConsoleQueries;
import dev.tokenscope.console.internal.IngestJournal;
import dev.tokenscope.console.internal.IngestPipeline;
import dev.tokenscope.console.internal.MetricMapper;
import dev.tokenscope.console.internal.OtlpHandler;
import dev.tokenscope.console.internal.SpanMapper;
import dev.tokenscope.console.internal.UiHandler;
import dev.tokenscope.pricing.Pricing;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The embedded TokenScope console: an OTLP/HTTP receiver, DuckDB storage, a JSON query API and a
 * web dashboard, in one process.
 *
 * <pre>{@code
 * try (Console console = Console.builder().inMemory().otlpPort(0).uiPort(0).start()) {
 *   System.out.println("Dashboard: " + console.uiUrl());
 *   // point OTEL_EXPORTER_OTLP_ENDPOINT at console.otlpEndpoint()
 * }
 * }</pre>
 */
public final class Console implements AutoCloseable {

  private static final Logger logger = Logger.getLogger(Console.class.getName());

  /**
   * The JDK's {@code HttpServer} leaves Nagle's algorithm on, so with the client's delayed ACK
   * every keep-alive response waited ~40 ms: an ingest acknowledgement and every dashboard request.
   * The property is read once, when the JVM's first {@code HttpServer} is created, so it is set
   * here (as the simulator does) unless the user chose.
   */
  private static final String NO_DELAY = "sun.net.httpserver.nodelay";

  /** The ingest journal's directory, under the data directory. */
  private static final String JOURNAL_DIRECTORY = "journal";

  static {
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
  }

  private final HttpServer otlpServer;
  private final @Nullable HttpServer uiServer;
  private final ExecutorService otlpExecutor;
  private final @Nullable ExecutorService uiExecutor;
  private final IngestPipeline pipeline;
  private final ConsoleDatabase database;
  private final @Nullable IngestJournal journal;
  private final @Nullable Pricing ownedPricing;
  private final String otlpEndpoint;
  private final String uiUrl;
  private final @Nullable Path dataDirectory;
  private boolean closed;

  private Console(
      HttpServer otlpServer,
      @Nullable HttpServer uiServer,
      ExecutorService otlpExecutor,
      @Nullable ExecutorService uiExecutor,
      IngestPipeline pipeline,
      ConsoleDatabase database,
      @Nullable IngestJournal journal,
      @Nullable Pricing ownedPricing,
      String otlpEndpoint,
      String uiUrl,
      @Nullable Path dataDirectory) {
    this.otlpServer = otlpServer;
    this.uiServer = uiServer;
    this.otlpExecutor = otlpExecutor;
    this.uiExecutor = uiExecutor;
    this.pipeline = pipeline;
    this.database = database;
    this.journal = journal;
    this.ownedPricing = ownedPricing;
    this.otlpEndpoint = otlpEndpoint;
    this.uiUrl = uiUrl;
    this.dataDirectory = dataDirectory;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Where the console keeps its database unless told otherwise: {@code
   * $XDG_DATA_HOME/tokenscope/console}, else {@code ~/.local/share/tokenscope/console}.
   */
  public static Path defaultDataDirectory() {
    String xdg = System.getenv("XDG_DATA_HOME");
    Path base =
        xdg != null && !xdg.isBlank()
            ? Paths.get(xdg)
            : Paths.get(System.getProperty("user.home"), ".local", "share");
    return base.resolve("tokenscope").resolve("console");
  }

  /** The dashboard's address, e.g. {@code http://127.0.0.1:4319/}. */
  public String uiUrl() {
    return uiUrl;
  }

  /**
   * The OTLP/HTTP base endpoint, e.g. {@code http://127.0.0.1:4318}: the value for {@code
   * OTEL_EXPORTER_OTLP_ENDPOINT} (SDKs append {@code /v1/traces} and {@code /v1/metrics}).
   */
  public String otlpEndpoint() {
    return otlpEndpoint;
  }

  /** The directory holding the database, or null when it is in memory. */
  public @Nullable Path dataDirectory() {
    return dataDirectory;
  }

  /** Spans committed to the database since this console started. */
  public long spansStored() {
    return pipeline.spansWritten();
  }

  /** Stops receiving, writes what was already accepted, checkpoints and closes the database. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    otlpServer.stop(0);
    if (uiServer != null) {
      uiServer.stop(0);
    }
    pipeline.close();
    try {
      if (database.file() != null) {
        database.checkpoint();
      }
    } catch (SQLException e) {
      logger.log(
          Level.WARNING, "Checkpoint on shutdown failed; the WAL is replayed on next start", e);
    }
    database.close();
    if (journal != null) {
      journal.close();
    }
    otlpExecutor.shutdownNow();
    if (uiExecutor != null) {
      uiExecutor.shutdownNow();
    }
    if (ownedPricing != null) {
      ownedPricing.close();
    }
  }

  /** Configures and starts a {@link Console}. */
  public static final class Builder {

    private int otlpPort = 4318;
    private int uiPort = 4319;
    private String bindAddress = "127.0.0.1";
    private @Nullable Path dataDirectory = defaultDataDirectory();
    private @Nullable String token;
    private @Nullable Pricing pricing;
    private Duration retention = Duration.ofDays(30);
    private Duration retentionInterval = Duration.ofMinutes(1);
    private long maxDatabaseBytes = 2L * 1024 * 1024 * 1024;
    private int maxRequestBytes = 32 * 1024 * 1024;
    private int queueCapacity = 65_536;
    private int ingestThreads = 4;
    private String memoryLimit = "1GB";
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** OTLP/HTTP port (default 4318, the OTLP standard); 0 picks a free port. */
    public Builder otlpPort(int port) {
      this.otlpPort = checkPort(port);
      return this;
    }

    /**
     * Dashboard and API port (default 4319); 0 picks a free port. The same value as {@link
     * #otlpPort} serves everything on one port.
     */
    public Builder uiPort(int port) {
      this.uiPort = checkPort(port);
      return this;
    }

    /** The address to listen on (default {@code 127.0.0.1}: this machine only). */
    public Builder bindAddress(String address) {
      this.bindAddress = Objects.requireNonNull(address, "address");
      return this;
    }

    /** Keeps the database in {@code directory} (created if needed). */
    public Builder dataDirectory(Path directory) {
      this.dataDirectory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** Keeps everything in memory: nothing survives a restart. */
    public Builder inMemory() {
      this.dataDirectory = null;
      return this;
    }

    /** Requires this token for ingest ({@code Authorization: Bearer}) and for the UI and API. */
    public Builder token(@Nullable String token) {
      this.token = token == null || token.isEmpty() ? null : token;
      return this;
    }

    /** Prices spans that arrive without cost; default {@link Pricing#create()}, closed with us. */
    public Builder pricing(Pricing pricing) {
      this.pricing = Objects.requireNonNull(pricing, "pricing");
      return this;
    }

    /** Deletes spans and metric points older than this (default 30 days). */
    public Builder retention(Duration maxAge) {
      this.retention = positive(maxAge, "retention");
      return this;
    }

    /** How often retention runs (default every minute). */
    public Builder retentionInterval(Duration interval) {
      this.retentionInterval = positive(interval, "retentionInterval");
      return this;
    }

    /** Deletes the oldest spans while the database file uses more than this (default 2 GiB). */
    public Builder maxDatabaseBytes(long bytes) {
      this.maxDatabaseBytes = atLeast(bytes, 1, "maxDatabaseBytes");
      return this;
    }

    /** Largest accepted OTLP body, compressed or decompressed (default 32 MiB). */
    public Builder maxRequestBytes(int bytes) {
      this.maxRequestBytes = (int) atLeast(bytes, 1024, "maxRequestBytes");
      return this;
    }

    /**
     * Spans and points that may wait to be written (default 65,536); beyond it ingest answers 503
     * with Retry-After.
     */
    public Builder queueCapacity(int items) {
      this.queueCapacity = (int) atLeast(items, 1, "queueCapacity");
      return this;
    }

    /** Threads decoding OTLP requests (default 4). */
    public Builder ingestThreads(int threads) {
      this.ingestThreads = (int) atLeast(threads, 1, "ingestThreads");
      return this;
    }

    /** DuckDB's memory limit, e.g. {@code 512MB} (default {@code 1GB}). */
    public Builder memoryLimit(String limit) {
      this.memoryLimit = Objects.requireNonNull(limit, "limit");
      return this;
    }

    /** The clock used for defaults, received times and retention (tests). */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /**
     * Opens the database and starts listening.
     *
     * @throws IOException when a port is taken or the database cannot be opened
     */
    public Console start() throws IOException {
      InetAddress address = InetAddress.getByName(bindAddress);
      Pricing ownedPricing = pricing == null ? Pricing.create() : null;
      Pricing effectivePricing = pricing != null ? pricing : ownedPricing;
      ConsoleDatabase database;
      try {
        database =
            ConsoleDatabase.open(
                dataDirectory,
                memoryLimit,
                Math.max(1, Runtime.getRuntime().availableProcessors()));
      } catch (SQLException e) {
        closeQuietly(ownedPricing);
        throw new IOException("cannot open the console database: " + e.getMessage(), e);
      }
      SpanMapper mapper = new SpanMapper(effectivePricing);
      IngestJournal journal = null;
      IngestPipeline pipeline;
      try {
        if (dataDirectory != null) {
          journal = IngestJournal.open(dataDirectory.resolve(JOURNAL_DIRECTORY), 64L << 20);
        }
        pipeline =
            new IngestPipeline(
                database,
                journal,
                (kind, payload, spans, points) -> {
                  if (kind == OtlpHandler.JOURNAL_TRACES) {
                    spans.addAll(mapper.map(ExportTraceServiceRequest.parseFrom(payload)).rows());
                  } else if (kind == OtlpHandler.JOURNAL_METRICS) {
                    points.addAll(
                        MetricMapper.map(ExportMetricsServiceRequest.parseFrom(payload)).rows());
                  }
                },
                Math.min(2, Math.max(1, Runtime.getRuntime().availableProcessors())),
                queueCapacity,
                clock,
                retention,
                maxDatabaseBytes,
                retentionInterval);
        if (journal != null) {
          IngestJournal.Position loaded = database.journalPosition();
          pipeline.replay(
              loaded == null ? new IngestJournal.Position(0, 0) : loaded, queueCapacity);
        }
      } catch (IOException | SQLException | RuntimeException e) {
        database.close();
        if (journal != null) {
          journal.close();
        }
        closeQuietly(ownedPricing);
        throw new IOException("cannot load the console's ingest journal: " + e.getMessage(), e);
      }
      Auth auth = new Auth(token);
      AtomicLong badRequests = new AtomicLong();
      ExecutorService otlpExecutor = executor("tokenscope-console-otlp", ingestThreads, 1024);
      ExecutorService uiExecutor = null;
      HttpServer otlpServer = null;
      HttpServer uiServer = null;
      try {
        otlpServer = HttpServer.create(new InetSocketAddress(address, otlpPort), 256);
        otlpServer.setExecutor(otlpExecutor);
        long commitTimeout = 60_000;
        otlpServer.createContext(
            "/v1/traces",
            new OtlpHandler(
                OtlpHandler.Signal.TRACES,
                mapper,
                pipeline,
                auth,
                maxRequestBytes,
                commitTimeout,
                badRequests));
        otlpServer.createContext(
            "/v1/metrics",
            new OtlpHandler(
                OtlpHandler.Signal.METRICS,
                mapper,
                pipeline,
                auth,
                maxRequestBytes,
                commitTimeout,
                badRequests));
        HttpServer uiTarget = otlpServer;
        if (uiPort != otlpPort || uiPort == 0) {
          uiServer = HttpServer.create(new InetSocketAddress(address, uiPort), 64);
          uiExecutor = executor("tokenscope-console-ui", 4, 256);
          uiServer.setExecutor(uiExecutor);
          uiTarget = uiServer;
        }
        String host = hostForUrl(address);
        String otlpEndpoint = "http://" + host + ":" + otlpServer.getAddress().getPort();
        String uiUrl = "http://" + host + ":" + uiTarget.getAddress().getPort() + "/";
        Path dir = dataDirectory;
        String source = effectivePricing.source();
        ConsoleQueries queries = new ConsoleQueries(database);
        ApiHandler api =
            new ApiHandler(
                queries,
                auth,
                clock,
                () -> {
                  Map<String, Object> status = new LinkedHashMap<>();
                  status.put("otlp_endpoint", otlpEndpoint);
                  status.put("ui_url", uiUrl);
                  status.put(
                      "database", dir == null ? "in-memory" : String.valueOf(database.file()));
                  status.put("retention_days", retention.toHours() / 24.0);
                  status.put("max_database_bytes", maxDatabaseBytes);
                  status.put("pricing_source", source);
                  status.put("spans_written", pipeline.spansWritten());
                  status.put("metric_points_written", pipeline.pointsWritten());
                  status.put("queued_items", pipeline.queuedItems());
                  status.put("refused_requests", pipeline.refusedRequests());
                  status.put("dropped_batches", pipeline.droppedBatches());
                  status.put("bad_requests", badRequests.get());
                  status.put("token_required", auth.enabled());
                  return status;
                });
        uiTarget.createContext("/api/", api);
        uiTarget.createContext("/", new UiHandler(auth));
        otlpServer.start();
        if (uiServer != null) {
          uiServer.start();
        }
        return new Console(
            otlpServer,
            uiServer,
            otlpExecutor,
            uiExecutor,
            pipeline,
            database,
            journal,
            ownedPricing,
            otlpEndpoint,
            uiUrl,
            dataDirectory);
      } catch (IOException | RuntimeException e) {
        if (otlpServer != null) {
          otlpServer.stop(0);
        }
        if (uiServer != null) {
          uiServer.stop(0);
        }
        pipeline.close();
        database.close();
        if (journal != null) {
          journal.close();
        }
        otlpExecutor.shutdownNow();
        if (uiExecutor != null) {
          uiExecutor.shutdownNow();
        }
        closeQuietly(ownedPricing);
        if (e instanceof java.net.BindException) {
          throw new IOException(
              "cannot listen on "
                  + bindAddress
                  + " port "
                  + (otlpServer == null ? otlpPort : uiPort)
                  + ": "
                  + e.getMessage()
                  + " (is another console running? choose another port)",
              e);
        }
        throw e;
      }
    }

    private static Duration positive(Duration value, String name) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + value);
      }
      return value;
    }

    private static long atLeast(long value, long minimum, String name) {
      if (value < minimum) {
        throw new IllegalArgumentException(
            name + " must be at least " + minimum + ", got " + value);
      }
      return value;
    }

    private static int checkPort(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be between 0 and 65535, got " + port);
      }
      return port;
    }

    private static String hostForUrl(InetAddress address) {
      if (address.isAnyLocalAddress()) {
        return "127.0.0.1";
      }
      String host = address.getHostAddress();
      return host.contains(":") ? "[" + host + "]" : host;
    }

    private static ExecutorService executor(String name, int threads, int queue) {
      AtomicInteger counter = new AtomicInteger();
      ThreadPoolExecutor executor =
          new ThreadPoolExecutor(
              threads,
              threads,
              60,
              TimeUnit.SECONDS,
              new ArrayBlockingQueue<>(queue),
              r -> {
                Thread t = new Thread(r, name + "-" + counter.incrementAndGet());
                t.setDaemon(true);
                return t;
              });
      return executor;
    }

    private static void closeQuietly(@Nullable Pricing pricing) {
      if (pricing != null) {
        pricing.close();
      }
    }
  }
}
