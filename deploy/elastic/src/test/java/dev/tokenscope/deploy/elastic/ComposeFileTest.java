package dev.tokenscope.deploy.elastic;

import static dev.tokenscope.deploy.elastic.DeployFiles.list;
import static dev.tokenscope.deploy.elastic.DeployFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docker-compose.yml: pinned images, documented variables, start order and wiring. */
class ComposeFileTest {

  private static final String RAW = DeployFiles.read("docker-compose.yml");
  private static final Map<String, String> ENV_EXAMPLE = DeployFiles.envFile(".env.example");

  /** The compose model as `docker compose config` would see it after `cp .env.example .env`. */
  private static final Map<String, Object> COMPOSE =
      DeployFiles.yamlText(DeployFiles.interpolate(RAW, ENV_EXAMPLE));

  private static final Map<String, Object> SERVICES = map(COMPOSE.get("services"));

  private static final Pattern EXACT_TAG =
      Pattern.compile("^[^:@]+:(\\d+\\.\\d+\\.\\d+)(@sha256:[0-9a-f]{64})?$");

  private static Map<String, Object> service(String name) {
    assertThat(SERVICES).containsKey(name);
    return map(SERVICES.get(name));
  }

  private static Map<String, Object> environment(String service) {
    return map(service(service).get("environment"));
  }

  @Test
  void theStackHasTheServicesTheReadmeDescribes() {
    assertThat(SERVICES)
        .containsOnlyKeys(
            "setup", "elasticsearch", "kibana", "apm-server", "otel-collector", "demo");
  }

  @Test
  void everyPulledImageIsPinnedToAnExactVersion() {
    SERVICES.forEach(
        (name, definition) -> {
          Map<String, Object> service = map(definition);
          if (service.containsKey("build")) {
            // Built here from demo/Dockerfile, whose base images DemoDockerfileTest checks.
            assertThat(service.get("image")).as(name).isEqualTo("tokenscope-demo:local");
            return;
          }
          String image = (String) service.get("image");
          assertThat(image).as(name + " image").isNotNull().doesNotContain(":latest");
          assertThat(EXACT_TAG.matcher(image).matches())
              .as("%s: %s must name an exact x.y.z version", name, image)
              .isTrue();
        });
  }

  @Test
  void elasticsearchKibanaAndApmServerShareOneNineDotXVersion() {
    Set<String> versions = new LinkedHashSet<>();
    for (String name : List.of("setup", "elasticsearch", "kibana", "apm-server")) {
      String image = (String) service(name).get("image");
      assertThat(image).startsWith("docker.elastic.co/");
      versions.add(image.substring(image.lastIndexOf(':') + 1));
    }
    assertThat(versions).hasSize(1);
    assertThat(versions.iterator().next()).startsWith("9.");
  }

  @Test
  void theCollectorIsTheContribDistribution() {
    assertThat((String) service("otel-collector").get("image"))
        .startsWith("otel/opentelemetry-collector-contrib:");
  }

  @Test
  void everyVariableTheComposeFileUsesIsDocumentedInEnvExample() {
    Set<String> used = DeployFiles.composeVariables(RAW).keySet();

    assertThat(used).isNotEmpty();
    assertThat(ENV_EXAMPLE.keySet()).containsAll(used);
  }

  @Test
  void everyEnvExampleVariableIsUsedAndExplainedByAComment() {
    String setupScript = DeployFiles.read("setup.sh");
    List<String> lines = List.of(DeployFiles.read(".env.example").split("\n"));
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      String key = line.substring(0, line.indexOf('='));
      assertThat(RAW.contains("${" + key) || setupScript.contains(key))
          .as("%s is used by docker-compose.yml or setup.sh", key)
          .isTrue();
      int j = i - 1;
      while (j >= 0 && !lines.get(j).isBlank() && !lines.get(j).startsWith("#")) {
        j--; // a run of related KEY=value lines shares the comment above it
      }
      assertThat(j >= 0 && lines.get(j).startsWith("#"))
          .as("%s has an explaining comment above it", key)
          .isTrue();
    }
  }

  @Test
  void secretsHaveNoDefaultsAndStopComposeWhenUnset() {
    for (String secret :
        List.of(
            "ELASTIC_PASSWORD",
            "KIBANA_SYSTEM_PASSWORD",
            "TOKENSCOPE_WRITER_PASSWORD",
            "APM_SECRET_TOKEN",
            "KIBANA_ENCRYPTION_KEY")) {
      Matcher uses = Pattern.compile("(?<!\\$)\\$\\{" + secret + "([^}]*)}").matcher(RAW);
      int count = 0;
      while (uses.find()) {
        count++;
        assertThat(uses.group(1)).as(secret).startsWith(":?");
      }
      assertThat(count).as(secret + " is used").isPositive();
    }
  }

  @Test
  void securityIsOnAndTheElasticPasswordComesFromEnv() {
    Map<String, Object> env = environment("elasticsearch");

    assertThat(env.get("xpack.security.enabled")).isEqualTo("true");
    assertThat(env.get("ELASTIC_PASSWORD")).isEqualTo(ENV_EXAMPLE.get("ELASTIC_PASSWORD"));
    assertThat(RAW).doesNotContain("xpack.security.enabled: \"false\"");
  }

  @Test
  void aOneShotSetupContainerSetsTheKibanaSystemPasswordKibanaUses() {
    Map<String, Object> setup = service("setup");
    String script = DeployFiles.read("elasticsearch/setup-users.sh");

    assertThat(setup.get("restart")).isEqualTo("no");
    assertThat(list(setup.get("entrypoint")).toString()).contains("setup-users.sh");
    assertThat(script).contains("/_security/user/kibana_system/_password");
    assertThat(environment("kibana"))
        .containsEntry("ELASTICSEARCH_USERNAME", "kibana_system")
        .containsEntry(
            "ELASTICSEARCH_PASSWORD", environment("setup").get("KIBANA_SYSTEM_PASSWORD"));
    assertThat(map(map(service("kibana").get("depends_on")).get("setup")))
        .containsEntry("condition", "service_completed_successfully");
    assertThat(map(map(service("apm-server").get("depends_on")).get("setup")))
        .containsEntry("condition", "service_completed_successfully");
  }

  @Test
  void kibanaHasTheEncryptionKeyAlertingNeeds() {
    String key = ENV_EXAMPLE.get("KIBANA_ENCRYPTION_KEY");

    assertThat(key).hasSizeGreaterThanOrEqualTo(32);
    assertThat(environment("kibana"))
        .containsEntry("XPACK_ENCRYPTEDSAVEDOBJECTS_ENCRYPTIONKEY", key);
  }

  @Test
  void healthChecksAndDependsOnConditionsGateTheStartOrder() {
    Set<String> healthChecked = new LinkedHashSet<>();
    SERVICES.forEach(
        (name, definition) -> {
          Map<String, Object> healthcheck = map(map(definition).get("healthcheck"));
          if (!healthcheck.isEmpty()) {
            assertThat(list(healthcheck.get("test"))).as(name).isNotEmpty();
            healthChecked.add(name);
          }
        });
    assertThat(healthChecked)
        .containsExactlyInAnyOrder("elasticsearch", "kibana", "apm-server", "demo");

    SERVICES.forEach(
        (name, definition) ->
            map(map(definition).get("depends_on"))
                .forEach(
                    (target, spec) -> {
                      String condition = (String) map(spec).get("condition");
                      assertThat(condition).as(name + " -> " + target).isNotNull();
                      switch (condition) {
                        case "service_healthy" -> assertThat(healthChecked).contains(target);
                        case "service_completed_successfully" ->
                            assertThat(target).isEqualTo("setup");
                        case "service_started" ->
                            // Only the distroless Collector cannot run a health probe.
                            assertThat(target).isEqualTo("otel-collector");
                        default -> throw new AssertionError("unknown condition " + condition);
                      }
                    }));
    assertThat(map(service("otel-collector").get("depends_on"))).containsKey("apm-server");
    assertThat(RAW).contains("No healthcheck: the contrib image is distroless");
  }

  @Test
  void elasticsearchDataLivesInANamedVolume() {
    assertThat(map(COMPOSE.get("volumes"))).containsKey("esdata");
    assertThat(list(service("elasticsearch").get("volumes")))
        .contains("esdata:/usr/share/elasticsearch/data");
  }

  @Test
  void everyMountedFileExists() {
    SERVICES.forEach(
        (name, definition) -> {
          for (Object volume : list(map(definition).get("volumes"))) {
            String source = volume.toString().split(":")[0];
            if (source.startsWith("./")) {
              assertThat(DeployFiles.path(source)).as(name + " mounts " + source).isRegularFile();
            }
          }
        });
    // Both Collector configurations can be mounted.
    assertThat(RAW).contains("./${OTEL_COLLECTOR_CONFIG:-otel-collector.yaml}:");
    assertThat(DeployFiles.path("otel-collector-elasticsearch.yaml")).isRegularFile();
  }

  @Test
  void hostPortsBindToLoopbackOnly() {
    SERVICES.forEach(
        (name, definition) -> {
          for (Object port : list(map(definition).get("ports"))) {
            assertThat(port.toString()).as(name).startsWith("127.0.0.1:");
          }
        });
  }

  @Test
  void heapAndMemoryLimitsFitALaptop() {
    String javaOpts = (String) environment("elasticsearch").get("ES_JAVA_OPTS");
    Matcher xms = Pattern.compile("-Xms(\\S+)").matcher(javaOpts);
    Matcher xmx = Pattern.compile("-Xmx(\\S+)").matcher(javaOpts);
    assertThat(xms.find() && xmx.find()).isTrue();
    assertThat(xms.group(1)).as("fixed heap").isEqualTo(xmx.group(1));
    long esLimit = bytes((String) service("elasticsearch").get("mem_limit"));
    assertThat(bytes(xmx.group(1)))
        .as("heap at most half the container")
        .isLessThanOrEqualTo(esLimit / 2);

    String nodeOptions = (String) environment("kibana").get("NODE_OPTIONS");
    long kibanaHeap =
        Long.parseLong(nodeOptions.replaceAll(".*--max-old-space-size=(\\d+).*", "$1")) << 20;
    assertThat(kibanaHeap).isLessThan(bytes((String) service("kibana").get("mem_limit")));

    long total = 0;
    for (Object definition : SERVICES.values()) {
      Object limit = map(definition).get("mem_limit");
      if (limit != null) {
        total += bytes(limit.toString());
      }
    }
    assertThat(total).as("all containers together").isLessThanOrEqualTo(6L << 30);
  }

  private static long bytes(String size) {
    String s = size.toLowerCase(Locale.ROOT);
    long unit =
        switch (s.charAt(s.length() - 1)) {
          case 'g' -> 1L << 30;
          case 'm' -> 1L << 20;
          case 'k' -> 1L << 10;
          default -> 1L;
        };
    String digits =
        Character.isDigit(s.charAt(s.length() - 1)) ? s : s.substring(0, s.length() - 1);
    return Long.parseLong(digits) * unit;
  }

  @Test
  void theCollectorForwardsToApmServerOnThePortApmServerListensOn() {
    String endpoint = (String) environment("otel-collector").get("APM_SERVER_ENDPOINT");
    String apmHost = apmServerSetting("apm-server.host");

    assertThat(hostOf(endpoint)).isEqualTo("apm-server");
    assertThat(portOf(endpoint)).isEqualTo(portOf(apmHost));
    Map<String, Object> exporter =
        map(map(DeployFiles.yaml("otel-collector.yaml").get("exporters")).get("otlp_grpc/apm"));
    assertThat(exporter.get("endpoint")).isEqualTo("${env:APM_SERVER_ENDPOINT}");
    assertThat(DeployFiles.read("apm-server/healthcheck.sh"))
        .contains("/dev/tcp/127.0.0.1/" + portOf(apmHost));
  }

  @Test
  void apmServerKibanaSetupAndTheCollectorReachElasticsearchOnItsHttpPort() {
    int esPort = containerPort("elasticsearch");
    String hosts = apmServerSetting("output.elasticsearch.hosts");
    List<String> urls = new ArrayList<>();
    urls.add(hosts.replaceAll("[\\[\\]\"]", ""));
    urls.add(
        ((String) environment("kibana").get("ELASTICSEARCH_HOSTS")).replaceAll("[\\[\\]\"]", ""));
    urls.add((String) environment("setup").get("ELASTICSEARCH_URL"));
    urls.add((String) environment("otel-collector").get("ELASTICSEARCH_ENDPOINT"));

    for (String url : urls) {
      URI uri = URI.create(url);
      assertThat(uri.getHost()).as(url).isEqualTo("elasticsearch");
      assertThat(uri.getPort()).as(url).isEqualTo(esPort);
    }
    assertThat(apmServerSetting("output.elasticsearch.username"))
        .isEqualTo(environment("otel-collector").get("ELASTICSEARCH_USERNAME"))
        .isEqualTo("tokenscope_writer");
  }

  @Test
  void healthChecksProbeThePortsTheServicesServe() {
    assertThat(list(map(service("elasticsearch").get("healthcheck")).get("test")).toString())
        .contains("localhost:" + containerPort("elasticsearch"));
    assertThat(list(map(service("kibana").get("healthcheck")).get("test")).toString())
        .contains("localhost:" + containerPort("kibana"));
    assertThat(list(map(service("demo").get("healthcheck")).get("test")).toString())
        .contains("/dev/tcp/127.0.0.1/" + containerPort("demo"));
  }

  @Test
  void theCollectorPublishesTheOtlpPortsItsReceiversListenOn() {
    for (String config : List.of("otel-collector.yaml", "otel-collector-elasticsearch.yaml")) {
      Map<String, Object> protocols =
          map(map(map(DeployFiles.yaml(config).get("receivers")).get("otlp")).get("protocols"));
      int grpc = portOf((String) map(protocols.get("grpc")).get("endpoint"));
      int http = portOf((String) map(protocols.get("http")).get("endpoint"));
      assertThat(grpc).isEqualTo(4317);
      assertThat(http).isEqualTo(4318);
    }
    assertThat(list(service("otel-collector").get("ports")).stream().map(Object::toString))
        .contains("127.0.0.1:4317:4317", "127.0.0.1:4318:4318");
  }

  @Test
  void theDemoProfilePointsStandardOtelVariablesAtTheCollector() {
    Map<String, Object> demo = service("demo");
    Map<String, Object> env = environment("demo");

    assertThat(list(demo.get("profiles"))).containsExactly("demo");
    assertThat(env.keySet())
        .allSatisfy(
            key ->
                assertThat(key.startsWith("OTEL_") || key.endsWith("_API_KEY")).as(key).isTrue());
    URI endpoint = URI.create((String) env.get("OTEL_EXPORTER_OTLP_ENDPOINT"));
    assertThat(endpoint.getHost()).isEqualTo("otel-collector");
    assertThat(endpoint.getPort()).isEqualTo(4318);
    assertThat(env.get("OTEL_EXPORTER_OTLP_PROTOCOL")).isEqualTo("http/protobuf");
    assertThat(env.get("OTEL_SERVICE_NAME")).isEqualTo(DemoServiceTelemetry.SERVICE_NAME);
    assertThat(env.get("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE")).isEqualTo("delta");
    assertThat(containerPort("demo")).isEqualTo(5000);
  }

  @Test
  void theDemoIsBuiltFromTheRepositoryRootWithTheDemoDockerfile() throws Exception {
    Map<String, Object> build = map(service("demo").get("build"));
    Path context = DeployFiles.DIR.resolve((String) build.get("context")).normalize();

    assertThat(context.resolve("pom.xml")).isRegularFile();
    assertThat(context.resolve("deploy/elastic")).isDirectory();
    assertThat(
            Files.isSameFile(
                context.resolve((String) build.get("dockerfile")),
                DeployFiles.path("demo/Dockerfile")))
        .isTrue();
  }

  private static String apmServerSetting(String key) {
    String command = (String) service("apm-server").get("command");
    Matcher m = Pattern.compile("-E " + Pattern.quote(key) + "=(\\S+)").matcher(command);
    assertThat(m.find()).as("apm-server sets " + key).isTrue();
    return m.group(1);
  }

  /** The container side of the service's first published port. */
  private static int containerPort(String service) {
    String port = list(service(service).get("ports")).get(0).toString();
    return Integer.parseInt(port.substring(port.lastIndexOf(':') + 1));
  }

  private static String hostOf(String hostPort) {
    return hostPort.substring(0, hostPort.lastIndexOf(':'));
  }

  private static int portOf(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }
}
