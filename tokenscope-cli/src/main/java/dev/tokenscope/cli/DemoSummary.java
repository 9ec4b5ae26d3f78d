package dev.tokenscope.cli;

import dev.tokenscope.simulator.RecordedRequest;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The table {@code tokenscope demo} prints after its workload. */
final class DemoSummary {

  private DemoSummary() {}

  static void print(
      PrintWriter out,
      DemoTelemetry telemetry,
      List<LoadRunner.Outcome> outcomes,
      List<RecordedRequest> providerLog,
      double speed,
      boolean simulated) {
    Map<String, DemoTelemetry.ModelStats> models = telemetry.models();
    out.println();
    out.println("Where the money went");
    out.println();
    out.printf(
        Locale.ROOT,
        "  %-30s %6s %10s %10s %10s %10s %8s %8s%n",
        "Cost by model",
        "calls",
        "input tok",
        "cached",
        "output tok",
        "cost",
        "p50",
        "p95");
    long calls = 0;
    long input = 0;
    long cached = 0;
    long output = 0;
    long errors = 0;
    long unpriced = 0;
    double cost = 0;
    for (Map.Entry<String, DemoTelemetry.ModelStats> e : models.entrySet()) {
      DemoTelemetry.ModelStats m = e.getValue();
      Percentiles latency = m.latency();
      out.printf(
          Locale.ROOT,
          "  %-30s %6d %10s %10s %10s %10s %8s %8s%n",
          cut(e.getKey(), 30),
          m.calls,
          count(m.inputTokens),
          count(m.cacheReadTokens),
          count(m.outputTokens),
          m.unpriced == m.calls && m.calls > 0 ? "unpriced" : usd(m.costUsd),
          seconds(latency.at(50)),
          seconds(latency.at(95)));
      calls += m.calls;
      input += m.inputTokens;
      cached += m.cacheReadTokens;
      output += m.outputTokens;
      errors += m.errors;
      unpriced += m.unpriced;
      cost += m.costUsd;
    }
    out.printf(
        Locale.ROOT,
        "  %-30s %6d %10s %10s %10s %10s%n",
        "total",
        calls,
        count(input),
        count(cached),
        count(output),
        usd(cost));
    if (simulated && speed == 0) {
      out.println(
          "  (latencies as the SDKs saw them; the simulator answers at once (speed 0), but the"
              + " SDKs' retry backoff and the JVM's first calls take real time)");
    } else if (simulated && speed != 1) {
      out.printf(
          Locale.ROOT,
          "  (latencies as the SDKs saw them; the simulator's are %s times shorter than real"
              + " providers' (speed %s), the SDKs' retry backoff and the JVM's first calls are"
              + " not)%n",
          number(speed),
          number(speed));
    }

    out.println();
    out.printf(
        Locale.ROOT, "  %-52s %6s %9s %10s%n", "Cost by workflow", "runs", "LLM calls", "cost");
    for (Map.Entry<String, DemoTelemetry.WorkflowStats> e : telemetry.workflows().entrySet()) {
      String path = e.getKey();
      int depth = (int) path.chars().filter(c -> c == '.').count();
      String name = "  ".repeat(depth) + path.substring(path.lastIndexOf('.') + 1);
      DemoTelemetry.WorkflowStats w = e.getValue();
      out.printf(
          Locale.ROOT, "  %-52s %6d %9d %10s%n", cut(name, 52), w.runs, w.llmCalls, usd(w.costUsd));
    }

    out.println();
    out.println("  Errors and retries");
    Map<Integer, Integer> statuses = new TreeMap<>();
    for (LoadRunner.Outcome outcome : outcomes) {
      statuses.merge(outcome.status(), 1, Integer::sum);
    }
    StringBuilder line = new StringBuilder();
    statuses.forEach(
        (status, n) ->
            line.append(line.length() == 0 ? "" : ", ")
                .append(status == 0 ? "no response" : status.toString())
                .append(" × ")
                .append(n));
    out.println("    HTTP responses:        " + line);
    out.println(
        "    LLM calls failed:      "
            + errors
            + (errors == 0 ? "" : " (after the SDKs' own retries; their requests answered 500)"));
    long providerErrors =
        providerLog.stream().filter(r -> r.status() == 429 || r.status() >= 500).count();
    out.println(
        "    SDK retries:           "
            + telemetry.resends()
            + " resends"
            + (simulated
                ? " (the provider answered " + providerErrors + " times with 429 or 5xx)"
                : ""));
    long retryCalls = 0;
    double retryCost = 0;
    StringBuilder which = new StringBuilder();
    for (Map.Entry<String, DemoTelemetry.RetryStats> e : telemetry.retries().entrySet()) {
      retryCalls += e.getValue().calls;
      retryCost += e.getValue().costUsd;
      which
          .append(which.length() == 0 ? "" : ", ")
          .append(e.getKey())
          .append(' ')
          .append(e.getValue().calls)
          .append(" calls ")
          .append(usd(e.getValue().costUsd));
    }
    out.printf(
        Locale.ROOT,
        "    Retries and revisions: %d LLM calls on attempt 2 or later cost %s (%s of all spend)%n",
        retryCalls,
        usd(retryCost),
        cost > 0 ? String.format(Locale.ROOT, "%.0f%%", 100 * retryCost / cost) : "0%");
    if (which.length() > 0) {
      out.println("                           " + which);
    }
    out.println(
        "    Unpriced calls:        "
            + unpriced
            + (unpriced == 0 ? "" : " (shown as unpriced, never as $0: add the model's price)"));
    out.flush();
  }

  static String usd(double usd) {
    return usd >= 1 || usd == 0
        ? String.format(Locale.ROOT, "$%.2f", usd)
        : String.format(Locale.ROOT, "$%.4f", usd);
  }

  static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  static String seconds(long nanos) {
    double s = nanos / 1e9;
    return s >= 1
        ? String.format(Locale.ROOT, "%.1f s", s)
        : String.format(Locale.ROOT, "%.0f ms", s * 1000);
  }

  private static String number(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  private static String cut(String text, int width) {
    return text.length() <= width ? text : text.substring(0, width - 1) + "…";
  }
}
