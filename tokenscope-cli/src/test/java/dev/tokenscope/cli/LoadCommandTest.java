package dev.tokenscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenscope.demo.MenuDesignerApp;
import io.opentelemetry.api.OpenTelemetry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Runs {@code tokenscope load} in-process against a running menu service. */
class LoadCommandTest {

  static MenuDesignerApp service;

  @BeforeAll
  static void start() throws Exception {
    service =
        MenuDesignerApp.builder()
            .openTelemetry(OpenTelemetry.noop())
            .environment(Map.of())
            .port(0)
            .simulatorSpeed(0)
            .simulatorFaults(false)
            .start();
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = TokenScopeCommand.commandLine();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(args);
  }

  @Test
  void aCountAtFixedConcurrencyReportsPercentilesAndStatuses() {
    int code =
        run(
            "load",
            "--url",
            service.baseUrl(),
            "--count",
            "24",
            "--concurrency",
            "4",
            "--seed",
            "3");

    String printed = out.toString();
    assertThat(code).as(printed + err).isZero();
    assertThat(printed)
        .contains(
            "Load on " + service.baseUrl() + "/: 4 in flight, 24 requests",
            "Load [##############################] 100%",
            "24 requests in",
            "endpoint     count     2xx  failed        p50        p95        p99",
            "  all             24",
            "Status: 200 × ");
    assertThat(printed).containsPattern("  generate +\\d+ +\\d+ +0 ");
  }

  @Test
  void aRateForADurationWithAMix() {
    int code =
        run(
            "load",
            "--url",
            service.baseUrl(),
            "--rate",
            "40",
            "--duration",
            "500ms",
            "--mix",
            "health=1,invalid=1");

    String printed = out.toString();
    assertThat(code).as(printed + err).isZero();
    assertThat(printed).contains("40 requests/s, for 500ms", "  health ", "  invalid ");
    assertThat(printed).containsPattern("Status: 200 × \\d+, 400 × \\d+");
    assertThat(printed).doesNotContain("  menu ", "  generate ");
  }

  @Test
  void anUnreachableServiceIsAFailureWithAMessage() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    int code = run("load", "--url", "http://127.0.0.1:" + port, "--count", "3");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("cannot reach http://127.0.0.1:" + port);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--rate 5 --concurrency 2",
        "--count 5 --duration 1s",
        "--rate 0",
        "--rate -3",
        "--concurrency 0",
        "--count 0",
        "--duration forever",
        "--duration 0s",
        "--mix menu=x",
        "--mix dinner=1",
        "--mix health=0",
        "--url ftp://example.org",
        "--url not-a-url",
        "--timeout 5",
        "--count many"
      })
  void badArgumentsExitWith2(String args) {
    String[] argv = ("load " + args).split(" ");

    assertThat(run(argv)).as(out.toString() + err).isEqualTo(2);
    assertThat(err.toString()).isNotBlank().doesNotContain("\tat ");
  }
}
