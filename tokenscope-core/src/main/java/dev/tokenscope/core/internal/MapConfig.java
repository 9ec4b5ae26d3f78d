package dev.tokenscope.core.internal;

import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigurationException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Configuration read the way OpenTelemetry's autoconfigure reads it, for {@code
 * TokenScope.install(..)} where no autoconfigure runs: explicit properties first, then system
 * properties, then environment variables ({@code TOKENSCOPE_TRACE_CONTENT} is {@code
 * tokenscope.trace.content}). Values that can't be parsed fail with a {@link
 * ConfigurationException} naming the key.
 */
final class MapConfig implements ConfigProperties {

  private final Map<String, String> values;

  private MapConfig(Map<String, String> values) {
    this.values = values;
  }

  /** Environment, overridden by system properties, overridden by {@code explicit}. */
  static ConfigProperties of(Map<String, String> explicit) {
    Map<String, String> values = new LinkedHashMap<>();
    System.getenv().forEach((k, v) -> values.put(normalise(k), v));
    System.getProperties()
        .forEach((k, v) -> values.put(normalise(String.valueOf(k)), String.valueOf(v)));
    explicit.forEach((k, v) -> values.put(normalise(k), v));
    return new MapConfig(values);
  }

  private static String normalise(String key) {
    return key.toLowerCase(Locale.ROOT).replace('_', '.').replace('-', '.');
  }

  @Override
  public @Nullable String getString(String name) {
    String value = values.get(normalise(name));
    return value == null || value.isBlank() ? null : value.strip();
  }

  @Override
  public @Nullable Boolean getBoolean(String name) {
    String value = getString(name);
    if (value == null) {
      return null;
    }
    if (value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw invalid(name, value, "true or false");
  }

  @Override
  public @Nullable Integer getInt(String name) {
    String value = getString(name);
    if (value == null) {
      return null;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw invalid(name, value, "an integer");
    }
  }

  @Override
  public @Nullable Long getLong(String name) {
    String value = getString(name);
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw invalid(name, value, "an integer");
    }
  }

  @Override
  public @Nullable Double getDouble(String name) {
    String value = getString(name);
    if (value == null) {
      return null;
    }
    try {
      return Double.parseDouble(value);
    } catch (NumberFormatException e) {
      throw invalid(name, value, "a number");
    }
  }

  @Override
  public @Nullable Duration getDuration(String name) {
    String value = getString(name);
    if (value == null) {
      return null;
    }
    String lower = value.toLowerCase(Locale.ROOT);
    int unitStart = 0;
    while (unitStart < lower.length() && Character.isDigit(lower.charAt(unitStart))) {
      unitStart++;
    }
    if (unitStart == 0) {
      throw invalid(name, value, "a duration such as 500ms, 5s, 1m");
    }
    long amount;
    try {
      amount = Long.parseLong(lower.substring(0, unitStart));
    } catch (NumberFormatException e) {
      throw invalid(name, value, "a duration such as 500ms, 5s, 1m");
    }
    switch (lower.substring(unitStart).strip()) {
      case "":
      case "ms":
        return Duration.ofMillis(amount);
      case "us":
        return Duration.ofNanos(amount * 1000);
      case "ns":
        return Duration.ofNanos(amount);
      case "s":
        return Duration.ofSeconds(amount);
      case "m":
        return Duration.ofMinutes(amount);
      case "h":
        return Duration.ofHours(amount);
      case "d":
        return Duration.ofDays(amount);
      default:
        throw invalid(name, value, "a duration such as 500ms, 5s, 1m");
    }
  }

  @Override
  public List<String> getList(String name) {
    String value = getString(name);
    if (value == null) {
      return Collections.emptyList();
    }
    List<String> out = new ArrayList<>();
    for (String part : value.split(",")) {
      if (!part.isBlank()) {
        out.add(part.strip());
      }
    }
    return out;
  }

  @Override
  public Map<String, String> getMap(String name) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String entry : getList(name)) {
      int eq = entry.indexOf('=');
      if (eq <= 0) {
        throw invalid(name, entry, "key=value pairs separated by commas");
      }
      out.put(entry.substring(0, eq).strip(), entry.substring(eq + 1).strip());
    }
    return out;
  }

  private static ConfigurationException invalid(String name, String value, String expected) {
    return new ConfigurationException(
        "Invalid value for property " + name + "=" + value + ": expected " + expected);
  }
}
