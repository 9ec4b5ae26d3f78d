package dev.tokenscope.console.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The JSON query API under {@code /api/v1/}. Times are milliseconds since the epoch; {@code from}
 * defaults to 24 hours before {@code to}, {@code to} to now. Bad parameters get 400 with a message,
 * unknown trace ids 404.
 */
public final class ApiHandler implements HttpHandler {

  private static final Logger logger = Logger.getLogger(ApiHandler.class.getName());
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Pattern TRACE_PATH = Pattern.compile("/api/v1/traces/([^/]+)");
  private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{32}");
  private static final long DAY_MILLIS = 86_400_000L;
  private static final int MAX_BUCKETS = 2000;

  /** Beyond this, milliseconds no longer fit in nanoseconds (year 2255). */
  private static final long MAX_MILLIS = 9_000_000_000_000L;

  private static final long[] NICE_STEPS = {
    1_000L,
    5_000L,
    10_000L,
    30_000L,
    60_000L,
    300_000L,
    900_000L,
    1_800_000L,
    3_600_000L,
    10_800_000L,
    21_600_000L,
    43_200_000L,
    DAY_MILLIS,
    7 * DAY_MILLIS
  };

  private final ConsoleQueries queries;
  private final Auth auth;
  private final Clock clock;
  private final Supplier<Map<String, Object>> status;

  public ApiHandler(
      ConsoleQueries queries, Auth auth, Clock clock, Supplier<Map<String, Object>> status) {
    this.queries = queries;
    this.auth = auth;
    this.clock = clock;
    this.status = status;
  }

  /** A parameter problem; the message is returned to the caller with 400. */
  static final class BadRequest extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BadRequest(String message) {
      super(message);
    }
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try {
      if (!auth.uiAllowed(exchange)) {
        exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        error(exchange, 401, "missing or wrong token: log in at /login or send a bearer token");
        return;
      }
      if (!"GET".equals(exchange.getRequestMethod())
          && !"HEAD".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Allow", "GET");
        error(exchange, 405, "the query API is read-only: use GET");
        return;
      }
      Object body = route(exchange);
      if (body == null) {
        error(exchange, 404, "not found: " + exchange.getRequestURI().getPath());
        return;
      }
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      Http.send(exchange, 200, Http.JSON, MAPPER.writeValueAsBytes(body));
    } catch (BadRequest e) {
      error(exchange, 400, e.getMessage());
    } catch (SQLException | RuntimeException e) {
      logger.log(Level.WARNING, "Query failed: " + exchange.getRequestURI(), e);
      error(exchange, 500, "query failed: " + e.getMessage());
    }
  }

  private @Nullable Object route(HttpExchange exchange) throws SQLException {
    String path = exchange.getRequestURI().getPath();
    if (path.endsWith("/") && path.length() > 1) {
      path = path.substring(0, path.length() - 1);
    }
    Map<String, String> params = Http.queryParameters(exchange);
    switch (path) {
      case "/api/v1/models":
        return queries.breakdown(filter(params, true), ConsoleQueries.Dimension.MODEL);
      case "/api/v1/workflows":
        return queries.breakdown(filter(params, true), ConsoleQueries.Dimension.WORKFLOW);
      case "/api/v1/services":
        return queries.breakdown(filter(params, true), ConsoleQueries.Dimension.SERVICE);
      case "/api/v1/endpoints":
        return queries.breakdown(filter(params, true), ConsoleQueries.Dimension.ENDPOINT);
      case "/api/v1/providers":
        return queries.breakdown(filter(params, true), ConsoleQueries.Dimension.PROVIDER);
      case "/api/v1/summary":
        return queries.summary(
            filter(params, true),
            !params.containsKey("include_retries") || boolParam(params, "include_retries"));
      case "/api/v1/overview":
        return queries.overview(filter(params, true));
      case "/api/v1/retries":
        return queries.retries(filter(params, true));
      case "/api/v1/unpriced":
        return queries.unpriced(filter(params, true));
      case "/api/v1/filters":
        return queries.filterValues(filter(params, false));
      case "/api/v1/metrics":
        return queries.metrics(filter(params, false));
      case "/api/v1/timeseries":
        return timeseries(params);
      case "/api/v1/day-over-day":
        return dayOverDay(params);
      case "/api/v1/traces":
        return traces(params);
      case "/api/v1/status":
        {
          Map<String, Object> out = new LinkedHashMap<>(status.get());
          out.put("storage", queries.storage());
          return out;
        }
      default:
        Matcher m = TRACE_PATH.matcher(path);
        if (m.matches()) {
          String id = m.group(1);
          if (!TRACE_ID.matcher(id).matches()) {
            throw new BadRequest("trace id must be 32 hex digits, got '" + abbreviate(id) + "'");
          }
          return queries.trace(id.toLowerCase(Locale.ROOT));
        }
        return null;
    }
  }

  private Object timeseries(Map<String, String> params) throws SQLException {
    QueryFilter filter = filter(params, true);
    ConsoleQueries.Metric metric =
        enumParam(params, "metric", ConsoleQueries.Metric.class, ConsoleQueries.Metric.COST);
    ConsoleQueries.Dimension groupBy =
        enumParam(
            params, "group_by", ConsoleQueries.Dimension.class, ConsoleQueries.Dimension.MODEL);
    long range = filter.toMillis() - filter.fromMillis();
    long step;
    String stepText = params.get("step");
    if (stepText == null || stepText.isEmpty()) {
      step = NICE_STEPS[NICE_STEPS.length - 1];
      for (long candidate : NICE_STEPS) {
        if (range / candidate <= 120) {
          step = candidate;
          break;
        }
      }
    } else {
      step = duration(stepText, "step");
    }
    if (range / step > MAX_BUCKETS) {
      throw new BadRequest(
          "step " + stepText + " makes more than " + MAX_BUCKETS + " buckets; use a larger step");
    }
    return queries.timeseries(filter, metric, groupBy, step);
  }

  private Object dayOverDay(Map<String, String> params) throws SQLException {
    QueryFilter filter = filter(params, true);
    long range = filter.toMillis() - filter.fromMillis();
    int days = (int) Math.min(31, Math.max(2, (range + DAY_MILLIS - 1) / DAY_MILLIS));
    if (params.containsKey("days")) {
      days = (int) longParam(params, "days", 7);
      if (days < 2 || days > 92) {
        throw new BadRequest("days must be between 2 and 92, got " + days);
      }
    }
    int tz = (int) longParam(params, "tz_offset_minutes", 0);
    if (Math.abs(tz) > 14 * 60) {
      throw new BadRequest("tz_offset_minutes must be within ±840, got " + tz);
    }
    return queries.dayOverDay(filter, days, tz);
  }

  private Object traces(Map<String, String> params) throws SQLException {
    QueryFilter filter = filter(params, true);
    Double minCost = null;
    if (params.containsKey("min_cost") && !params.get("min_cost").isEmpty()) {
      try {
        minCost = Double.parseDouble(params.get("min_cost"));
      } catch (NumberFormatException e) {
        throw new BadRequest(
            "min_cost must be a number, got '" + abbreviate(params.get("min_cost")) + "'");
      }
      if (!Double.isFinite(minCost) || minCost < 0) {
        throw new BadRequest("min_cost must be a non-negative number");
      }
    }
    boolean errorsOnly = boolParam(params, "errors_only");
    ConsoleQueries.TraceSort sort =
        enumParam(params, "sort", ConsoleQueries.TraceSort.class, ConsoleQueries.TraceSort.START);
    String order = params.getOrDefault("order", "desc").toLowerCase(Locale.ROOT);
    if (!Set.of("asc", "desc").contains(order)) {
      throw new BadRequest("order must be asc or desc, got '" + abbreviate(order) + "'");
    }
    long limit = longParam(params, "limit", 100);
    if (limit < 1 || limit > 1000) {
      throw new BadRequest("limit must be between 1 and 1000, got " + limit);
    }
    return queries.traces(filter, minCost, errorsOnly, sort, "desc".equals(order), (int) limit);
  }

  private QueryFilter filter(Map<String, String> params, boolean withModel) {
    long to = params.containsKey("to") ? longParam(params, "to", 0) : clock.millis() + 1;
    long from = params.containsKey("from") ? longParam(params, "from", 0) : to - DAY_MILLIS;
    if (from < 0 || to < 0) {
      throw new BadRequest("from and to must be milliseconds since the epoch");
    }
    if (from >= to) {
      throw new BadRequest("from (" + from + ") must be before to (" + to + ")");
    }
    if (to > MAX_MILLIS) {
      throw new BadRequest("to is too far in the future: times are milliseconds since the epoch");
    }
    return new QueryFilter(
        from,
        to,
        text(params, "service"),
        text(params, "workflow"),
        withModel ? text(params, "model") : null);
  }

  private static @Nullable String text(Map<String, String> params, String name) {
    String value = params.get(name);
    return value == null || value.isEmpty() ? null : value;
  }

  private static long longParam(Map<String, String> params, String name, long fallback) {
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new BadRequest(name + " must be an integer, got '" + abbreviate(value) + "'");
    }
  }

  private static boolean boolParam(Map<String, String> params, String name) {
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      return false;
    }
    switch (value.toLowerCase(Locale.ROOT)) {
      case "true":
      case "1":
      case "yes":
        return true;
      case "false":
      case "0":
      case "no":
        return false;
      default:
        throw new BadRequest(name + " must be true or false, got '" + abbreviate(value) + "'");
    }
  }

  private static <E extends Enum<E>> E enumParam(
      Map<String, String> params, String name, Class<E> type, E fallback) {
    String value = params.get(name);
    if (value == null || value.isEmpty()) {
      return fallback;
    }
    try {
      return Enum.valueOf(type, value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      StringBuilder allowed = new StringBuilder();
      for (E constant : type.getEnumConstants()) {
        if (allowed.length() > 0) {
          allowed.append('|');
        }
        allowed.append(constant.name().toLowerCase(Locale.ROOT));
      }
      throw new BadRequest(
          name + " must be one of " + allowed + ", got '" + abbreviate(value) + "'");
    }
  }

  /**
   * Milliseconds, or a number with a unit: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h},
   * {@code 1d}.
   */
  static long duration(String text, String name) {
    Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)?").matcher(text.trim());
    if (!m.matches()) {
      throw new BadRequest(
          name
              + " must be milliseconds or a duration like 30s, 5m, 1h, 1d; got '"
              + abbreviate(text)
              + "'");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new BadRequest(name + " is too large");
    }
    String unit = m.group(2) == null ? "ms" : m.group(2);
    long factor =
        switch (unit) {
          case "s" -> 1_000L;
          case "m" -> 60_000L;
          case "h" -> 3_600_000L;
          case "d" -> DAY_MILLIS;
          default -> 1L;
        };
    if (n <= 0 || n > Long.MAX_VALUE / factor) {
      throw new BadRequest(name + " must be positive");
    }
    return n * factor;
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 37) + "..." : s;
  }

  private static void error(HttpExchange exchange, int status, String message) throws IOException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", message);
    body.put("status", status);
    Http.send(exchange, status, Http.JSON, MAPPER.writeValueAsBytes(body));
  }
}
