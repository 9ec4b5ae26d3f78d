package dev.tokenscope.deploy.elastic;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** demo/Dockerfile: multi-stage, pinned bases, non-root, serves the demo on 5000. */
class DemoDockerfileTest {

  /** One instruction: keyword and arguments, continuation lines joined. */
  private record Instruction(String keyword, String arguments) {}

  private static final List<Instruction> INSTRUCTIONS = parse(DeployFiles.read("demo/Dockerfile"));

  private static List<Instruction> parse(String text) {
    List<Instruction> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : text.split("\n")) {
      String trimmed = line.strip();
      if (current.isEmpty() && (trimmed.isEmpty() || trimmed.startsWith("#"))) {
        continue;
      }
      if (trimmed.startsWith("#")) {
        continue; // comment inside a continued instruction
      }
      if (trimmed.endsWith("\\")) {
        current.append(trimmed, 0, trimmed.length() - 1).append(' ');
        continue;
      }
      current.append(trimmed);
      String full = current.toString().strip();
      int space = full.indexOf(' ');
      instructions.add(
          new Instruction(
              full.substring(0, space).toUpperCase(), full.substring(space + 1).strip()));
      current.setLength(0);
    }
    return instructions;
  }

  private static List<Instruction> all(String keyword) {
    return INSTRUCTIONS.stream().filter(i -> i.keyword().equals(keyword)).toList();
  }

  /** Instructions of the last stage. */
  private static List<Instruction> finalStage() {
    int last = 0;
    for (int i = 0; i < INSTRUCTIONS.size(); i++) {
      if (INSTRUCTIONS.get(i).keyword().equals("FROM")) {
        last = i;
      }
    }
    return INSTRUCTIONS.subList(last, INSTRUCTIONS.size());
  }

  @Test
  void itIsMultiStageWithNamedStagesOnExactlyPinnedBaseImages() {
    List<Instruction> froms = all("FROM");
    Pattern pinned = Pattern.compile("^[a-z0-9./-]+:[0-9][\\w.-]*\\d[\\w.-]*( AS \\w+)?$");

    assertThat(froms).hasSizeGreaterThanOrEqualTo(2);
    for (Instruction from : froms) {
      assertThat(from.arguments()).doesNotContain(":latest").contains(" AS ");
      assertThat(pinned.matcher(from.arguments()).matches())
          .as("%s names an exact version tag", from.arguments())
          .isTrue();
      assertThat(from.arguments().split(" ")[0]).matches(".*:\\d+\\.\\d+\\.\\d+.*");
    }
    assertThat(froms.get(0).arguments()).startsWith("maven:").endsWith(" AS build");
    assertThat(froms.get(froms.size() - 1).arguments()).contains("-jre");
  }

  @Test
  void theBuildStagePackagesTheCliJarWithMaven() {
    String run = all("RUN").get(0).arguments();

    assertThat(run).contains("mvn").contains("-pl tokenscope-cli -am").contains("package");
    assertThat(run).contains("tokenscope-cli/target/tokenscope.jar");
  }

  @Test
  void theRuntimeStageCopiesOnlyTheJarAndRunsAsANonRootUser() {
    List<Instruction> runtime = finalStage();
    List<Instruction> users = runtime.stream().filter(i -> i.keyword().equals("USER")).toList();

    assertThat(users).isNotEmpty();
    String user = users.get(users.size() - 1).arguments().split(":")[0];
    assertThat(user).isNotIn("root", "0");
    assertThat(runtime.stream().filter(i -> i.keyword().equals("COPY")))
        .allSatisfy(
            copy ->
                assertThat(copy.arguments()).startsWith("--from=build").contains("tokenscope.jar"));
    // USER comes before anything that runs the application.
    int userIndex = runtime.indexOf(users.get(users.size() - 1));
    int entrypointIndex = runtime.indexOf(all("ENTRYPOINT").get(0));
    assertThat(userIndex).isLessThan(entrypointIndex);
  }

  @Test
  void itExposesFiveThousandAndRunsTheDemoServer() {
    assertThat(all("EXPOSE")).extracting(Instruction::arguments).containsExactly("5000");
    assertThat(all("ENTRYPOINT").get(0).arguments())
        .isEqualTo("[\"java\", \"-jar\", \"/app/tokenscope.jar\"]");
    assertThat(all("CMD").get(0).arguments()).isEqualTo("[\"demo\", \"--serve\"]");
    assertThat(all("HEALTHCHECK")).hasSize(1);
  }

  @Test
  void theBuildContextIgnoresBuildOutputAndSecrets() {
    String ignore = DeployFiles.read("demo/Dockerfile.dockerignore");

    assertThat(ignore).contains("**/target/").contains("deploy/elastic/.env");
  }
}
