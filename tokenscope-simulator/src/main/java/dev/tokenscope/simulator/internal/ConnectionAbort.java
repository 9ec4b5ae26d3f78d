package dev.tokenscope.simulator.internal;

/**
 * Thrown out of the HTTP handler to make the JDK server drop the connection without finishing the
 * reply: the way to cut a stream or a body short (a handler exception closes the socket before the
 * terminating chunk or the remaining bytes are written).
 */
public final class ConnectionAbort extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConnectionAbort(String reason) {
    super(reason, null, false, false);
  }
}
