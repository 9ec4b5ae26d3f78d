package dev.tokenscope.simulator;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpServer;
import dev.tokenscope.simulator.internal.Simulation;
import dev.tokenscope.simulator.internal.SimulatorHandler;
import dev.tokenscope.simulator.internal.TokenCounter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A local LLM provider speaking the OpenAI and Anthropic HTTP APIs over real HTTP on loopback, so
 * the official SDKs can be pointed at it unchanged: chat completions, responses, embeddings and
 * models for OpenAI; messages and token counting for Anthropic; JSON and server-sent-event
 * streaming; token usage with prompt caching and reasoning; a latency model; scripted replies;
 * reproducible fault injection; and a log of what it saw.
 *
 * <pre>{@code
 * try (LlmSimulator sim = LlmSimulator.builder().seed(42).speed(0).build().start()) {
 *   OpenAIClient openai = OpenAIOkHttpClient.builder()
 *       .baseUrl(sim.openAiBaseUrl()).apiKey("test").build();
 *   AnthropicClient claude = AnthropicOkHttpClient.builder()
 *       .baseUrl(sim.anthropicBaseUrl()).apiKey("test").build();
 *   // ... call them, then compare with sim.requestLog().entries()
 * }
 * }</pre>
 */
public final class LlmSimulator implements AutoCloseable {

  private static final Logger LOGGER = Logger.getLogger(LlmSimulator.class.getName());

  /**
   * The JDK server leaves Nagle's algorithm on, and writes headers and body separately: with the
   * client's delayed ACK every keep-alive response then waits ~40 ms. The property is read once,
   * when the JVM's first {@code HttpServer} is created, so it is set here unless the user chose.
   */
  private static final String NO_DELAY = "sun.net.httpserver.nodelay";

  static {
    if (System.getProperty(NO_DELAY) == null) {
      System.setProperty(NO_DELAY, "true");
    }
  }

  private final Simulation simulation;
  private final InetAddress bindAddress;
  private final int requestedPort;
  private @Nullable HttpServer server;
  private @Nullable ExecutorService executor;

  private LlmSimulator(Builder builder) {
    this.bindAddress = builder.bindAddress;
    this.requestedPort = builder.port;
    this.simulation =
        new Simulation(
            builder.seed,
            builder.speed,
            builder.clock,
            builder.latency,
            builder.faultRules,
            builder.scripts,
            builder.hangDuration,
            builder.retryAfter,
            builder.openAiCacheRetention,
            RequestLog.create(builder.requestLogCapacity),
            builder.cacheCapacity,
            builder.listener);
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Binds the port and starts answering. Returns this simulator, so {@code
   * builder().build().start()} reads naturally. The first start in a JVM also waits for the
   * tokenizer's vocabularies to load (about a second), so that no request waits for them.
   *
   * @throws UncheckedIOException when the port cannot be bound
   * @throws IllegalStateException when already started or closed
   */
  public synchronized LlmSimulator start() {
    if (server != null) {
      throw new IllegalStateException("the simulator is already started");
    }
    if (simulation.isClosed()) {
      throw new IllegalStateException("the simulator is closed; build a new one");
    }
    CompletableFuture<Void> tokenizer = TokenCounter.warmUp();
    HttpServer http;
    try {
      http = HttpServer.create(new InetSocketAddress(bindAddress, requestedPort), 256);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on "
              + bindAddress.getHostAddress()
              + ":"
              + requestedPort
              + ": "
              + e.getMessage(),
          e);
    }
    ExecutorService pool = Executors.newCachedThreadPool(new DaemonThreads());
    http.createContext("/", new SimulatorHandler(simulation));
    http.setExecutor(pool);
    http.start();
    this.server = http;
    this.executor = pool;
    try {
      tokenizer.join();
    } catch (CompletionException e) {
      // Requests that count tokens will fail with the cause; the rest still work.
      LOGGER.log(Level.WARNING, "cannot load the tokenizer's vocabularies", e.getCause());
    }
    LOGGER.fine(() -> "LLM simulator listening on " + baseUrl());
    return this;
  }

  /** The port listened on (the ephemeral port chosen, when built with port 0). */
  public int port() {
    return runningServer().getAddress().getPort();
  }

  /** {@code http://127.0.0.1:<port>}, without a trailing slash. */
  public String baseUrl() {
    String host = bindAddress.getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "http://" + host + ":" + port();
  }

  /** The OpenAI SDK's base URL: {@code baseUrl() + "/v1"}. */
  public String openAiBaseUrl() {
    return baseUrl() + "/v1";
  }

  /** The Anthropic SDK's base URL: {@code baseUrl()} (the SDK adds {@code /v1/...}). */
  public String anthropicBaseUrl() {
    return baseUrl();
  }

  /** What the simulator saw and answered, newest last. */
  public RequestLog requestLog() {
    return simulation.log();
  }

  /** Makes the next {@code count} requests (to any provider) fail with {@code fault}. */
  public void failNext(int count, Fault fault) {
    failNext(count, fault, null, null);
  }

  /** Makes the next {@code count} requests to {@code provider} fail with {@code fault}. */
  public void failNext(int count, Fault fault, Provider provider) {
    failNext(count, fault, requireNonNull(provider, "provider"), null);
  }

  /**
   * Makes the next {@code count} requests that match the provider (any when null) and model prefix
   * (any when null) fail with {@code fault}. Orders queue up in the order given.
   */
  public void failNext(
      int count, Fault fault, @Nullable Provider provider, @Nullable String modelPrefix) {
    requireNonNull(fault, "fault");
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
    simulation.faults().failNext(count, fault, provider, modelPrefix);
  }

  /** Queued "fail next" orders not yet used. */
  public int pendingFaults() {
    return simulation.faults().pendingCount();
  }

  /** Replaces the fault-rate rules. */
  public void faultRules(List<FaultRule> rules) {
    simulation.faults().rules(requireNonNull(rules, "rules"));
  }

  /** The current fault-rate rules. */
  public List<FaultRule> faultRules() {
    return simulation.faults().rules();
  }

  /** Drops all fault rules and queued fault orders. */
  public void clearFaults() {
    simulation.faults().clear();
  }

  /** Adds a script rule after the existing ones. */
  public void addScript(ScriptRule rule) {
    simulation.scripts().add(requireNonNull(rule, "rule"));
  }

  /** Removes every script rule. */
  public void clearScripts() {
    simulation.scripts().clear();
  }

  /** Forgets every cached prompt prefix, for both providers. */
  public void clearPromptCaches() {
    simulation.openAiCache().clear();
    simulation.anthropicCache().clear();
  }

  /** Stops listening and releases requests that are sleeping or hung. Idempotent. */
  @Override
  public synchronized void close() {
    simulation.close();
    if (server != null) {
      server.stop(0);
      server = null;
    }
    if (executor != null) {
      executor.shutdownNow();
      try {
        executor.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      executor = null;
    }
  }

  @Override
  public String toString() {
    return server == null ? "LlmSimulator{not started}" : "LlmSimulator{" + baseUrl() + "}";
  }

  private synchronized HttpServer runningServer() {
    if (server == null) {
      throw new IllegalStateException("the simulator is not started; call start() first");
    }
    return server;
  }

  private static final class DaemonThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "tokenscope-simulator-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }

  /** Configures a {@link LlmSimulator}. Every setting has a working default. */
  public static final class Builder {
    private long seed;
    private double speed = 1.0;
    private int port;
    private InetAddress bindAddress = InetAddress.getLoopbackAddress();
    private Clock clock = Clock.systemUTC();
    private final Map<String, LatencyProfile> latency = new LinkedHashMap<>();
    private final List<FaultRule> faultRules = new ArrayList<>();
    private final List<ScriptRule> scripts = new ArrayList<>();
    private Duration hangDuration = Duration.ofSeconds(15);
    private Duration retryAfter = Duration.ofSeconds(1);
    private Duration openAiCacheRetention = Duration.ofMinutes(10);
    private int requestLogCapacity = 10_000;
    private int cacheCapacity = 100_000;
    private @Nullable Consumer<RecordedRequest> listener;

    private Builder() {}

    /** Seeds generated content, ids and fault draws (default 0). */
    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    /** Divides every modelled delay: 1 is realistic (the default), 2 twice as fast, 0 instant. */
    public Builder speed(double speed) {
      if (!(speed >= 0) || Double.isInfinite(speed)) {
        throw new IllegalArgumentException("speed must be a finite number >= 0, got " + speed);
      }
      this.speed = speed;
      return this;
    }

    /** The port to listen on; 0 (the default) picks a free ephemeral port. */
    public Builder port(int port) {
      if (port < 0 || port > 65_535) {
        throw new IllegalArgumentException("port must be within 0..65535, got " + port);
      }
      this.port = port;
      return this;
    }

    /** The address to listen on (default: loopback). */
    public Builder bindAddress(InetAddress bindAddress) {
      this.bindAddress = requireNonNull(bindAddress, "bindAddress");
      return this;
    }

    /** The clock for prompt-cache lifetimes and timestamps (default: the system UTC clock). */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Overrides the latency of models whose name starts with {@code modelPrefix}. */
    public Builder latency(String modelPrefix, LatencyProfile profile) {
      requireNonNull(modelPrefix, "modelPrefix");
      latency.put(modelPrefix, requireNonNull(profile, "profile"));
      return this;
    }

    /** Adds a fault-rate rule. */
    public Builder faultRule(FaultRule rule) {
      faultRules.add(requireNonNull(rule, "rule"));
      return this;
    }

    /** Adds a script rule; rules are tried in the order added. */
    public Builder script(ScriptRule rule) {
      scripts.add(requireNonNull(rule, "rule"));
      return this;
    }

    /** How long a {@link Fault#HANG} holds the connection before dropping it (default 15 s). */
    public Builder hangDuration(Duration hangDuration) {
      this.hangDuration = nonNegative(hangDuration, "hangDuration");
      return this;
    }

    /** The wait a 429 asks for in {@code retry-after} (default 1 s). */
    public Builder retryAfter(Duration retryAfter) {
      this.retryAfter = nonNegative(retryAfter, "retryAfter");
      return this;
    }

    /**
     * How long an OpenAI prompt prefix stays cached after its last use (default 10 minutes; a
     * request with {@code prompt_cache_retention: "24h"} keeps its prefixes 24 hours).
     */
    public Builder openAiCacheRetention(Duration retention) {
      this.openAiCacheRetention = nonNegative(retention, "retention");
      return this;
    }

    /** The most entries the request log keeps (default 10,000). */
    public Builder requestLogCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException(
            "requestLogCapacity must be at least 1, got " + capacity);
      }
      this.requestLogCapacity = capacity;
      return this;
    }

    /** The most prefixes each prompt cache keeps, least recently used dropped first (100,000). */
    public Builder cacheCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("cacheCapacity must be at least 1, got " + capacity);
      }
      this.cacheCapacity = capacity;
      return this;
    }

    /**
     * Called with every request once it is recorded, on the request's thread: keep it fast. An
     * exception it throws is logged once and otherwise ignored.
     */
    public Builder requestListener(Consumer<RecordedRequest> listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    public LlmSimulator build() {
      return new LlmSimulator(this);
    }

    private static Duration nonNegative(Duration d, String name) {
      requireNonNull(d, name);
      if (d.isNegative()) {
        throw new IllegalArgumentException(name + " must not be negative, got " + d);
      }
      return d;
    }
  }
}
