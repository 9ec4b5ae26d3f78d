package dev.tokenscope.simulator;

/**
 * A failure the simulator can inject instead of a normal reply, by rate ({@link FaultRule}) or on
 * demand ({@link LlmSimulator#failNext(int, Fault)}).
 *
 * <pre>{@code
 * sim.failNext(2, Fault.RATE_LIMIT); // the next two requests get 429 with retry-after
 * }</pre>
 */
public enum Fault {
  /** HTTP 429 with the provider's rate-limit error body and {@code retry-after} headers. */
  RATE_LIMIT(429),
  /** HTTP 500 with the provider's server-error body. */
  SERVER_ERROR(500),
  /** HTTP 503 with the provider's service-unavailable body. */
  SERVICE_UNAVAILABLE(503),
  /**
   * Anthropic's HTTP 529 {@code overloaded_error}. OpenAI has no 529: its requests get 503 with
   * OpenAI's "server is overloaded" body instead.
   */
  OVERLOADED(529),
  /**
   * The request is accepted and never answered; after the simulator's hang duration the connection
   * is dropped. Clients with a shorter timeout see a timeout.
   */
  HANG(0),
  /**
   * The reply starts and the connection is dropped half-way: mid-stream for streaming requests,
   * mid-body (short of the announced {@code Content-Length}) otherwise.
   */
  STREAM_CUT(200),
  /** HTTP 200 whose body (or one streamed event) is not valid JSON. */
  MALFORMED_BODY(200);

  private final int status;

  Fault(int status) {
    this.status = status;
  }

  /** The HTTP status this fault answers with, or 0 when no status line is ever sent. */
  public int status() {
    return status;
  }
}
