package dev.tokenscope.pricing.internal;

import static java.util.Objects.requireNonNull;

import dev.tokenscope.pricing.SyncResult;
import dev.tokenscope.pricing.SyncResult.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Keeps a LiteLLM price file current: a local cache with its HTTP validators, conditional GETs,
 * validation before anything is replaced, atomic file swaps, and a daemon thread that refreshes
 * stale prices. Network work happens only on that thread or in an explicit {@link #sync()}.
 */
public final class CatalogSync implements AutoCloseable {
  private static final Logger logger = Logger.getLogger(CatalogSync.class.getName());
  private static final String CACHE_FILE = "model_prices_and_context_window.json";
  private static final String META_FILE = "model_prices_and_context_window.meta.properties";
  private static final DateTimeFormatter SOURCE_TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm'Z'").withZone(ZoneOffset.UTC);

  /** A download must hold at least this many models to replace anything. */
  public static final int DEFAULT_MIN_ENTRIES = 500;

  /** At most this share of a download's entries may be malformed or implausible. */
  static final double MAX_BAD_SHARE = 0.05;

  private final URI url;
  private final Path cacheFile;
  private final Path metaFile;
  private final Duration maxAge;
  private final Duration timeout;
  private final Clock clock;
  private final int minEntries;
  private final Consumer<CatalogData> install;
  private final Supplier<String> currentSource;
  private final HttpClient client;
  private final Object lock = new Object();
  private volatile @Nullable Instant checkedAt;
  private volatile @Nullable Instant fetchedAt;
  private volatile @Nullable SyncResult lastResult;
  private volatile boolean warned;
  private @Nullable ScheduledExecutorService scheduler;

  public CatalogSync(
      URI url,
      Path cacheDirectory,
      Duration maxAge,
      Duration timeout,
      Clock clock,
      int minEntries,
      Consumer<CatalogData> install,
      Supplier<String> currentSource) {
    this.url = requireNonNull(url, "url");
    this.cacheFile = cacheDirectory.resolve(CACHE_FILE);
    this.metaFile = cacheDirectory.resolve(META_FILE);
    this.maxAge = requireNonNull(maxAge, "maxAge");
    this.timeout = requireNonNull(timeout, "timeout");
    this.clock = requireNonNull(clock, "clock");
    this.minEntries = minEntries;
    this.install = requireNonNull(install, "install");
    this.currentSource = requireNonNull(currentSource, "currentSource");
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  public URI url() {
    return url;
  }

  public Path cacheFile() {
    return cacheFile;
  }

  /** When the prices in use were last downloaded or confirmed current; null if never. */
  public @Nullable Instant checkedAt() {
    return checkedAt;
  }

  public @Nullable SyncResult lastResult() {
    return lastResult;
  }

  /**
   * Reads the cache, or returns null (with one log line) when there is none or it is unusable. A
   * corrupt cache is left in place: the next good download overwrites it.
   */
  public @Nullable CatalogData loadCache() {
    Properties meta = readMeta();
    Instant fetched = instant(meta.getProperty("fetched_at"));
    Instant checked = instant(meta.getProperty("checked_at"));
    Instant sourceTime = fetched != null ? fetched : modifiedTime(cacheFile);
    if (sourceTime == null) {
      return null; // no cache yet
    }
    try (InputStream in = Files.newInputStream(cacheFile)) {
      CatalogData data = CatalogParser.parse(in, "litellm@" + SOURCE_TIME.format(sourceTime));
      String problem = validate(data);
      if (problem != null) {
        logger.log(
            Level.WARNING,
            "TokenScope pricing: ignoring cached prices in {0} ({1})",
            new Object[] {cacheFile, problem});
        return null;
      }
      fetchedAt = sourceTime;
      checkedAt = checked != null ? checked : sourceTime;
      return data;
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      logger.log(
          Level.WARNING,
          "TokenScope pricing: ignoring cached prices in {0} ({1})",
          new Object[] {cacheFile, describe(e)});
      return null;
    }
  }

  /** Whether the prices in use are older than the maximum age (or were never synced). */
  public boolean stale() {
    Instant checked = checkedAt;
    return checked == null || !clock.instant().isBefore(checked.plus(maxAge));
  }

  /** Starts the background refresh: a check now and every {@code interval}. */
  public synchronized void start(Duration interval) {
    if (scheduler != null) {
      return;
    }
    scheduler =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tokenscope-pricing-refresh");
              t.setDaemon(true);
              return t;
            });
    scheduler.scheduleWithFixedDelay(
        this::refreshIfStale, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The background task: never throws, logs the first failure once. */
  public void refreshIfStale() {
    try {
      if (!stale()) {
        return;
      }
      SyncResult result = sync();
      if (!result.ok()) {
        Level level = warned ? Level.FINE : Level.WARNING;
        warned = true;
        logger.log(level, "TokenScope pricing: {0}", result.message());
      } else {
        warned = false;
      }
    } catch (RuntimeException e) {
      logger.log(Level.WARNING, "TokenScope pricing: refresh failed: " + describe(e));
    }
  }

  /** Downloads now (conditional GET), validates, caches and installs. Blocks the caller. */
  public SyncResult sync() {
    synchronized (lock) {
      SyncResult result = doSync();
      lastResult = result;
      return result;
    }
  }

  private SyncResult doSync() {
    Properties meta = readMeta();
    boolean conditional = url.toString().equals(meta.getProperty("url")) && Files.exists(cacheFile);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json").GET();
    if (conditional) {
      String etag = meta.getProperty("etag");
      String lastModified = meta.getProperty("last_modified");
      if (etag != null) {
        request.header("If-None-Match", etag);
      }
      if (lastModified != null) {
        request.header("If-Modified-Since", lastModified);
      }
    }
    HttpResponse<byte[]> response;
    CompletableFuture<HttpResponse<byte[]>> pending =
        client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    try {
      // One deadline for headers and body: a server that stalls mid-body cannot hang us.
      response = pending.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      pending.cancel(true);
      return failed("timed out after " + timeout.toMillis() + " ms");
    } catch (InterruptedException e) {
      pending.cancel(true);
      Thread.currentThread().interrupt();
      return failed("interrupted");
    } catch (ExecutionException e) {
      return failed(describeNetwork(e.getCause() == null ? e : e.getCause()));
    }
    Instant now = clock.instant();
    int status = response.statusCode();
    if (status == 304 && conditional) {
      meta.setProperty("checked_at", now.toString());
      writeMeta(meta);
      checkedAt = now;
      return result(Status.NOT_MODIFIED, "prices are current (HTTP 304 from " + url + ")");
    }
    if (status != 200) {
      return failed("HTTP " + status + " from " + url);
    }
    byte[] body = response.body();
    CatalogData data;
    try {
      data =
          CatalogParser.parse(new ByteArrayInputStream(body), "litellm@" + SOURCE_TIME.format(now));
    } catch (IllegalArgumentException | UncheckedIOException e) {
      return rejected(e.getMessage());
    }
    String problem = validate(data);
    if (problem != null) {
      return rejected(problem);
    }
    String cacheNote = "";
    try {
      writeAtomically(cacheFile, body);
      Properties fresh = new Properties();
      fresh.setProperty("url", url.toString());
      fresh.setProperty("fetched_at", now.toString());
      fresh.setProperty("checked_at", now.toString());
      response.headers().firstValue("ETag").ifPresent(v -> fresh.setProperty("etag", v));
      response
          .headers()
          .firstValue("Last-Modified")
          .ifPresent(v -> fresh.setProperty("last_modified", v));
      writeMeta(fresh);
    } catch (IOException | UncheckedIOException e) {
      cacheNote = "; not cached (" + describe(e) + ")";
    }
    fetchedAt = now;
    checkedAt = now;
    install.accept(data);
    return result(Status.UPDATED, "downloaded " + data.size() + " models from " + url + cacheNote);
  }

  /** Null when the catalog is fit to replace prices in use; else why not. */
  String validate(CatalogData data) {
    int total = data.size() + data.skippedEntries();
    if (data.size() < minEntries) {
      return "only " + data.size() + " models, expected at least " + minEntries;
    }
    int bad = data.skippedEntries() + data.implausibleEntries();
    if (bad > total * MAX_BAD_SHARE) {
      return bad + " of " + total + " entries are malformed or have negative or implausible prices";
    }
    return null;
  }

  private SyncResult failed(String why) {
    return result(
        Status.FAILED,
        "could not refresh prices from " + url + " (" + why + "); keeping " + currentSource.get());
  }

  private SyncResult rejected(@Nullable String why) {
    return result(
        Status.REJECTED,
        "rejected the download from " + url + " (" + why + "); keeping " + currentSource.get());
  }

  private SyncResult result(Status status, String message) {
    return new SyncResult(status, currentSource.get(), -1, message);
  }

  public @Nullable Instant fetchedAt() {
    return fetchedAt;
  }

  private Properties readMeta() {
    Properties meta = new Properties();
    try (InputStream in = Files.newInputStream(metaFile)) {
      meta.load(in);
    } catch (IOException | IllegalArgumentException e) {
      // no or unreadable metadata: no validators, age from the file's modification time
    }
    return meta;
  }

  private void writeMeta(Properties meta) {
    try {
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      meta.store(out, "TokenScope price cache metadata");
      writeAtomically(metaFile, out.toByteArray());
    } catch (IOException e) {
      logger.log(Level.FINE, "cannot write " + metaFile, e);
    }
  }

  private static void writeAtomically(Path target, byte[] content) throws IOException {
    Files.createDirectories(target.getParent());
    Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        out.write(content);
      }
      try {
        Files.move(
            tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }

  private static @Nullable Instant instant(@Nullable String value) {
    try {
      return value == null ? null : Instant.parse(value);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static @Nullable Instant modifiedTime(Path file) {
    try {
      return Files.getLastModifiedTime(file).toInstant();
    } catch (IOException e) {
      return null;
    }
  }

  private static String describeNetwork(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      if (root instanceof UnknownHostException
          || root instanceof ConnectException
          || root instanceof HttpTimeoutException) {
        break;
      }
      root = root.getCause();
    }
    if (root instanceof UnknownHostException) {
      return "cannot resolve host " + root.getMessage() + ": offline?";
    }
    if (root instanceof HttpConnectTimeoutException) {
      return "connect timed out";
    }
    if (root instanceof ConnectException) {
      return "connection refused or unreachable";
    }
    return describe(root);
  }

  static String describe(Throwable e) {
    String message = e.getMessage();
    String type = e.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }

  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      scheduler = null;
    }
  }
}
