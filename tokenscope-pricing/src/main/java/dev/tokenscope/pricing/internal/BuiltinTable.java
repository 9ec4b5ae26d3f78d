package dev.tokenscope.pricing.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The curated price table shipped in the jar ({@code builtin-prices.json}, LiteLLM format, written
 * by {@code tokenscope-pricing/scripts/refresh-builtin.py} from a LiteLLM snapshot).
 */
public final class BuiltinTable {
  private static final String TABLE = "builtin-prices.json";
  private static final String PROPERTIES = "builtin-prices.properties";

  private BuiltinTable() {}

  /** The date of the LiteLLM snapshot the table was built from, e.g. {@code 2026-07-24}. */
  public static String snapshotDate() {
    Properties properties = new Properties();
    try (InputStream in = open(PROPERTIES)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties.getProperty("snapshot", "unknown");
  }

  public static CatalogData load() {
    try (InputStream in = open(TABLE)) {
      return CatalogParser.parse(in, "builtin@" + snapshotDate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String name) throws IOException {
    InputStream in = BuiltinTable.class.getResourceAsStream(name);
    if (in == null) {
      throw new IOException("missing resource " + name + " (a broken build)");
    }
    return in;
  }
}
