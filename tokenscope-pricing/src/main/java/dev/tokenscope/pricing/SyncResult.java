package dev.tokenscope.pricing;

import static java.util.Objects.requireNonNull;

/**
 * What one price sync did.
 *
 * {@snippet :
 * SyncResult result = pricing.sync();
 * if (result.status() == SyncResult.Status.FAILED) {
 *   System.err.println("prices not refreshed: " + result.message());
 * }
 * }
 *
 * @param status the outcome
 * @param source the pricing source in use afterwards
 * @param entries the number of models in use afterwards
 * @param message one human line: what happened and why
 */
public record SyncResult(Status status, String source, int entries, String message) {

  public SyncResult {
    requireNonNull(status, "status");
    requireNonNull(source, "source");
    requireNonNull(message, "message");
  }

  /** The outcome of a sync. Only {@link #UPDATED} changes prices. */
  public enum Status {
    /** New prices were downloaded, validated, cached and put in use. */
    UPDATED,
    /** The server said the cached prices are current (HTTP 304). */
    NOT_MODIFIED,
    /** A download arrived but failed validation; the previous prices stay. */
    REJECTED,
    /** The server could not be reached or answered with an error; the previous prices stay. */
    FAILED,
    /** Syncing is off (offline, or prices fixed by a file or catalog). */
    DISABLED
  }

  /** Whether the prices in use are known to be current after this sync. */
  public boolean ok() {
    return status == Status.UPDATED || status == Status.NOT_MODIFIED;
  }
}
