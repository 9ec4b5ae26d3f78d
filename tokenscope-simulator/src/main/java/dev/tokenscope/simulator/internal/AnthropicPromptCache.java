package dev.tokenscope.simulator.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Anthropic's explicit prompt caching. The prompt is a sequence of blocks (tools, then system, then
 * message content); a block carrying {@code cache_control} is a breakpoint that caches the whole
 * prefix up to and including it, if that prefix reaches the model's minimum cacheable length. A
 * later request reads the longest cached prefix found at one of its breakpoints (or up to 20 blocks
 * before one), and writes the rest up to its last eligible breakpoint. Entries expire 5 minutes (or
 * 1 hour) after their last use, on an injectable clock.
 */
public final class AnthropicPromptCache {

  /** Blocks before a breakpoint that are checked for an earlier cache entry. */
  static final int LOOKBACK_BLOCKS = 20;

  /**
   * One prompt block.
   *
   * @param prefixHash hash of every block up to and including this one
   * @param tokens this block's tokens
   * @param ttl the block's cache_control TTL, or null when it is not a breakpoint
   */
  public record Block(long prefixHash, int tokens, @Nullable Duration ttl) {}

  /** Tokens read from the cache, written with a 5-minute TTL, and written with a 1-hour TTL. */
  public record Result(long read, long write5m, long write1h) {
    public long written() {
      return write5m + write1h;
    }
  }

  private record Key(String model, long prefixHash) {}

  private record Entry(Instant expiry, Duration ttl) {}

  private final Clock clock;
  private final Map<Key, Entry> entries;

  public AnthropicPromptCache(Clock clock, int maxEntries) {
    this.clock = clock;
    this.entries =
        new LinkedHashMap<>(256, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
            return size() > maxEntries;
          }
        };
  }

  public synchronized Result apply(String model, List<Block> blocks, int minCacheableTokens) {
    int n = blocks.size();
    long[] cumulative = new long[n];
    long total = 0;
    for (int i = 0; i < n; i++) {
      total += blocks.get(i).tokens();
      cumulative[i] = total;
    }
    Instant now = clock.instant();
    int hit = -1;
    for (int b = n - 1; b >= 0 && hit < 0; b--) {
      if (blocks.get(b).ttl() == null) {
        continue;
      }
      for (int j = b; j >= Math.max(0, b - LOOKBACK_BLOCKS); j--) {
        Key key = new Key(model, blocks.get(j).prefixHash());
        Entry entry = entries.get(key);
        if (entry != null && entry.expiry().isAfter(now)) {
          hit = j;
          entries.put(key, new Entry(now.plus(entry.ttl()), entry.ttl()));
          break;
        }
      }
    }
    long read = hit >= 0 ? cumulative[hit] : 0;
    long written = read;
    long write5m = 0;
    long write1h = 0;
    for (int b = hit + 1; b < n; b++) {
      Duration ttl = blocks.get(b).ttl();
      if (ttl == null || cumulative[b] < minCacheableTokens) {
        continue;
      }
      long segment = cumulative[b] - written;
      if (ttl.compareTo(Duration.ofMinutes(5)) > 0) {
        write1h += segment;
      } else {
        write5m += segment;
      }
      written = cumulative[b];
      entries.put(new Key(model, blocks.get(b).prefixHash()), new Entry(now.plus(ttl), ttl));
    }
    return new Result(read, write5m, write1h);
  }

  public synchronized void clear() {
    entries.clear();
  }
}
