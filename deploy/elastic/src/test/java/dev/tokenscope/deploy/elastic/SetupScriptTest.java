package dev.tokenscope.deploy.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenscope.deploy.elastic.FakeKibana.Request;
import dev.tokenscope.deploy.elastic.ShellScript.Run;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** setup.sh against a fake Kibana on loopback: the calls it makes, idempotence, errors. */
class SetupScriptTest {

  private static final String PASSWORD = "s3cret-Pass.word";
  private static final Pattern UUID_V4 =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

  private static Map<String, String> env(FakeKibana kibana) {
    Map<String, String> env = new HashMap<>();
    env.put("KIBANA_URL", kibana.url());
    env.put("ELASTIC_PASSWORD", PASSWORD);
    env.put("KIBANA_WAIT_SECONDS", "20");
    env.put("KIBANA_POLL_SECONDS", "1");
    return env;
  }

  private static Run setup(Map<String, String> env, String... args) throws Exception {
    String[] all = new String[args.length + 2];
    all[0] = "--env-file";
    all[1] = "/dev/null";
    System.arraycopy(args, 0, all, 2, args.length);
    return ShellScript.run("setup.sh", env, all);
  }

  private static List<Request> calls(FakeKibana kibana, String method, String pathPart) {
    return kibana.requests().stream()
        .filter(r -> r.method().equals(method) && r.path().contains(pathPart))
        .toList();
  }

  @Test
  void importsTheSavedObjectsWithOverwriteAndCreatesEveryRuleUnderAFixedId() throws Exception {
    try (FakeKibana kibana = FakeKibana.basic("elastic", PASSWORD)) {
      Run run = setup(env(kibana));

      assertThat(run.exitCode()).as(run.stderr()).isZero();
      List<Request> imports = calls(kibana, "POST", "/api/saved_objects/_import");
      assertThat(imports).hasSize(1);
      assertThat(imports.get(0).query()).isEqualTo("overwrite=true");
      assertThat(imports.get(0).xsrf()).isNotEmpty();
      assertThat(imports.get(0).body())
          .contains("name=\"file\"")
          .contains(DeployFiles.read(SavedObjects.FILE).strip());

      List<Request> creates = calls(kibana, "POST", "/api/alerting/rule/");
      assertThat(creates).hasSize(4);
      try (var files = Files.list(DeployFiles.path("kibana/rules"))) {
        assertThat(kibana.rules()).hasSize((int) files.count());
      }
      for (Request create : creates) {
        String id = create.path().substring(create.path().lastIndexOf('/') + 1);
        assertThat(UUID_V4.matcher(id).matches()).as(id).isTrue();
        JsonNode body = SavedObjects.JSON.readTree(create.body());
        assertThat(body.has("id")).isFalse();
        assertThat(create.body()).doesNotContain("{{");
      }
      assertThat(run.stdout())
          .contains("Kibana is available")
          .contains("created rule: TokenScope: ");
    }
  }

  @Test
  void thresholdsComeFromTheEnvironmentAsNumbers() throws Exception {
    try (FakeKibana kibana = FakeKibana.basic("elastic", PASSWORD)) {
      Map<String, String> env = env(kibana);
      env.put("TOKENSCOPE_ALERT_HOURLY_BUDGET_USD", "12.5");
      env.put("TOKENSCOPE_ALERT_P95_LATENCY_MS", "8000");
      env.put("TOKENSCOPE_ALERT_ERROR_RATE", "0.1");

      assertThat(setup(env).exitCode()).isZero();

      Map<String, JsonNode> byName =
          kibana.rules().values().stream()
              .collect(Collectors.toMap(r -> r.path("name").asText(), r -> r));
      assertThat(
              byName
                  .get("TokenScope: LLM spend per hour over budget")
                  .path("params")
                  .path("threshold")
                  .get(0)
                  .asDouble())
          .isEqualTo(12.5);
      JsonNode p95 = byName.get("TokenScope: LLM p95 latency per model over threshold");
      assertThat(p95.path("params").path("criteria").get(0).path("threshold").get(0).isNumber())
          .isTrue();
      assertThat(p95.path("params").path("criteria").get(0).path("threshold").get(0).asLong())
          .isEqualTo(8_000_000L);
      assertThat(
              byName
                  .get("TokenScope: LLM error rate per model over threshold")
                  .path("params")
                  .path("criteria")
                  .get(0)
                  .path("threshold")
                  .get(0)
                  .asDouble())
          .isEqualTo(0.1);
    }
  }

  @Test
  void runningTwiceUpdatesInPlaceAndEndsInTheSameState() throws Exception {
    try (FakeKibana kibana = FakeKibana.basic("elastic", PASSWORD)) {
      assertThat(setup(env(kibana)).exitCode()).isZero();
      Map<String, JsonNode> first = kibana.rules();

      Run second = setup(env(kibana));

      assertThat(second.exitCode()).as(second.stderr()).isZero();
      assertThat(kibana.rules()).isEqualTo(first);
      assertThat(calls(kibana, "POST", "/api/alerting/rule/")).hasSize(4);
      List<Request> updates = calls(kibana, "PUT", "/api/alerting/rule/");
      assertThat(updates).hasSize(4);
      for (Request update : updates) {
        JsonNode body = SavedObjects.JSON.readTree(update.body());
        assertThat(body.has("rule_type_id")).isFalse();
        assertThat(body.has("consumer")).isFalse();
        assertThat(body.has("params")).isTrue();
      }
      assertThat(calls(kibana, "POST", "/api/saved_objects/_import"))
          .hasSize(2)
          .allSatisfy(r -> assertThat(r.query()).isEqualTo("overwrite=true"));
      assertThat(second.stdout()).contains("updated rule: ").doesNotContain("created rule");
    }
  }

  @Test
  void wrongCredentialsFailAtOnceWithAClearMessage() throws Exception {
    try (FakeKibana kibana = FakeKibana.basic("elastic", "the-real-password")) {
      Run run = setup(env(kibana));

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.stderr())
          .contains("rejected the credentials")
          .contains("HTTP 401")
          .contains("ELASTIC_PASSWORD");
      assertThat(run.took()).isLessThan(Duration.ofSeconds(10));
      assertThat(calls(kibana, "POST", "/api/")).isEmpty();
    }
  }

  @Test
  void credentialsNeverAppearOnTheCommandLineOrInOutput() throws Exception {
    try (FakeKibana kibana = FakeKibana.basic("elastic", PASSWORD)) {
      Run run = setup(env(kibana));

      assertThat(run.stdout() + run.stderr()).doesNotContain(PASSWORD);
      assertThat(DeployFiles.read("setup.sh"))
          .contains("-K \"$CURL_CONFIG\"")
          .doesNotContain("-u \"");
    }
  }

  @Test
  void anApiKeyIsSentInsteadOfAPassword() throws Exception {
    try (FakeKibana kibana = FakeKibana.apiKey("aWQ6a2V5")) {
      Map<String, String> env = env(kibana);
      env.remove("ELASTIC_PASSWORD");
      env.put("KIBANA_API_KEY", "aWQ6a2V5");

      Run run = setup(env);

      assertThat(run.exitCode()).as(run.stderr()).isZero();
      assertThat(kibana.requests())
          .allSatisfy(r -> assertThat(r.authorization()).isEqualTo("ApiKey aWQ6a2V5"));
    }
  }

  @Test
  void anUnreachableUrlTimesOutNamingTheUrl() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    Map<String, String> env = new HashMap<>();
    env.put("KIBANA_URL", "http://127.0.0.1:" + closedPort);
    env.put("ELASTIC_PASSWORD", PASSWORD);

    Run run = setup(env, "--timeout", "2");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr())
        .contains("timed out after 2s")
        .contains("not reachable")
        .contains("http://127.0.0.1:" + closedPort);
    assertThat(run.took())
        .isGreaterThanOrEqualTo(Duration.ofSeconds(2))
        .isLessThan(Duration.ofSeconds(20));
  }

  @Test
  void aKibanaThatNeverBecomesReadyIsWaitedForThenGivenUp() throws Exception {
    try (FakeKibana kibana = FakeKibana.basic("elastic", PASSWORD).neverReady()) {
      Map<String, String> env = env(kibana);
      env.put("KIBANA_WAIT_SECONDS", "3");

      Run run = setup(env);

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.stderr())
          .contains("timed out after 3s waiting for Kibana")
          .contains("HTTP 503");
      assertThat(calls(kibana, "GET", "/api/status").size()).isGreaterThanOrEqualTo(2);
      assertThat(calls(kibana, "POST", "/api/")).isEmpty();
    }
  }

  @Test
  void aKibanaThatIsStillStartingIsWaitedFor() throws Exception {
    try (FakeKibana kibana = FakeKibana.basic("elastic", PASSWORD).notReadyFor(2)) {
      Run run = setup(env(kibana));

      assertThat(run.exitCode()).as(run.stderr()).isZero();
      assertThat(calls(kibana, "GET", "/api/status")).hasSize(3);
      assertThat(kibana.rules()).hasSize(4);
    }
  }

  @Test
  void aFailedImportStopsBeforeTheRulesWithKibanasErrors() throws Exception {
    try (FakeKibana kibana =
        FakeKibana.basic("elastic", PASSWORD)
            .importAnswers(
                "{\"success\":false,\"successCount\":0,\"errors\":[{\"id\":\"x\",\"error\":{\"type\":\"unsupported_type\"}}]}")) {
      Run run = setup(env(kibana));

      assertThat(run.exitCode()).isEqualTo(1);
      assertThat(run.stderr()).contains("import reported errors").contains("unsupported_type");
      assertThat(kibana.rules()).isEmpty();
    }
  }

  @Test
  void aSpaceScopesEveryWritingCall() throws Exception {
    try (FakeKibana kibana = FakeKibana.basic("elastic", PASSWORD)) {
      Run run = setup(env(kibana), "--space", "llm-ops");

      assertThat(run.exitCode()).as(run.stderr()).isZero();
      assertThat(kibana.requests().stream().filter(r -> !r.path().equals("/api/status")))
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.path()).startsWith("/s/llm-ops/api/"));
    }
  }

  @Test
  void skipRulesImportsOnly() throws Exception {
    try (FakeKibana kibana = FakeKibana.basic("elastic", PASSWORD)) {
      assertThat(setup(env(kibana), "--skip-rules").exitCode()).isZero();

      assertThat(calls(kibana, "POST", "/api/saved_objects/_import")).hasSize(1);
      assertThat(kibana.rules()).isEmpty();
    }
  }

  @Test
  void settingsComeFromAnEnvFileWithoutOverridingTheEnvironment(@TempDir Path dir)
      throws Exception {
    try (FakeKibana kibana = FakeKibana.basic("elastic", PASSWORD)) {
      Path envFile = dir.resolve(".env");
      Files.writeString(
          envFile,
          "# comment\nKIBANA_URL=http://127.0.0.1:1\nELASTIC_PASSWORD=\""
              + PASSWORD
              + "\"\n$(touch "
              + dir.resolve("pwned")
              + ")=x\n");
      Map<String, String> env = new HashMap<>();
      env.put("KIBANA_URL", kibana.url());
      env.put("KIBANA_POLL_SECONDS", "1");

      Run run = ShellScript.run("setup.sh", env, "--env-file", envFile.toString(), "--skip-rules");

      assertThat(run.exitCode()).as(run.stderr()).isZero();
      assertThat(dir.resolve("pwned")).doesNotExist();
    }
  }

  @Test
  void badSettingsAreUsageErrors() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("ELASTIC_PASSWORD", PASSWORD);

    for (Map.Entry<String, String> bad :
        Map.of(
                "TOKENSCOPE_ALERT_HOURLY_BUDGET_USD", "five",
                "TOKENSCOPE_ALERT_ERROR_RATE", "5%",
                "TOKENSCOPE_ALERT_P95_LATENCY_MS", "2.5s",
                "KIBANA_URL", "localhost:5601")
            .entrySet()) {
      Map<String, String> withBad = new HashMap<>(env);
      withBad.put(bad.getKey(), bad.getValue());
      Run run = setup(withBad);
      assertThat(run.exitCode()).as(bad.getKey()).isEqualTo(2);
      assertThat(run.stderr()).as(bad.getKey()).contains(bad.getKey()).contains("--help");
    }
    Run noCredentials = setup(Map.of());
    assertThat(noCredentials.exitCode()).isEqualTo(2);
    assertThat(noCredentials.stderr()).contains("no credentials");
    Run unknown = setup(env, "--frobnicate");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.stderr()).contains("unknown option: --frobnicate");
  }

  @Test
  void helpDescribesUsageAndExitsZero() throws Exception {
    Run run = ShellScript.run("setup.sh", Map.of(), "--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.stdout())
        .startsWith("Usage: setup.sh")
        .contains("--kibana-url")
        .contains("--timeout")
        .contains("Exit status");
    assertThat(List.of(DeployFiles.read("setup.sh").split("\n")))
        .contains("set -euo pipefail", "#!/usr/bin/env bash");
    assertThat(DeployFiles.path("setup.sh").toFile().canExecute()).isTrue();
  }

  @Test
  void everyRuleFileIsListedWithItsOwnId() throws IOException {
    String script = DeployFiles.read("setup.sh");
    try (var files = Files.list(DeployFiles.path("kibana/rules"))) {
      for (Path file : files.toList()) {
        assertThat(script)
            .containsPattern(
                "\"[0-9a-f-]{36} " + Pattern.quote(file.getFileName().toString()) + "\"");
      }
    }
  }
}
