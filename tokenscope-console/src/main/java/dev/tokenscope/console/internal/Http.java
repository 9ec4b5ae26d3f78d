package dev.tokenscope.console.internal;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Small helpers over the JDK's {@link HttpExchange}. */
final class Http {

  static final String JSON = "application/json";
  static final String PROTOBUF = "application/x-protobuf";

  private Http() {}

  static void send(HttpExchange exchange, int status, String contentType, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    if (status == 204 || "HEAD".equals(exchange.getRequestMethod())) {
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
      return;
    }
    exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  static void sendText(HttpExchange exchange, int status, String contentType, String body)
      throws IOException {
    send(exchange, status, contentType, body.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads at most {@code limit} bytes; returns null when the body is longer (the caller answers
   * 413). A declared Content-Length beyond the limit is refused without reading.
   */
  static byte @Nullable [] readBody(InputStream in, long declaredLength, int limit)
      throws IOException {
    if (declaredLength > limit) {
      return null;
    }
    int initial = declaredLength > 0 ? (int) declaredLength : 8192;
    byte[] buffer = new byte[Math.min(initial, limit) + 1];
    int length = 0;
    while (true) {
      if (length == buffer.length) {
        if (buffer.length > limit) {
          return null;
        }
        byte[] bigger = new byte[(int) Math.min((long) buffer.length * 2, (long) limit + 1)];
        System.arraycopy(buffer, 0, bigger, 0, length);
        buffer = bigger;
      }
      int n = in.read(buffer, length, buffer.length - length);
      if (n < 0) {
        break;
      }
      length += n;
      if (length > limit) {
        return null;
      }
    }
    if (length == buffer.length) {
      return buffer;
    }
    byte[] exact = new byte[length];
    System.arraycopy(buffer, 0, exact, 0, length);
    return exact;
  }

  /**
   * Reads and drops the rest of a refused body (up to {@code max} bytes), so the client receives
   * the error instead of a connection reset for closing on unread data.
   */
  static void discard(InputStream in, long max) {
    byte[] buffer = new byte[65536];
    long total = 0;
    try {
      int n;
      while (total < max && (n = in.read(buffer)) > 0) {
        total += n;
      }
    } catch (IOException e) {
      // The client gave up; nothing to drain.
    }
  }

  static long contentLength(HttpExchange exchange) {
    String value = exchange.getRequestHeaders().getFirst("Content-Length");
    if (value == null) {
      return -1;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The media type without parameters, lower case; empty when absent. */
  static String mediaType(@Nullable String contentType) {
    if (contentType == null) {
      return "";
    }
    int semicolon = contentType.indexOf(';');
    String type = semicolon < 0 ? contentType : contentType.substring(0, semicolon);
    return type.trim().toLowerCase(java.util.Locale.ROOT);
  }

  /** Query parameters of the request URI, decoded; the last value wins. */
  static Map<String, String> queryParameters(HttpExchange exchange) {
    Map<String, String> params = new LinkedHashMap<>();
    String query = exchange.getRequestURI().getRawQuery();
    if (query == null || query.isEmpty()) {
      return params;
    }
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      try {
        params.put(
            java.net.URLDecoder.decode(key, StandardCharsets.UTF_8),
            java.net.URLDecoder.decode(value, StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        params.put(key, value);
      }
    }
    return params;
  }
}
