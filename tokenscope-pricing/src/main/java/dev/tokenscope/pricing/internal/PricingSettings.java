package dev.tokenscope.pricing.internal;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Reads pricing settings from system properties ({@code tokenscope.pricing.*}, which win) and
 * environment variables ({@code TOKENSCOPE_PRICING_*}). A malformed value is logged once and
 * ignored: configuration never stops an application.
 */
public final class PricingSettings {
  private static final Logger logger = Logger.getLogger(PricingSettings.class.getName());

  public static final String URL = "url";
  public static final String FILE = "file";
  public static final String CACHE_DIR = "cache.dir";
  public static final String MAX_AGE = "max.age";
  public static final String REFRESH_INTERVAL = "refresh.interval";
  public static final String CUSTOM_FILE = "custom.file";
  public static final String ALIASES = "aliases";
  public static final String OFFLINE = "offline";
  public static final String TIMEOUT = "timeout";

  private final Function<String, @Nullable String> env;
  private final Properties properties;

  public PricingSettings(Function<String, @Nullable String> env, Properties properties) {
    this.env = env;
    this.properties = properties;
  }

  public static PricingSettings fromSystem() {
    return new PricingSettings(System::getenv, System.getProperties());
  }

  /** {@code cache.dir} → {@code tokenscope.pricing.cache.dir}. */
  public static String propertyName(String setting) {
    return "tokenscope.pricing." + setting;
  }

  /** {@code cache.dir} → {@code TOKENSCOPE_PRICING_CACHE_DIR}. */
  public static String envName(String setting) {
    return "TOKENSCOPE_PRICING_" + setting.replace('.', '_').toUpperCase(Locale.ROOT);
  }

  public @Nullable String get(String setting) {
    String value = properties.getProperty(propertyName(setting));
    if (value == null) {
      value = env.apply(envName(setting));
    }
    return value == null || value.isBlank() ? null : value.trim();
  }

  public @Nullable URI uri(String setting) {
    String value = get(setting);
    if (value == null) {
      return null;
    }
    try {
      URI uri = URI.create(value);
      String scheme = uri.getScheme();
      if (scheme == null
          || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      ignored(setting, value, "expected an http(s) URL");
      return null;
    }
  }

  public @Nullable Path path(String setting) {
    String value = get(setting);
    try {
      return value == null ? null : Path.of(value);
    } catch (IllegalArgumentException e) {
      ignored(setting, value, "expected a file path");
      return null;
    }
  }

  public @Nullable Duration duration(String setting) {
    String value = get(setting);
    if (value == null) {
      return null;
    }
    try {
      return parseDuration(value);
    } catch (IllegalArgumentException e) {
      ignored(setting, value, e.getMessage());
      return null;
    }
  }

  public @Nullable Boolean bool(String setting) {
    String value = get(setting);
    if (value == null) {
      return null;
    }
    switch (value.toLowerCase(Locale.ROOT)) {
      case "true":
      case "yes":
      case "1":
      case "on":
        return true;
      case "false":
      case "no":
      case "0":
      case "off":
        return false;
      default:
        ignored(setting, value, "expected true or false");
        return null;
    }
  }

  public Map<String, String> aliases() {
    String value = get(ALIASES);
    if (value == null) {
      return Map.of();
    }
    try {
      return parseAliases(value);
    } catch (IllegalArgumentException e) {
      ignored(ALIASES, value, e.getMessage());
      return Map.of();
    }
  }

  /**
   * {@code my-gpt4o-prod=gpt-4o,fast=gpt-4o-mini} (commas or semicolons).
   *
   * @throws IllegalArgumentException naming the first malformed pair
   */
  public static Map<String, String> parseAliases(String value) {
    Map<String, String> aliases = new LinkedHashMap<>();
    for (String pair : value.split("[,;]")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1 || pair.substring(eq + 1).isBlank()) {
        throw new IllegalArgumentException(
            "alias '" + pair.trim() + "' is not of the form deployment=model");
      }
      aliases.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
    }
    return aliases;
  }

  /**
   * {@code 24h}, {@code 30m}, {@code 45s}, {@code 2d}, {@code 500ms}, ISO-8601 ({@code PT24H}), or
   * a plain number of seconds.
   *
   * @throws IllegalArgumentException for anything else, or a negative or zero duration
   */
  public static Duration parseDuration(String value) {
    String v = value.trim().toLowerCase(Locale.ROOT);
    Duration d;
    try {
      if (v.startsWith("p")) {
        d = Duration.parse(v.toUpperCase(Locale.ROOT));
      } else if (v.endsWith("ms")) {
        d = Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2).trim()));
      } else if (v.endsWith("s")) {
        d = Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1).trim()));
      } else if (v.endsWith("m")) {
        d = Duration.ofMinutes(Long.parseLong(v.substring(0, v.length() - 1).trim()));
      } else if (v.endsWith("h")) {
        d = Duration.ofHours(Long.parseLong(v.substring(0, v.length() - 1).trim()));
      } else if (v.endsWith("d")) {
        d = Duration.ofDays(Long.parseLong(v.substring(0, v.length() - 1).trim()));
      } else {
        d = Duration.ofSeconds(Long.parseLong(v));
      }
    } catch (NumberFormatException | DateTimeParseException e) {
      throw new IllegalArgumentException("expected a duration such as 24h, 30m or PT1H");
    }
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("expected a positive duration");
    }
    return d;
  }

  private static void ignored(String setting, String value, @Nullable String why) {
    logger.log(
        Level.WARNING,
        "TokenScope pricing: ignoring {0}={1} ({2})",
        new Object[] {propertyName(setting), value, why});
  }
}
