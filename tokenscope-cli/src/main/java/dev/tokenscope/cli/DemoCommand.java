package dev.tokenscope.cli;

import dev.tokenscope.console.Console;
import dev.tokenscope.core.TokenScope;
import dev.tokenscope.demo.MenuDesignerApp;
import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.simulator.RecordedRequest;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tokenscope demo}: the main job. Starts the LLM simulator (for providers without an API
 * key), the Restaurant Menu Designer and the embedded console, sends a realistic workload with a
 * progress bar, prints where the money went and the dashboard's URL, and keeps running until Ctrl-C
 * ({@code --exit} stops after the workload; {@code --serve} runs only the service).
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Runs the Restaurant Menu Designer with TokenScope and shows where the money went.",
      "Four agents on OpenAI and Anthropic, five phases; the demo sends the service a realistic"
          + " workload, prints cost, tokens, latency, errors and retries, and shows the dashboard."
          + " Without OPENAI_API_KEY / ANTHROPIC_API_KEY a built-in simulator plays the providers."
          + " With OTEL_EXPORTER_OTLP_ENDPOINT set, telemetry goes there and no console is"
          + " started. Runs until Ctrl-C unless --exit."
    })
final class DemoCommand implements Callable<Integer> {

  static final String SERVICE_NAME = "restaurant-menu-designer";

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--size",
      defaultValue = "medium",
      description =
          "Workload: small (20 requests), medium (40), large (100) or a number of requests"
              + " (default: ${DEFAULT-VALUE}).")
  String size;

  @Option(
      names = "--concurrency",
      defaultValue = "4",
      description = "Requests in flight at once (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--speed",
      defaultValue = "20",
      description =
          "Simulator latency divisor: 1 is as slow as real providers, 20 twenty times faster, 0"
              + " instant (default: ${DEFAULT-VALUE}).")
  double speed;

  @Option(names = "--exit", description = "Stop after the workload and the summary (scripts, CI).")
  boolean exit;

  @Option(
      names = "--serve",
      description = "Run only the menu service (and the console), no workload, until Ctrl-C.")
  boolean serve;

  @Option(
      names = "--port",
      defaultValue = "5000",
      description =
          "Menu service port; a free one is used if it is taken (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      description =
          "Address the menu service listens on (default: 127.0.0.1; 0.0.0.0 with --serve, for"
              + " containers).")
  String host;

  @Option(
      names = "--otlp-port",
      defaultValue = "4318",
      description = "Console OTLP/HTTP port (default: ${DEFAULT-VALUE}).")
  int otlpPort;

  @Option(
      names = "--ui-port",
      defaultValue = "4319",
      description = "Console dashboard port (default: ${DEFAULT-VALUE}).")
  int uiPort;

  @Option(
      names = "--seed",
      defaultValue = "42",
      description = "Seed of the workload and the simulator (default: ${DEFAULT-VALUE}).")
  long seed;

  /**
   * Loggers whose routine messages would break up the demo's output, and the least level still
   * shown: a price refresh that cannot reach the network (the demo prints which prices it uses
   * instead), the SDK's informational shutdown notes, and the OTLP exporters' failures, which the
   * SDK logs with a stack trace on every attempt and its metric reader as "Exporter failed" every
   * few seconds (TokenScope still says once which exporter failed and why, the demo checks the
   * endpoint before and after the workload, and a console of its own is in the same JVM). Held here
   * so the level settings are not garbage-collected with the loggers.
   */
  private static final Map<Logger, Level> QUIET =
      Map.of(
          Logger.getLogger("dev.tokenscope.pricing"),
          Level.SEVERE,
          Logger.getLogger("io.opentelemetry.sdk"),
          Level.WARNING,
          Logger.getLogger("io.opentelemetry.exporter"),
          Level.OFF,
          Logger.getLogger("io.opentelemetry.sdk.metrics.export.PeriodicMetricReader"),
          Level.SEVERE);

  private final CountDownLatch stop = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private Map<String, String> environment = System.getenv();
  private volatile @Nullable Console console;
  private volatile @Nullable MenuDesignerApp app;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    validate();
    String endpoint = setting("OTEL_EXPORTER_OTLP_ENDPOINT", "otel.exporter.otlp.endpoint");
    QUIET.forEach((logger, level) -> logger.setLevel(level));
    Pricing pricing = Pricing.create();
    Console startedConsole = null;
    TokenScope tokenScope = null;
    MenuDesignerApp startedApp = null;
    Thread hook = new Thread(this::shutdownFromHook, "tokenscope-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      if (endpoint == null) {
        startedConsole = startConsole(out, pricing);
        console = startedConsole;
      }
      DemoTelemetry telemetry = new DemoTelemetry();
      TokenScope.Builder builder =
          TokenScope.builder()
              .serviceName(SERVICE_NAME)
              .pricing(pricing)
              .registerGlobal(false)
              .property("otel.logs.exporter", "none")
              .batchScheduleDelay(Duration.ofMillis(500))
              .metricExportInterval(Duration.ofSeconds(5))
              .addSpanExporter(telemetry);
      builder.endpoint(startedConsole != null ? startedConsole.otlpEndpoint() : endpoint);
      tokenScope = builder.build();
      startedApp = startService(out, tokenScope);
      app = startedApp;
      printStarted(out, startedApp, startedConsole, endpoint, pricing);
      if (serve) {
        out.println("Press Ctrl-C to stop.");
        out.flush();
        stop.await();
        return ExitCodes.OK;
      }
      List<LoadRunner.Outcome> outcomes = runWorkload(out, startedApp);
      // Everything the workload caused is exported before the URLs are printed.
      tokenScope.flush(Duration.ofSeconds(15));
      List<RecordedRequest> providerLog =
          startedApp.simulator() == null
              ? List.of()
              : startedApp.simulator().requestLog().entries();
      DemoSummary.print(
          out, telemetry, outcomes, providerLog, speed, startedApp.simulator() != null);
      printUrls(out, startedApp, startedConsole, endpoint);
      boolean anyAnswered = outcomes.stream().anyMatch(o -> o.status() > 0);
      if (!anyAnswered) {
        spec.commandLine().getErr().println("tokenscope: the menu service answered no request");
        return ExitCodes.FAILURE;
      }
      if (!exit) {
        out.println();
        out.println("The service and the dashboard keep running. Press Ctrl-C to stop.");
        out.flush();
        stop.await();
      }
      return ExitCodes.OK;
    } finally {
      if (startedApp != null) {
        startedApp.close();
      }
      if (tokenScope != null) {
        tokenScope.close();
      }
      if (startedConsole != null) {
        startedConsole.close();
      }
      pricing.close();
      app = null;
      console = null;
      stopped.countDown();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Already shutting down: the hook is running.
      }
    }
  }

  /** Stops a demo that waits for Ctrl-C (tests call this; Ctrl-C does it through a hook). */
  void stop() {
    stop.countDown();
  }

  /** Uses this environment instead of the process's (tests). */
  DemoCommand environment(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
    return this;
  }

  @Nullable Console console() {
    return console;
  }

  @Nullable MenuDesignerApp app() {
    return app;
  }

  private void shutdownFromHook() {
    stop.countDown();
    try {
      stopped.await(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void validate() {
    if (exit && serve) {
      throw new ExitCodes.UsageException("--exit and --serve cannot be used together");
    }
    DemoWorkload.requests(size);
    if (concurrency < 1 || concurrency > 256) {
      throw new ExitCodes.UsageException(
          "--concurrency must be between 1 and 256, got " + concurrency);
    }
    if (!(speed >= 0) || Double.isInfinite(speed)) {
      throw new ExitCodes.UsageException("--speed must be a number >= 0, got " + speed);
    }
    for (int p : new int[] {port, otlpPort, uiPort}) {
      if (p < 0 || p > 65_535) {
        throw new ExitCodes.UsageException("ports must be within 0..65535, got " + p);
      }
    }
  }

  private @Nullable String setting(String environmentName, String propertyName) {
    String value = System.getProperty(propertyName);
    if (value == null || value.isBlank()) {
      value = environment.get(environmentName);
    }
    return value == null || value.isBlank() ? null : value.strip();
  }

  private Console startConsole(PrintWriter out, Pricing pricing) throws IOException {
    Console.Builder builder = Console.builder().inMemory().pricing(pricing);
    try {
      return builder.otlpPort(otlpPort).uiPort(uiPort).start();
    } catch (IOException e) {
      boolean taken = e instanceof BindException || e.getCause() instanceof BindException;
      if (!taken || (otlpPort == 0 && uiPort == 0)) {
        throw e;
      }
      String ports =
          uiPort == 0 || uiPort == otlpPort
              ? Integer.toString(otlpPort)
              : otlpPort == 0 ? Integer.toString(uiPort) : otlpPort + " or " + uiPort;
      out.println(
          "Port "
              + ports
              + " is taken (another TokenScope console or a Collector?): the demo's console uses"
              + " free ports instead.");
      return builder.otlpPort(0).uiPort(0).start();
    }
  }

  /**
   * Where the menu service listens: {@code --host}, else every interface with {@code --serve} (the
   * Elastic compose file's demo container, reached through a published port), else loopback.
   */
  String bindAddress() {
    return host != null ? host : serve ? "0.0.0.0" : "127.0.0.1";
  }

  private MenuDesignerApp startService(PrintWriter out, TokenScope tokenScope) throws IOException {
    MenuDesignerApp.Builder builder =
        MenuDesignerApp.builder()
            .openTelemetry(tokenScope.openTelemetry())
            .environment(environment)
            .host(bindAddress())
            .simulatorSpeed(speed)
            .simulatorSeed(seed);
    try {
      return builder.port(port).start();
    } catch (BindException e) {
      if (port == 0) {
        throw e;
      }
      out.println("Port " + port + " is taken: the menu service uses a free port instead.");
      return builder.port(0).start();
    }
  }

  private void printStarted(
      PrintWriter out,
      MenuDesignerApp service,
      @Nullable Console startedConsole,
      @Nullable String endpoint,
      Pricing pricing) {
    out.println("TokenScope demo: the Restaurant Menu Designer");
    out.println("  Menu service:  " + service.baseUrl() + "   (" + service.providers() + ")");
    if (service.simulator() != null) {
      out.println(
          "  Simulator:     "
              + service.simulator().baseUrl()
              + "   (speed "
              + (speed == Math.rint(speed) ? Long.toString((long) speed) : Double.toString(speed))
              + ", no API key needed)");
    }
    if (startedConsole != null) {
      out.println("  Dashboard:     " + startedConsole.uiUrl());
    } else {
      String problem = unreachable(endpoint);
      out.println(
          "  Telemetry:     "
              + endpoint
              + "   (OTEL_EXPORTER_OTLP_ENDPOINT"
              + (problem == null ? ")" : "; not accepting connections now: " + problem + ")"));
    }
    out.println("  Prices:        " + pricing.source());
    out.flush();
  }

  private List<LoadRunner.Outcome> runWorkload(PrintWriter out, MenuDesignerApp service)
      throws InterruptedException {
    List<MenuRequests.Request> plan = DemoWorkload.plan(DemoWorkload.requests(size), seed);
    long menus = plan.stream().filter(r -> r.kind().equals("menu")).count();
    out.printf(
        Locale.ROOT,
        "%nSending %d requests, %d at a time: %d menu design%s, recipe generate/compare/batch,"
            + " health checks and some invalid requests.%n",
        plan.size(),
        Math.min(concurrency, plan.size()),
        menus,
        menus == 1 ? "" : "s");
    ProgressBar progress = new ProgressBar(out, "Workload", ProgressBar.terminal());
    AtomicInteger done = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    LoadRunner runner = new LoadRunner(URI.create(service.baseUrl()), Duration.ofMinutes(5));
    List<LoadRunner.Outcome> outcomes =
        runner.closed(
            concurrency,
            new LoadRunner.Limit(plan.size(), null),
            plan::get,
            outcome -> {
              int n = done.incrementAndGet();
              if (outcome.status() == 0 || outcome.status() >= 500) {
                failed.incrementAndGet();
              }
              progress.update(
                  (double) n / plan.size(),
                  n + "/" + plan.size() + " requests, " + failed.get() + " failed");
            });
    progress.finish(done.get() + "/" + plan.size() + " requests, " + failed.get() + " failed");
    return outcomes;
  }

  /**
   * Where to look next. With {@code --exit} the service and the console stop right after this, so
   * their addresses are not offered; an endpoint the telemetry went to is checked again.
   */
  private void printUrls(
      PrintWriter out,
      MenuDesignerApp service,
      @Nullable Console startedConsole,
      @Nullable String endpoint) {
    out.println();
    if (startedConsole == null) {
      String problem = unreachable(endpoint);
      if (problem == null) {
        out.println("Telemetry went to " + endpoint + " (Kibana or your backend).");
      } else {
        out.println(
            "Telemetry was not delivered: "
                + endpoint
                + " (OTEL_EXPORTER_OTLP_ENDPOINT) does not accept connections ("
                + problem
                + "). Is the Collector running?");
      }
    }
    if (exit) {
      out.println(
          startedConsole != null
              ? "--exit: the dashboard ("
                  + startedConsole.spansStored()
                  + " spans received) and the menu service stop now; without --exit they keep"
                  + " running until Ctrl-C."
              : "--exit: the menu service stops now.");
      out.flush();
      return;
    }
    out.println("Look at it:");
    if (startedConsole != null) {
      out.println(
          "  Dashboard:     "
              + startedConsole.uiUrl()
              + "   ("
              + startedConsole.spansStored()
              + " spans received: cost by model and workflow, tokens, latency, errors, traces)");
    }
    out.println("  Menu service:  " + service.baseUrl());
    out.println(
        "  Try:           curl -s -X POST "
            + service.baseUrl()
            + "/menu/design -H 'Content-Type: application/json' -d '{\"courses\": 3}'");
    out.flush();
  }

  /**
   * Why the OTLP endpoint does not accept a TCP connection within two seconds, or null when it does
   * (or when it is not a URL with a host: the exporter reports that itself).
   */
  static @Nullable String unreachable(@Nullable String endpoint) {
    if (endpoint == null) {
      return null;
    }
    URI uri;
    try {
      uri = URI.create(endpoint);
    } catch (IllegalArgumentException e) {
      return null;
    }
    if (uri.getHost() == null) {
      return null;
    }
    int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(uri.getHost(), port), 2000);
      return null;
    } catch (IOException e) {
      return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
  }
}
