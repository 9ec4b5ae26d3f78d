package dev.tokenscope.pricing;

import static java.util.Objects.requireNonNull;

import dev.tokenscope.pricing.internal.BuiltinTable;
import dev.tokenscope.pricing.internal.CatalogData;
import dev.tokenscope.pricing.internal.CatalogParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * An immutable snapshot of model prices in LiteLLM's {@code model_prices_and_context_window.json}
 * format. Unknown fields are ignored; malformed entries are skipped and counted ({@link
 * #skippedEntries()}); entries with a rate above $0.001 per token are kept but never used for
 * pricing ({@link #implausibleEntries()}).
 *
 * {@snippet :
 * PricingCatalog catalog = PricingCatalog.load(Path.of("model_prices_and_context_window.json"));
 * Pricing pricing = Pricing.of(catalog);   // fixed prices, no sync, no threads
 * }
 */
public final class PricingCatalog {
  private static final class Builtin {
    static final PricingCatalog INSTANCE = new PricingCatalog(BuiltinTable.load());
  }

  final CatalogData data;

  PricingCatalog(CatalogData data) {
    this.data = requireNonNull(data, "data");
  }

  /**
   * The small curated table shipped in the jar: the OpenAI, Anthropic, Google and Mistral models
   * teams use most, with cache rates; source {@code builtin@<snapshot date>}.
   */
  public static PricingCatalog builtin() {
    return Builtin.INSTANCE;
  }

  /**
   * Reads a LiteLLM JSON file; source {@code file:<file name>}.
   *
   * @throws UncheckedIOException when the file cannot be read
   * @throws IllegalArgumentException when it is not a LiteLLM price file
   */
  public static PricingCatalog load(Path file) {
    requireNonNull(file, "file");
    try (InputStream in = Files.newInputStream(file)) {
      return parse(in, "file:" + file.getFileName());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read price file " + file + ": " + describe(e), e);
    }
  }

  /**
   * Reads LiteLLM JSON from a stream (not closed) under the given source name.
   *
   * @throws UncheckedIOException when reading fails
   * @throws IllegalArgumentException when it is not a LiteLLM price file
   */
  public static PricingCatalog parse(InputStream json, String source) {
    requireNonNull(json, "json");
    requireNonNull(source, "source");
    return new PricingCatalog(CatalogParser.parse(json, source));
  }

  /** Number of model entries. */
  public int size() {
    return data.size();
  }

  /** Where the prices came from, e.g. {@code litellm@2026-07-24T10:00Z}. */
  public String source() {
    return data.source();
  }

  /** Entries that were malformed and left out. */
  public int skippedEntries() {
    return data.skippedEntries();
  }

  /** Entries kept but never used because a rate is implausible (above $0.001 per token). */
  public int implausibleEntries() {
    return data.implausibleEntries();
  }

  /** The model keys, in the order of the source. */
  public List<String> modelNames() {
    return data.keys();
  }

  /**
   * This catalog with {@code custom}'s entries laid over it field by field (new keys are added);
   * costs priced from an overlaid entry report {@code custom}'s source.
   */
  public PricingCatalog withOverlay(PricingCatalog custom) {
    requireNonNull(custom, "custom");
    return new PricingCatalog(data.overlaidWith(custom.data));
  }

  /** The same entries under another source name (nothing is re-read). */
  public PricingCatalog withSource(String source) {
    requireNonNull(source, "source");
    return new PricingCatalog(data.withSource(source));
  }

  @Override
  public String toString() {
    return "PricingCatalog{" + source() + ", " + size() + " models}";
  }

  static String describe(Exception e) {
    String message = e.getMessage();
    String type = e.getClass().getSimpleName();
    return message == null || message.isBlank() ? type : type + ": " + message;
  }
}
