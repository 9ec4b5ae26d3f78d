package dev.tokenscope.pricing;

import static java.util.Objects.requireNonNull;

import dev.tokenscope.pricing.internal.CatalogData;
import dev.tokenscope.pricing.internal.CatalogSync;
import dev.tokenscope.pricing.internal.CostCalculator;
import dev.tokenscope.pricing.internal.ModelResolver;
import dev.tokenscope.pricing.internal.PricingSettings;
import dev.tokenscope.pricing.internal.Resolved;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Prices LLM calls: resolves model names against a {@link PricingCatalog} and computes exact costs.
 * Thread-safe; the catalog in use is swapped atomically when a background refresh brings new
 * prices, and refreshes never run on the caller's thread.
 *
 * {@snippet :
 * try (Pricing pricing = Pricing.create()) {   // file/URL from config, else cache, else built-in
 *   Cost cost = pricing.cost("gpt-4o-2024-08-06", "openai",
 *       Usage.builder().inputTokens(1_000).cacheReadTokens(600).outputTokens(200).build());
 *   if (cost.priced()) {
 *     System.out.println(cost.totalUsd() + " USD from " + cost.pricingSource());
 *   }
 * }
 * }
 *
 * <p>Sources, in order: an explicit file ({@link Builder#catalogFile}) or catalog; otherwise the
 * local cache of the sync URL; otherwise the built-in table. Custom prices overlay whichever is in
 * use. An unknown model is never priced at $0: {@link Cost#priced()} is false.
 */
public final class Pricing implements AutoCloseable {
  private static final Logger logger = Logger.getLogger(Pricing.class.getName());

  /** LiteLLM's community price file. */
  public static final URI DEFAULT_URL =
      URI.create(
          "https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json");

  public static final Duration DEFAULT_MAX_AGE = Duration.ofHours(24);
  public static final Duration DEFAULT_REFRESH_INTERVAL = Duration.ofHours(1);
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  private final Map<String, String> aliases;
  private final @Nullable PricingCatalog custom;
  private final @Nullable CatalogSync sync;
  private final boolean offline;
  private volatile State state;

  private static final class State {
    final PricingCatalog catalog;
    final ModelResolver resolver;

    State(PricingCatalog catalog, ModelResolver resolver) {
      this.catalog = catalog;
      this.resolver = resolver;
    }
  }

  private Pricing(
      PricingCatalog base,
      Map<String, String> aliases,
      @Nullable PricingCatalog custom,
      @Nullable CatalogSync sync,
      boolean offline) {
    this.aliases = Map.copyOf(aliases);
    this.custom = custom;
    this.sync = sync;
    this.offline = offline;
    this.state = stateFor(base.data);
  }

  /**
   * Pricing configured from {@code TOKENSCOPE_PRICING_*} environment variables and {@code
   * tokenscope.pricing.*} system properties, with a background refresh unless offline.
   */
  public static Pricing create() {
    return builder().fromEnvironment().build();
  }

  /** Fixed prices: no sync, no cache, no threads. For tests and embedding. */
  public static Pricing of(PricingCatalog catalog) {
    return builder().catalog(catalog).build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The cost of one call. Never throws for unknown models: they come back with {@link
   * Cost#priced()} false.
   */
  public Cost cost(String model, @Nullable String provider, Usage usage) {
    requireNonNull(usage, "usage");
    Resolved resolved = state.resolver.resolve(model == null ? "" : model, provider);
    return CostCalculator.cost(resolved, usage);
  }

  /** What a model name resolves to, and by which rule. */
  public ModelResolution resolve(String model, @Nullable String provider) {
    return state.resolver.resolve(model == null ? "" : model, provider).resolution();
  }

  /**
   * Why a model cannot be priced (unresolved, no per-token prices, implausible prices), or null
   * when it can.
   */
  public @Nullable String unpricedReason(String model, @Nullable String provider) {
    return state.resolver.resolve(model, provider).unpricedReason();
  }

  /** The catalog in use, custom prices included. */
  public PricingCatalog catalog() {
    return state.catalog;
  }

  /** The pricing source in use, e.g. {@code litellm@2026-07-24T10:00Z} or {@code builtin@…}. */
  public String source() {
    return state.catalog.source();
  }

  /** Source, size, age and cache of the prices in use. */
  public PricingStatus status() {
    PricingCatalog catalog = state.catalog;
    return new PricingStatus(
        catalog.source(),
        catalog.size(),
        catalog.skippedEntries(),
        catalog.implausibleEntries(),
        sync == null ? null : sync.checkedAt(),
        sync == null ? null : sync.cacheFile(),
        sync == null ? null : sync.url(),
        offline || sync == null,
        sync == null ? null : sync.lastResult());
  }

  /**
   * Downloads prices now (a conditional GET), validates them and puts them in use. Blocks the
   * caller — the background refresh never does. Returns {@link SyncResult.Status#DISABLED} when
   * prices are fixed or offline.
   */
  public SyncResult sync() {
    if (sync == null || offline) {
      return new SyncResult(
          SyncResult.Status.DISABLED,
          source(),
          catalog().size(),
          offline ? "offline: syncing is switched off" : "prices are fixed: nothing to sync");
    }
    SyncResult result = sync.sync();
    return new SyncResult(result.status(), source(), catalog().size(), result.message());
  }

  /** Runs one background check on the caller's thread (tests): a sync only if stale. */
  void refreshIfStale() {
    if (sync != null && !offline) {
      sync.refreshIfStale();
    }
  }

  /** Stops the background refresh. */
  @Override
  public void close() {
    if (sync != null) {
      sync.close();
    }
  }

  private State stateFor(CatalogData base) {
    PricingCatalog catalog = new PricingCatalog(base);
    if (custom != null) {
      catalog = catalog.withOverlay(custom);
    }
    return new State(catalog, new ModelResolver(catalog.data, aliases));
  }

  private void install(CatalogData fresh) {
    state = stateFor(fresh);
  }

  @Override
  public String toString() {
    return "Pricing{" + source() + ", " + catalog().size() + " models}";
  }

  /**
   * Configures a {@link Pricing}. Explicit settings win over {@link #fromEnvironment()}, whatever
   * the call order.
   *
   * {@snippet :
   * Pricing pricing = Pricing.builder()
   *     .fromEnvironment()
   *     .alias("my-gpt4o-prod", "gpt-4o")
   *     .customPrices(Path.of("negotiated-prices.json"))
   *     .maxAge(Duration.ofHours(6))
   *     .build();
   * }
   */
  public static final class Builder {
    private @Nullable PricingCatalog catalog;
    private @Nullable Path catalogFile;
    private @Nullable URI url;
    private @Nullable Path cacheDirectory;
    private @Nullable Duration maxAge;
    private @Nullable Duration refreshInterval;
    private @Nullable Duration timeout;
    private @Nullable Path customPricesFile;
    private @Nullable PricingCatalog customPrices;
    private final Map<String, String> aliases = new LinkedHashMap<>();
    private @Nullable Boolean offline;
    private boolean backgroundRefresh = true;
    private Clock clock = Clock.systemUTC();
    private int minimumEntries = CatalogSync.DEFAULT_MIN_ENTRIES;
    private @Nullable PricingSettings environment;

    private Builder() {}

    /** Reads {@code TOKENSCOPE_PRICING_*} / {@code tokenscope.pricing.*} as defaults. */
    public Builder fromEnvironment() {
      this.environment = PricingSettings.fromSystem();
      return this;
    }

    /** Fixed prices: no sync. */
    public Builder catalog(PricingCatalog catalog) {
      this.catalog = requireNonNull(catalog, "catalog");
      return this;
    }

    /** A LiteLLM JSON file to use instead of syncing. */
    public Builder catalogFile(Path file) {
      this.catalogFile = requireNonNull(file, "file");
      return this;
    }

    /** Where to sync from; default {@link #DEFAULT_URL}. */
    public Builder url(URI url) {
      this.url = requireNonNull(url, "url");
      return this;
    }

    /**
     * Cache directory; default {@code $XDG_CACHE_HOME/tokenscope} or {@code ~/.cache/tokenscope}.
     */
    public Builder cacheDirectory(Path directory) {
      this.cacheDirectory = requireNonNull(directory, "directory");
      return this;
    }

    /** Prices older than this are refreshed; default 24 hours. */
    public Builder maxAge(Duration maxAge) {
      this.maxAge = positive(maxAge, "maxAge");
      return this;
    }

    /** How often the background thread checks the age; default 1 hour. */
    public Builder refreshInterval(Duration interval) {
      this.refreshInterval = positive(interval, "refreshInterval");
      return this;
    }

    /** Deadline for one download, connect to last byte; default 10 seconds. */
    public Builder timeout(Duration timeout) {
      this.timeout = positive(timeout, "timeout");
      return this;
    }

    /** A LiteLLM-format file whose entries overlay the prices in use (source {@code custom}). */
    public Builder customPrices(Path file) {
      this.customPricesFile = requireNonNull(file, "file");
      return this;
    }

    /** Custom prices as a catalog; overlays the prices in use. */
    public Builder customPrices(PricingCatalog custom) {
      this.customPrices = requireNonNull(custom, "custom");
      return this;
    }

    /** Maps a deployment name to a model, e.g. {@code my-gpt4o-prod} → {@code gpt-4o}. */
    public Builder alias(String deployment, String model) {
      requireNonNull(deployment, "deployment");
      requireNonNull(model, "model");
      if (deployment.isBlank() || model.isBlank()) {
        throw new IllegalArgumentException("alias names must not be blank");
      }
      aliases.put(deployment, model);
      return this;
    }

    /** Adds aliases, deployment name → model. */
    public Builder aliases(Map<String, String> aliases) {
      requireNonNull(aliases, "aliases").forEach(this::alias);
      return this;
    }

    /** No network at all: cache or built-in prices only. */
    public Builder offline(boolean offline) {
      this.offline = offline;
      return this;
    }

    /**
     * Whether to refresh in the background (default true). Off, prices still come from the cache
     * and {@link Pricing#sync()} still works: short-lived tools such as the CLI use this.
     */
    public Builder backgroundRefresh(boolean backgroundRefresh) {
      this.backgroundRefresh = backgroundRefresh;
      return this;
    }

    /** The clock ages are measured with; tests pass a fixed one. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** A download must hold at least this many models to be used; default 500. */
    public Builder minimumEntries(int minimumEntries) {
      if (minimumEntries < 1) {
        throw new IllegalArgumentException("minimumEntries must be positive");
      }
      this.minimumEntries = minimumEntries;
      return this;
    }

    /**
     * Builds and, unless prices are fixed or offline, starts the background refresh. Loads only
     * local files on the caller's thread; problems with them are logged and fall back to the next
     * source.
     *
     * @throws IllegalArgumentException if an explicitly given catalog file cannot be used
     */
    public Pricing build() {
      PricingSettings env = environment;
      Map<String, String> allAliases = new LinkedHashMap<>();
      PricingCatalog customCatalog = customPrices;
      Path file = catalogFile;
      URI syncUrl = url;
      Path cacheDir = cacheDirectory;
      Duration age = maxAge;
      Duration interval = refreshInterval;
      Duration deadline = timeout;
      Boolean off = offline;
      Path customFile = customPricesFile;
      if (env != null) {
        allAliases.putAll(env.aliases());
        file = file != null ? file : env.path(PricingSettings.FILE);
        syncUrl = syncUrl != null ? syncUrl : env.uri(PricingSettings.URL);
        cacheDir = cacheDir != null ? cacheDir : env.path(PricingSettings.CACHE_DIR);
        age = age != null ? age : env.duration(PricingSettings.MAX_AGE);
        interval = interval != null ? interval : env.duration(PricingSettings.REFRESH_INTERVAL);
        deadline = deadline != null ? deadline : env.duration(PricingSettings.TIMEOUT);
        off = off != null ? off : env.bool(PricingSettings.OFFLINE);
        customFile = customFile != null ? customFile : env.path(PricingSettings.CUSTOM_FILE);
      }
      allAliases.putAll(aliases);
      if (customCatalog == null && customFile != null) {
        try {
          customCatalog = PricingCatalog.load(customFile).withSource("custom");
        } catch (UncheckedIOException | IllegalArgumentException e) {
          logger.log(
              Level.WARNING,
              "TokenScope pricing: ignoring custom prices ({0})",
              PricingCatalog.describe(e));
        }
      }
      boolean isOffline = off != null && off;

      if (catalog != null) {
        return new Pricing(catalog, allAliases, customCatalog, null, isOffline);
      }
      if (file != null) {
        // An explicit file is the user's decision: use it, or say clearly why not.
        PricingCatalog fromFile;
        try {
          fromFile = PricingCatalog.load(file);
        } catch (UncheckedIOException | IllegalArgumentException e) {
          throw new IllegalArgumentException(
              "cannot use price file " + file + ": " + e.getMessage(), e);
        }
        return new Pricing(fromFile, allAliases, customCatalog, null, isOffline);
      }

      Pricing[] self = new Pricing[1];
      CatalogSync sync =
          new CatalogSync(
              syncUrl != null ? syncUrl : DEFAULT_URL,
              cacheDir != null ? cacheDir : defaultCacheDirectory(),
              age != null ? age : DEFAULT_MAX_AGE,
              deadline != null ? deadline : DEFAULT_TIMEOUT,
              clock,
              minimumEntries,
              fresh -> self[0].install(fresh),
              () -> self[0] == null ? "none" : self[0].source());
      CatalogData cached = sync.loadCache();
      PricingCatalog base = cached != null ? new PricingCatalog(cached) : PricingCatalog.builtin();
      Pricing pricing = new Pricing(base, allAliases, customCatalog, sync, isOffline);
      self[0] = pricing;
      if (!isOffline && backgroundRefresh) {
        sync.start(interval != null ? interval : DEFAULT_REFRESH_INTERVAL);
      }
      return pricing;
    }

    private static Duration positive(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, got " + d);
      }
      return d;
    }
  }

  /** {@code $XDG_CACHE_HOME/tokenscope}, else {@code ~/.cache/tokenscope}. */
  static Path defaultCacheDirectory() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    if (xdg != null && !xdg.isBlank()) {
      return Path.of(xdg, "tokenscope");
    }
    return Path.of(System.getProperty("user.home"), ".cache", "tokenscope");
  }
}
