package dev.tokenscope.cli;

import dev.tokenscope.simulator.Fault;
import dev.tokenscope.simulator.FaultRule;
import dev.tokenscope.simulator.LlmSimulator;
import dev.tokenscope.simulator.Provider;
import dev.tokenscope.simulator.RecordedRequest;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tokenscope simulator}: runs the local LLM provider until Ctrl-C, printing the base URLs to
 * point the OpenAI and Anthropic SDKs at, and one line per request.
 */
@Command(
    name = "simulator",
    mixinStandardHelpOptions = true,
    description = {
      "Runs a local LLM provider that speaks the OpenAI and Anthropic HTTP APIs.",
      "JSON and streaming, with token usage, prompt caching, a latency model and fault injection."
          + " Runs until Ctrl-C."
    })
final class SimulatorCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8089",
      description = "Port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--seed",
      defaultValue = "0",
      description = "Seed for generated content, ids and fault draws (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--speed",
      defaultValue = "1",
      description =
          "Latency divisor: 1 realistic, 2 twice as fast, 0 instant (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(
      names = "--fault-rate",
      paramLabel = "FAULT=RATE[:PROVIDER[:MODEL]]",
      description =
          "Fail a fraction of requests, e.g. rate_limit=0.1, overloaded=0.05:anthropic,"
              + " server_error=0.2:openai:gpt-5-mini. Repeatable. Faults: rate_limit,"
              + " server_error, service_unavailable, overloaded, hang, stream_cut, malformed_body.")
  List<String> faultRates = new ArrayList<>();

  @Option(
      names = "--retry-after-ms",
      defaultValue = "1000",
      description = "The wait a 429 asks for (default: ${DEFAULT-VALUE} ms).")
  long retryAfterMillis;

  @Option(
      names = "--hang-seconds",
      defaultValue = "15",
      description =
          "How long a hung request is held before the connection drops (default: ${DEFAULT-VALUE}).")
  long hangSeconds;

  @Option(names = "--quiet", description = "Do not print a line per request.")
  boolean quiet;

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch started = new CountDownLatch(1);
  private volatile LlmSimulator running;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    LlmSimulator.Builder builder =
        LlmSimulator.builder()
            .port(validPort(port))
            .bindAddress(address(host))
            .seed(seed)
            .speed(validSpeed(speed))
            .retryAfter(Duration.ofMillis(nonNegative(retryAfterMillis, "--retry-after-ms")))
            .hangDuration(Duration.ofSeconds(nonNegative(hangSeconds, "--hang-seconds")));
    List<FaultRule> rules = new ArrayList<>();
    for (String spec : faultRates) {
      rules.add(parseFaultRule(spec));
    }
    rules.forEach(builder::faultRule);
    if (!quiet) {
      builder.requestListener(r -> printRequest(out, r));
    }
    LlmSimulator simulator;
    try {
      simulator = builder.build().start();
    } catch (UncheckedIOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    running = simulator;
    Thread hook = new Thread(this::stop, "tokenscope-simulator-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      out.println("TokenScope LLM simulator listening on " + simulator.baseUrl());
      out.println("  OpenAI     base URL: " + simulator.openAiBaseUrl() + "   (OPENAI_BASE_URL)");
      out.println(
          "  Anthropic  base URL: " + simulator.anthropicBaseUrl() + "   (ANTHROPIC_BASE_URL)");
      out.println("  any non-empty API key is accepted");
      out.println(
          "  seed "
              + seed
              + ", speed "
              + speed
              + ", faults: "
              + (rules.isEmpty()
                  ? "none"
                  : rules.stream()
                      .map(SimulatorCommand::describe)
                      .collect(Collectors.joining(", "))));
      out.println("Press Ctrl-C to stop.");
      out.flush();
      started.countDown();
      stop.await();
    } finally {
      simulator.close();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Already shutting down: the hook is running or has run.
      }
    }
    return ExitCodes.OK;
  }

  /** Stops a running simulator (Ctrl-C does this through a shutdown hook). */
  void stop() {
    stop.countDown();
  }

  /** Waits until the simulator listens (or the wait times out) and returns it, else null. */
  LlmSimulator awaitStarted(java.time.Duration timeout) throws InterruptedException {
    return started.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)
        ? running
        : null;
  }

  static FaultRule parseFaultRule(String spec) {
    int eq = spec.indexOf('=');
    if (eq <= 0) {
      throw new ExitCodes.UsageException(
          "--fault-rate expects FAULT=RATE[:PROVIDER[:MODEL]], got '" + spec + "'");
    }
    Fault fault = parseFault(spec.substring(0, eq).trim());
    String[] parts = spec.substring(eq + 1).split(":", 3);
    double rate;
    try {
      rate = Double.parseDouble(parts[0].trim());
    } catch (NumberFormatException e) {
      throw new ExitCodes.UsageException(
          "--fault-rate: '" + parts[0] + "' is not a number in [0, 1]");
    }
    if (!(rate >= 0 && rate <= 1)) {
      throw new ExitCodes.UsageException(
          "--fault-rate: rate must be within [0, 1], got " + parts[0]);
    }
    FaultRule rule = FaultRule.of(fault, rate);
    if (parts.length > 1 && !parts[1].isBlank()) {
      rule = rule.forProvider(parseProvider(parts[1].trim()));
    }
    if (parts.length > 2 && !parts[2].isBlank()) {
      rule = rule.forModel(parts[2].trim());
    }
    return rule;
  }

  private static Fault parseFault(String name) {
    String normal = name.toUpperCase(Locale.ROOT).replace('-', '_');
    for (Fault fault : Fault.values()) {
      if (fault.name().equals(normal)) {
        return fault;
      }
    }
    throw new ExitCodes.UsageException(
        "--fault-rate: unknown fault '"
            + name
            + "'; expected one of rate_limit, server_error, service_unavailable, overloaded, hang, stream_cut, malformed_body");
  }

  private static Provider parseProvider(String name) {
    for (Provider provider : Provider.values()) {
      if (provider.id().equalsIgnoreCase(name)) {
        return provider;
      }
    }
    throw new ExitCodes.UsageException(
        "--fault-rate: unknown provider '" + name + "'; expected openai or anthropic");
  }

  private static String describe(FaultRule rule) {
    return rule.fault().name().toLowerCase(Locale.ROOT)
        + "="
        + rule.rate()
        + (rule.provider() == null ? "" : " for " + rule.provider().id())
        + (rule.model() == null ? "" : " " + rule.model() + "*");
  }

  private static void printRequest(PrintWriter out, RecordedRequest r) {
    StringBuilder line = new StringBuilder();
    line.append(
        String.format(
            Locale.ROOT,
            "#%-5d %-9s %-4s %-26s %3d",
            r.sequence(),
            r.provider().id(),
            r.method(),
            r.endpoint(),
            r.status()));
    if (r.model() != null) {
      line.append(' ').append(r.model());
    }
    if (r.succeeded() && (r.inputTokens() > 0 || r.outputTokens() > 0)) {
      line.append(String.format(Locale.ROOT, " in=%d out=%d", r.inputTokens(), r.outputTokens()));
      if (r.cacheReadTokens() > 0) {
        line.append(" cache_read=").append(r.cacheReadTokens());
      }
      if (r.cacheWriteTokens() > 0) {
        line.append(" cache_write=").append(r.cacheWriteTokens());
      }
      if (r.reasoningTokens() > 0) {
        line.append(" reasoning=").append(r.reasoningTokens());
      }
    }
    if (r.streamed()) {
      line.append(" streamed");
    }
    if (r.fault() != null) {
      line.append(" FAULT=").append(r.fault().name().toLowerCase(Locale.ROOT));
    }
    line.append(String.format(Locale.ROOT, " %dms", r.latency().toMillis()));
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }

  private static int validPort(int port) {
    if (port < 0 || port > 65_535) {
      throw new ExitCodes.UsageException("--port must be within 0..65535, got " + port);
    }
    return port;
  }

  private static double validSpeed(double speed) {
    if (!(speed >= 0) || Double.isInfinite(speed)) {
      throw new ExitCodes.UsageException("--speed must be a number >= 0, got " + speed);
    }
    return speed;
  }

  private static long nonNegative(long value, String option) {
    if (value < 0) {
      throw new ExitCodes.UsageException(option + " must not be negative, got " + value);
    }
    return value;
  }

  private static InetAddress address(String host) {
    try {
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new ExitCodes.UsageException("--host: unknown host '" + host + "'");
    }
  }
}
