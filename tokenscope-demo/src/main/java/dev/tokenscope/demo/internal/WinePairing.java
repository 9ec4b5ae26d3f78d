package dev.tokenscope.demo.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A wine suggestion for one course, as the Sommelier answered it or as the fallback chose it.
 *
 * @param confidence the Sommelier's confidence, 0 to 1
 * @param fallback true when no answer passed validation and the house list was used instead
 */
record WinePairing(
    String wine,
    String grape,
    String region,
    int servingTemperatureC,
    String reasoning,
    double confidence,
    boolean fallback) {

  /** The lowest confidence accepted. */
  static final double MIN_CONFIDENCE = 0.6;

  private static final Set<String> PLACEHOLDERS =
      Set.of("", "n/a", "na", "none", "tbd", "unknown", "any", "-", "?");

  /**
   * What is wrong with this answer, empty when it passes: every field given and not a placeholder,
   * a serving temperature a wine can have, a reason of some substance, enough confidence.
   */
  List<String> problems() {
    List<String> out = new ArrayList<>();
    if (placeholder(wine)) {
      out.add("no wine named");
    }
    if (placeholder(grape)) {
      out.add("no grape given");
    }
    if (placeholder(region)) {
      out.add("no region given");
    }
    if (servingTemperatureC < 4 || servingTemperatureC > 20) {
      out.add("serving temperature " + servingTemperatureC + "°C is outside 4–20°C");
    }
    if (reasoning.strip().length() < 30) {
      out.add("reasoning too thin");
    }
    if (!(confidence >= MIN_CONFIDENCE && confidence <= 1)) {
      out.add("confidence " + confidence + " below " + MIN_CONFIDENCE);
    }
    return out;
  }

  /** The problems of an answer that may not have been the JSON asked for (null). */
  static List<String> problemsOf(@Nullable WinePairing answer) {
    return answer == null ? List.of("the answer is not the JSON asked for") : answer.problems();
  }

  private static boolean placeholder(String text) {
    return PLACEHOLDERS.contains(text.strip().toLowerCase(Locale.ROOT));
  }
}
