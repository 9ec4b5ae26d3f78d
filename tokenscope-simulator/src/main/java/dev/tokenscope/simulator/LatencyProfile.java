package dev.tokenscope.simulator;

import static java.util.Objects.requireNonNull;

import java.time.Duration;

/**
 * How fast a model answers: the time to the first token, then a steady output rate. The simulator
 * divides both delays by its global speed factor (speed 0 answers instantly).
 *
 * <pre>{@code
 * LlmSimulator.builder().latency("gpt-5-mini", LatencyProfile.of(Duration.ofMillis(700), 95))
 * }</pre>
 *
 * @param timeToFirstToken delay before the first byte of the reply (or first streamed token)
 * @param tokensPerSecond output tokens generated per second after the first, greater than 0
 */
public record LatencyProfile(Duration timeToFirstToken, double tokensPerSecond) {

  public LatencyProfile {
    requireNonNull(timeToFirstToken, "timeToFirstToken");
    if (timeToFirstToken.isNegative()) {
      throw new IllegalArgumentException("timeToFirstToken must not be negative");
    }
    if (!(tokensPerSecond > 0) || Double.isInfinite(tokensPerSecond)) {
      throw new IllegalArgumentException(
          "tokensPerSecond must be a positive number, got " + tokensPerSecond);
    }
  }

  public static LatencyProfile of(Duration timeToFirstToken, double tokensPerSecond) {
    return new LatencyProfile(timeToFirstToken, tokensPerSecond);
  }

  /** The unscaled time it takes to generate {@code tokens} tokens after the first. */
  public Duration generationTime(long tokens) {
    return Duration.ofNanos((long) (tokens / tokensPerSecond * 1_000_000_000L));
  }
}
