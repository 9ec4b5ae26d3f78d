package dev.tokenscope.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A one-line progress bar. On a terminal it redraws in place; otherwise (pipes, CI logs) it prints
 * a line at every tenth of the work so logs stay short.
 */
final class ProgressBar {

  private static final int WIDTH = 30;

  private final PrintWriter out;
  private final String label;
  private final boolean interactive;
  private final long started = System.nanoTime();
  private int lastTenth = -1;
  private long lastDraw;

  ProgressBar(PrintWriter out, String label, boolean interactive) {
    this.out = out;
    this.label = label;
    this.interactive = interactive;
  }

  /** Whether this process writes to a terminal. */
  static boolean terminal() {
    return System.console() != null;
  }

  /** Redraws with {@code done} of {@code total} (fraction in [0, 1]) and a short status. */
  synchronized void update(double fraction, String status) {
    double f = Math.max(0, Math.min(1, fraction));
    long now = System.nanoTime();
    int tenth = (int) (f * 10);
    if (interactive) {
      if (now - lastDraw < 100_000_000L && f < 1) {
        return;
      }
      lastDraw = now;
      out.print("\r" + line(f, status));
      out.flush();
    } else if (tenth > lastTenth) {
      lastTenth = tenth;
      out.println(line(f, status));
      out.flush();
    }
  }

  /** Ends the bar's line. */
  synchronized void finish(String status) {
    if (interactive) {
      out.print("\r" + line(1, status) + "\n");
    } else if (lastTenth < 10) {
      out.println(line(1, status));
    }
    out.flush();
  }

  private String line(double fraction, String status) {
    int filled = (int) Math.round(fraction * WIDTH);
    long seconds = (System.nanoTime() - started) / 1_000_000_000L;
    return String.format(
        Locale.ROOT,
        "%s [%s%s] %3d%%  %s  %d:%02d",
        label,
        "#".repeat(filled),
        ".".repeat(WIDTH - filled),
        Math.round(fraction * 100),
        status,
        seconds / 60,
        seconds % 60);
  }
}
