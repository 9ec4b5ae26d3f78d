package dev.tokenscope.simulator.internal;

import java.util.SplittableRandom;

/** Provider-shaped identifiers, deterministic from a random stream. */
public final class Ids {

  private static final String BASE62 =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
  private static final String HEX = "0123456789abcdef";

  private final SplittableRandom random;

  public Ids(SplittableRandom random) {
    this.random = random;
  }

  public String base62(String prefix, int length) {
    return prefix + draw(BASE62, length);
  }

  public String hex(String prefix, int length) {
    return prefix + draw(HEX, length);
  }

  private String draw(String alphabet, int length) {
    StringBuilder sb = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return sb.toString();
  }
}
