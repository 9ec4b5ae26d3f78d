package dev.tokenscope.console.internal;

import com.sun.net.httpserver.HttpExchange;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The optional access token. Without one, everything is open (the console binds to loopback by
 * default). With one: ingest needs {@code Authorization: Bearer <token>}; the API accepts the same
 * header or the session cookie; the UI sets that cookie after a login form or a {@code ?token=}
 * link. The cookie holds a digest of the token, never the token itself.
 */
public final class Auth {

  static final String COOKIE = "tokenscope_console";

  private final byte @Nullable [] token;
  private final @Nullable String sessionValue;

  public Auth(@Nullable String token) {
    if (token == null || token.isEmpty()) {
      this.token = null;
      this.sessionValue = null;
    } else {
      this.token = token.getBytes(StandardCharsets.UTF_8);
      this.sessionValue = sha256Hex("tokenscope-console-session:" + token);
    }
  }

  public boolean enabled() {
    return token != null;
  }

  boolean tokenMatches(@Nullable String candidate) {
    if (token == null) {
      return true;
    }
    if (candidate == null) {
      return false;
    }
    return MessageDigest.isEqual(token, candidate.getBytes(StandardCharsets.UTF_8));
  }

  /** Ingest: only the bearer header. */
  boolean ingestAllowed(HttpExchange exchange) {
    return token == null || tokenMatches(bearer(exchange));
  }

  /** API and UI: the bearer header or the session cookie. */
  boolean uiAllowed(HttpExchange exchange) {
    if (token == null || tokenMatches(bearer(exchange))) {
      return true;
    }
    String cookie = cookie(exchange, COOKIE);
    return cookie != null
        && MessageDigest.isEqual(
            cookie.getBytes(StandardCharsets.UTF_8), sessionValue.getBytes(StandardCharsets.UTF_8));
  }

  /** The Set-Cookie header value that opens a UI session. */
  String sessionCookie() {
    return COOKIE + "=" + sessionValue + "; Path=/; HttpOnly; SameSite=Strict";
  }

  private static @Nullable String bearer(HttpExchange exchange) {
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null) {
      return null;
    }
    header = header.trim();
    if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).trim();
    }
    return null;
  }

  private static @Nullable String cookie(HttpExchange exchange, String name) {
    List<String> headers = exchange.getRequestHeaders().get("Cookie");
    if (headers == null) {
      return null;
    }
    for (String header : headers) {
      for (String part : header.split(";")) {
        String p = part.trim();
        if (p.startsWith(name + "=")) {
          return p.substring(name.length() + 1);
        }
      }
    }
    return null;
  }

  private static String sha256Hex(String value) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
      StringBuilder out = new StringBuilder();
      for (byte b : digest) {
        out.append(String.format("%02x", b));
      }
      return out.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
