package dev.tokenscope.simulator.internal;

import org.jspecify.annotations.Nullable;

/**
 * An error reply in provider-neutral form; {@link ApiCall#sendError} renders it in the calling
 * provider's JSON shape. Thrown by endpoints on invalid requests.
 */
public final class ApiError extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String type;
  private final @Nullable String param;
  private final @Nullable String code;

  public ApiError(
      int status, String type, String message, @Nullable String param, @Nullable String code) {
    super(message, null, false, false);
    this.status = status;
    this.type = type;
    this.param = param;
    this.code = code;
  }

  /** A 400 {@code invalid_request_error}. */
  public static ApiError invalid(String message) {
    return new ApiError(400, "invalid_request_error", message, null, null);
  }

  /** A 400 {@code invalid_request_error} naming the offending parameter. */
  public static ApiError invalid(String message, String param, @Nullable String code) {
    return new ApiError(400, "invalid_request_error", message, param, code);
  }

  public int status() {
    return status;
  }

  public String type() {
    return type;
  }

  public @Nullable String param() {
    return param;
  }

  public @Nullable String code() {
    return code;
  }
}
