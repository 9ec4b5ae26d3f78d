package dev.tokenscope.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.api.IntArrayList;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptCachesTest {

  private static final class MovableClock extends Clock {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  private final MovableClock clock = new MovableClock();

  private static IntArrayList tokens(int count, int salt) {
    IntArrayList list = new IntArrayList(count);
    for (int i = 0; i < count; i++) {
      list.add(i < 1100 ? i : i * 31 + salt);
    }
    return list;
  }

  @Test
  void openAiCachesAtOneThousandTwentyFourPlusMultiplesOf128() {
    OpenAiPromptCache cache = new OpenAiPromptCache(clock, 1000);
    Duration ttl = Duration.ofMinutes(10);

    assertThat(cache.lookupAndStore("m", tokens(1500, 0), ttl)).isZero();
    assertThat(cache.lookupAndStore("m", tokens(1500, 0), ttl)).isEqualTo(1408);
    // Shares only the first 1,100 tokens with the first prompt: the 1,024 boundary.
    assertThat(cache.lookupAndStore("m", tokens(1500, 7), ttl)).isEqualTo(1024);
    assertThat(cache.lookupAndStore("other-model", tokens(1500, 0), ttl)).isZero();
    assertThat(cache.lookupAndStore("m", tokens(1023, 0), ttl)).isZero();
  }

  @Test
  void openAiEntriesExpireAfterRetentionAndEvictLeastRecentlyUsed() {
    OpenAiPromptCache cache = new OpenAiPromptCache(clock, 1000);
    cache.lookupAndStore("m", tokens(1024, 0), Duration.ofMinutes(5));
    clock.now = clock.now.plus(Duration.ofMinutes(5));
    assertThat(cache.lookupAndStore("m", tokens(1024, 0), Duration.ofMinutes(5))).isZero();

    OpenAiPromptCache tiny = new OpenAiPromptCache(clock, 1);
    tiny.lookupAndStore("a", tokens(1024, 0), Duration.ofMinutes(5));
    tiny.lookupAndStore("b", tokens(1024, 0), Duration.ofMinutes(5));
    assertThat(tiny.lookupAndStore("a", tokens(1024, 0), Duration.ofMinutes(5))).isZero();
  }

  private static List<AnthropicPromptCache.Block> blocks(int... tokensAndBreakpoints) {
    List<AnthropicPromptCache.Block> blocks = new ArrayList<>();
    long hash = 17;
    for (int i = 0; i < tokensAndBreakpoints.length; i += 2) {
      hash = Seeds.mix(hash + i);
      Duration ttl =
          tokensAndBreakpoints[i + 1] == 0
              ? null
              : tokensAndBreakpoints[i + 1] == 1 ? Duration.ofMinutes(5) : Duration.ofHours(1);
      blocks.add(new AnthropicPromptCache.Block(hash, tokensAndBreakpoints[i], ttl));
    }
    return blocks;
  }

  @Test
  void anthropicWritesUpToTheLastEligibleBreakpointThenReadsTheLongestHit() {
    AnthropicPromptCache cache = new AnthropicPromptCache(clock, 1000);
    // tools 600 (1h breakpoint) | system 900 (5m breakpoint) | message 50
    List<AnthropicPromptCache.Block> prompt = blocks(600, 2, 900, 1, 50, 0);

    AnthropicPromptCache.Result first = cache.apply("sonnet", prompt, 1024);
    // 600 alone is below the minimum: only the 1,500-token prefix is written, with the 5m TTL.
    assertThat(first).isEqualTo(new AnthropicPromptCache.Result(0, 1500, 0));
    AnthropicPromptCache.Result second = cache.apply("sonnet", prompt, 1024);
    assertThat(second).isEqualTo(new AnthropicPromptCache.Result(1500, 0, 0));
  }

  @Test
  void anthropicSplitsWritesByTtlAndKeepsEarlierEntriesWhenLaterOnesExpire() {
    AnthropicPromptCache cache = new AnthropicPromptCache(clock, 1000);
    List<AnthropicPromptCache.Block> prompt = blocks(2000, 2, 1500, 1, 30, 0);

    assertThat(cache.apply("m", prompt, 1024))
        .isEqualTo(new AnthropicPromptCache.Result(0, 1500, 2000));
    clock.now = clock.now.plus(Duration.ofMinutes(6));
    // The 5m entry expired, the 1h entry still serves the first 2,000 tokens.
    assertThat(cache.apply("m", prompt, 1024))
        .isEqualTo(new AnthropicPromptCache.Result(2000, 1500, 0));
    clock.now = clock.now.plus(Duration.ofMinutes(61));
    assertThat(cache.apply("m", prompt, 1024))
        .isEqualTo(new AnthropicPromptCache.Result(0, 1500, 2000));
  }

  @Test
  void anthropicFindsAnEarlierEntryWithinTheLookbackWindow() {
    AnthropicPromptCache cache = new AnthropicPromptCache(clock, 1000);
    // A conversation: first turn cached at block 1; next turn adds blocks and moves the breakpoint.
    cache.apply("m", blocks(1200, 0, 100, 1), 1024);
    AnthropicPromptCache.Result next =
        cache.apply("m", blocks(1200, 0, 100, 0, 80, 0, 90, 1), 1024);
    assertThat(next).isEqualTo(new AnthropicPromptCache.Result(1300, 170, 0));
  }
}
