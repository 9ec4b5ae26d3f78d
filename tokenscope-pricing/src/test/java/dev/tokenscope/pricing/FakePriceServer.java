package dev.tokenscope.pricing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A price server on an ephemeral loopback port whose behaviour each test scripts: serve a body with
 * an ETag (answering 304 to a matching If-None-Match), fail with a status, hang until released, or
 * cut a body short.
 */
final class FakePriceServer implements AutoCloseable {
  enum Mode {
    SERVE,
    STATUS,
    HANG,
    TRUNCATE
  }

  private final HttpServer server;
  private final List<String> ifNoneMatch = new CopyOnWriteArrayList<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private volatile Mode mode = Mode.SERVE;
  private volatile byte[] body = new byte[0];
  private volatile String etag = "\"v1\"";
  private volatile int status = 200;

  FakePriceServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "fake-price-server");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/prices.json", this::handle);
    server.start();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/prices.json");
  }

  FakePriceServer serve(byte[] body, String etag) {
    this.mode = Mode.SERVE;
    this.body = body;
    this.etag = etag;
    return this;
  }

  FakePriceServer failWith(int status) {
    this.mode = Mode.STATUS;
    this.status = status;
    return this;
  }

  FakePriceServer hang() {
    this.mode = Mode.HANG;
    return this;
  }

  FakePriceServer truncate(byte[] body) {
    this.mode = Mode.TRUNCATE;
    this.body = body;
    return this;
  }

  /** Lets hanging requests finish. */
  void release() {
    release.countDown();
  }

  int requests() {
    return ifNoneMatch.size();
  }

  /** The If-None-Match header of each request ("" when absent). */
  List<String> ifNoneMatchHeaders() {
    return ifNoneMatch;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String validator = exchange.getRequestHeaders().getFirst("If-None-Match");
    ifNoneMatch.add(validator == null ? "" : validator);
    try (exchange) {
      switch (mode) {
        case SERVE:
          if (etag.equals(validator)) {
            exchange.sendResponseHeaders(304, -1);
            return;
          }
          exchange.getResponseHeaders().add("ETag", etag);
          exchange.getResponseHeaders().add("Last-Modified", "Fri, 24 Jul 2026 10:00:00 GMT");
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
          return;
        case STATUS:
          exchange.sendResponseHeaders(status, -1);
          return;
        case HANG:
          try {
            release.await(30, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          exchange.sendResponseHeaders(503, -1);
          return;
        case TRUNCATE:
          exchange.sendResponseHeaders(200, body.length);
          OutputStream out = exchange.getResponseBody();
          out.write(body, 0, body.length / 3);
          out.flush();
          exchange.getHttpContext().getServer(); // keep the exchange referenced
          throw new IOException("cut short on purpose"); // closes the connection mid-body
        default:
          throw new IllegalStateException();
      }
    }
  }

  @Override
  public void close() {
    release();
    server.stop(0);
  }
}
