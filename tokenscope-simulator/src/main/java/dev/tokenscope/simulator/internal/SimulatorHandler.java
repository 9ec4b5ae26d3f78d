package dev.tokenscope.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.tokenscope.simulator.Provider;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The one HTTP handler: tells which provider a request speaks, routes it, checks credentials and
 * the body, and turns every failure into the provider's own error reply.
 */
public final class SimulatorHandler implements HttpHandler {

  private static final Logger LOGGER = Logger.getLogger("dev.tokenscope.simulator");

  /** Larger bodies get 413, as from the real APIs (32 MB). */
  static final int MAX_BODY_BYTES = 32 * 1024 * 1024;

  private final Simulation sim;
  private final Map<String, Endpoint> openAiPost;
  private final Map<String, Endpoint> anthropicPost;
  private final ModelsEndpoint models = new ModelsEndpoint();

  public SimulatorHandler(Simulation sim) {
    this.sim = sim;
    this.openAiPost =
        Map.of(
            "/v1/chat/completions", new OpenAiChatCompletions(),
            "/v1/responses", new OpenAiResponses(),
            "/v1/embeddings", new OpenAiEmbeddings());
    this.anthropicPost =
        Map.of(
            "/v1/messages", new AnthropicMessages(),
            "/v1/messages/count_tokens", new AnthropicCountTokens());
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    String path = normalise(exchange.getRequestURI().getPath());
    Headers headers = exchange.getRequestHeaders();
    Provider provider = providerOf(path, headers);
    ApiCall call = new ApiCall(sim, exchange, provider, sim.nextSequence());
    boolean aborted = false;
    try {
      byte[] raw = readBody(exchange);
      Endpoint endpoint = route(exchange.getRequestMethod(), path, provider);
      authenticate(provider, headers);
      if (provider == Provider.ANTHROPIC && isBlank(headers.getFirst("anthropic-version"))) {
        throw ApiError.invalid("anthropic-version: header is required");
      }
      JsonNode body =
          exchange.getRequestMethod().equals("POST")
              ? parse(raw, provider)
              : Simulation.JSON.createObjectNode();
      endpoint.handle(call, body);
    } catch (ApiError e) {
      call.sendError(e);
    } catch (ConnectionAbort e) {
      aborted = true;
      throw e;
    } catch (IOException e) {
      // The client went away mid-reply (a timeout or a cancelled stream): nothing to answer.
      LOGGER.log(Level.FINE, "client disconnected from " + path, e);
      aborted = true;
      throw new ConnectionAbort("client disconnected");
    } catch (RuntimeException e) {
      LOGGER.log(
          Level.WARNING,
          "simulator failed to answer " + exchange.getRequestMethod() + " " + path,
          e);
      try {
        call.sendError(
            new ApiError(
                500,
                provider == Provider.OPENAI ? "server_error" : "api_error",
                "The simulator failed: " + e,
                null,
                null));
      } catch (IOException | RuntimeException ignored) {
        // Headers may already be out; dropping the connection is all that is left.
        aborted = true;
        throw new ConnectionAbort("simulator failure");
      }
    } finally {
      call.record();
      if (!aborted) {
        exchange.close();
      }
    }
  }

  private Endpoint route(String method, String path, Provider provider) {
    boolean post = method.equals("POST");
    boolean get = method.equals("GET");
    Endpoint endpoint =
        provider == Provider.OPENAI ? openAiPost.get(path) : anthropicPost.get(path);
    if (endpoint != null) {
      if (!post) {
        throw methodNotAllowed(method, path, provider);
      }
      return endpoint;
    }
    if (path.equals("/v1/models") || path.startsWith("/v1/models/")) {
      if (!get) {
        throw methodNotAllowed(method, path, provider);
      }
      return models;
    }
    if (provider == Provider.OPENAI) {
      throw new ApiError(
          404, "invalid_request_error", "Invalid URL (" + method + " " + path + ")", null, null);
    }
    throw new ApiError(404, "not_found_error", "Not Found", null, null);
  }

  private static ApiError methodNotAllowed(String method, String path, Provider provider) {
    if (provider == Provider.OPENAI) {
      return new ApiError(
          405,
          "invalid_request_error",
          "Invalid method for URL (" + method + " " + path + ")",
          null,
          null);
    }
    return new ApiError(405, "invalid_request_error", "Method Not Allowed", null, null);
  }

  private static void authenticate(Provider provider, Headers headers) {
    String bearer = bearer(headers.getFirst("authorization"));
    if (provider == Provider.OPENAI) {
      if (bearer == null) {
        throw new ApiError(
            401,
            "invalid_request_error",
            "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username. You can obtain an API key from https://platform.openai.com/account/api-keys.",
            null,
            null);
      }
      return;
    }
    if (isBlank(headers.getFirst("x-api-key")) && bearer == null) {
      throw new ApiError(401, "authentication_error", "x-api-key header is required", null, null);
    }
  }

  private static @Nullable String bearer(@Nullable String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return null;
    }
    String token = authorization.substring(7).trim();
    return token.isEmpty() ? null : token;
  }

  private static Provider providerOf(String path, Headers headers) {
    if (path.startsWith("/v1/messages")) {
      return Provider.ANTHROPIC;
    }
    if (path.startsWith("/v1/chat/")
        || path.startsWith("/v1/responses")
        || path.startsWith("/v1/embeddings")) {
      return Provider.OPENAI;
    }
    boolean anthropic =
        headers.containsKey("x-api-key") || headers.containsKey("anthropic-version");
    return anthropic ? Provider.ANTHROPIC : Provider.OPENAI;
  }

  private static JsonNode parse(byte[] raw, Provider provider) {
    JsonNode body;
    try {
      body = raw.length == 0 ? null : Simulation.JSON.readTree(raw);
    } catch (IOException e) {
      body = null;
    }
    if (body == null || !body.isObject()) {
      if (provider == Provider.OPENAI) {
        throw ApiError.invalid(
            "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON. If you have trouble figuring out how to fix this, please contact us through our help center at help.openai.com.)");
      }
      throw ApiError.invalid(
          "There was an error parsing the body of your request: it is not a valid JSON object.");
    }
    return body;
  }

  private static byte[] readBody(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] raw = in.readNBytes(MAX_BODY_BYTES + 1);
      if (raw.length > MAX_BODY_BYTES) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
        throw new ApiError(
            413,
            "request_too_large",
            "Request exceeds the maximum allowed number of bytes.",
            null,
            null);
      }
      return raw;
    }
  }

  private static String normalise(String path) {
    if (path == null || path.isEmpty()) {
      return "/";
    }
    return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
  }

  private static boolean isBlank(@Nullable String s) {
    return s == null || s.isBlank();
  }
}
