package dev.tokenscope.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Runs {@code tokenscope console} in-process: URLs printed, dashboard served, clean stop. */
class ConsoleCommandTest {

  private static final class Run {
    final CommandLine cli = TokenScopeCommand.commandLine();
    final StringWriter out = new StringWriter();
    final StringWriter err = new StringWriter();

    Run() {
      cli.setOut(new PrintWriter(out, true));
      cli.setErr(new PrintWriter(err, true));
    }

    ConsoleCommand command() {
      return (ConsoleCommand) cli.getSubcommands().get("console").getCommandSpec().userObject();
    }
  }

  @Test
  void printsTheUrlsServesTheDashboardAndStopsCleanly(@TempDir Path dir) throws Exception {
    Run run = new Run();
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                run.cli.execute(
                    "console", "--otlp-port", "0", "--ui-port", "0", "--data", dir.toString()));
    await().atMost(Duration.ofSeconds(30)).until(() -> run.out.toString().contains("Ctrl-C"));
    String printed = run.out.toString();
    assertThat(printed).contains("Dashboard:  http://127.0.0.1:", "OTLP/HTTP:  http://127.0.0.1:");
    String ui = run.command().running().uiUrl();
    HttpResponse<String> page =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(ui)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body()).contains("TokenScope");
    HttpResponse<String> echarts =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(ui + "vendor/echarts.min.js")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(echarts.statusCode()).isEqualTo(200);
    run.command().stop();
    assertThat(exit.get()).isEqualTo(ExitCodes.OK);
    assertThat(Files.exists(dir.resolve("tokenscope.duckdb"))).isTrue();
  }

  @Test
  void badArgumentsExitWithTwo() {
    String[][] bad = {
      {"console", "--in-memory", "--data", "/tmp/x"},
      {"console", "--otlp-port", "70000"},
      {"console", "--ui-port", "-1"},
      {"console", "--retention", "forever"},
      {"console", "--max-size", "lots"},
      {"console", "--bind", "no.such.host.invalid"},
      {"console", "--otlp-port", "abc"},
    };
    for (String[] args : bad) {
      Run run = new Run();
      assertThat(run.cli.execute(args)).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
      assertThat(run.err.toString()).as(String.join(" ", args)).isNotBlank();
    }
  }

  @Test
  void parsesSizesAndDurations() {
    assertThat(ConsoleCommand.size("500MB")).isEqualTo(500_000_000L);
    assertThat(ConsoleCommand.size("1GiB")).isEqualTo(1L << 30);
    assertThat(ConsoleCommand.duration("12h")).isEqualTo(Duration.ofHours(12));
    assertThat(ConsoleCommand.duration("7d")).isEqualTo(Duration.ofDays(7));
  }
}
