package dev.tokenscope.cli;

import dev.tokenscope.console.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tokenscope console}: the embedded backend. Receives OTLP/HTTP from any OpenTelemetry SDK,
 * stores it in DuckDB and serves the dashboard, until Ctrl-C.
 */
@Command(
    name = "console",
    mixinStandardHelpOptions = true,
    description =
        "Runs the TokenScope console: an OTLP/HTTP receiver (traces and metrics, protobuf or"
            + " JSON) that stores spans in DuckDB, prices LLM calls that arrive without cost, and"
            + " serves a dashboard of cost, tokens, latency and errors. Runs until Ctrl-C.")
final class ConsoleCommand implements Callable<Integer> {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(m|h|d)");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|KIB|MIB|GIB)?");

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--otlp-port",
      defaultValue = "4318",
      description = "OTLP/HTTP port; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  int otlpPort;

  @Option(
      names = "--ui-port",
      defaultValue = "4319",
      description =
          "Dashboard and API port; 0 picks a free one; the same value as --otlp-port serves"
              + " everything on one port (default: ${DEFAULT-VALUE}).")
  int uiPort;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      description =
          "Directory of the database (default: $XDG_DATA_HOME/tokenscope/console or"
              + " ~/.local/share/tokenscope/console).")
  Path data;

  @Option(names = "--in-memory", description = "Keep everything in memory; nothing survives.")
  boolean inMemory;

  @Option(
      names = "--bind",
      paramLabel = "ADDR",
      defaultValue = "127.0.0.1",
      description = "Address to listen on (default: ${DEFAULT-VALUE}, this machine only).")
  String bind;

  @Option(
      names = "--token",
      defaultValue = "${env:TOKENSCOPE_CONSOLE_TOKEN}",
      description =
          "Require this token for ingest (Authorization: Bearer) and for the dashboard"
              + " (default: $TOKENSCOPE_CONSOLE_TOKEN).")
  String token;

  @Option(
      names = "--retention",
      paramLabel = "AGE",
      defaultValue = "30d",
      description = "Delete spans older than this, e.g. 7d, 12h (default: ${DEFAULT-VALUE}).")
  String retention;

  @Option(
      names = "--max-size",
      paramLabel = "SIZE",
      defaultValue = "2GB",
      description =
          "Delete the oldest spans while the database uses more than this, e.g. 500MB"
              + " (default: ${DEFAULT-VALUE}).")
  String maxSize;

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile Console running;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (inMemory && data != null) {
      throw new ExitCodes.UsageException("--data and --in-memory cannot be used together");
    }
    Console.Builder builder =
        Console.builder()
            .otlpPort(port(otlpPort, "--otlp-port"))
            .uiPort(port(uiPort, "--ui-port"))
            .bindAddress(address(bind))
            .token(token == null || token.isBlank() ? null : token)
            .retention(duration(retention))
            .maxDatabaseBytes(size(maxSize));
    if (inMemory) {
      builder.inMemory();
    } else if (data != null) {
      builder.dataDirectory(data);
    }
    Console console;
    try {
      console = builder.start();
    } catch (IOException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    running = console;
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                // Let the main thread finish a clean shutdown before the JVM goes.
                stopped.await(20, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "tokenscope-console-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      out.println("TokenScope console");
      out.println("  Dashboard:  " + console.uiUrl());
      out.println(
          "  OTLP/HTTP:  "
              + console.otlpEndpoint()
              + "   (OTEL_EXPORTER_OTLP_ENDPOINT; /v1/traces and /v1/metrics, protobuf or JSON)");
      out.println(
          "  Data:       "
              + (console.dataDirectory() == null
                  ? "in memory (lost on exit)"
                  : console.dataDirectory().toAbsolutePath()
                      + "  (retention "
                      + retention
                      + ", max "
                      + maxSize
                      + ")"));
      if (token != null && !token.isBlank()) {
        out.println(
            "  Token:      required: send 'Authorization: Bearer <token>'; open the dashboard"
                + " once as "
                + console.uiUrl()
                + "?token=<token>");
      } else if (!InetAddress.getByName(bind).isLoopbackAddress()) {
        out.println(
            "  WARNING:    listening on "
                + bind
                + " without a token: anyone who can reach it can send and read telemetry"
                + " (set --token)");
      }
      out.println("Press Ctrl-C to stop.");
      out.flush();
      stop.await();
    } finally {
      out.println("Stopping the console…");
      out.flush();
      console.close();
      running = null;
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Already shutting down: the hook is running.
      }
    }
    return ExitCodes.OK;
  }

  /** Stops a running console (Ctrl-C does this through a shutdown hook). */
  void stop() {
    stop.countDown();
  }

  /** The running console, or null before it has started and after it stopped. */
  Console running() {
    return running;
  }

  private static int port(int port, String option) {
    if (port < 0 || port > 65_535) {
      throw new ExitCodes.UsageException(option + " must be within 0..65535, got " + port);
    }
    return port;
  }

  private static String address(String host) {
    try {
      InetAddress.getByName(host);
      return host;
    } catch (UnknownHostException e) {
      throw new ExitCodes.UsageException("--bind: unknown address '" + host + "'");
    }
  }

  static Duration duration(String text) {
    Matcher m = DURATION.matcher(text.trim().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ExitCodes.UsageException(
          "--retention expects a number with m, h or d (e.g. 7d, 12h), got '" + text + "'");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new ExitCodes.UsageException("--retention is too large: '" + text + "'");
    }
    if (n <= 0 || n > 36_500L * 24 * 60) {
      throw new ExitCodes.UsageException("--retention must be positive and sensible, got " + text);
    }
    switch (m.group(2)) {
      case "m":
        return Duration.ofMinutes(n);
      case "h":
        return Duration.ofHours(n);
      default:
        return Duration.ofDays(n);
    }
  }

  static long size(String text) {
    Matcher m = SIZE.matcher(text.trim().toUpperCase(Locale.ROOT));
    if (!m.matches()) {
      throw new ExitCodes.UsageException(
          "--max-size expects a size such as 500MB or 2GB, got '" + text + "'");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new ExitCodes.UsageException("--max-size is too large: '" + text + "'");
    }
    String unit = m.group(2) == null ? "B" : m.group(2);
    long factor;
    switch (unit) {
      case "KB":
        factor = 1_000L;
        break;
      case "MB":
        factor = 1_000_000L;
        break;
      case "GB":
        factor = 1_000_000_000L;
        break;
      case "KIB":
        factor = 1L << 10;
        break;
      case "MIB":
        factor = 1L << 20;
        break;
      case "GIB":
        factor = 1L << 30;
        break;
      default:
        factor = 1;
    }
    if (n <= 0 || n > Long.MAX_VALUE / factor) {
      throw new ExitCodes.UsageException("--max-size must be positive, got '" + text + "'");
    }
    return n * factor;
  }
}
