package dev.tokenscope.deploy.elastic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A Kibana stand-in on an ephemeral loopback port: the status, saved-objects import and alerting
 * rule endpoints setup.sh calls, with Kibana's answers (401, 503 while starting, 404 for an unknown
 * rule, 409 for a duplicate id, 400 for fields the update API rejects). Records every request.
 */
final class FakeKibana implements AutoCloseable {

  record Request(
      String method,
      String path,
      @Nullable String query,
      String authorization,
      String xsrf,
      String body) {}

  private static final Pattern RULE =
      Pattern.compile("(/s/[a-z0-9_-]+)?/api/alerting/rule/([0-9a-f-]+)");

  private final HttpServer server;
  private final List<Request> requests = new ArrayList<>();
  private final Map<String, JsonNode> rules = new ConcurrentHashMap<>();
  private final AtomicInteger notReadyAnswers = new AtomicInteger();
  private final String expectedAuthorization;
  private volatile boolean neverReady;
  private volatile String importAnswer =
      "{\"success\":true,\"successCount\":17,\"successResults\":[]}";

  /** A Kibana that accepts only this user and password. */
  static FakeKibana basic(String username, String password) throws IOException {
    return new FakeKibana(
        "Basic "
            + Base64.getEncoder()
                .encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
  }

  /** A Kibana that accepts only this API key. */
  static FakeKibana apiKey(String key) throws IOException {
    return new FakeKibana("ApiKey " + key);
  }

  private FakeKibana(String expectedAuthorization) throws IOException {
    this.expectedAuthorization = expectedAuthorization;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Answer 503 "not ready" this many times before reporting available. */
  FakeKibana notReadyFor(int answers) {
    notReadyAnswers.set(answers);
    return this;
  }

  FakeKibana neverReady() {
    neverReady = true;
    return this;
  }

  FakeKibana importAnswers(String json) {
    importAnswer = json;
    return this;
  }

  synchronized List<Request> requests() {
    return List.copyOf(requests);
  }

  Map<String, JsonNode> rules() {
    return Map.copyOf(rules);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestMethod();
    String path = exchange.getRequestURI().getPath();
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String authorization = header(exchange, "Authorization");
    String xsrf = header(exchange, "kbn-xsrf");
    synchronized (this) {
      requests.add(
          new Request(
              method, path, exchange.getRequestURI().getQuery(), authorization, xsrf, body));
    }
    if (!authorization.equals(expectedAuthorization)) {
      send(
          exchange,
          401,
          "{\"statusCode\":401,\"error\":\"Unauthorized\",\"message\":\"[security_exception] unable to authenticate user\"}");
      return;
    }
    if (path.equals("/api/status")) {
      if (neverReady || notReadyAnswers.getAndDecrement() > 0) {
        send(
            exchange,
            503,
            "{\"statusCode\":503,\"error\":\"Service Unavailable\",\"message\":\"Kibana server is not ready yet\"}");
      } else {
        send(
            exchange,
            200,
            "{\"name\":\"kibana\",\"status\":{\"overall\":{\"level\":\"available\",\"summary\":\"All services are available\"}}}");
      }
      return;
    }
    if (!method.equals("GET") && xsrf.isEmpty()) {
      send(
          exchange,
          400,
          "{\"statusCode\":400,\"message\":\"Request must contain a kbn-xsrf header.\"}");
      return;
    }
    if (path.endsWith("/api/saved_objects/_import") && method.equals("POST")) {
      send(exchange, 200, importAnswer);
      return;
    }
    Matcher rule = RULE.matcher(path);
    if (rule.matches()) {
      rule(exchange, method, rule.group(2), body);
      return;
    }
    send(exchange, 404, "{\"statusCode\":404,\"error\":\"Not Found\"}");
  }

  private void rule(HttpExchange exchange, String method, String id, String body)
      throws IOException {
    switch (method) {
      case "GET" -> {
        JsonNode stored = rules.get(id);
        if (stored == null) {
          send(
              exchange,
              404,
              "{\"statusCode\":404,\"message\":\"Saved object [alert/" + id + "] not found\"}");
        } else {
          send(exchange, 200, stored.toString());
        }
      }
      case "POST" -> {
        if (rules.containsKey(id)) {
          send(
              exchange,
              409,
              "{\"statusCode\":409,\"message\":\"Saved object [alert/" + id + "] conflict\"}");
          return;
        }
        JsonNode json = SavedObjects.JSON.readTree(body);
        if (!json.has("rule_type_id") || !json.has("consumer") || !json.path("params").isObject()) {
          send(
              exchange,
              400,
              "{\"statusCode\":400,\"message\":\"missing rule_type_id, consumer or params\"}");
          return;
        }
        ObjectNode stored = ((ObjectNode) json).deepCopy();
        stored.put("id", id);
        rules.put(id, stored);
        send(exchange, 200, stored.toString());
      }
      case "PUT" -> {
        JsonNode existing = rules.get(id);
        if (existing == null) {
          send(exchange, 404, "{\"statusCode\":404}");
          return;
        }
        JsonNode json = SavedObjects.JSON.readTree(body);
        if (json.has("rule_type_id") || json.has("consumer") || json.has("id")) {
          send(
              exchange,
              400,
              "{\"statusCode\":400,\"message\":\"[request body.rule_type_id]: definition for this key is missing\"}");
          return;
        }
        ObjectNode stored = ((ObjectNode) json).deepCopy();
        stored.put("id", id);
        stored.set("rule_type_id", existing.get("rule_type_id"));
        stored.set("consumer", existing.get("consumer"));
        rules.put(id, stored);
        send(exchange, 200, stored.toString());
      }
      default -> send(exchange, 405, "{}");
    }
  }

  private static String header(HttpExchange exchange, String name) {
    String value = exchange.getRequestHeaders().getFirst(name);
    return value == null ? "" : value;
  }

  private static void send(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
