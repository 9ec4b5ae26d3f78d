package dev.tokenscope.deploy.elastic;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a script of deploy/elastic with bash, in a clean environment, and captures its output. */
final class ShellScript {

  record Run(int exitCode, String stdout, String stderr, Duration took) {}

  /** Variables the scripts read: never inherited from whoever runs the tests. */
  private static final List<String> SCRUBBED =
      List.of(
          "KIBANA_URL",
          "ELASTIC_USERNAME",
          "ELASTIC_PASSWORD",
          "KIBANA_API_KEY",
          "KIBANA_SPACE",
          "KIBANA_WAIT_SECONDS",
          "KIBANA_POLL_SECONDS",
          "TOKENSCOPE_ALERT_HOURLY_BUDGET_USD",
          "TOKENSCOPE_ALERT_P95_LATENCY_MS",
          "TOKENSCOPE_ALERT_ERROR_RATE",
          "ELASTICSEARCH_URL",
          "KIBANA_SYSTEM_PASSWORD",
          "TOKENSCOPE_WRITER_PASSWORD",
          "SETUP_WAIT_SECONDS");

  static Run run(String script, Map<String, String> environment, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", DeployFiles.path(script).toString()));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command);
    SCRUBBED.forEach(builder.environment()::remove);
    builder.environment().putAll(environment);
    Path out = Files.createTempFile("script", ".out");
    Path err = Files.createTempFile("script", ".err");
    builder
        .redirectOutput(out.toFile())
        .redirectError(err.toFile())
        .redirectInput(new File("/dev/null"));
    long start = System.nanoTime();
    Process process = builder.start();
    try {
      if (!process.waitFor(90, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(script + " did not finish within 90 s");
      }
      return new Run(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8),
          Duration.ofNanos(System.nanoTime() - start));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private ShellScript() {}
}
