package dev.tokenscope.demo.internal;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.instrumentation.api.instrumenter.Instrumenter;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerAttributesExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerAttributesGetter;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerMetrics;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerRoute;
import io.opentelemetry.instrumentation.api.semconv.http.HttpServerRouteSource;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanNameExtractor;
import io.opentelemetry.instrumentation.api.semconv.http.HttpSpanStatusExtractor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A SERVER span per request on the JDK's HTTP server, following OpenTelemetry's HTTP semantic
 * conventions through {@code opentelemetry-instrumentation-api}'s {@link Instrumenter}: named
 * {@code {method} {route}} once the route is known ({@link #route}), {@code http.route}, {@code
 * http.request.method}, {@code http.response.status_code}, {@code url.path}, {@code url.scheme},
 * network and client attributes, status ERROR on 5xx, the {@code http.server.request.duration}
 * metric, and the W3C {@code traceparent} of the caller as parent (through the SDK's propagators).
 */
final class ServerSpans extends Filter {

  static final String INSTRUMENTATION_NAME = "dev.tokenscope.demo.http-server";

  private final Instrumenter<HttpExchange, HttpExchange> instrumenter;

  ServerSpans(OpenTelemetry openTelemetry) {
    ExchangeAttributes getter = new ExchangeAttributes();
    this.instrumenter =
        Instrumenter.<HttpExchange, HttpExchange>builder(
                openTelemetry, INSTRUMENTATION_NAME, HttpSpanNameExtractor.create(getter))
            .setSpanStatusExtractor(HttpSpanStatusExtractor.create(getter))
            .addAttributesExtractor(HttpServerAttributesExtractor.create(getter))
            .addContextCustomizer(HttpServerRoute.create(getter))
            .addOperationMetrics(HttpServerMetrics.get())
            .buildServerInstrumenter(new ExchangeHeaders());
  }

  /** Names the current server span after the matched route, e.g. {@code POST /menu/design}. */
  static void route(String route) {
    HttpServerRoute.update(Context.current(), HttpServerRouteSource.CONTROLLER, route);
  }

  @Override
  public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
    Context parent = Context.root();
    if (!instrumenter.shouldStart(parent, exchange)) {
      chain.doFilter(exchange);
      return;
    }
    Context context = instrumenter.start(parent, exchange);
    Throwable error = null;
    try (Scope ignored = context.makeCurrent()) {
      chain.doFilter(exchange);
    } catch (IOException | RuntimeException | Error e) {
      error = e;
      throw e;
    } finally {
      instrumenter.end(context, exchange, exchange, error);
    }
  }

  @Override
  public String description() {
    return "OpenTelemetry HTTP server spans";
  }

  private static final class ExchangeHeaders implements TextMapGetter<HttpExchange> {
    @Override
    public Iterable<String> keys(HttpExchange carrier) {
      List<String> keys = new ArrayList<>();
      for (String key : carrier.getRequestHeaders().keySet()) {
        keys.add(key.toLowerCase(Locale.ROOT));
      }
      return keys;
    }

    @Override
    public @Nullable String get(@Nullable HttpExchange carrier, String key) {
      return carrier == null ? null : carrier.getRequestHeaders().getFirst(key);
    }
  }

  private static final class ExchangeAttributes
      implements HttpServerAttributesGetter<HttpExchange, HttpExchange> {

    @Override
    public String getHttpRequestMethod(HttpExchange exchange) {
      return exchange.getRequestMethod();
    }

    @Override
    public List<String> getHttpRequestHeader(HttpExchange exchange, String name) {
      List<String> values = exchange.getRequestHeaders().get(name);
      return values == null ? List.of() : values;
    }

    @Override
    public @Nullable Integer getHttpResponseStatusCode(
        HttpExchange exchange, HttpExchange response, @Nullable Throwable error) {
      int code = response.getResponseCode();
      return code > 0 ? code : null;
    }

    @Override
    public List<String> getHttpResponseHeader(
        HttpExchange exchange, HttpExchange response, String name) {
      List<String> values = response.getResponseHeaders().get(name);
      return values == null ? List.of() : values;
    }

    @Override
    public String getUrlScheme(HttpExchange exchange) {
      return "http";
    }

    @Override
    public String getUrlPath(HttpExchange exchange) {
      return exchange.getRequestURI().getRawPath();
    }

    @Override
    public @Nullable String getUrlQuery(HttpExchange exchange) {
      return exchange.getRequestURI().getRawQuery();
    }

    @Override
    public String getNetworkProtocolName(HttpExchange exchange, @Nullable HttpExchange response) {
      return "http";
    }

    @Override
    public @Nullable String getNetworkProtocolVersion(
        HttpExchange exchange, @Nullable HttpExchange response) {
      String protocol = exchange.getProtocol();
      int slash = protocol == null ? -1 : protocol.indexOf('/');
      return slash < 0 ? null : protocol.substring(slash + 1);
    }

    @Override
    public InetSocketAddress getNetworkPeerInetSocketAddress(
        HttpExchange exchange, @Nullable HttpExchange response) {
      return exchange.getRemoteAddress();
    }

    @Override
    public InetSocketAddress getNetworkLocalInetSocketAddress(
        HttpExchange exchange, @Nullable HttpExchange response) {
      return exchange.getLocalAddress();
    }
  }
}
