package dev.tokenscope.console.internal;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsPartialSuccess;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceResponse;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.jspecify.annotations.Nullable;

/**
 * {@code POST /v1/traces} and {@code POST /v1/metrics}, as the OTLP/HTTP specification describes:
 * protobuf or JSON bodies, optionally gzip-compressed; 200 with an export response (with {@code
 * partial_success} when items were rejected), 400 for undecodable bodies, 413 beyond the size limit
 * (compressed or decompressed), 415 for other media types or encodings, 503 with {@code
 * Retry-After} when the write queue is full. Error bodies are {@code google.rpc.Status} in the
 * request's encoding.
 */
public final class OtlpHandler implements HttpHandler {

  private static final Logger logger = Logger.getLogger(OtlpHandler.class.getName());

  /** Which signal this handler receives. */
  public enum Signal {
    TRACES,
    METRICS
  }

  /** Journal record kinds: the payload is an {@code Export*ServiceRequest} in protobuf. */
  public static final byte JOURNAL_TRACES = 1;

  public static final byte JOURNAL_METRICS = 2;

  /** How much of a refused body is read and dropped before answering 413. */
  private static final long DRAIN_LIMIT = 64L * 1024 * 1024;

  private final Signal signal;
  private final SpanMapper spanMapper;
  private final IngestPipeline pipeline;
  private final Auth auth;
  private final int maxBodyBytes;
  private final long commitTimeoutMillis;
  private final AtomicLong badRequests;

  public OtlpHandler(
      Signal signal,
      SpanMapper spanMapper,
      IngestPipeline pipeline,
      Auth auth,
      int maxBodyBytes,
      long commitTimeoutMillis,
      AtomicLong badRequests) {
    this.signal = signal;
    this.spanMapper = spanMapper;
    this.pipeline = pipeline;
    this.auth = auth;
    this.maxBodyBytes = maxBodyBytes;
    this.commitTimeoutMillis = commitTimeoutMillis;
    this.badRequests = badRequests;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      handleRequest(exchange);
    } catch (IOException e) {
      // The client went away mid-request; nothing was acknowledged.
      logger.log(Level.FINE, "OTLP request aborted", e);
      exchange.close();
    } catch (RuntimeException e) {
      logger.log(Level.WARNING, "OTLP request failed", e);
      error(exchange, false, 500, 13, "internal error: " + e.getClass().getSimpleName());
    }
  }

  private void handleRequest(HttpExchange exchange) throws IOException {
    String mediaType = Http.mediaType(exchange.getRequestHeaders().getFirst("Content-Type"));
    boolean json = Http.JSON.equals(mediaType);
    if (!auth.ingestAllowed(exchange)) {
      exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      error(exchange, json, 401, 16, "missing or wrong bearer token");
      return;
    }
    if (!"POST".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "POST");
      error(exchange, json, 405, 12, "use POST");
      return;
    }
    if (!json && !Http.PROTOBUF.equals(mediaType)) {
      badRequests.incrementAndGet();
      error(
          exchange,
          false,
          415,
          3,
          "unsupported Content-Type '"
              + mediaType
              + "'; send application/x-protobuf or application/json");
      return;
    }
    String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
    encoding = encoding == null ? "" : encoding.trim().toLowerCase(Locale.ROOT);
    boolean gzip = "gzip".equals(encoding);
    if (!gzip && !encoding.isEmpty() && !"identity".equals(encoding)) {
      badRequests.incrementAndGet();
      error(exchange, json, 415, 3, "unsupported Content-Encoding '" + encoding + "'; use gzip");
      return;
    }
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = Http.readBody(in, Http.contentLength(exchange), maxBodyBytes);
      if (body == null) {
        badRequests.incrementAndGet();
        // Drain a bounded amount so the client sees the 413 rather than a reset; beyond that the
        // connection is closed.
        Http.discard(in, DRAIN_LIMIT);
        exchange.getResponseHeaders().set("Connection", "close");
        error(exchange, json, 413, 8, "request body exceeds " + maxBodyBytes + " bytes");
        return;
      }
    }
    if (pipeline.saturated()) {
      // Refused before inflating and decoding it: that work would be wasted while the writer lags.
      busy(exchange, json);
      return;
    }
    if (gzip) {
      try {
        body = gunzip(body, maxBodyBytes);
      } catch (ZipException | EOFException e) {
        badRequests.incrementAndGet();
        error(exchange, json, 400, 3, "invalid gzip body: " + e.getMessage());
        return;
      }
      if (body == null) {
        badRequests.incrementAndGet();
        error(
            exchange, json, 413, 8, "decompressed request body exceeds " + maxBodyBytes + " bytes");
        return;
      }
    }
    if (signal == Signal.TRACES) {
      receiveTraces(exchange, json, body);
    } else {
      receiveMetrics(exchange, json, body);
    }
  }

  /** Parses a body in one encoding; both throw on undecodable input. */
  private interface Decoder<T> {
    T decode(byte[] body) throws IOException, OtlpDecodeException;
  }

  /** Decodes the body, or answers 400 and returns null. */
  private <T> T decode(
      HttpExchange exchange, boolean json, byte[] body, Decoder<T> fromJson, Decoder<T> fromProto)
      throws IOException {
    try {
      return json ? fromJson.decode(body) : fromProto.decode(body);
    } catch (InvalidProtocolBufferException e) {
      badRequests.incrementAndGet();
      error(exchange, json, 400, 3, "invalid OTLP protobuf: " + e.getMessage());
    } catch (OtlpDecodeException e) {
      badRequests.incrementAndGet();
      error(exchange, json, 400, 3, e.getMessage());
    }
    return null;
  }

  private void receiveTraces(HttpExchange exchange, boolean json, byte[] body) throws IOException {
    ExportTraceServiceRequest request =
        decode(exchange, json, body, OtlpJson::traces, ExportTraceServiceRequest::parseFrom);
    if (request == null) {
      return;
    }
    SpanMapper.Check result;
    CompletableFuture<Void> stored;
    if (pipeline.journaled()) {
      // The loader builds the rows from the request's protobuf (the journal record), shortly
      // before writing them: queued batches are then compact byte arrays rather than many small
      // row objects that live for seconds (young collections kept copying them, in long pauses).
      result = SpanMapper.check(request);
      byte[] payload = json ? request.toByteArray() : body;
      stored = pipeline.submitPayload(result.accepted(), JOURNAL_TRACES, payload);
    } else {
      // In memory a batch is acknowledged on commit, so a sender's next batch waits for it and
      // little queues: the rows are built here, where they add no hop to that wait.
      SpanMapper.Result rows = spanMapper.map(request);
      result = new SpanMapper.Check(rows.rows().size(), rows.rejected(), rows.rejectionMessage());
      stored = pipeline.submit(rows.rows(), List.of());
    }
    if (!await(exchange, json, stored)) {
      return;
    }
    if (json) {
      Http.sendText(
          exchange,
          200,
          Http.JSON,
          partialSuccessJson("rejectedSpans", result.rejected(), result.rejectionMessage()));
    } else {
      ExportTraceServiceResponse.Builder response = ExportTraceServiceResponse.newBuilder();
      if (result.rejected() > 0) {
        response.setPartialSuccess(
            ExportTracePartialSuccess.newBuilder()
                .setRejectedSpans(result.rejected())
                .setErrorMessage(String.valueOf(result.rejectionMessage())));
      }
      Http.send(exchange, 200, Http.PROTOBUF, response.build().toByteArray());
    }
  }

  private void receiveMetrics(HttpExchange exchange, boolean json, byte[] body) throws IOException {
    ExportMetricsServiceRequest request =
        decode(exchange, json, body, OtlpJson::metrics, ExportMetricsServiceRequest::parseFrom);
    if (request == null) {
      return;
    }
    MetricMapper.Result result = MetricMapper.map(request);
    byte[] payload = pipeline.journaled() ? (json ? request.toByteArray() : body) : null;
    if (!await(
        exchange, json, pipeline.submit(List.of(), result.rows(), JOURNAL_METRICS, payload))) {
      return;
    }
    String message = "metrics without a name or data are not stored";
    if (json) {
      Http.sendText(
          exchange,
          200,
          Http.JSON,
          partialSuccessJson("rejectedDataPoints", result.rejected(), message));
    } else {
      ExportMetricsServiceResponse.Builder response = ExportMetricsServiceResponse.newBuilder();
      if (result.rejected() > 0) {
        response.setPartialSuccess(
            ExportMetricsPartialSuccess.newBuilder()
                .setRejectedDataPoints(result.rejected())
                .setErrorMessage(message));
      }
      Http.send(exchange, 200, Http.PROTOBUF, response.build().toByteArray());
    }
  }

  /** {@code {}} when nothing was rejected, else the OTLP/JSON partial success object. */
  private static String partialSuccessJson(String countField, int rejected, String message) {
    if (rejected == 0) {
      return "{}";
    }
    return "{\"partialSuccess\":{\""
        + countField
        + "\":\""
        + rejected
        + "\",\"errorMessage\":"
        + jsonString(message)
        + "}}";
  }

  /** 503: the write queue is full. */
  private void busy(HttpExchange exchange, boolean json) throws IOException {
    exchange.getResponseHeaders().set("Retry-After", "1");
    error(exchange, json, 503, 14, "the console is busy writing; retry later");
  }

  /**
   * Waits until a queued batch is durable (journaled, or committed when in memory); answers the
   * error itself and returns false on failure. {@code committed} is what the pipeline's {@code
   * submit} returned: null when the queue was full.
   */
  private boolean await(
      HttpExchange exchange, boolean json, @Nullable CompletableFuture<Void> committed)
      throws IOException {
    if (committed == null) {
      busy(exchange, json);
      return false;
    }
    try {
      committed.get(commitTimeoutMillis, TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      exchange.getResponseHeaders().set("Retry-After", "5");
      error(exchange, json, 503, 14, "storing the batch took too long; retry later");
    } catch (ExecutionException e) {
      exchange.getResponseHeaders().set("Retry-After", "5");
      error(exchange, json, 503, 14, "could not store the batch: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      exchange.getResponseHeaders().set("Retry-After", "5");
      error(exchange, json, 503, 14, "the console is shutting down");
    }
    return false;
  }

  /**
   * Decompresses at most {@code limit} bytes; null when the output would be larger (a gzip bomb is
   * refused after reading {@code limit} bytes, never buffered whole).
   */
  static byte[] gunzip(byte[] compressed, int limit) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed), 8192)) {
      ByteArrayOutputStream out =
          new ByteArrayOutputStream(Math.min(limit, Math.max(1024, compressed.length * 4)));
      byte[] buffer = new byte[16384];
      long total = 0;
      int n;
      while ((n = in.read(buffer)) > 0) {
        total += n;
        if (total > limit) {
          return null;
        }
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    }
  }

  private static void error(HttpExchange exchange, boolean json, int status, int code, String msg)
      throws IOException {
    if (json) {
      Http.sendText(
          exchange,
          status,
          Http.JSON,
          "{\"code\":" + code + ",\"message\":" + jsonString(msg) + "}");
    } else {
      Http.send(exchange, status, Http.PROTOBUF, rpcStatus(code, msg));
    }
  }

  /** A {@code google.rpc.Status} message (code = field 1, message = field 2). */
  static byte[] rpcStatus(int code, String message) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    out.writeInt32(1, code);
    out.writeString(2, message);
    out.flush();
    return bytes.toByteArray();
  }

  private static String jsonString(String s) {
    StringBuilder out = new StringBuilder();
    AttributeValues.writeString(out, s == null ? "" : s);
    return out.toString();
  }
}
