package dev.tokenscope.deploy.elastic;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** The files under deploy/elastic, read the way Docker Compose and the Collector read them. */
final class DeployFiles {

  /** deploy/elastic: surefire runs tests with the module directory as working directory. */
  static final Path DIR = locate();

  /** A ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?error} or ${VAR?error} reference. */
  private static final Pattern COMPOSE_VARIABLE =
      Pattern.compile("(?<!\\$)\\$\\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?])([^}]*))?}");

  private static Path locate() {
    Path here = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
    if (Files.isRegularFile(here.resolve("docker-compose.yml"))) {
      return here;
    }
    Path fromRoot = here.resolve("deploy/elastic");
    if (Files.isRegularFile(fromRoot.resolve("docker-compose.yml"))) {
      return fromRoot;
    }
    throw new IllegalStateException("cannot find deploy/elastic from " + here);
  }

  static Path path(String relative) {
    return DIR.resolve(relative);
  }

  static String read(String relative) {
    try {
      return Files.readString(path(relative), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Map<String, Object> yaml(String relative) {
    return yamlText(read(relative));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> yamlText(String text) {
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    return (Map<String, Object>) yaml.load(text);
  }

  /** The variables a compose file references, with the default each one has (or null). */
  static Map<String, String> composeVariables(String text) {
    Map<String, String> variables = new LinkedHashMap<>();
    Matcher matcher = COMPOSE_VARIABLE.matcher(text);
    while (matcher.find()) {
      String name = matcher.group(1);
      String operator = matcher.group(2);
      String defaultValue = operator != null && operator.endsWith("-") ? matcher.group(3) : null;
      variables.merge(
          name, defaultValue == null ? "" : defaultValue, (a, b) -> a.isEmpty() ? b : a);
    }
    return variables;
  }

  /** Replaces ${VAR...} the way compose does, from the given values or the reference's default. */
  static String interpolate(String text, Map<String, String> values) {
    Matcher matcher = COMPOSE_VARIABLE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (matcher.find()) {
      String value = values.get(matcher.group(1));
      if (value == null || value.isEmpty() && ":-".equals(matcher.group(2))) {
        String operator = matcher.group(2);
        value = operator != null && operator.endsWith("-") ? matcher.group(3) : "";
      }
      matcher.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    matcher.appendTail(out);
    return out.toString();
  }

  /** KEY=value lines of an env file, in order; comments and blank lines skipped. */
  static Map<String, String> envFile(String relative) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : read(relative).split("\n")) {
      String trimmed = line.strip();
      if (trimmed.isEmpty() || trimmed.startsWith("#")) {
        continue;
      }
      int eq = trimmed.indexOf('=');
      if (eq <= 0) {
        throw new IllegalStateException(relative + ": not KEY=value: " + line);
      }
      values.put(trimmed.substring(0, eq), trimmed.substring(eq + 1));
    }
    return values;
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  static List<Object> list(Object value) {
    return value instanceof List<?> l ? (List<Object>) l : List.of();
  }

  private DeployFiles() {}
}
