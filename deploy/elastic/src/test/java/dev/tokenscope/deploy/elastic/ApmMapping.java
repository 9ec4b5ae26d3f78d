package dev.tokenscope.deploy.elastic;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.metrics.data.PointData;
import io.opentelemetry.sdk.metrics.data.SummaryPointData;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What Elastic APM Server makes of OTLP traces and metrics, as far as TokenScope's telemetry goes.
 *
 * <p>A model of APM Server's OTLP intake ({@code elastic/apm-data}, {@code input/otlp}: traces.go,
 * metrics.go, metadata.go) and of the documented mapping in TELEMETRY-CONTRACT.md, "How it lands in
 * Elastic":
 *
 * <ul>
 *   <li>root spans and SERVER/CONSUMER spans become transactions, all others spans;
 *   <li>a span's duration lands in {@code span.duration.us} ({@code transaction.duration.us});
 *   <li>span status gives {@code event.outcome}: OK success, ERROR failure, UNSET unknown;
 *   <li>attributes APM knows (HTTP, database, messaging, RPC, server address/port) become ECS
 *       fields; {@code gen_ai.system} on a span becomes {@code span.type=genai} and {@code
 *       span.subtype=<value>};
 *   <li>every other attribute becomes a label with {@code .} (and {@code *}, {@code "}) replaced by
 *       {@code _}: strings and booleans ("true"/"false") under {@code labels.*}, numbers under
 *       {@code numeric_labels.*}, indexed as scaled_float with factor 1e6, so a stored value is
 *       rounded to the nearest millionth ({@link #scaledFloat});
 *   <li>metrics land in {@code metrics-apm.app.<service>-default}: one document per timestamp and
 *       attribute set, each metric a top-level field named as the metric, data point attributes as
 *       labels; histograms keep only bucket values and counts (no sum), exponential histograms are
 *       dropped.
 * </ul>
 *
 * <p>Not modelled (TokenScope emits none of it): span events, links, Jaeger specifics, sampling
 * rates, RUM, and the ECS fields of unrelated attributes beyond marking them consumed.
 */
final class ApmMapping {

  static final double NUMERIC_LABEL_SCALING_FACTOR = 1_000_000d;
  static final String TRACES_INDEX = "traces-apm-default";

  // Network attributes both transactions and spans turn into network.* fields.
  private static final Set<String> NETWORK_STRINGS =
      Set.of(
          "net.host.connection.type",
          "net.host.connection.subtype",
          "net.host.carrier.mcc",
          "net.host.carrier.mnc",
          "net.host.carrier.name",
          "net.host.carrier.icc");

  // Attributes APM Server consumes into ECS fields instead of labels (TranslateTransaction).
  private static final Set<String> TRANSACTION_STRINGS =
      Set.of(
          "http.method",
          "http.request.method",
          "http.url",
          "http.target",
          "http.path",
          "http.host",
          "http.scheme",
          "http.status_code",
          "http.response.status_code",
          "http.flavor",
          "http.protocol",
          "http.server_name",
          "http.client_ip",
          "http.user_agent",
          "user_agent.original",
          "net.peer.ip",
          "net.peer.name",
          "net.host.name",
          "message_bus.destination",
          "messaging.destination",
          "rpc.system",
          "rpc.grpc.status_code",
          "rpc.service",
          "rpc.method",
          "url.full",
          "type",
          "session.id",
          "service.version");
  private static final Set<String> TRANSACTION_INTS =
      Set.of(
          "http.status_code",
          "http.response.status_code",
          "net.peer.port",
          "net.host.port",
          "rpc.grpc.status_code");

  // ... and TranslateSpan.
  private static final Set<String> SPAN_STRINGS =
      Set.of(
          "http.host",
          "http.scheme",
          "http.target",
          "http.url",
          "http.method",
          "http.request.method",
          "sql.query",
          "db.statement",
          "db.name",
          "db.instance",
          "db.elasticsearch.cluster.name",
          "db.system",
          "db.type",
          "db.user",
          "net.peer.name",
          "peer.hostname",
          "net.peer.ip",
          "peer.ipv4",
          "peer.ipv6",
          "peer.address",
          "server.address",
          "session.id",
          "message_bus.destination",
          "messaging.destination",
          "messaging.operation",
          "messaging.system",
          "rpc.system",
          "rpc.service",
          "rpc.grpc.status_code",
          "rpc.method",
          "url.full",
          "code.stacktrace",
          "span.kind",
          "peer.service",
          "gen_ai.system");
  private static final Set<String> SPAN_INTS =
      Set.of(
          "http.status_code",
          "http.response.status_code",
          "net.peer.port",
          "peer.port",
          "server.port",
          "rpc.grpc.status_code");

  private static final Set<String> HTTP_KEYS =
      Set.of(
          "http.method",
          "http.request.method",
          "http.url",
          "http.target",
          "http.path",
          "http.host",
          "http.scheme",
          "url.full",
          "http.status_code",
          "http.response.status_code");
  private static final Set<String> DB_KEYS =
      Set.of("sql.query", "db.statement", "db.name", "db.instance", "db.system", "db.type");
  private static final Set<String> MESSAGING_KEYS =
      Set.of(
          "message_bus.destination",
          "messaging.destination",
          "messaging.operation",
          "messaging.system");
  private static final Set<String> RPC_KEYS =
      Set.of("rpc.system", "rpc.service", "rpc.grpc.status_code");

  static List<ApmDocument> traces(List<SpanData> spans) {
    List<ApmDocument> documents = new ArrayList<>();
    for (SpanData span : spans) {
      documents.add(span(span));
    }
    return documents;
  }

  static ApmDocument span(SpanData span) {
    Map<String, Object> doc = new LinkedHashMap<>();
    resource(span.getResource(), doc);
    doc.put("@timestamp", Instant.ofEpochSecond(0, span.getStartEpochNanos()).toString());
    doc.put("trace.id", span.getTraceId());
    boolean root = !span.getParentSpanContext().isValid();
    if (!root) {
      doc.put("parent.id", span.getParentSpanId());
    }
    doc.put("event.outcome", outcome(span.getStatus().getStatusCode()));
    doc.put("data_stream.type", "traces");
    doc.put("data_stream.dataset", "apm");
    doc.put("data_stream.namespace", "default");
    long durationMicros = (span.getEndEpochNanos() - span.getStartEpochNanos()) / 1_000;
    SpanKind kind = span.getKind();
    if (root || kind == SpanKind.SERVER || kind == SpanKind.CONSUMER) {
      transaction(span, durationMicros, doc);
    } else {
      span(span, durationMicros, doc);
    }
    return new ApmDocument(TRACES_INDEX, doc);
  }

  private static void transaction(SpanData span, long durationMicros, Map<String, Object> doc) {
    doc.put("processor.event", "transaction");
    doc.put("transaction.id", span.getSpanId());
    doc.put("span.id", span.getSpanId());
    doc.put("transaction.name", span.getName());
    doc.put("transaction.sampled", true);
    doc.put("transaction.duration.us", durationMicros);
    doc.put("service.framework.name", span.getInstrumentationScopeInfo().getName());
    Protocols protocols = Protocols.of(span.getAttributes());
    String type = null;
    Long statusCode = null;
    for (Map.Entry<AttributeKey<?>, Object> entry : span.getAttributes().asMap().entrySet()) {
      String key = entry.getKey().getKey();
      Object value = entry.getValue();
      if (value instanceof String s) {
        if (key.equals("type")) {
          type = s;
        } else if (key.equals("http.request.method") || key.equals("http.method")) {
          doc.put("http.request.method", s);
        } else if (!TRANSACTION_STRINGS.contains(key) && !NETWORK_STRINGS.contains(key)) {
          doc.put("labels." + labelKey(key), s);
        }
      } else if (value instanceof Long l) {
        if (key.equals("http.status_code") || key.equals("http.response.status_code")) {
          statusCode = l;
          doc.put("http.response.status_code", l);
        } else if (!TRANSACTION_INTS.contains(key)) {
          doc.put("numeric_labels." + labelKey(key), scaledFloat(l));
        }
      } else {
        label(key, value, doc);
      }
    }
    doc.put(
        "transaction.type",
        type != null
            ? type
            : protocols.messaging()
                ? "messaging"
                : protocols.http() || protocols.rpc() ? "request" : "unknown");
    String result = spanStatusResult(span.getStatus().getStatusCode());
    if (statusCode != null) {
      result = "HTTP " + (statusCode / 100) + "xx";
      if (doc.get("event.outcome").equals("unknown")) {
        doc.put("event.outcome", statusCode >= 500 ? "failure" : "success");
      }
    }
    doc.put("transaction.result", result);
  }

  private static void span(SpanData span, long durationMicros, Map<String, Object> doc) {
    doc.put("processor.event", "span");
    doc.put("span.id", span.getSpanId());
    doc.put("span.name", span.getName());
    doc.put("span.duration.us", durationMicros);
    Protocols protocols = Protocols.of(span.getAttributes());
    String genAiSystem = null;
    for (Map.Entry<AttributeKey<?>, Object> entry : span.getAttributes().asMap().entrySet()) {
      String key = entry.getKey().getKey();
      Object value = entry.getValue();
      if (value instanceof String s) {
        switch (key) {
          case "gen_ai.system" -> genAiSystem = s;
          case "server.address", "net.peer.name", "peer.hostname" ->
              doc.put("destination.address", s);
          default -> {
            if (!SPAN_STRINGS.contains(key) && !NETWORK_STRINGS.contains(key)) {
              doc.put("labels." + labelKey(key), s);
            }
          }
        }
      } else if (value instanceof Long l) {
        if (key.equals("server.port") || key.equals("net.peer.port") || key.equals("peer.port")) {
          doc.put("destination.port", l);
        } else if (key.equals("http.status_code") || key.equals("http.response.status_code")) {
          doc.put("http.response.status_code", l);
        } else if (!SPAN_INTS.contains(key)) {
          doc.put("numeric_labels." + labelKey(key), scaledFloat(l));
        }
      } else {
        label(key, value, doc);
      }
    }
    String type;
    String subtype = null;
    if (protocols.db()) {
      type = "db";
    } else if (protocols.messaging()) {
      type = "messaging";
    } else if (protocols.rpc() || protocols.http()) {
      type = "external";
      subtype = protocols.http() && !protocols.rpc() ? "http" : null;
    } else if (genAiSystem != null) {
      type = "genai";
      subtype = genAiSystem;
    } else if (span.getKind() == SpanKind.INTERNAL) {
      type = "app";
      subtype = "internal";
    } else {
      type = "unknown";
    }
    doc.put("span.type", type);
    if (subtype != null) {
      doc.put("span.subtype", subtype);
    }
  }

  /** Which protocol attributes a span carries: they decide its type before gen_ai does. */
  private record Protocols(boolean http, boolean db, boolean rpc, boolean messaging) {
    static Protocols of(Attributes attributes) {
      boolean http = false;
      boolean db = false;
      boolean rpc = false;
      boolean messaging = false;
      for (AttributeKey<?> key : attributes.asMap().keySet()) {
        http |= HTTP_KEYS.contains(key.getKey());
        db |= DB_KEYS.contains(key.getKey());
        rpc |= RPC_KEYS.contains(key.getKey());
        messaging |= MESSAGING_KEYS.contains(key.getKey());
      }
      return new Protocols(http, db, rpc, messaging);
    }
  }

  /** Booleans, doubles and arrays: the same on transactions and spans. */
  private static void label(String key, Object value, Map<String, Object> doc) {
    String name = labelKey(key);
    if (value instanceof Boolean b) {
      doc.put("labels." + name, b.toString());
    } else if (value instanceof Double d) {
      doc.put("numeric_labels." + name, scaledFloat(d));
    } else if (value instanceof List<?> list && !list.isEmpty()) {
      if (list.get(0) instanceof Number) {
        doc.put(
            "numeric_labels." + name,
            list.stream().map(n -> scaledFloat(((Number) n).doubleValue())).toList());
      } else {
        doc.put("labels." + name, list.stream().map(Object::toString).toList());
      }
    }
  }

  static List<ApmDocument> metrics(List<MetricData> metrics) {
    // APM Server groups the data points of one resource and scope by timestamp and attributes.
    Map<String, Map<String, Object>> documents = new LinkedHashMap<>();
    Map<String, String> indexes = new LinkedHashMap<>();
    for (MetricData metric : metrics) {
      for (PointData point : metric.getData().getPoints()) {
        Object value = sample(point);
        if (value == null) {
          continue;
        }
        String key =
            metric.getResource().hashCode()
                + "|"
                + metric.getInstrumentationScopeInfo().getName()
                + "|"
                + point.getEpochNanos()
                + "|"
                + point.getAttributes();
        Map<String, Object> doc =
            documents.computeIfAbsent(
                key,
                unused -> {
                  Map<String, Object> fields = new LinkedHashMap<>();
                  resource(metric.getResource(), fields);
                  fields.put(
                      "@timestamp", Instant.ofEpochSecond(0, point.getEpochNanos()).toString());
                  fields.put("processor.event", "metric");
                  fields.put("metricset.name", "app");
                  String dataset = "apm.app." + datasetName((String) fields.get("service.name"));
                  fields.put("data_stream.type", "metrics");
                  fields.put("data_stream.dataset", dataset);
                  fields.put("data_stream.namespace", "default");
                  point.getAttributes().forEach((name, v) -> metricLabel(name.getKey(), v, fields));
                  return fields;
                });
        indexes.putIfAbsent(key, "metrics-" + doc.get("data_stream.dataset") + "-default");
        doc.put(metric.getName(), value);
      }
    }
    List<ApmDocument> result = new ArrayList<>();
    documents.forEach((key, doc) -> result.add(new ApmDocument(indexes.get(key), doc)));
    return result;
  }

  private static Object sample(PointData point) {
    if (point instanceof LongPointData l) {
      return (double) l.getValue();
    }
    if (point instanceof DoublePointData d) {
      return Double.isFinite(d.getValue()) ? d.getValue() : null;
    }
    if (point instanceof HistogramPointData h) {
      return histogram(h.getBoundaries(), h.getCounts());
    }
    if (point instanceof SummaryPointData s) {
      return Map.of("value_count", s.getCount(), "sum", s.getSum());
    }
    return null; // exponential histograms: APM Server drops them
  }

  /** Bucket midpoints and counts, skipping empty buckets (apm-data histogramSample). */
  private static Object histogram(List<Double> bounds, List<Long> counts) {
    if (bounds.isEmpty() || counts.size() != bounds.size() + 1) {
      return null;
    }
    List<Double> values = new ArrayList<>();
    List<Long> kept = new ArrayList<>();
    for (int i = 0; i < counts.size(); i++) {
      long count = counts.get(i);
      if (count == 0) {
        continue;
      }
      double value;
      if (i == 0) {
        value = bounds.get(0) > 0 ? bounds.get(0) / 2 : bounds.get(0);
      } else if (i == counts.size() - 1) {
        value = bounds.get(i - 1);
      } else {
        value = bounds.get(i - 1) + (bounds.get(i) - bounds.get(i - 1)) / 2;
      }
      values.add(value);
      kept.add(count);
    }
    return Map.of("values", values, "counts", kept);
  }

  private static void metricLabel(String key, Object value, Map<String, Object> doc) {
    if (value instanceof String s) {
      doc.put("labels." + labelKey(key), s);
    } else if (value instanceof Long l) {
      doc.put("numeric_labels." + labelKey(key), scaledFloat(l));
    } else {
      label(key, value, doc);
    }
  }

  /** Resource attributes: ECS service/agent fields; the rest become labels of every document. */
  private static void resource(Resource resource, Map<String, Object> doc) {
    Attributes attributes = resource.getAttributes();
    String language = null;
    String sdkName = null;
    for (Map.Entry<AttributeKey<?>, Object> entry : attributes.asMap().entrySet()) {
      String key = entry.getKey().getKey();
      Object value = entry.getValue();
      switch (key) {
        case "service.name" -> doc.put("service.name", value.toString());
        case "service.version" -> doc.put("service.version", value.toString());
        case "deployment.environment", "deployment.environment.name" ->
            doc.put("service.environment", value.toString());
        case "service.instance.id" -> doc.put("service.node.name", value.toString());
        case "host.name" -> doc.put("host.hostname", value.toString());
        case "telemetry.sdk.language" -> language = value.toString();
        case "telemetry.sdk.name" -> sdkName = value.toString();
        case "telemetry.sdk.version" -> doc.put("agent.version", value.toString());
        default -> {
          if (value instanceof String s) {
            doc.put("labels." + labelKey(key), s);
          } else if (value instanceof Long l) {
            doc.put("numeric_labels." + labelKey(key), scaledFloat(l));
          } else {
            label(key, value, doc);
          }
        }
      }
    }
    if (language != null) {
      doc.put("service.language.name", language);
    }
    doc.put(
        "agent.name",
        sdkName == null ? "otlp" : language == null ? sdkName : sdkName + "/" + language);
  }

  /** Label keys may not contain '.', '*' or '"': APM Server replaces them with '_'. */
  static String labelKey(String attributeKey) {
    return attributeKey.replace('.', '_').replace('*', '_').replace('"', '_');
  }

  /** The value a scaled_float field with factor 1e6 gives back: rounded to a millionth. */
  static double scaledFloat(double value) {
    return Math.round(value * NUMERIC_LABEL_SCALING_FACTOR) / NUMERIC_LABEL_SCALING_FACTOR;
  }

  /** The data stream dataset of a service's app metrics: lower case, no reserved characters. */
  static String datasetName(String serviceName) {
    return serviceName.toLowerCase(Locale.ROOT).replaceAll("[\\\\/*?\"<>| ,#:-]", "_");
  }

  private static String outcome(StatusCode code) {
    return switch (code) {
      case OK -> "success";
      case ERROR -> "failure";
      case UNSET -> "unknown";
    };
  }

  private static String spanStatusResult(StatusCode code) {
    return switch (code) {
      case OK -> "Success";
      case ERROR -> "Error";
      case UNSET -> "";
    };
  }

  private ApmMapping() {}
}
