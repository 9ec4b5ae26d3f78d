package dev.tokenscope.simulator.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import dev.tokenscope.simulator.Fault;
import dev.tokenscope.simulator.Provider;
import dev.tokenscope.simulator.RecordedRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request in flight: writes replies in the calling provider's shapes and headers, applies
 * the injected fault to the reply, and records the request in the log exactly once.
 */
public final class ApiCall {

  private static final String OPENAI_ORGANIZATION = "user-tokenscope-simulator";
  private static final String OPENAI_PROJECT = "proj_TokenScopeSimulator";
  private static final String ANTHROPIC_ORGANIZATION = "4f2a6c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b";

  private final Simulation sim;
  private final HttpExchange exchange;
  private final Provider provider;
  private final long sequence;
  private final Instant time;
  private final long startNanos;
  private final String requestId;
  private final Ids ids;
  private final int retryCount;

  private @Nullable String model;
  private @Nullable String responseModel;
  private @Nullable String responseId;
  private boolean streamed;
  private @Nullable Fault fault;
  private long inputTokens;
  private long outputTokens;
  private long cacheReadTokens;
  private long cacheWriteTokens;
  private long cacheWrite1hTokens;
  private long reasoningTokens;
  private int status;
  private boolean recorded;

  public ApiCall(Simulation sim, HttpExchange exchange, Provider provider, long sequence) {
    this.sim = sim;
    this.exchange = exchange;
    this.provider = provider;
    this.sequence = sequence;
    this.time = sim.clock().instant();
    this.startNanos = System.nanoTime();
    this.ids = new Ids(Seeds.random(sim.seed(), "ids", sequence));
    this.requestId = provider == Provider.OPENAI ? ids.hex("req_", 32) : ids.base62("req_011C", 20);
    this.retryCount =
        parseRetryCount(exchange.getRequestHeaders().getFirst("x-stainless-retry-count"));
  }

  public Simulation sim() {
    return sim;
  }

  public Provider provider() {
    return provider;
  }

  public long sequence() {
    return sequence;
  }

  public Ids ids() {
    return ids;
  }

  public Instant time() {
    return time;
  }

  public String path() {
    return exchange.getRequestURI().getPath();
  }

  public Headers requestHeaders() {
    return exchange.getRequestHeaders();
  }

  public @Nullable Fault fault() {
    return fault;
  }

  public void model(@Nullable String requested, @Nullable String reported) {
    this.model = requested;
    this.responseModel = reported;
  }

  public void streamed(boolean streamed) {
    this.streamed = streamed;
  }

  public void responseId(String id) {
    this.responseId = id;
  }

  /** Records token usage; {@code input} includes cache reads and writes. */
  public void usage(
      long input, long output, long cacheRead, long cacheWrite, long cacheWrite1h, long reasoning) {
    this.inputTokens = input;
    this.outputTokens = output;
    this.cacheReadTokens = cacheRead;
    this.cacheWriteTokens = cacheWrite;
    this.cacheWrite1hTokens = cacheWrite1h;
    this.reasoningTokens = reasoning;
  }

  /**
   * Decides whether this request fails, and answers right away for the faults that replace the
   * reply (429, 5xx, hang). Returns true when the request has been answered that way. {@link
   * Fault#STREAM_CUT} and {@link Fault#MALFORMED_BODY} are applied later, while the reply is
   * written.
   */
  public boolean injectFault() throws IOException {
    Fault decided = sim.faults().decide(provider, model, sequence);
    if (decided == null) {
      return false;
    }
    this.fault = decided;
    switch (decided) {
      case RATE_LIMIT:
        sendRateLimited();
        return true;
      case SERVER_ERROR:
        sendError(
            provider == Provider.OPENAI
                ? new ApiError(
                    500,
                    "server_error",
                    "The server had an error while processing your request. Sorry about that!",
                    null,
                    null)
                : new ApiError(500, "api_error", "Internal server error", null, null));
        return true;
      case SERVICE_UNAVAILABLE:
        sendError(
            provider == Provider.OPENAI
                ? new ApiError(503, "server_error", "Service Unavailable.", null, null)
                : new ApiError(503, "api_error", "Service Unavailable", null, null));
        return true;
      case OVERLOADED:
        sendError(
            provider == Provider.OPENAI
                ? new ApiError(
                    503,
                    "server_error",
                    "The server is overloaded or not ready yet.",
                    null,
                    "server_overloaded")
                : new ApiError(529, "overloaded_error", "Overloaded", null, null));
        return true;
      case HANG:
        status = 0;
        record();
        sim.hang();
        throw new ConnectionAbort("injected hang");
      default:
        return false;
    }
  }

  private void sendRateLimited() throws IOException {
    Duration retryAfter = sim.retryAfter();
    Headers headers = exchange.getResponseHeaders();
    long millis = retryAfter.toMillis();
    String seconds =
        millis % 1000 == 0
            ? Long.toString(millis / 1000)
            : String.format(Locale.ROOT, "%.3f", millis / 1000.0);
    headers.set("retry-after", seconds);
    String modelName = model == null ? "this model" : model;
    if (provider == Provider.OPENAI) {
      headers.set("retry-after-ms", Long.toString(millis));
      headers.set("x-ratelimit-remaining-requests", "0");
      sendError(
          new ApiError(
              429,
              "requests",
              "Rate limit reached for "
                  + modelName
                  + " in organization org-tokenscope on requests per min (RPM): Limit 500, Used 500, Requested 1. Please try again in "
                  + millis
                  + "ms. Visit https://platform.openai.com/account/rate-limits to learn more.",
              null,
              "rate_limit_exceeded"));
    } else {
      headers.set("anthropic-ratelimit-requests-remaining", "0");
      sendError(
          new ApiError(
              429,
              "rate_limit_error",
              "This request would exceed the rate limit for your organization ("
                  + ANTHROPIC_ORGANIZATION
                  + ") of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see the response headers for current usage. Please reduce the prompt length or the maximum tokens requested, or try again later. You may also contact sales at https://www.anthropic.com/contact-sales to discuss your options for a rate limit increase.",
              null,
              null));
    }
  }

  /** Writes a JSON reply, corrupting or cutting it when that fault was injected. */
  public void sendJson(int httpStatus, JsonNode body) throws IOException {
    byte[] bytes = write(body);
    if (httpStatus == 200 && fault == Fault.MALFORMED_BODY) {
      // A body cut inside a string, with the bytes after it lost: no JSON parser accepts it.
      bytes =
          (new String(bytes, 0, bytes.length / 2, StandardCharsets.UTF_8)
                  + "\u0000<html>502 Bad Gateway")
              .getBytes(StandardCharsets.UTF_8);
    }
    this.status = httpStatus;
    providerHeaders();
    exchange.getResponseHeaders().set("content-type", "application/json");
    record();
    if (httpStatus == 200 && fault == Fault.STREAM_CUT) {
      exchange.sendResponseHeaders(httpStatus, bytes.length);
      OutputStream out = exchange.getResponseBody();
      out.write(bytes, 0, bytes.length / 2);
      out.flush();
      throw new ConnectionAbort("injected cut");
    }
    exchange.sendResponseHeaders(httpStatus, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Writes {@code error} in the provider's error shape. */
  public void sendError(ApiError error) throws IOException {
    ObjectNode body = Simulation.JSON.createObjectNode();
    if (provider == Provider.OPENAI) {
      ObjectNode e = body.putObject("error");
      e.put("message", error.getMessage());
      e.put("type", error.type());
      e.put("param", error.param());
      e.put("code", error.code());
    } else {
      body.put("type", "error");
      ObjectNode e = body.putObject("error");
      e.put("type", error.type());
      e.put("message", error.getMessage());
      body.put("request_id", requestId);
    }
    if (error.status() == 405) {
      exchange.getResponseHeaders().set("allow", allowed());
    }
    // An error reply is never corrupted: the fault (if any) is the error itself.
    Fault injected = fault;
    if (injected == Fault.MALFORMED_BODY || injected == Fault.STREAM_CUT) {
      fault = null;
    }
    usage(0, 0, 0, 0, 0, 0);
    sendJson(error.status(), body);
    fault = injected;
  }

  /**
   * Streams {@code events} as server-sent events with their pacing. A {@link Fault#STREAM_CUT}
   * drops the connection half-way; a {@link Fault#MALFORMED_BODY} replaces the middle event's data
   * with broken JSON. The request is recorded before the last event is written.
   */
  public void stream(List<SseEvent> events) throws IOException {
    this.status = 200;
    providerHeaders();
    Headers headers = exchange.getResponseHeaders();
    headers.set("content-type", "text/event-stream; charset=utf-8");
    headers.set("cache-control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    OutputStream out = exchange.getResponseBody();
    int cutAt = fault == Fault.STREAM_CUT ? Math.max(1, events.size() / 2) : -1;
    int corruptAt = fault == Fault.MALFORMED_BODY ? events.size() / 2 : -1;
    for (int i = 0; i < events.size(); i++) {
      SseEvent event = events.get(i);
      sim.pause(event.delayNanos());
      if (i == cutAt) {
        record();
        out.flush();
        throw new ConnectionAbort("injected stream cut");
      }
      if (i == events.size() - 1) {
        record();
      }
      if (i == corruptAt) {
        String data = event.data();
        event = new SseEvent(event.name(), data.substring(0, data.length() / 2) + "\",,}", 0);
      }
      out.write(event.bytes());
      // Flush when the model pauses next, so paced events leave one by one; at speed 0 the
      // events share TCP writes, as a fast server's would.
      boolean pauseNext = i + 1 < events.size() && events.get(i + 1).delayNanos() > 0;
      if (pauseNext) {
        out.flush();
      }
    }
    out.close();
  }

  /** Adds this request to the log, once; later calls do nothing. */
  public void record() {
    if (recorded) {
      return;
    }
    recorded = true;
    boolean failed =
        status < 200
            || status >= 300
            || (fault != null && fault != Fault.MALFORMED_BODY && fault != Fault.STREAM_CUT);
    sim.record(
        new RecordedRequest(
            sequence,
            time,
            provider,
            exchange.getRequestMethod(),
            path(),
            model,
            failed ? null : responseModel,
            status,
            failed ? 0 : inputTokens,
            failed ? 0 : outputTokens,
            failed ? 0 : cacheReadTokens,
            failed ? 0 : cacheWriteTokens,
            failed ? 0 : cacheWrite1hTokens,
            failed ? 0 : reasoningTokens,
            fault,
            streamed,
            Duration.ofNanos(System.nanoTime() - startNanos),
            retryCount,
            requestId,
            failed ? null : responseId));
  }

  private void providerHeaders() {
    Headers headers = exchange.getResponseHeaders();
    if (provider == Provider.OPENAI) {
      headers.set("x-request-id", requestId);
      headers.set("openai-version", "2020-10-01");
      headers.set("openai-organization", OPENAI_ORGANIZATION);
      headers.set("openai-project", OPENAI_PROJECT);
      headers.set("openai-processing-ms", Long.toString(elapsedMillis()));
      headers.set("x-ratelimit-limit-requests", "10000");
      headers.set("x-ratelimit-limit-tokens", "10000000");
      if (!headers.containsKey("x-ratelimit-remaining-requests")) {
        headers.set("x-ratelimit-remaining-requests", "9999");
      }
      headers.set(
          "x-ratelimit-remaining-tokens", Long.toString(Math.max(0, 10_000_000 - inputTokens)));
      headers.set("x-ratelimit-reset-requests", "6ms");
      headers.set("x-ratelimit-reset-tokens", "0s");
    } else {
      headers.set("request-id", requestId);
      headers.set("anthropic-organization-id", ANTHROPIC_ORGANIZATION);
      String reset =
          DateTimeFormatter.ISO_INSTANT.format(
              time.plusSeconds(1).truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
      if (!headers.containsKey("anthropic-ratelimit-requests-remaining")) {
        headers.set("anthropic-ratelimit-requests-remaining", "3999");
      }
      headers.set("anthropic-ratelimit-requests-limit", "4000");
      headers.set("anthropic-ratelimit-requests-reset", reset);
      headers.set("anthropic-ratelimit-input-tokens-limit", "2000000");
      headers.set(
          "anthropic-ratelimit-input-tokens-remaining",
          Long.toString(Math.max(0, 2_000_000 - inputTokens)));
      headers.set("anthropic-ratelimit-input-tokens-reset", reset);
      headers.set("anthropic-ratelimit-output-tokens-limit", "400000");
      headers.set("anthropic-ratelimit-output-tokens-remaining", "400000");
      headers.set("anthropic-ratelimit-output-tokens-reset", reset);
      headers.set("anthropic-ratelimit-tokens-limit", "2400000");
      headers.set(
          "anthropic-ratelimit-tokens-remaining",
          Long.toString(Math.max(0, 2_400_000 - inputTokens)));
      headers.set("anthropic-ratelimit-tokens-reset", reset);
    }
  }

  private String allowed() {
    String path = path();
    return path.endsWith("/models") || path.contains("/models/") ? "GET" : "POST";
  }

  private long elapsedMillis() {
    return Duration.ofNanos(System.nanoTime() - startNanos).toMillis();
  }

  private static byte[] write(JsonNode body) {
    try {
      return Simulation.JSON.writeValueAsBytes(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a JSON tree", e);
    }
  }

  private static int parseRetryCount(@Nullable String header) {
    if (header == null) {
      return 0;
    }
    try {
      return Integer.parseInt(header.trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
