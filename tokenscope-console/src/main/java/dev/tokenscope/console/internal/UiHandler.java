package dev.tokenscope.console.internal;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves the dashboard (plain HTML, CSS and JavaScript from the jar), ECharts from its WebJar, and
 * the login form when a token is set. Everything is served locally: the page works offline.
 */
public final class UiHandler implements HttpHandler {

  private static final Logger logger = Logger.getLogger(UiHandler.class.getName());
  private static final String UI_ROOT = "/dev/tokenscope/console/ui/";
  private static final String ECHARTS =
      "/META-INF/resources/webjars/echarts/" + EchartsVersion.VERSION + "/dist/echarts.min.js";
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "svg", "image/svg+xml",
          "png", "image/png",
          "ico", "image/x-icon");
  private static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self'"
          + " data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action"
          + " 'self'";

  private final Auth auth;
  private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

  public UiHandler(Auth auth) {
    this.auth = auth;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      serve(exchange);
    } catch (IOException e) {
      logger.log(Level.FINE, "UI request aborted", e);
      exchange.close();
    } catch (RuntimeException e) {
      logger.log(Level.WARNING, "UI request failed", e);
      Http.sendText(exchange, 500, "text/plain; charset=utf-8", "internal error");
    }
  }

  private void serve(HttpExchange exchange) throws IOException {
    URI uri = exchange.getRequestURI();
    String path = uri.getPath();
    exchange.getResponseHeaders().set("Content-Security-Policy", CSP);
    exchange.getResponseHeaders().set("Referrer-Policy", "no-referrer");
    if (auth.enabled()) {
      if ("/login".equals(path)) {
        login(exchange);
        return;
      }
      String token = Http.queryParameters(exchange).get("token");
      if (token != null) {
        if (auth.tokenMatches(token)) {
          // Trade the link's token for a session cookie and drop it from the address bar.
          exchange.getResponseHeaders().add("Set-Cookie", auth.sessionCookie());
          redirect(exchange, path);
        } else {
          redirect(exchange, "/login?failed=1");
        }
        return;
      }
      if (!auth.uiAllowed(exchange)) {
        redirect(exchange, "/login");
        return;
      }
    }
    if (!"GET".equals(exchange.getRequestMethod()) && !"HEAD".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().set("Allow", "GET");
      Http.sendText(exchange, 405, "text/plain; charset=utf-8", "use GET");
      return;
    }
    String resource;
    if ("/".equals(path)
        || "/index.html".equals(path)
        || "/traces".equals(path)
        || path.startsWith("/trace/")) {
      resource = UI_ROOT + "index.html";
    } else if ("/vendor/echarts.min.js".equals(path)) {
      resource = ECHARTS;
    } else if (path.startsWith("/static/") && path.indexOf("..") < 0) {
      resource = UI_ROOT + path.substring("/static/".length());
    } else if ("/favicon.ico".equals(path)) {
      resource = UI_ROOT + "favicon.svg";
    } else {
      Http.sendText(exchange, 404, "text/plain; charset=utf-8", "not found: " + path);
      return;
    }
    byte[] body = load(resource);
    if (body == null) {
      Http.sendText(exchange, 404, "text/plain; charset=utf-8", "not found: " + path);
      return;
    }
    String extension = resource.substring(resource.lastIndexOf('.') + 1);
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    Http.send(exchange, 200, TYPES.getOrDefault(extension, "application/octet-stream"), body);
  }

  private void login(HttpExchange exchange) throws IOException {
    if ("POST".equals(exchange.getRequestMethod())) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = Http.readBody(in, Http.contentLength(exchange), 8192);
      }
      String token = null;
      if (body != null) {
        for (String pair : new String(body, StandardCharsets.UTF_8).split("&")) {
          if (pair.startsWith("token=")) {
            token = java.net.URLDecoder.decode(pair.substring(6), StandardCharsets.UTF_8);
          }
        }
      }
      if (token != null && auth.tokenMatches(token)) {
        exchange.getResponseHeaders().add("Set-Cookie", auth.sessionCookie());
        redirect(exchange, "/");
      } else {
        redirect(exchange, "/login?failed=1");
      }
      return;
    }
    boolean failed = Http.queryParameters(exchange).containsKey("failed");
    String page =
        "<!doctype html><html lang=en><head><meta charset=utf-8><title>TokenScope console —"
            + " log in</title><link rel=stylesheet href=/static/app.css></head><body class=login>"
            + "<form method=post action=/login class=login-card><h1>TokenScope</h1>"
            + "<p>This console needs its access token (<code>--token</code> or"
            + " <code>TOKENSCOPE_CONSOLE_TOKEN</code>).</p>"
            + (failed ? "<p class=login-error>That token is not right.</p>" : "")
            + "<input type=password name=token autofocus placeholder=Token aria-label=Token>"
            + "<button type=submit>Log in</button></form></body></html>";
    Http.sendText(exchange, failed ? 401 : 200, "text/html; charset=utf-8", page);
  }

  private static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(303, -1);
    exchange.close();
  }

  private byte[] load(String resource) throws IOException {
    byte[] cached = cache.get(resource);
    if (cached != null) {
      return cached;
    }
    try (InputStream in = UiHandler.class.getResourceAsStream(resource)) {
      if (in == null) {
        return null;
      }
      byte[] bytes = in.readAllBytes();
      cache.put(resource, bytes);
      return bytes;
    }
  }
}
