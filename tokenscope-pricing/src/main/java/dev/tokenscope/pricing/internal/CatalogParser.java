package dev.tokenscope.pricing.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads LiteLLM's {@code model_prices_and_context_window.json} with Jackson's streaming parser: one
 * pass, no tree, only the price fields are turned into numbers (exactly, as {@link BigDecimal});
 * every other field is skipped unread. A malformed entry (not an object, a price that is not a
 * non-negative number, a broken {@code tiered_pricing}) is skipped and counted; a document that is
 * not a JSON object, or is cut short, fails as a whole.
 */
public final class CatalogParser {
  /** Keys that describe the format rather than a model. */
  private static final String SAMPLE_SPEC = "sample_spec";

  private static final JsonFactory JSON =
      JsonFactory.builder()
          .streamReadConstraints(
              StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(64).build())
          .build();

  private CatalogParser() {}

  /**
   * Parses a whole document.
   *
   * @throws IllegalArgumentException when the document is not a LiteLLM price file (not JSON, not
   *     an object, truncated)
   * @throws UncheckedIOException when reading fails
   */
  public static CatalogData parse(InputStream in, String source) {
    List<PriceEntry> entries = new ArrayList<>();
    int skipped = 0;
    try (JsonParser p = JSON.createParser(in)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException(
            "not a LiteLLM price file: expected a JSON object of model entries");
      }
      JsonToken token;
      while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        JsonToken value = p.nextToken();
        if (SAMPLE_SPEC.equals(key)) {
          p.skipChildren();
          continue;
        }
        if (value != JsonToken.START_OBJECT) {
          p.skipChildren();
          skipped++;
          continue;
        }
        EntryReader reader = new EntryReader(key);
        reader.read(p);
        if (reader.malformed) {
          skipped++;
        } else if (reader.isModel()) {
          entries.add(reader.toEntry());
        }
      }
      if (token != JsonToken.END_OBJECT) {
        throw new IllegalArgumentException("not a LiteLLM price file: unexpected " + token);
      }
      if (p.nextToken() != null) {
        throw new IllegalArgumentException(
            "not a LiteLLM price file: content after the closing brace at line "
                + p.currentLocation().getLineNr());
      }
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException(
          "not a LiteLLM price file: "
              + e.getOriginalMessage()
              + " at line "
              + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()),
          e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read price file: " + e.getMessage(), e);
    }
    return CatalogData.of(entries, source, skipped);
  }

  /** Reads one entry object; positioned on its START_OBJECT, leaves on its END_OBJECT. */
  private static final class EntryReader {
    private final String key;
    private @Nullable String provider;
    private @Nullable String mode;
    private final Map<String, BigDecimal> rates = new LinkedHashMap<>();
    private final List<PriceEntry.TieredRange> tiers = new ArrayList<>();
    private boolean sawProviderOrPrice;
    boolean malformed;

    EntryReader(String key) {
      this.key = key;
    }

    void read(JsonParser p) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken value = p.nextToken();
        if ("litellm_provider".equals(field)) {
          sawProviderOrPrice = true;
          if (value == JsonToken.VALUE_STRING) {
            provider = p.getText();
          } else {
            malformed = true;
            p.skipChildren();
          }
        } else if ("mode".equals(field)) {
          if (value == JsonToken.VALUE_STRING) {
            mode = p.getText();
          } else {
            p.skipChildren();
          }
        } else if ("tiered_pricing".equals(field)) {
          sawProviderOrPrice = true;
          readTiers(p, value);
        } else if (RateKey.parse(field) != null) {
          sawProviderOrPrice = true;
          BigDecimal rate = readRate(p, value);
          if (rate == null) {
            malformed = true;
          } else {
            rates.put(field, rate);
          }
        } else {
          p.skipChildren();
        }
      }
    }

    private void readTiers(JsonParser p, JsonToken value) throws IOException {
      if (value != JsonToken.START_ARRAY) {
        malformed = true;
        p.skipChildren();
        return;
      }
      JsonToken element;
      while ((element = p.nextToken()) != JsonToken.END_ARRAY) {
        if (element != JsonToken.START_OBJECT) {
          malformed = true;
          p.skipChildren();
          continue;
        }
        long from = -1;
        long to = -1;
        Map<String, BigDecimal> tierRates = new LinkedHashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String field = p.currentName();
          JsonToken v = p.nextToken();
          if ("range".equals(field) && v == JsonToken.START_ARRAY) {
            List<BigDecimal> bounds = new ArrayList<>();
            JsonToken bound;
            while ((bound = p.nextToken()) != JsonToken.END_ARRAY) {
              if (bound.isNumeric()) {
                bounds.add(p.getDecimalValue());
              } else {
                malformed = true;
                p.skipChildren();
              }
            }
            if (bounds.size() == 2) {
              from = bounds.get(0).longValue();
              to = bounds.get(1).longValue();
            }
          } else if (RateKey.parse(field) != null) {
            BigDecimal rate = readRate(p, v);
            if (rate == null) {
              malformed = true;
            } else {
              tierRates.put(field, rate);
            }
          } else {
            p.skipChildren();
          }
        }
        if (from >= 0 && to >= from) {
          tiers.add(new PriceEntry.TieredRange(from, to, tierRates));
        } else if (!tierRates.isEmpty()) {
          malformed = true; // token rates without a usable token range
        }
        // else a tier of something other than tokens (e.g. search results): not ours to price
      }
    }

    private static @Nullable BigDecimal readRate(JsonParser p, JsonToken value) throws IOException {
      if (value == JsonToken.VALUE_NUMBER_FLOAT || value == JsonToken.VALUE_NUMBER_INT) {
        BigDecimal rate = p.getDecimalValue();
        return rate.signum() < 0 ? null : rate;
      }
      p.skipChildren();
      return null;
    }

    /**
     * Format descriptions such as {@code fallback_generalizations} have no provider and no price.
     */
    boolean isModel() {
      return sawProviderOrPrice;
    }

    PriceEntry toEntry() {
      tiers.sort((a, b) -> Long.compare(a.fromTokens(), b.fromTokens()));
      return new PriceEntry(key, provider, mode, rates, tiers, null);
    }
  }
}
