package dev.tokenscope.console;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/** Builds OTLP protobuf spans and posts bodies to a console, for tests (of every package). */
public final class Otlp {

  static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Otlp() {}

  static ByteString id(String hex) {
    byte[] out = new byte[hex.length() / 2];
    for (int i = 0; i < out.length; i++) {
      out[i] = (byte) Integer.parseInt(hex.substring(i * 2, i * 2 + 2), 16);
    }
    return ByteString.copyFrom(out);
  }

  /** A 32-hex-digit trace id made from a short label, e.g. {@code trace("a")}. */
  static String traceId(String label) {
    if (label.matches("[0-9a-f]{32}")) {
      return label;
    }
    return String.format("%32s", toHex(label)).replace(' ', '0');
  }

  static String spanId(String label) {
    if (label.matches("[0-9a-f]{16}")) {
      return label;
    }
    return String.format("%16s", toHex(label)).replace(' ', '0');
  }

  private static String toHex(String label) {
    StringBuilder out = new StringBuilder();
    for (byte b : label.getBytes(StandardCharsets.UTF_8)) {
      out.append(String.format("%02x", b));
    }
    return out.toString();
  }

  public static Span.Builder span(
      String trace,
      String span,
      String parent,
      String name,
      long startMillis,
      long durationMillis) {
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(id(traceId(trace)))
            .setSpanId(id(spanId(span)))
            .setName(name)
            .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
            .setStartTimeUnixNano(startMillis * 1_000_000L)
            .setEndTimeUnixNano((startMillis + durationMillis) * 1_000_000L);
    if (parent != null) {
      b.setParentSpanId(id(spanId(parent)));
    }
    return b;
  }

  static Span.Builder error(Span.Builder span, String type) {
    return span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
        .addAttributes(str("error.type", type));
  }

  public static KeyValue str(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  static KeyValue lng(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  static KeyValue dbl(String key, double value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setDoubleValue(value))
        .build();
  }

  static KeyValue bool(String key, boolean value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setBoolValue(value))
        .build();
  }

  public static ExportTraceServiceRequest request(String service, List<Span> spans) {
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(str("service.name", service)))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(
                            io.opentelemetry.proto.common.v1.InstrumentationScope.newBuilder()
                                .setName("test"))
                        .addAllSpans(spans)))
        .build();
  }

  static HttpResponse<byte[]> post(String url, String contentType, byte[] body, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(Duration.ofSeconds(30))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (contentType != null) {
      request.header("Content-Type", contentType);
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /**
   * A console on free ports with the tests' prices and no retention to speak of: writing to {@code
   * dir} (acknowledged once journaled) or in memory (acknowledged once committed).
   */
  static Console.Builder console(boolean journaled, Path dir) {
    Console.Builder builder = Console.builder();
    if (journaled) {
      builder.dataDirectory(dir);
    } else {
      builder.inMemory();
    }
    return builder
        .otlpPort(0)
        .uiPort(0)
        .pricing(KnownTelemetry.PRICING)
        .retention(Duration.ofDays(36500));
  }

  static HttpResponse<byte[]> postTraces(Console console, ExportTraceServiceRequest request)
      throws IOException, InterruptedException {
    return post(
        console.otlpEndpoint() + "/v1/traces", "application/x-protobuf", request.toByteArray());
  }

  static HttpResponse<String> get(String url, String... headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static byte[] gzip(byte[] body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(body);
    }
    return out.toByteArray();
  }
}
