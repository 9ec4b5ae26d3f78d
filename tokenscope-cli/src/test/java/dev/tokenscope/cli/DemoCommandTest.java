package dev.tokenscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tokenscope.console.Console;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Runs {@code tokenscope demo} in-process against the simulator at speed 0. */
class DemoCommandTest {

  @TempDir Path cacheDir;

  @BeforeEach
  void offlinePrices() {
    // Never the user's price cache, never the network.
    System.setProperty("tokenscope.pricing.cache.dir", cacheDir.toString());
    System.setProperty("tokenscope.pricing.offline", "true");
  }

  @AfterEach
  void restore() {
    System.clearProperty("tokenscope.pricing.cache.dir");
    System.clearProperty("tokenscope.pricing.offline");
  }

  private static final class Run {
    final CommandLine cli = TokenScopeCommand.commandLine();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    Run(Map<String, String> environment) {
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
      command().environment(environment);
    }

    DemoCommand command() {
      return (DemoCommand) cli.getSubcommands().get("demo").getCommandSpec().userObject();
    }

    int execute(String... args) {
      return cli.execute(args);
    }

    String out() {
      return out.toString();
    }
  }

  @Test
  void exitRunsTheWorkloadPrintsTheSummaryAndTheDashboardGotTheSpans() {
    Run run = new Run(Map.of());

    int code =
        run.execute(
            "demo",
            "--exit",
            "--size",
            "12",
            "--speed",
            "0",
            "--concurrency",
            "4",
            "--port",
            "0",
            "--otlp-port",
            "0",
            "--ui-port",
            "0");

    String out = run.out();
    assertThat(code).as(out + run.err).isZero();
    assertThat(out)
        .contains(
            "TokenScope demo: the Restaurant Menu Designer",
            "(OpenAI: simulator, Anthropic: simulator)",
            "Sending 12 requests, 4 at a time",
            "Workload [##############################] 100%  12/12 requests",
            "Where the money went",
            "Cost by model",
            "claude-sonnet-4-5-20250929",
            "claude-haiku-4-5-20251001",
            "gpt-5-mini-2025-08-07",
            "gpt-5-nano-2025-08-07",
            "Cost by workflow",
            "restaurant_menu_design_workflow",
            "    recipe_refinement_workflow",
            "HTTP responses:",
            "400 × 1",
            "SDK retries:",
            "Retries and revisions:",
            "Unpriced calls:        0",
            "Dashboard:",
            "--exit: the dashboard (",
            "spans received) and the menu service stop now");
    // Their addresses are not offered when they stop right after.
    assertThat(out).doesNotContain("Look at it:", "Try:");
    Matcher received = Pattern.compile("\\((\\d+) spans received").matcher(out);
    assertThat(received.find()).as(out).isTrue();
    assertThat(Long.parseLong(received.group(1))).isGreaterThan(50);
    Matcher total = Pattern.compile("  total +(\\d+) ").matcher(out);
    assertThat(total.find()).isTrue();
    assertThat(Integer.parseInt(total.group(1))).isGreaterThan(10);
    assertThat(out).doesNotContain("Exception", "WARNING");
  }

  @Test
  void withoutExitTheDashboardServesTheDemosTrafficUntilStopped() throws Exception {
    Run run = new Run(Map.of());
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                run.execute(
                    "demo",
                    "--size",
                    "5",
                    "--speed",
                    "0",
                    "--port",
                    "0",
                    "--otlp-port",
                    "0",
                    "--ui-port",
                    "0"));
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> run.out().contains("Press Ctrl-C") || exit.isDone());
    assertThat(exit).isNotDone();
    assertThat(run.out())
        .contains("Look at it:", "spans received: cost by model", "Try:           curl -s -X POST");

    Console console = run.command().console();
    HttpResponse<String> models = get(console.uiUrl() + "api/v1/models");
    assertThat(models.statusCode()).isEqualTo(200);
    assertThat(models.body()).contains("claude-sonnet-4-5", "gpt-5-mini");
    assertThat(get(run.command().app().baseUrl() + "/health").statusCode()).isEqualTo(200);

    run.command().stop();
    assertThat(exit.get()).isZero();
    assertThat(run.command().console()).isNull();
  }

  @Test
  void withAnOtlpEndpointTelemetryGoesThereAndNoConsoleStarts() throws Exception {
    try (Console elsewhere = Console.builder().inMemory().otlpPort(0).uiPort(0).start()) {
      Run run = new Run(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", elsewhere.otlpEndpoint()));

      int code = run.execute("demo", "--exit", "--size", "5", "--speed", "0", "--port", "0");

      assertThat(code).as(run.out() + run.err).isZero();
      assertThat(run.out())
          .contains(
              "Telemetry:     " + elsewhere.otlpEndpoint() + "   (OTEL_EXPORTER_OTLP_ENDPOINT)")
          .contains("Telemetry went to " + elsewhere.otlpEndpoint())
          .doesNotContain("Dashboard:", "not accepting connections", "not delivered");
      await().atMost(Duration.ofSeconds(10)).until(() -> elsewhere.spansStored() > 10);
    }
  }

  /**
   * A Collector that is not running: said before and after the workload, in one line each, and the
   * OTLP exporters' stack traces (the SDK logs one per failed attempt) are not shown.
   */
  @Test
  void anOtlpEndpointThatIsDownIsReportedWithoutStackTraces() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    String endpoint = "http://127.0.0.1:" + closedPort;
    List<LogRecord> shown = new ArrayList<>();
    Handler recorder =
        new Handler() {
          @Override
          public synchronized void publish(LogRecord record) {
            if (record.getLoggerName() != null
                && record.getLoggerName().startsWith("io.opentelemetry")
                && isLoggable(record)) {
              shown.add(record);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger root = Logger.getLogger("");
    root.addHandler(recorder);
    try {
      Run run = new Run(Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint));

      int code = run.execute("demo", "--exit", "--size", "3", "--speed", "0", "--port", "0");

      assertThat(code).as(run.out() + run.err).isZero();
      assertThat(run.out())
          .contains(
              "Telemetry:     "
                  + endpoint
                  + "   (OTEL_EXPORTER_OTLP_ENDPOINT; not accepting"
                  + " connections now: ",
              "Telemetry was not delivered: "
                  + endpoint
                  + " (OTEL_EXPORTER_OTLP_ENDPOINT) does not accept connections (",
              "Is the Collector running?")
          .doesNotContain("Telemetry went to");
      synchronized (recorder) {
        assertThat(shown)
            .as("OpenTelemetry SDK log records shown")
            .extracting(LogRecord::getMessage)
            .isEmpty();
      }
    } finally {
      root.removeHandler(recorder);
    }
  }

  @Test
  void serveRunsOnlyTheService() throws Exception {
    Run run = new Run(Map.of());
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                run.execute(
                    "demo",
                    "--serve",
                    "--host",
                    "127.0.0.1",
                    "--speed",
                    "0",
                    "--port",
                    "0",
                    "--otlp-port",
                    "0",
                    "--ui-port",
                    "0"));
    await().atMost(Duration.ofSeconds(60)).until(() -> run.out().contains("Press Ctrl-C"));

    String out = run.out();
    assertThat(out).contains("Menu service:  http://127.0.0.1:").doesNotContain("Sending");
    assertThat(get(run.command().app().baseUrl() + "/health").body()).contains("healthy");
    run.command().stop();
    assertThat(exit.get()).isZero();
  }

  @Test
  void serveListensOnEveryInterfaceUnlessAHostIsGiven() {
    assertThat(parsed("demo", "--serve").bindAddress()).isEqualTo("0.0.0.0");
    assertThat(parsed("demo", "--serve", "--host", "127.0.0.1").bindAddress())
        .isEqualTo("127.0.0.1");
    assertThat(parsed("demo").bindAddress()).isEqualTo("127.0.0.1");
    assertThat(parsed("demo", "--exit").bindAddress()).isEqualTo("127.0.0.1");
  }

  /** The Elastic compose file's demo image runs this CLI with its CMD: it must parse as --serve. */
  @Test
  void theElasticDemoImagesCommandServesOnEveryInterfaceOnTheExposedPort() throws Exception {
    Path root = Path.of(System.getProperty("tokenscope.repo.root", "..")).toAbsolutePath();
    String dockerfile = Files.readString(root.resolve("deploy/elastic/demo/Dockerfile"));
    Matcher cmd = Pattern.compile("(?m)^CMD \\[(.*)]\\s*$").matcher(dockerfile);
    assertThat(cmd.find()).as("a CMD in exec form").isTrue();
    List<String> args = new ArrayList<>();
    Matcher arg = Pattern.compile("\"([^\"]*)\"").matcher(cmd.group(1));
    while (arg.find()) {
      args.add(arg.group(1));
    }
    assertThat(dockerfile).contains("ENTRYPOINT [\"java\", \"-jar\", \"/app/tokenscope.jar\"]");

    DemoCommand demo = parsed(args.toArray(String[]::new));

    assertThat(demo.serve).isTrue();
    assertThat(demo.bindAddress()).isEqualTo("0.0.0.0");
    assertThat(dockerfile).contains("EXPOSE " + demo.port);
  }

  private static DemoCommand parsed(String... args) {
    CommandLine cli = TokenScopeCommand.commandLine();
    CommandLine.ParseResult result = cli.parseArgs(args);
    assertThat(result.subcommand().commandSpec().name()).isEqualTo("demo");
    return (DemoCommand) result.subcommand().commandSpec().userObject();
  }

  @Test
  void aTakenPortIsReportedAndAFreeOneUsed() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      Run run = new Run(Map.of());

      int code =
          run.execute(
              "demo",
              "--exit",
              "--size",
              "1",
              "--speed",
              "0",
              "--port",
              Integer.toString(port),
              "--otlp-port",
              Integer.toString(port),
              "--ui-port",
              "0");

      assertThat(code).as(run.out() + run.err).isZero();
      assertThat(run.out())
          .contains("Port " + port + " is taken: the menu service uses a free port instead.")
          .contains(
              "Port "
                  + port
                  + " is taken (another TokenScope console or a Collector?): the demo's"
                  + " console uses free ports instead.")
          .doesNotContain("Menu service:  http://127.0.0.1:" + port + " ");
    }
  }

  private static HttpResponse<String> get(String url) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--size huge",
        "--size 0",
        "--exit --serve",
        "--concurrency 0",
        "--speed -1",
        "--port 70000",
        "--speed fast"
      })
  void badArgumentsExitWith2(String args) {
    Run run = new Run(Map.of());
    String[] argv = ("demo " + args).split(" ");

    assertThat(run.execute(argv)).isEqualTo(2);
    assertThat(run.err.toString()).isNotBlank().doesNotContain("Exception", "\tat ");
  }
}
