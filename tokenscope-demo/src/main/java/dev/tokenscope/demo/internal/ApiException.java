package dev.tokenscope.demo.internal;

import org.jspecify.annotations.Nullable;

/**
 * A request the service answers with an error body: 400 and 413 for bad input ({@code {"error":
 * "..."}} naming the field), 500 when a provider failed for good ({@code {"error", "details"}}).
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final @Nullable String details;

  private ApiException(
      int status, String message, @Nullable String details, @Nullable Throwable cause) {
    super(message, cause);
    this.status = status;
    this.details = details;
  }

  /** 400 with a message that names the field. */
  public static ApiException badRequest(String message) {
    return new ApiException(400, message, null, null);
  }

  /** 413: the body is larger than the service accepts. */
  public static ApiException tooLarge(long limitBytes) {
    return new ApiException(
        413, "request body too large: the limit is " + limitBytes + " bytes", null, null);
  }

  /** 404 for an unknown path. */
  public static ApiException notFound(String path) {
    return new ApiException(404, "no such endpoint: " + path, null, null);
  }

  /** 405 for a known path with the wrong method. */
  public static ApiException methodNotAllowed(String method, String path, String allowed) {
    return new ApiException(
        405, method + " is not allowed on " + path + "; use " + allowed, null, null);
  }

  /** 500 after a provider failed for good. */
  public static ApiException failed(String message, Throwable cause) {
    return new ApiException(500, message, describe(cause), cause);
  }

  public int status() {
    return status;
  }

  public @Nullable String details() {
    return details;
  }

  /** A one-line description of a failure, without a stack trace. */
  public static String describe(Throwable error) {
    Throwable t = error;
    while ((t instanceof java.util.concurrent.CompletionException
            || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage();
    String kind = t.getClass().getSimpleName();
    return message == null || message.isBlank() ? kind : kind + ": " + message;
  }
}
