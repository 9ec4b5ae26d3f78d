package dev.tokenscope.deploy.elastic;

import static dev.tokenscope.deploy.elastic.DeployFiles.list;
import static dev.tokenscope.deploy.elastic.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Both Collector configurations: pipelines, components, processors order, secrets from env. */
class CollectorConfigTest {

  /**
   * Component types this configuration may use: all ship in otelcol-contrib 0.165.0. A typo in a
   * type name fails here instead of at Collector start.
   */
  private static final Map<String, Set<String>> CONTRIB_TYPES =
      Map.of(
          "receivers", Set.of("otlp"),
          "processors", Set.of("memory_limiter", "batch", "resource", "cumulativetodelta"),
          "exporters", Set.of("otlp_grpc", "otlp_http", "elasticsearch", "debug"),
          "extensions", Set.of("health_check"));

  private static final Pattern ENV_REFERENCE =
      Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)");

  @ParameterizedTest
  @ValueSource(strings = {"otel-collector.yaml", "otel-collector-elasticsearch.yaml"})
  void everyPipelineNamesDefinedComponentsAndEveryComponentIsUsed(String file) {
    Map<String, Object> config = DeployFiles.yaml(file);
    Map<String, Object> pipelines = map(map(config.get("service")).get("pipelines"));
    Set<String> used = new HashSet<>();

    assertThat(pipelines).containsKeys("traces", "metrics");
    pipelines.forEach(
        (name, definition) -> {
          Map<String, Object> pipeline = map(definition);
          for (String section : List.of("receivers", "processors", "exporters")) {
            List<Object> ids = list(pipeline.get(section));
            if (!section.equals("processors")) {
              assertThat(ids).as(name + " " + section).isNotEmpty();
            }
            for (Object id : ids) {
              assertThat(map(config.get(section)))
                  .as("%s: pipeline %s uses %s %s", file, name, section, id)
                  .containsKey(id.toString());
              used.add(section + "/" + id);
            }
          }
        });
    for (String section : List.of("receivers", "processors", "exporters")) {
      for (String id : map(config.get(section)).keySet()) {
        assertThat(used)
            .as("%s: %s %s is defined but unused", file, section, id)
            .contains(section + "/" + id);
      }
    }
    for (Object extension : list(map(config.get("service")).get("extensions"))) {
      assertThat(map(config.get("extensions"))).containsKey(extension.toString());
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"otel-collector.yaml", "otel-collector-elasticsearch.yaml"})
  void componentTypesExistInTheContribDistribution(String file) {
    Map<String, Object> config = DeployFiles.yaml(file);
    CONTRIB_TYPES.forEach(
        (section, known) -> {
          for (String id : map(config.get(section)).keySet()) {
            String type = id.contains("/") ? id.substring(0, id.indexOf('/')) : id;
            assertThat(known).as("%s: %s type %s", file, section, type).contains(type);
          }
        });
  }

  @ParameterizedTest
  @ValueSource(strings = {"otel-collector.yaml", "otel-collector-elasticsearch.yaml"})
  void memoryLimiterRunsFirstAndBatchLastInEveryPipeline(String file) {
    Map<String, Object> pipelines =
        map(map(DeployFiles.yaml(file).get("service")).get("pipelines"));
    pipelines.forEach(
        (name, definition) -> {
          List<Object> processors = list(map(definition).get("processors"));
          assertThat(processors).as(name).startsWith("memory_limiter").endsWith("batch");
          assertThat(processors).as(name).contains("resource");
        });
    assertThat(list(map(pipelines.get("metrics")).get("processors"))).contains("cumulativetodelta");
  }

  @ParameterizedTest
  @ValueSource(strings = {"otel-collector.yaml", "otel-collector-elasticsearch.yaml"})
  void otlpIsReceivedOverGrpcAndHttpOnTheStandardPorts(String file) {
    Map<String, Object> protocols =
        map(map(map(DeployFiles.yaml(file).get("receivers")).get("otlp")).get("protocols"));

    assertThat(map(protocols.get("grpc")).get("endpoint")).isEqualTo("0.0.0.0:4317");
    assertThat(map(protocols.get("http")).get("endpoint")).isEqualTo("0.0.0.0:4318");
  }

  @ParameterizedTest
  @ValueSource(strings = {"otel-collector.yaml", "otel-collector-elasticsearch.yaml"})
  void theMemoryLimiterHasLimitsAndTheResourceProcessorOnlyInserts(String file) {
    Map<String, Object> processors = map(DeployFiles.yaml(file).get("processors"));
    Map<String, Object> limiter = map(processors.get("memory_limiter"));

    assertThat(limiter)
        .containsKeys("check_interval", "limit_percentage", "spike_limit_percentage");
    assertThat((Integer) limiter.get("spike_limit_percentage"))
        .isLessThan((Integer) limiter.get("limit_percentage"));
    for (Object action : list(map(processors.get("resource")).get("attributes"))) {
      assertThat(map(action).get("action")).isEqualTo("insert");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"otel-collector.yaml", "otel-collector-elasticsearch.yaml"})
  void everyEnvironmentVariableIsSetOnTheCollectorService(String file) {
    Map<String, Object> collectorEnv =
        map(
            map(map(DeployFiles.yaml("docker-compose.yml").get("services")).get("otel-collector"))
                .get("environment"));
    Set<String> referenced = new LinkedHashSet<>();
    for (String line : DeployFiles.read(file).split("\n")) {
      if (line.strip().startsWith("#")) {
        continue; // commented alternatives, e.g. the API key header
      }
      Matcher m = ENV_REFERENCE.matcher(line);
      while (m.find()) {
        referenced.add(m.group(1));
      }
    }
    assertThat(referenced).isNotEmpty();
    assertThat(collectorEnv.keySet()).containsAll(referenced);
  }

  @ParameterizedTest
  @ValueSource(strings = {"otel-collector.yaml", "otel-collector-elasticsearch.yaml"})
  void theDebugExporterIsThereToUncommentButOff(String file) {
    String text = DeployFiles.read(file);

    assertThat(text).contains("# debug:").contains("#   verbosity: detailed");
    assertThat(map(DeployFiles.yaml(file).get("exporters"))).doesNotContainKey("debug");
  }

  @Test
  void theApmExporterSendsTheSecretTokenFromTheEnvironment() {
    Map<String, Object> exporter =
        map(map(DeployFiles.yaml("otel-collector.yaml").get("exporters")).get("otlp_grpc/apm"));

    assertThat(map(exporter.get("headers")))
        .containsEntry("Authorization", "Bearer ${env:APM_SECRET_TOKEN}");
    assertThat(DeployFiles.read("otel-collector.yaml"))
        .contains("# Authorization: \"ApiKey ${env:APM_API_KEY}\"");
    assertThat(map(exporter.get("sending_queue"))).containsEntry("enabled", true);
  }

  @Test
  void theNativeAlternativeWritesOtelMappedDocumentsWithCredentialsFromTheEnvironment() {
    Map<String, Object> exporter =
        map(
            map(DeployFiles.yaml("otel-collector-elasticsearch.yaml").get("exporters"))
                .get("elasticsearch/otel"));

    assertThat(map(exporter.get("mapping"))).containsEntry("mode", "otel");
    assertThat(exporter)
        .containsEntry("endpoint", "${env:ELASTICSEARCH_ENDPOINT}")
        .containsEntry("user", "${env:ELASTICSEARCH_USERNAME}")
        .containsEntry("password", "${env:TOKENSCOPE_WRITER_PASSWORD}");
    // Its field names are documented where a user switches to it.
    assertThat(DeployFiles.read("otel-collector-elasticsearch.yaml"))
        .contains("attributes.gen_ai.cost.total_usd")
        .contains("metrics.gen_ai.client.cost");
  }
}
