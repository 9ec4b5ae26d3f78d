package dev.tokenscope.simulator.internal;

import com.knuddels.jtokkit.api.IntArrayList;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * OpenAI's automatic prompt caching: prompts of at least 1,024 tokens are cached by prefix, and a
 * later prompt that shares a recently seen prefix reports the shared length, rounded down to 1,024
 * + a multiple of 128 tokens, as {@code cached_tokens}. Entries live for a retention period after
 * their last use, measured on an injectable clock.
 */
public final class OpenAiPromptCache {

  public static final int MIN_TOKENS = 1024;
  public static final int INCREMENT = 128;

  private record Key(String namespace, long prefixHash, int length) {}

  private final Clock clock;
  private final Map<Key, Instant> expiries;

  public OpenAiPromptCache(Clock clock, int maxEntries) {
    this.clock = clock;
    this.expiries =
        new LinkedHashMap<>(1024, 0.75f, true) {
          private static final long serialVersionUID = 1L;

          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, Instant> eldest) {
            return size() > maxEntries;
          }
        };
  }

  /**
   * Returns how many leading tokens of {@code prompt} were cached, then caches every eligible
   * prefix of it for {@code retention}.
   */
  public synchronized int lookupAndStore(
      String namespace, IntArrayList prompt, Duration retention) {
    int size = prompt.size();
    if (size < MIN_TOKENS) {
      return 0;
    }
    int boundaries = (size - MIN_TOKENS) / INCREMENT + 1;
    long[] hashes = new long[boundaries];
    long hash = Seeds.hash(namespace);
    int next = MIN_TOKENS;
    for (int i = 0, b = 0; i < size && b < boundaries; i++) {
      hash = Seeds.mix(hash + prompt.get(i) + 1);
      if (i + 1 == next) {
        hashes[b++] = hash;
        next += INCREMENT;
      }
    }
    Instant now = clock.instant();
    int cached = 0;
    for (int b = boundaries - 1; b >= 0; b--) {
      Instant expiry = expiries.get(new Key(namespace, hashes[b], MIN_TOKENS + b * INCREMENT));
      if (expiry != null && expiry.isAfter(now)) {
        cached = MIN_TOKENS + b * INCREMENT;
        break;
      }
    }
    Instant expiry = now.plus(retention);
    for (int b = 0; b < boundaries; b++) {
      expiries.put(new Key(namespace, hashes[b], MIN_TOKENS + b * INCREMENT), expiry);
    }
    return cached;
  }

  public synchronized void clear() {
    expiries.clear();
  }
}
