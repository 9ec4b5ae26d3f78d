package dev.tokenscope.demo.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The HTTP/JSON API, compatible with the reference service: {@code GET /health}, {@code POST
 * /recipe/generate}, {@code /recipe/compare}, {@code /recipe/batch}, {@code /menu/design}. Bad
 * input is a 400 naming the field, an oversized body a 413, a provider that failed for good a 500
 * with {@code error} and {@code details}.
 */
public final class MenuApi implements HttpHandler {

  private static final Logger logger = Logger.getLogger(MenuApi.class.getName());
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Most recipes accepted in one batch. */
  static final int MAX_BATCH = 20;

  private final MenuDesigner designer;
  private final RecipeService recipes;
  private final int maxBodyBytes;

  MenuApi(MenuDesigner designer, RecipeService recipes, int maxBodyBytes) {
    this.designer = designer;
    this.recipes = recipes;
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String path = exchange.getRequestURI().getPath();
      if (path.length() > 1 && path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      Object body;
      try {
        body = route(method, path, exchange);
      } catch (ApiException e) {
        if (e.status() >= 500) {
          Span.current().recordException(e.getCause() != null ? e.getCause() : e);
          logger.log(Level.WARNING, e.getMessage() + ": " + e.details());
        }
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error", e.getMessage());
        if (e.details() != null) {
          error.put("details", e.details());
        }
        respond(exchange, e.status(), error);
        return;
      } catch (RuntimeException e) {
        Span.current().recordException(e);
        Span.current().setStatus(StatusCode.ERROR);
        logger.log(Level.WARNING, "request failed: " + method + " " + path, e);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("error", "internal error");
        error.put("details", ApiException.describe(e));
        respond(exchange, 500, error);
        return;
      }
      respond(exchange, 200, body);
    }
  }

  private Object route(String method, String path, HttpExchange exchange) throws IOException {
    switch (path) {
      case "/health":
        requireMethod(method, "GET", path);
        return health();
      case "/recipe/generate":
        requireMethod(method, "POST", path);
        return generate(readJson(exchange));
      case "/recipe/compare":
        requireMethod(method, "POST", path);
        return compare(readJson(exchange));
      case "/recipe/batch":
        requireMethod(method, "POST", path);
        return batch(readJson(exchange));
      case "/menu/design":
        requireMethod(method, "POST", path);
        return design(readJson(exchange));
      default:
        throw ApiException.notFound(path);
    }
  }

  private static void requireMethod(String method, String allowed, String path) {
    // The route is known: the server span is named after it even when the method is wrong.
    ServerSpans.route(path);
    if (!method.equals(allowed)) {
      throw ApiException.methodNotAllowed(method, path, allowed);
    }
  }

  static Map<String, Object> health() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", "healthy");
    out.put("service", "recipe-generator");
    return out;
  }

  private Map<String, Object> generate(JsonNode json) {
    RequestFields fields = RequestFields.of(json);
    LlmProvider provider = provider(fields);
    RecipeRequest request = RecipeRequest.parse(fields);
    Map<String, Object> data;
    try {
      data = recipes.generate(provider, request);
    } catch (RuntimeException e) {
      throw ApiException.failed("Recipe generation failed", e);
    }
    return success("data", data);
  }

  private Map<String, Object> compare(JsonNode json) {
    RecipeRequest request = RecipeRequest.parse(RequestFields.of(json));
    Map<String, Object> data;
    try {
      data = recipes.compare(request);
    } catch (RuntimeException e) {
      throw ApiException.failed("Recipe comparison failed", e);
    }
    return success("data", data);
  }

  private Map<String, Object> batch(JsonNode json) {
    RequestFields fields = RequestFields.of(json);
    LlmProvider provider = provider(fields);
    JsonNode items = fields.node().get("recipes");
    if (items == null || items.isNull()) {
      throw ApiException.badRequest("recipes is required");
    }
    if (!items.isArray()) {
      throw ApiException.badRequest("recipes must be an array of objects");
    }
    if (items.size() > MAX_BATCH) {
      throw ApiException.badRequest("recipes must have at most " + MAX_BATCH + " entries");
    }
    List<RecipeRequest> requests = new ArrayList<>();
    for (int i = 0; i < items.size(); i++) {
      JsonNode item = items.get(i);
      if (!item.isObject()) {
        throw ApiException.badRequest("recipes[" + i + "] must be an object");
      }
      RequestFields itemFields = RequestFields.nested((ObjectNode) item, "recipes[" + i + "]");
      // As in the reference service: items without a dish name are skipped.
      if (itemFields.optionalText("dish_name", null) == null) {
        continue;
      }
      requests.add(RecipeRequest.parse(itemFields));
    }
    List<Map<String, Object>> data;
    try {
      data = requests.isEmpty() ? List.of() : recipes.batch(provider, requests);
    } catch (RuntimeException e) {
      throw ApiException.failed("Batch generation failed", e);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("success", true);
    out.put("count", data.size());
    out.put("data", data);
    return out;
  }

  private Map<String, Object> design(JsonNode json) {
    DesignRequest request = DesignRequest.parse(RequestFields.of(json));
    DesignedMenu menu;
    try {
      menu = designer.design(request);
    } catch (RuntimeException e) {
      throw ApiException.failed("Menu design failed", e);
    }
    return MenuJson.response(menu);
  }

  private static LlmProvider provider(RequestFields fields) {
    String name = fields.requiredText("provider");
    LlmProvider provider = LlmProvider.fromRequest(name);
    if (provider == null) {
      throw ApiException.badRequest(
          "provider must be one of openai, claude, anthropic; got '" + name + "'");
    }
    return provider;
  }

  private static Map<String, Object> success(String key, Object data) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("success", true);
    out.put(key, data);
    return out;
  }

  private JsonNode readJson(HttpExchange exchange) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    if (length != null) {
      try {
        if (Long.parseLong(length.strip()) > maxBodyBytes) {
          throw ApiException.tooLarge(maxBodyBytes);
        }
      } catch (NumberFormatException e) {
        throw ApiException.badRequest("Content-Length is not a number");
      }
    }
    byte[] bytes = readLimited(exchange.getRequestBody(), maxBodyBytes);
    if (bytes == null) {
      throw ApiException.tooLarge(maxBodyBytes);
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (text.isBlank()) {
      throw ApiException.badRequest("request body must be a JSON object");
    }
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("request body is not valid JSON: " + e.getOriginalMessage());
    }
  }

  /** The body, or null when it is longer than {@code limit}. */
  private static byte[] readLimited(InputStream in, int limit) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      if (out.size() + n > limit) {
        return null;
      }
      out.write(buffer, 0, n);
    }
    return out.toByteArray();
  }

  private static void respond(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
