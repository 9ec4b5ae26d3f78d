package dev.tokenscope.pricing;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Where the prices in use came from and how fresh they are; what {@code tokenscope pricing info}
 * prints.
 *
 * {@snippet :
 * PricingStatus status = pricing.status();
 * System.out.println(status.source() + ", " + status.entries() + " models");
 * }
 *
 * @param source the pricing source, e.g. {@code litellm@2026-07-24T10:00Z}
 * @param entries models in the catalog in use (custom prices included)
 * @param skippedEntries malformed entries left out
 * @param implausibleEntries entries never used because a rate is implausible
 * @param fetchedAt when the prices in use were downloaded (or last confirmed current by the
 *     server), or null for the built-in table, a file, or a fixed catalog
 * @param cacheFile the cache file, or null when prices are fixed
 * @param url the sync URL, or null when prices are fixed
 * @param offline whether syncing is switched off
 * @param lastSync the last sync attempt of this instance, or null
 */
public record PricingStatus(
    String source,
    int entries,
    int skippedEntries,
    int implausibleEntries,
    @Nullable Instant fetchedAt,
    @Nullable Path cacheFile,
    @Nullable URI url,
    boolean offline,
    @Nullable SyncResult lastSync) {

  public PricingStatus {
    requireNonNull(source, "source");
  }
}
