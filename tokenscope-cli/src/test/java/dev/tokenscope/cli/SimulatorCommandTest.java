package dev.tokenscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenscope.simulator.Fault;
import dev.tokenscope.simulator.FaultRule;
import dev.tokenscope.simulator.LlmSimulator;
import dev.tokenscope.simulator.Provider;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

/** {@code tokenscope simulator}: argument checking, and a real run answering HTTP until stopped. */
class SimulatorCommandTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "--fault-rate|nonsense|expects FAULT=RATE",
        "--fault-rate|hang=2|rate must be within [0, 1]",
        "--fault-rate|hang=lots|is not a number",
        "--fault-rate|boom=0.1|unknown fault 'boom'",
        "--fault-rate|rate_limit=0.1:mistral|unknown provider 'mistral'",
        "--speed|-1|--speed must be a number >= 0",
        "--port|99999|--port must be within 0..65535",
        "--retry-after-ms|-5|--retry-after-ms must not be negative",
      })
  void badArgumentsExitWithTwoAndAClearMessage(String option, String value, String message) {
    PrintStream originalErr = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      assertThat(Main.run("simulator", option, value)).isEqualTo(ExitCodes.USAGE);
    } finally {
      System.setErr(originalErr);
    }
    assertThat(err.toString(StandardCharsets.UTF_8)).contains(message).doesNotContain("\tat ");
  }

  @Test
  void faultRateSpecsParseProviderAndModel() {
    assertThat(SimulatorCommand.parseFaultRule("overloaded=0.05:anthropic"))
        .isEqualTo(FaultRule.of(Fault.OVERLOADED, 0.05).forProvider(Provider.ANTHROPIC));
    assertThat(SimulatorCommand.parseFaultRule("Stream-Cut=0.5:openai:gpt-5-mini"))
        .isEqualTo(
            FaultRule.of(Fault.STREAM_CUT, 0.5)
                .forProvider(Provider.OPENAI)
                .forModel("gpt-5-mini"));
    assertThat(SimulatorCommand.parseFaultRule("hang=1::gpt-4o"))
        .isEqualTo(FaultRule.of(Fault.HANG, 1).forModel("gpt-4o"));
  }

  @Test
  void runsUntilStoppedPrintingUrlsAndOneLinePerRequest() throws Exception {
    SimulatorCommand command = new SimulatorCommand();
    StringWriter output = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(output, true));
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () ->
                cli.execute(
                    "--port", "0", "--speed", "0", "--fault-rate", "rate_limit=1:anthropic"));

    LlmSimulator sim = command.awaitStarted(Duration.ofSeconds(20));
    assertThat(sim).isNotNull();
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(sim.openAiBaseUrl() + "/chat/completions"))
                    .header("Authorization", "Bearer k")
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    String baseUrl = sim.baseUrl();
    String openAiBaseUrl = sim.openAiBaseUrl();
    command.stop();

    assertThat(exit.get(20, TimeUnit.SECONDS)).isEqualTo(ExitCodes.OK);
    String printed = output.toString();
    assertThat(printed)
        .contains("TokenScope LLM simulator listening on " + baseUrl)
        .contains("OpenAI     base URL: " + openAiBaseUrl)
        .contains("faults: rate_limit=1.0 for anthropic")
        .containsPattern("#1 +openai +POST /v1/chat/completions +200 gpt-4o-mini in=\\d+ out=\\d+");
  }
}
