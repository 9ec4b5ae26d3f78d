package dev.tokenscope.simulator.internal;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/** Deterministic random streams derived from the simulator seed and request facts. */
public final class Seeds {

  private Seeds() {}

  /** A random stream that depends only on {@code seed} and {@code parts}. */
  public static SplittableRandom random(long seed, Object... parts) {
    long h = mix(seed ^ 0x9E3779B97F4A7C15L);
    for (Object part : parts) {
      h = mix(h ^ hash(String.valueOf(part)));
    }
    return new SplittableRandom(h);
  }

  /** A uniform double in [0, 1) that depends only on {@code seed} and {@code parts}. */
  public static double uniform(long seed, Object... parts) {
    return random(seed, parts).nextDouble();
  }

  /** A 64-bit FNV-1a hash of the UTF-8 bytes of {@code text}. */
  public static long hash(String text) {
    long h = 0xcbf29ce484222325L;
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** The SplitMix64 finaliser: spreads every input bit over the output. */
  public static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
