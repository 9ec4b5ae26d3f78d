package dev.tokenscope.simulator.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tokenscope.simulator.FaultRule;
import dev.tokenscope.simulator.LatencyProfile;
import dev.tokenscope.simulator.Provider;
import dev.tokenscope.simulator.RecordedRequest;
import dev.tokenscope.simulator.RequestLog;
import dev.tokenscope.simulator.ScriptRule;
import dev.tokenscope.simulator.SimulatedRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The state one running simulator shares across requests: settings, prompt caches, scripts, faults,
 * the request log, and the latch that releases sleeping requests on close.
 */
public final class Simulation {

  public static final ObjectMapper JSON = JsonMapper.builder().build();

  private final long seed;
  private final double speed;
  private final Clock clock;
  private final Map<String, LatencyProfile> latencyOverrides;
  private final Duration hangDuration;
  private final Duration retryAfter;
  private final Duration openAiCacheRetention;
  private final RequestLog log;
  private final @Nullable Consumer<RecordedRequest> listener;
  private final AtomicBoolean listenerFailed = new AtomicBoolean();
  private final FaultInjector faults;
  private final List<ScriptRule> scripts;
  private final OpenAiPromptCache openAiCache;
  private final AnthropicPromptCache anthropicCache;
  private final AtomicLong sequence = new AtomicLong();
  private final CountDownLatch closed = new CountDownLatch(1);

  public Simulation(
      long seed,
      double speed,
      Clock clock,
      Map<String, LatencyProfile> latencyOverrides,
      List<FaultRule> faultRules,
      List<ScriptRule> scripts,
      Duration hangDuration,
      Duration retryAfter,
      Duration openAiCacheRetention,
      RequestLog log,
      int cacheEntries,
      @Nullable Consumer<RecordedRequest> listener) {
    this.seed = seed;
    this.speed = speed;
    this.clock = clock;
    this.latencyOverrides = new LinkedHashMap<>(latencyOverrides);
    this.hangDuration = hangDuration;
    this.retryAfter = retryAfter;
    this.openAiCacheRetention = openAiCacheRetention;
    this.log = log;
    this.listener = listener;
    this.faults = new FaultInjector(seed, faultRules);
    this.scripts = new CopyOnWriteArrayList<>(scripts);
    this.openAiCache = new OpenAiPromptCache(clock, cacheEntries);
    this.anthropicCache = new AnthropicPromptCache(clock, cacheEntries);
  }

  public long seed() {
    return seed;
  }

  public double speed() {
    return speed;
  }

  public Clock clock() {
    return clock;
  }

  public Duration retryAfter() {
    return retryAfter;
  }

  public Duration openAiCacheRetention() {
    return openAiCacheRetention;
  }

  public RequestLog log() {
    return log;
  }

  public FaultInjector faults() {
    return faults;
  }

  public List<ScriptRule> scripts() {
    return scripts;
  }

  public OpenAiPromptCache openAiCache() {
    return openAiCache;
  }

  public AnthropicPromptCache anthropicCache() {
    return anthropicCache;
  }

  /** Logs {@code request} and tells the listener, which must not break the request path. */
  public void record(RecordedRequest request) {
    log.record(request);
    if (listener != null) {
      try {
        listener.accept(request);
      } catch (RuntimeException e) {
        if (listenerFailed.compareAndSet(false, true)) {
          Logger.getLogger("dev.tokenscope.simulator")
              .log(Level.WARNING, "request listener failed; further failures are not logged", e);
        }
      }
    }
  }

  public long nextSequence() {
    return sequence.incrementAndGet();
  }

  /** The latency of {@code model}: the longest matching override prefix, else the catalog's. */
  public LatencyProfile latency(Provider provider, String model) {
    @Nullable LatencyProfile best = null;
    int bestLength = -1;
    for (Map.Entry<String, LatencyProfile> e : latencyOverrides.entrySet()) {
      if (model.startsWith(e.getKey()) && e.getKey().length() > bestLength) {
        best = e.getValue();
        bestLength = e.getKey().length();
      }
    }
    return best != null ? best : ModelCatalog.find(provider, model).latency();
  }

  /** {@code delay} divided by the speed factor, in nanoseconds; 0 at speed 0. */
  public long scaled(Duration delay) {
    if (speed == 0) {
      return 0;
    }
    return (long) (delay.toNanos() / speed);
  }

  /** Sleeps {@code nanos} unless the simulator closes first. */
  public void pause(long nanos) {
    if (nanos <= 0) {
      return;
    }
    try {
      closed.await(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Holds a hung request for the hang duration, or until the simulator closes. */
  public void hang() {
    pause(hangDuration.toNanos());
  }

  /** The first script rule that answers {@code request}, or null. */
  public @Nullable ScriptRule script(SimulatedRequest request) {
    for (ScriptRule rule : scripts) {
      if (rule.tryMatch(request)) {
        return rule;
      }
    }
    return null;
  }

  public boolean isClosed() {
    return closed.getCount() == 0;
  }

  public void close() {
    closed.countDown();
  }
}
