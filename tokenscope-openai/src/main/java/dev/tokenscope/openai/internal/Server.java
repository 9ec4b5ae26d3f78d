package dev.tokenscope.openai.internal;

import com.openai.core.ClientOptions;
import dev.tokenscope.core.TelemetryContract;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import java.net.URI;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The API server a wrapped client sends to ({@code server.address}, {@code server.port}), read once
 * per wrapped client from its base URL.
 */
record Server(String address, long port) {

  private static final Logger logger = Logger.getLogger(Server.class.getName());

  static final AttributeKey<String> ADDRESS =
      AttributeKey.stringKey(TelemetryContract.SERVER_ADDRESS);
  static final AttributeKey<Long> PORT = AttributeKey.longKey(TelemetryContract.SERVER_PORT);

  /**
   * The server of the client {@code options} build. A built client does not expose its options, but
   * the builder {@code withOptions} hands out can build them: once per wrapped client, never per
   * call. Null (and logged) when the base URL names no host.
   */
  static @Nullable Server of(ClientOptions.Builder options) {
    try {
      return parse(options.build().baseUrl());
    } catch (RuntimeException e) {
      logger.log(Level.FINE, "no server.address for this client", e);
      return null;
    }
  }

  static @Nullable Server parse(String baseUrl) {
    URI uri = URI.create(baseUrl);
    String host = uri.getHost();
    if (host == null) {
      return null;
    }
    int port = uri.getPort();
    if (port < 0) {
      port = "http".equalsIgnoreCase(uri.getScheme()) ? 80 : 443;
    }
    return new Server(host, port);
  }

  void setOn(SpanBuilder span) {
    span.setAttribute(ADDRESS, address).setAttribute(PORT, port);
  }

  void setOn(Span span) {
    span.setAttribute(ADDRESS, address).setAttribute(PORT, port);
  }
}
