package dev.tokenscope.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sync against a local server serving the snapshot: 200/304/500, timeouts, bad bodies, cache. */
class PriceSyncTest {
  private static final Instant FETCHED = Instant.parse("2026-07-24T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(FETCHED, ZoneOffset.UTC);
  private static final String CACHE_FILE = "model_prices_and_context_window.json";

  @TempDir Path cacheDir;
  private FakePriceServer server;
  private byte[] snapshot;

  @BeforeEach
  void start() throws Exception {
    server = new FakePriceServer();
    snapshot = Files.readAllBytes(Snapshot.path());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Pricing.Builder pricing(Clock clock) {
    return Pricing.builder()
        .url(server.url())
        .cacheDirectory(cacheDir)
        .clock(clock)
        .timeout(Duration.ofMillis(500))
        .backgroundRefresh(false);
  }

  @Test
  void downloadsValidatesCachesAndSwapsIn() throws Exception {
    server.serve(snapshot, "\"abc\"");
    try (Pricing pricing = pricing(CLOCK).build()) {
      assertThat(pricing.source()).startsWith("builtin@");

      SyncResult result = pricing.sync();

      assertThat(result.status()).isEqualTo(SyncResult.Status.UPDATED);
      assertThat(result.entries()).isEqualTo(2982);
      assertThat(pricing.source()).isEqualTo("litellm@2026-07-24T10:00Z");
      assertThat(pricing.cost("gpt-4o", "openai", Usage.of(1000, 200)).pricingSource())
          .isEqualTo("litellm@2026-07-24T10:00Z");
      assertThat(Files.readAllBytes(cacheDir.resolve(CACHE_FILE))).isEqualTo(snapshot);
      assertThat(pricing.status().fetchedAt()).isEqualTo(FETCHED);
      assertThat(server.ifNoneMatchHeaders()).containsExactly(""); // first request unconditional
    }
  }

  @Test
  void conditionalGetKeepsPricesOn304() throws Exception {
    server.serve(snapshot, "\"abc\"");
    try (Pricing first = pricing(CLOCK).build()) {
      first.sync();
    }
    Clock later = Clock.offset(CLOCK, Duration.ofHours(30));
    try (Pricing pricing = pricing(later).build()) {
      assertThat(pricing.source()).isEqualTo("litellm@2026-07-24T10:00Z"); // from the cache
      assertThat(pricing.catalog().size()).isEqualTo(2982);

      SyncResult result = pricing.sync();

      assertThat(result.status()).isEqualTo(SyncResult.Status.NOT_MODIFIED);
      assertThat(server.ifNoneMatchHeaders()).containsExactly("", "\"abc\"");
      assertThat(pricing.source()).isEqualTo("litellm@2026-07-24T10:00Z");
      assertThat(pricing.status().fetchedAt()).isEqualTo(FETCHED.plus(Duration.ofHours(30)));
    }
  }

  @Test
  void serverErrorKeepsCurrentPrices() {
    server.failWith(500);
    try (Pricing pricing = pricing(CLOCK).build()) {
      SyncResult result = pricing.sync();

      assertThat(result.status()).isEqualTo(SyncResult.Status.FAILED);
      assertThat(result.message()).contains("HTTP 500").contains("keeping builtin@");
      assertThat(pricing.source()).startsWith("builtin@");
      assertThat(cacheDir.resolve(CACHE_FILE)).doesNotExist();
    }
  }

  @Test
  void hangingServerTimesOut() {
    server.hang();
    try (Pricing pricing = pricing(CLOCK).timeout(Duration.ofMillis(200)).build()) {
      SyncResult result = pricing.sync();

      assertThat(result.status()).isEqualTo(SyncResult.Status.FAILED);
      assertThat(result.message()).contains("timed out");
      assertThat(pricing.source()).startsWith("builtin@");
    } finally {
      server.release();
    }
  }

  @Test
  void truncatedBodyNeverReplacesPrices() throws Exception {
    server.serve(snapshot, "\"v1\"");
    try (Pricing pricing = pricing(CLOCK).build()) {
      pricing.sync();
      server.truncate(snapshot);

      SyncResult result = pricing.sync();

      assertThat(result.status()).isIn(SyncResult.Status.FAILED, SyncResult.Status.REJECTED);
      assertThat(pricing.source()).isEqualTo("litellm@2026-07-24T10:00Z");
      assertThat(pricing.catalog().size()).isEqualTo(2982);
      assertThat(Files.readAllBytes(cacheDir.resolve(CACHE_FILE))).isEqualTo(snapshot);
    }
  }

  @Test
  void garbageIsRejected() {
    server.serve("<html>Rate limit exceeded</html>".getBytes(StandardCharsets.UTF_8), "\"g\"");
    try (Pricing pricing = pricing(CLOCK).build()) {
      SyncResult result = pricing.sync();

      assertThat(result.status()).isEqualTo(SyncResult.Status.REJECTED);
      assertThat(result.message()).contains("not a LiteLLM price file");
      assertThat(pricing.source()).startsWith("builtin@");
    }
  }

  @Test
  void tooFewEntriesAreRejected() {
    server.serve(
        "{\"gpt-4o\": {\"input_cost_per_token\": 0, \"output_cost_per_token\": 0}}"
            .getBytes(StandardCharsets.UTF_8),
        "\"tiny\"");
    try (Pricing pricing = pricing(CLOCK).build()) {
      SyncResult result = pricing.sync();

      assertThat(result.status()).isEqualTo(SyncResult.Status.REJECTED);
      assertThat(result.message()).contains("only 1 models");
      assertThat(pricing.cost("gpt-4o", null, Usage.of(1000, 0)).totalUsd()).isEqualTo(0.0025);
    }
  }

  @Test
  void absurdPricesAreRejected() {
    // A unit slip upstream: every per-token price a million times too high.
    String absurd =
        new String(snapshot, StandardCharsets.UTF_8)
            .replaceAll("(\"[a-z_]*cost[a-z_0-9]*\": [0-9.]+)e-0?([5-9])", "$1e+0$2");
    server.serve(absurd.getBytes(StandardCharsets.UTF_8), "\"x\"");
    try (Pricing pricing = pricing(CLOCK).build()) {
      SyncResult result = pricing.sync();

      assertThat(result.status()).isEqualTo(SyncResult.Status.REJECTED);
      assertThat(result.message()).contains("implausible");
      assertThat(pricing.source()).startsWith("builtin@");
    }
  }

  @Test
  void negativePricesAreRejected() {
    String negative =
        new String(snapshot, StandardCharsets.UTF_8)
            .replace("\"input_cost_per_token\": ", "\"input_cost_per_token\": -");
    server.serve(negative.getBytes(StandardCharsets.UTF_8), "\"n\"");
    try (Pricing pricing = pricing(CLOCK).build()) {
      SyncResult result = pricing.sync();

      assertThat(result.status()).isEqualTo(SyncResult.Status.REJECTED);
      assertThat(result.message()).contains("malformed or have negative");
    }
  }

  @Test
  void corruptCacheFallsBackToBuiltinAndIsReplacedByTheNextGoodDownload() throws Exception {
    Files.writeString(cacheDir.resolve(CACHE_FILE), "{\"gpt-4o\": {\"input_cost_per_tok");
    server.serve(snapshot, "\"abc\"");
    try (Pricing pricing = pricing(CLOCK).build()) {
      assertThat(pricing.source()).startsWith("builtin@");

      assertThat(pricing.sync().status()).isEqualTo(SyncResult.Status.UPDATED);
      assertThat(server.ifNoneMatchHeaders()).containsExactly("");
      assertThat(pricing.source()).isEqualTo("litellm@2026-07-24T10:00Z");
    }
  }

  @Test
  void unreachableServerFailsFastAndQuietly() throws Exception {
    java.net.URI closed;
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = java.net.URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/prices.json");
    }
    try (Pricing pricing = pricing(CLOCK).url(closed).build()) {
      SyncResult result = pricing.sync();

      assertThat(result.status()).isEqualTo(SyncResult.Status.FAILED);
      assertThat(result.message()).doesNotContain("\n").contains("keeping builtin@");
    }
  }

  @Test
  void offlineNeverTouchesTheNetwork() {
    server.serve(snapshot, "\"abc\"");
    try (Pricing pricing = pricing(CLOCK).offline(true).backgroundRefresh(true).build()) {
      assertThat(pricing.sync().status()).isEqualTo(SyncResult.Status.DISABLED);
      assertThat(pricing.status().offline()).isTrue();
    }
    assertThat(server.requests()).isZero();
  }

  @Test
  void backgroundRefreshRunsOffTheCallersThreadWhenStale() {
    server.hang(); // the first download blocks: build() must not wait for it
    try (Pricing pricing = pricing(CLOCK).backgroundRefresh(true).build()) {
      assertThat(pricing.source()).startsWith("builtin@");
      await().atMost(Duration.ofSeconds(10)).until(() -> server.requests() == 1);
      server.serve(snapshot, "\"abc\"");
      server.release();
      // The hung request fails (503); the next periodic check downloads.
      pricing.refreshIfStale();
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> pricing.source().equals("litellm@2026-07-24T10:00Z"));
    }
  }

  @Test
  void freshCacheIsNotDownloadedAgain() {
    server.serve(snapshot, "\"abc\"");
    try (Pricing first = pricing(CLOCK).build()) {
      first.sync();
    }
    Clock twoHoursLater = Clock.offset(CLOCK, Duration.ofHours(2));
    try (Pricing pricing = pricing(twoHoursLater).build()) {
      pricing.refreshIfStale(); // the background check: younger than 24 h, so no request
      assertThat(server.requests()).isEqualTo(1);
      assertThat(pricing.status().fetchedAt()).isEqualTo(FETCHED);
    }
    Clock dayLater = Clock.offset(CLOCK, Duration.ofHours(25));
    try (Pricing pricing = pricing(dayLater).build()) {
      pricing.refreshIfStale(); // older than 24 h: a conditional GET
      assertThat(server.ifNoneMatchHeaders()).containsExactly("", "\"abc\"");
    }
  }
}
