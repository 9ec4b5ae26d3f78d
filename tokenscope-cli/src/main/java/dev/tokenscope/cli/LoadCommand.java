package dev.tokenscope.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tokenscope load}: a load generator for any running Restaurant Menu Designer. Closed model
 * ({@code --concurrency}) or open model ({@code --rate}), for a number of requests or a duration,
 * with a mix of endpoints; prints progress and a latency and status summary.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "Sends a mix of requests to a running Restaurant Menu Designer and reports how it coped.",
      "The service may be tokenscope demo --serve or any compatible one; prints progress, then"
          + " latency percentiles and status counts per endpoint."
    })
final class LoadCommand implements Callable<Integer> {

  static final String DEFAULT_MIX = "menu=1,generate=4,compare=1,batch=1,health=2,invalid=1";

  private static final Pattern DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h)");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--url",
      defaultValue = "http://127.0.0.1:5000",
      description = "The service's base URL (default: ${DEFAULT-VALUE}).")
  String url;

  @Option(
      names = "--concurrency",
      description = "Requests in flight at once (closed model; default 4 unless --rate is given).")
  @Nullable Integer concurrency;

  @Option(
      names = "--rate",
      description = "Requests started per second, whatever the service's speed (open model).")
  @Nullable Double rate;

  @Option(
      names = "--count",
      description = "Requests to send (default 100 unless --duration is given).")
  @Nullable Integer count;

  @Option(names = "--duration", description = "How long to send, e.g. 30s, 2m, 500ms.")
  @Nullable String duration;

  @Option(
      names = "--mix",
      defaultValue = DEFAULT_MIX,
      description = {
        "Relative weights of request kinds (default: ${DEFAULT-VALUE}).",
        "Kinds: menu, generate, compare, batch, health, invalid."
      })
  String mix;

  @Option(
      names = "--timeout",
      defaultValue = "300s",
      description = "Per-request timeout (default: ${DEFAULT-VALUE}).")
  String timeout;

  @Option(
      names = "--max-in-flight",
      defaultValue = "256",
      description =
          "With --rate: requests outstanding at most; more are skipped (default: ${DEFAULT-VALUE}).")
  int maxInFlight;

  @Option(
      names = "--seed",
      defaultValue = "7",
      description = "Seed of the request mix and contents (default: ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    URI base = baseUrl(url);
    if (rate != null && concurrency != null) {
      throw new ExitCodes.UsageException("--rate and --concurrency cannot be used together");
    }
    if (count != null && duration != null) {
      throw new ExitCodes.UsageException("--count and --duration cannot be used together");
    }
    if (rate != null && (!(rate > 0) || rate > 10_000)) {
      throw new ExitCodes.UsageException("--rate must be within (0, 10000], got " + rate);
    }
    int workers = concurrency == null ? 4 : concurrency;
    if (workers < 1 || workers > 1024) {
      throw new ExitCodes.UsageException(
          "--concurrency must be between 1 and 1024, got " + workers);
    }
    if (count != null && count < 1) {
      throw new ExitCodes.UsageException("--count must be at least 1, got " + count);
    }
    if (maxInFlight < 1) {
      throw new ExitCodes.UsageException("--max-in-flight must be at least 1, got " + maxInFlight);
    }
    Duration length = duration == null ? null : duration(duration, "--duration");
    LoadRunner.Limit limit = new LoadRunner.Limit(count == null ? 100 : count, length);
    Map<String, Integer> weights = mix(mix);
    Duration requestTimeout = duration(timeout, "--timeout");

    LoadRunner runner = new LoadRunner(base, requestTimeout);
    LoadRunner.Outcome probe =
        runner.send(new MenuRequests.Request("health", "GET", "/health", ""));
    if (probe.status() == 0) {
      spec.commandLine()
          .getErr()
          .println("tokenscope: cannot reach " + base + " (" + probe.error() + "); is it running?");
      return ExitCodes.FAILURE;
    }

    MenuRequests requests = new MenuRequests(seed);
    IntFunction<MenuRequests.Request> next = chooser(weights, requests, seed);
    out.printf(
        Locale.ROOT,
        "Load on %s: %s, %s, mix %s%n",
        base,
        rate != null
            ? String.format(Locale.ROOT, "%s requests/s", trim(rate))
            : workers + " in flight",
        length != null ? "for " + duration : limit.count() + " requests",
        mix);
    ProgressBar progress = new ProgressBar(out, "Load", ProgressBar.terminal());
    AtomicInteger done = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    long started = System.nanoTime();
    java.util.function.Consumer<LoadRunner.Outcome> onDone =
        outcome -> {
          int n = done.incrementAndGet();
          if (outcome.status() == 0 || outcome.status() >= 500) {
            failed.incrementAndGet();
          }
          double fraction =
              length != null
                  ? (System.nanoTime() - started) / (double) length.toNanos()
                  : n / (double) limit.count();
          progress.update(fraction, n + " done, " + failed.get() + " failed");
        };
    List<LoadRunner.Outcome> outcomes =
        rate != null
            ? runner.open(rate, maxInFlight, limit, next, onDone)
            : runner.closed(workers, limit, next, onDone);
    double seconds = (System.nanoTime() - started) / 1e9;
    progress.finish(done.get() + " done, " + failed.get() + " failed");
    printSummary(out, outcomes, seconds);
    return outcomes.stream().anyMatch(o -> o.status() > 0) ? ExitCodes.OK : ExitCodes.FAILURE;
  }

  static void printSummary(PrintWriter out, List<LoadRunner.Outcome> outcomes, double seconds) {
    out.println();
    out.printf(
        Locale.ROOT,
        "%d requests in %.1f s (%.1f requests/s)%n%n",
        outcomes.size(),
        seconds,
        seconds > 0 ? outcomes.size() / seconds : 0);
    out.printf(
        Locale.ROOT,
        "  %-10s %7s %7s %7s %10s %10s %10s%n",
        "endpoint",
        "count",
        "2xx",
        "failed",
        "p50",
        "p95",
        "p99");
    Map<String, List<LoadRunner.Outcome>> byKind = new TreeMap<>();
    for (LoadRunner.Outcome o : outcomes) {
      byKind.computeIfAbsent(o.request().kind(), k -> new ArrayList<>()).add(o);
    }
    byKind.put("all", outcomes);
    byKind.forEach((kind, list) -> row(out, kind, list));
    Map<String, Integer> statuses = new TreeMap<>();
    for (LoadRunner.Outcome o : outcomes) {
      String key =
          o.status() == 0 ? (o.error() == null ? "no response" : o.error()) : "" + o.status();
      statuses.merge(key, 1, Integer::sum);
    }
    StringBuilder line = new StringBuilder();
    statuses.forEach(
        (status, n) ->
            line.append(line.length() == 0 ? "" : ", ").append(status).append(" × ").append(n));
    out.println();
    out.println("  Status: " + line);
    out.println("  (invalid requests are expected to answer 400; failed = 5xx or no response)");
    out.flush();
  }

  private static void row(PrintWriter out, String kind, List<LoadRunner.Outcome> list) {
    long ok = list.stream().filter(o -> o.status() >= 200 && o.status() < 300).count();
    long failed = list.stream().filter(o -> o.status() == 0 || o.status() >= 500).count();
    Percentiles latency =
        new Percentiles(
            list.stream()
                .filter(o -> o.status() > 0)
                .mapToLong(LoadRunner.Outcome::nanos)
                .toArray());
    out.printf(
        Locale.ROOT,
        "  %-10s %7d %7d %7d %10s %10s %10s%n",
        kind,
        list.size(),
        ok,
        failed,
        DemoSummary.seconds(latency.at(50)),
        DemoSummary.seconds(latency.at(95)),
        DemoSummary.seconds(latency.at(99)));
  }

  static URI baseUrl(String text) {
    URI uri;
    try {
      uri = URI.create(text.strip());
    } catch (IllegalArgumentException e) {
      throw new ExitCodes.UsageException("--url is not a valid URL: " + text);
    }
    if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
        || uri.getHost() == null) {
      throw new ExitCodes.UsageException(
          "--url must be an http:// or https:// URL with a host, got " + text);
    }
    String s = uri.toString();
    return URI.create(s.endsWith("/") ? s : s + "/");
  }

  static Map<String, Integer> mix(String text) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    for (String part : text.split(",")) {
      String item = part.strip();
      if (item.isEmpty()) {
        continue;
      }
      int eq = item.indexOf('=');
      String kind = (eq < 0 ? item : item.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
      if (!MenuRequests.KINDS.contains(kind)) {
        throw new ExitCodes.UsageException(
            "--mix: unknown kind '"
                + kind
                + "'; expected "
                + String.join(", ", MenuRequests.KINDS));
      }
      int weight = 1;
      if (eq >= 0) {
        try {
          weight = Integer.parseInt(item.substring(eq + 1).strip());
        } catch (NumberFormatException e) {
          throw new ExitCodes.UsageException(
              "--mix: the weight of " + kind + " must be a whole number, got '" + item + "'");
        }
      }
      if (weight < 0 || weight > 1000) {
        throw new ExitCodes.UsageException(
            "--mix: weights must be between 0 and 1000, got " + weight + " for " + kind);
      }
      weights.put(kind, weight);
    }
    if (weights.values().stream().mapToInt(Integer::intValue).sum() == 0) {
      throw new ExitCodes.UsageException("--mix must give at least one kind a positive weight");
    }
    return weights;
  }

  static Duration duration(String text, String option) {
    Matcher m = DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ExitCodes.UsageException(
          option + " expects a number with ms, s, m or h (e.g. 30s, 2m), got '" + text + "'");
    }
    double n = Double.parseDouble(m.group(1));
    double millis;
    switch (m.group(2)) {
      case "ms":
        millis = n;
        break;
      case "s":
        millis = n * 1000;
        break;
      case "m":
        millis = n * 60_000;
        break;
      default:
        millis = n * 3_600_000;
    }
    if (millis < 1 || millis > 24 * 3_600_000.0) {
      throw new ExitCodes.UsageException(option + " must be between 1 ms and 24 h, got " + text);
    }
    return Duration.ofMillis((long) millis);
  }

  private static IntFunction<MenuRequests.Request> chooser(
      Map<String, Integer> weights, MenuRequests requests, long seed) {
    List<String> kinds = new ArrayList<>();
    weights.forEach(
        (kind, weight) -> {
          for (int i = 0; i < weight; i++) {
            kinds.add(kind);
          }
        });
    SplittableRandom random = new SplittableRandom(seed);
    return n -> {
      String kind;
      synchronized (random) {
        kind = kinds.get(random.nextInt(kinds.size()));
      }
      return requests.next(kind);
    };
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }
}
