package dev.tokenscope.cli;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of durations. */
final class Percentiles {

  private final long[] sorted;

  Percentiles(long[] values) {
    this.sorted = values.clone();
    Arrays.sort(sorted);
  }

  int count() {
    return sorted.length;
  }

  /** The {@code p}-th percentile (0 < p <= 100), or 0 without values. */
  long at(double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }
}
