package dev.tokenscope.console.internal;

/** A request body that is not valid OTLP; the message says why and is safe to return to clients. */
public final class OtlpDecodeException extends Exception {
  private static final long serialVersionUID = 1L;

  public OtlpDecodeException(String message) {
    super(message);
  }
}
