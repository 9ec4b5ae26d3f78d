package dev.tokenscope.benchmarks;

import dev.tokenscope.pricing.Usage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The baseline: the reference design's model matching, rewritten for the benchmark. An exact key
 * wins; otherwise the catalog keys are scanned in file order and the first that is a prefix or a
 * substring of the name is taken. Cost is input and output tokens times double rates (the reference
 * design ignored cache, reasoning, thresholds, batch and tiers).
 */
final class ReferenceLinearScan {
  private final Map<String, double[]> rates = new HashMap<>();
  private final List<String> keys = new ArrayList<>();
  private final List<double[]> keyRates = new ArrayList<>();

  ReferenceLinearScan(Map<String, double[]> ratesInFileOrder) {
    ratesInFileOrder.forEach(
        (key, rate) -> {
          rates.put(key, rate);
          keys.add(key);
          keyRates.add(rate);
        });
  }

  /** Total cost in USD, or NaN when nothing matched. */
  double cost(String model, Usage usage) {
    double[] rate = rates.get(model);
    if (rate == null) {
      for (int i = 0; i < keys.size(); i++) {
        String key = keys.get(i);
        if (model.startsWith(key) || model.contains(key)) {
          rate = keyRates.get(i);
          break;
        }
      }
    }
    if (rate == null) {
      return Double.NaN;
    }
    return usage.inputTokens() * rate[0] + usage.outputTokens() * rate[1];
  }
}
