package dev.tokenscope.deploy.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tokenscope.deploy.elastic.ShellScript.Run;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** elasticsearch/setup-users.sh (the compose "setup" service) against a recording fake. */
class ElasticsearchSetupScriptTest {

  private record Call(String method, String path, String body) {}

  private static final String ELASTIC_PASSWORD = "elastic-Pass.1";

  private HttpServer server;
  private final List<Call> calls = new ArrayList<>();

  @BeforeEach
  void startFakeElasticsearch() throws IOException {
    String expected =
        "Basic "
            + Base64.getEncoder()
                .encodeToString(("elastic:" + ELASTIC_PASSWORD).getBytes(StandardCharsets.UTF_8));
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          synchronized (calls) {
            calls.add(
                new Call(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body));
          }
          boolean authorized =
              expected.equals(exchange.getRequestHeaders().getFirst("Authorization"));
          byte[] answer =
              (authorized ? "{\"acknowledged\":true}" : "{\"error\":\"security_exception\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(authorized ? 200 : 401, answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("ELASTICSEARCH_URL", "http://127.0.0.1:" + server.getAddress().getPort());
    env.put("ELASTIC_PASSWORD", ELASTIC_PASSWORD);
    env.put("KIBANA_SYSTEM_PASSWORD", "kibana-Pass.2");
    env.put("TOKENSCOPE_WRITER_PASSWORD", "writer-Pass.3");
    env.put("SETUP_WAIT_SECONDS", "2");
    return env;
  }

  private List<Call> writes() {
    synchronized (calls) {
      return calls.stream().filter(c -> !c.method().equals("GET")).toList();
    }
  }

  @Test
  void setsTheKibanaSystemPasswordAndCreatesAnAppendOnlyWriter() throws Exception {
    Run run = ShellScript.run("elasticsearch/setup-users.sh", env());

    assertThat(run.exitCode()).as(run.stderr()).isZero();
    List<Call> writes = writes();
    assertThat(writes)
        .extracting(c -> c.method() + " " + c.path())
        .containsExactly(
            "POST /_security/user/kibana_system/_password",
            "PUT /_security/role/tokenscope_writer",
            "PUT /_security/user/tokenscope_writer");
    assertThat(SavedObjects.JSON.readTree(writes.get(0).body()).path("password").asText())
        .isEqualTo("kibana-Pass.2");
    JsonNode role = SavedObjects.JSON.readTree(writes.get(1).body());
    assertThat(role.path("indices").get(0).path("privileges").toString())
        .isEqualTo("[\"auto_configure\",\"create_doc\"]");
    assertThat(role.path("indices").get(0).path("names").toString())
        .contains("traces-apm*", "metrics-apm*", "traces-*.otel-*");
    JsonNode user = SavedObjects.JSON.readTree(writes.get(2).body());
    assertThat(user.path("password").asText()).isEqualTo("writer-Pass.3");
    assertThat(user.path("roles").toString()).isEqualTo("[\"tokenscope_writer\"]");
  }

  @Test
  void runningAgainConvergesToTheSameCalls() throws Exception {
    ShellScript.run("elasticsearch/setup-users.sh", env());
    List<Call> first = writes();

    Run again = ShellScript.run("elasticsearch/setup-users.sh", env());

    assertThat(again.exitCode()).isZero();
    assertThat(writes().subList(first.size(), writes().size())).isEqualTo(first);
  }

  @Test
  void aWrongElasticPasswordFailsWithAClearMessage() throws Exception {
    Map<String, String> env = env();
    env.put("ELASTIC_PASSWORD", "not-the-password");

    Run run = ShellScript.run("elasticsearch/setup-users.sh", env);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr())
        .contains("did not answer an authenticated request")
        .contains("ELASTIC_PASSWORD");
    assertThat(writes()).isEmpty();
  }

  @Test
  void passwordsThatWouldBreakTheJsonBodyAreRefused() throws Exception {
    Map<String, String> env = env();
    env.put("KIBANA_SYSTEM_PASSWORD", "has\"quote");

    Run run = ShellScript.run("elasticsearch/setup-users.sh", env);

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr()).contains("KIBANA_SYSTEM_PASSWORD must be");
    assertThat(calls).isEmpty();
  }

  @Test
  void missingSecretsAreNamed() throws Exception {
    Run run = ShellScript.run("elasticsearch/setup-users.sh", Map.of());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr()).contains("ELASTIC_PASSWORD is empty");
  }

  @Test
  void everyShellScriptParses() throws Exception {
    for (String script :
        List.of("setup.sh", "elasticsearch/setup-users.sh", "apm-server/healthcheck.sh")) {
      Process check =
          new ProcessBuilder("bash", "-n", DeployFiles.path(script).toString())
              .redirectErrorStream(true)
              .start();
      String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(check.waitFor()).as(script + ": " + output).isZero();
      assertThat(DeployFiles.read(script)).as(script).startsWith("#!/usr/bin/env bash\n");
      assertThat(DeployFiles.read(script)).as(script).contains("set -euo pipefail");
    }
  }
}
