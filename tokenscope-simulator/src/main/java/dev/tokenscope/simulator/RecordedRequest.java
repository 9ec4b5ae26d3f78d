package dev.tokenscope.simulator;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What the simulated provider saw and answered for one HTTP request: the numbers a test compares
 * with what telemetry recorded.
 *
 * <p>Token counts follow the OpenTelemetry convention: {@code inputTokens} includes cache reads and
 * cache writes (for Anthropic it is {@code input_tokens + cache_read_input_tokens +
 * cache_creation_input_tokens}), {@code outputTokens} includes reasoning. Requests that failed (an
 * error status or an injected fault) report zero tokens.
 *
 * @param sequence the simulator-wide request number, from 1
 * @param time when the request arrived, on the simulator's clock
 * @param provider the API the request spoke
 * @param method the HTTP method
 * @param endpoint the request path, e.g. {@code /v1/messages}
 * @param model the requested model, or null when the request had none (e.g. a models list)
 * @param responseModel the model named in the reply (a dated snapshot), or null without a reply
 * @param status the HTTP status sent, or 0 when none was (a hung or cut connection before headers)
 * @param inputTokens prompt tokens, including cache reads and writes
 * @param outputTokens completion tokens, including reasoning
 * @param cacheReadTokens prompt tokens served from the prompt cache
 * @param cacheWriteTokens prompt tokens written to the cache (5-minute plus 1-hour writes)
 * @param cacheWrite1hTokens the part of {@code cacheWriteTokens} written with a 1-hour TTL
 * @param reasoningTokens reasoning / thinking tokens, part of {@code outputTokens}
 * @param fault the injected fault, or null
 * @param streamed whether the reply was (or was to be) streamed as server-sent events
 * @param latency time from the request's arrival until its reply was complete
 * @param retryCount the client's {@code x-stainless-retry-count} header (the official SDKs' retry
 *     attempt), 0 when absent
 * @param requestId the request id header sent back ({@code x-request-id} / {@code request-id})
 * @param responseId the reply's id ({@code chatcmpl-…}, {@code resp_…}, {@code msg_…}), or null
 */
public record RecordedRequest(
    long sequence,
    Instant time,
    Provider provider,
    String method,
    String endpoint,
    @Nullable String model,
    @Nullable String responseModel,
    int status,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWriteTokens,
    long cacheWrite1hTokens,
    long reasoningTokens,
    @Nullable Fault fault,
    boolean streamed,
    Duration latency,
    int retryCount,
    String requestId,
    @Nullable String responseId) {

  public RecordedRequest {
    requireNonNull(time, "time");
    requireNonNull(provider, "provider");
    requireNonNull(method, "method");
    requireNonNull(endpoint, "endpoint");
    requireNonNull(latency, "latency");
    requireNonNull(requestId, "requestId");
  }

  /** Input tokens neither read from nor written to the cache. */
  public long uncachedInputTokens() {
    return inputTokens - cacheReadTokens - cacheWriteTokens;
  }

  /** Whether the request got a 2xx reply without an injected fault. */
  public boolean succeeded() {
    return status >= 200 && status < 300 && fault == null;
  }
}
