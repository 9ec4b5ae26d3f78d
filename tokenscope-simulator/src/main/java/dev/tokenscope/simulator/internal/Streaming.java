package dev.tokenscope.simulator.internal;

import dev.tokenscope.simulator.LatencyProfile;
import java.util.ArrayList;
import java.util.List;

/** Splits replies into streamed pieces and paces them with a model's latency profile. */
public final class Streaming {

  private static final int MAX_PIECE_CHARS = 12;

  private final Simulation sim;
  private final LatencyProfile latency;

  public Streaming(Simulation sim, LatencyProfile latency) {
    this.sim = sim;
    this.latency = latency;
  }

  /** Delay before the first token: time to first token plus time spent reasoning. */
  public long firstTokenDelay(int reasoningTokens) {
    return sim.scaled(latency.timeToFirstToken())
        + sim.scaled(latency.generationTime(reasoningTokens));
  }

  /** Delay for generating {@code tokens} tokens. */
  public long tokenDelay(double tokens) {
    return sim.scaled(latency.generationTime((long) Math.ceil(tokens)));
  }

  /** Total time a non-streamed reply takes. */
  public long wholeReplyDelay(int outputTokens) {
    return sim.scaled(latency.timeToFirstToken())
        + sim.scaled(latency.generationTime(outputTokens));
  }

  /**
   * Splits {@code text} into pieces of roughly one token: a word with its leading whitespace, or at
   * most eight characters of text without spaces (JSON).
   */
  public static List<String> pieces(String text) {
    List<String> pieces = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      boolean space = Character.isWhitespace(cp);
      boolean boundary =
          current.length() > 0
              && ((space && !Character.isWhitespace(current.codePointBefore(current.length())))
                  || current.length() >= MAX_PIECE_CHARS);
      if (boundary) {
        pieces.add(current.toString());
        current.setLength(0);
      }
      current.appendCodePoint(cp);
      i += Character.charCount(cp);
    }
    if (current.length() > 0) {
      pieces.add(current.toString());
    }
    return pieces;
  }
}
