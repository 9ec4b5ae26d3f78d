package dev.tokenscope.console.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.metrics.v1.AggregationTemporality;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogram;
import io.opentelemetry.proto.metrics.v1.ExponentialHistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Gauge;
import io.opentelemetry.proto.metrics.v1.Histogram;
import io.opentelemetry.proto.metrics.v1.HistogramDataPoint;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import io.opentelemetry.proto.metrics.v1.Sum;
import io.opentelemetry.proto.metrics.v1.Summary;
import io.opentelemetry.proto.metrics.v1.SummaryDataPoint;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.IOException;
import java.util.Base64;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Decodes OTLP/JSON into the OTLP protobuf messages, so both encodings share one mapping path.
 *
 * <p>Protobuf's own {@code JsonFormat} cannot be used: OTLP/JSON deviates from the canonical proto3
 * JSON mapping by writing trace and span ids as hex rather than base64. This reader follows the
 * OTLP spec: lowerCamelCase keys (snake_case accepted too), ids in hex (base64 accepted when it
 * decodes to the right length), 64-bit integers as strings or numbers, enums as integers (names
 * accepted), unknown fields ignored.
 */
public final class OtlpJson {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private OtlpJson() {}

  public static ExportTraceServiceRequest traces(byte[] body) throws OtlpDecodeException {
    JsonNode root = parse(body);
    ExportTraceServiceRequest.Builder request = ExportTraceServiceRequest.newBuilder();
    for (JsonNode rs : array(root, "resourceSpans")) {
      ResourceSpans.Builder resourceSpans = ResourceSpans.newBuilder();
      JsonNode resource = field(rs, "resource");
      if (resource != null) {
        resourceSpans.setResource(resource(resource));
      }
      resourceSpans.setSchemaUrl(text(rs, "schemaUrl"));
      for (JsonNode ss : array(rs, "scopeSpans")) {
        ScopeSpans.Builder scopeSpans = ScopeSpans.newBuilder();
        JsonNode scope = field(ss, "scope");
        if (scope != null) {
          scopeSpans.setScope(scope(scope));
        }
        scopeSpans.setSchemaUrl(text(ss, "schemaUrl"));
        for (JsonNode span : array(ss, "spans")) {
          scopeSpans.addSpans(span(span));
        }
        resourceSpans.addScopeSpans(scopeSpans);
      }
      request.addResourceSpans(resourceSpans);
    }
    return request.build();
  }

  public static ExportMetricsServiceRequest metrics(byte[] body) throws OtlpDecodeException {
    JsonNode root = parse(body);
    ExportMetricsServiceRequest.Builder request = ExportMetricsServiceRequest.newBuilder();
    for (JsonNode rm : array(root, "resourceMetrics")) {
      ResourceMetrics.Builder resourceMetrics = ResourceMetrics.newBuilder();
      JsonNode resource = field(rm, "resource");
      if (resource != null) {
        resourceMetrics.setResource(resource(resource));
      }
      for (JsonNode sm : array(rm, "scopeMetrics")) {
        ScopeMetrics.Builder scopeMetrics = ScopeMetrics.newBuilder();
        JsonNode scope = field(sm, "scope");
        if (scope != null) {
          scopeMetrics.setScope(scope(scope));
        }
        for (JsonNode metric : array(sm, "metrics")) {
          scopeMetrics.addMetrics(metric(metric));
        }
        resourceMetrics.addScopeMetrics(scopeMetrics);
      }
      request.addResourceMetrics(resourceMetrics);
    }
    return request.build();
  }

  private static JsonNode parse(byte[] body) throws OtlpDecodeException {
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (JsonProcessingException e) {
      throw new OtlpDecodeException("invalid JSON: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new OtlpDecodeException("invalid JSON: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new OtlpDecodeException("invalid OTLP/JSON: the body must be a JSON object");
    }
    return root;
  }

  private static Span span(JsonNode node) throws OtlpDecodeException {
    requireObject(node, "span");
    Span.Builder span =
        Span.newBuilder()
            .setTraceId(id(node, "traceId", 16))
            .setSpanId(id(node, "spanId", 8))
            .setParentSpanId(id(node, "parentSpanId", 8))
            .setTraceState(text(node, "traceState"))
            .setName(text(node, "name"))
            .setKindValue((int) enumValue(node, "kind", Span.SpanKind::valueOf))
            .setStartTimeUnixNano(int64(node, "startTimeUnixNano"))
            .setEndTimeUnixNano(int64(node, "endTimeUnixNano"))
            .setDroppedAttributesCount((int) int64(node, "droppedAttributesCount"))
            .setFlags((int) int64(node, "flags"));
    attributes(node, span::addAttributes);
    for (JsonNode event : array(node, "events")) {
      Span.Event.Builder e =
          Span.Event.newBuilder()
              .setTimeUnixNano(int64(event, "timeUnixNano"))
              .setName(text(event, "name"));
      attributes(event, e::addAttributes);
      span.addEvents(e);
    }
    for (JsonNode link : array(node, "links")) {
      Span.Link.Builder l =
          Span.Link.newBuilder()
              .setTraceId(id(link, "traceId", 16))
              .setSpanId(id(link, "spanId", 8))
              .setTraceState(text(link, "traceState"));
      attributes(link, l::addAttributes);
      span.addLinks(l);
    }
    JsonNode status = field(node, "status");
    if (status != null && status.isObject()) {
      span.setStatus(
          Status.newBuilder()
              .setCodeValue((int) enumValue(status, "code", Status.StatusCode::valueOf))
              .setMessage(text(status, "message")));
    }
    return span.build();
  }

  private static Metric metric(JsonNode node) throws OtlpDecodeException {
    requireObject(node, "metric");
    Metric.Builder metric =
        Metric.newBuilder()
            .setName(text(node, "name"))
            .setDescription(text(node, "description"))
            .setUnit(text(node, "unit"));
    JsonNode data;
    if ((data = field(node, "gauge")) != null) {
      Gauge.Builder gauge = Gauge.newBuilder();
      for (JsonNode p : array(data, "dataPoints")) {
        gauge.addDataPoints(numberPoint(p));
      }
      metric.setGauge(gauge);
    } else if ((data = field(node, "sum")) != null) {
      Sum.Builder sum =
          Sum.newBuilder()
              .setAggregationTemporalityValue((int) temporality(data))
              .setIsMonotonic(bool(data, "isMonotonic"));
      for (JsonNode p : array(data, "dataPoints")) {
        sum.addDataPoints(numberPoint(p));
      }
      metric.setSum(sum);
    } else if ((data = field(node, "histogram")) != null) {
      Histogram.Builder histogram =
          Histogram.newBuilder().setAggregationTemporalityValue((int) temporality(data));
      for (JsonNode p : array(data, "dataPoints")) {
        HistogramDataPoint.Builder point =
            HistogramDataPoint.newBuilder()
                .setStartTimeUnixNano(int64(p, "startTimeUnixNano"))
                .setTimeUnixNano(int64(p, "timeUnixNano"))
                .setCount(int64(p, "count"));
        Double value;
        if ((value = optionalDouble(p, "sum")) != null) {
          point.setSum(value);
        }
        if ((value = optionalDouble(p, "min")) != null) {
          point.setMin(value);
        }
        if ((value = optionalDouble(p, "max")) != null) {
          point.setMax(value);
        }
        for (JsonNode c : array(p, "bucketCounts")) {
          point.addBucketCounts(asInt64(c, "bucketCounts"));
        }
        for (JsonNode b : array(p, "explicitBounds")) {
          point.addExplicitBounds(asDouble(b, "explicitBounds"));
        }
        attributes(p, point::addAttributes);
        histogram.addDataPoints(point);
      }
      metric.setHistogram(histogram);
    } else if ((data = field(node, "exponentialHistogram")) != null) {
      ExponentialHistogram.Builder histogram =
          ExponentialHistogram.newBuilder().setAggregationTemporalityValue((int) temporality(data));
      for (JsonNode p : array(data, "dataPoints")) {
        ExponentialHistogramDataPoint.Builder point =
            ExponentialHistogramDataPoint.newBuilder()
                .setStartTimeUnixNano(int64(p, "startTimeUnixNano"))
                .setTimeUnixNano(int64(p, "timeUnixNano"))
                .setCount(int64(p, "count"))
                .setScale((int) int64(p, "scale"))
                .setZeroCount(int64(p, "zeroCount"));
        Double value;
        if ((value = optionalDouble(p, "sum")) != null) {
          point.setSum(value);
        }
        if ((value = optionalDouble(p, "min")) != null) {
          point.setMin(value);
        }
        if ((value = optionalDouble(p, "max")) != null) {
          point.setMax(value);
        }
        attributes(p, point::addAttributes);
        histogram.addDataPoints(point);
      }
      metric.setExponentialHistogram(histogram);
    } else if ((data = field(node, "summary")) != null) {
      Summary.Builder summary = Summary.newBuilder();
      for (JsonNode p : array(data, "dataPoints")) {
        SummaryDataPoint.Builder point =
            SummaryDataPoint.newBuilder()
                .setStartTimeUnixNano(int64(p, "startTimeUnixNano"))
                .setTimeUnixNano(int64(p, "timeUnixNano"))
                .setCount(int64(p, "count"))
                .setSum(doubleValue(p, "sum"));
        attributes(p, point::addAttributes);
        summary.addDataPoints(point);
      }
      metric.setSummary(summary);
    }
    return metric.build();
  }

  private static NumberDataPoint numberPoint(JsonNode p) throws OtlpDecodeException {
    requireObject(p, "data point");
    NumberDataPoint.Builder point =
        NumberDataPoint.newBuilder()
            .setStartTimeUnixNano(int64(p, "startTimeUnixNano"))
            .setTimeUnixNano(int64(p, "timeUnixNano"));
    JsonNode v;
    if ((v = field(p, "asDouble")) != null) {
      point.setAsDouble(asDouble(v, "asDouble"));
    } else if ((v = field(p, "asInt")) != null) {
      point.setAsInt(asInt64(v, "asInt"));
    }
    attributes(p, point::addAttributes);
    return point.build();
  }

  private static long temporality(JsonNode data) throws OtlpDecodeException {
    return enumValue(data, "aggregationTemporality", AggregationTemporality::valueOf);
  }

  private static Resource resource(JsonNode node) throws OtlpDecodeException {
    requireObject(node, "resource");
    Resource.Builder resource =
        Resource.newBuilder()
            .setDroppedAttributesCount((int) int64(node, "droppedAttributesCount"));
    attributes(node, resource::addAttributes);
    return resource.build();
  }

  private static InstrumentationScope scope(JsonNode node) throws OtlpDecodeException {
    requireObject(node, "scope");
    InstrumentationScope.Builder scope =
        InstrumentationScope.newBuilder()
            .setName(text(node, "name"))
            .setVersion(text(node, "version"));
    attributes(node, scope::addAttributes);
    return scope.build();
  }

  private static void attributes(JsonNode owner, Consumer<KeyValue> sink)
      throws OtlpDecodeException {
    for (JsonNode kv : array(owner, "attributes")) {
      sink.accept(keyValue(kv));
    }
  }

  private static KeyValue keyValue(JsonNode kv) throws OtlpDecodeException {
    requireObject(kv, "attribute");
    KeyValue.Builder builder = KeyValue.newBuilder().setKey(text(kv, "key"));
    JsonNode value = field(kv, "value");
    if (value != null) {
      builder.setValue(anyValue(value));
    }
    return builder.build();
  }

  private static AnyValue anyValue(JsonNode node) throws OtlpDecodeException {
    requireObject(node, "attribute value");
    JsonNode v;
    if ((v = field(node, "stringValue")) != null) {
      return AnyValue.newBuilder()
          .setStringValue(v.isTextual() ? v.textValue() : v.toString())
          .build();
    }
    if ((v = field(node, "boolValue")) != null) {
      if (v.isBoolean()) {
        return AnyValue.newBuilder().setBoolValue(v.booleanValue()).build();
      }
      if (v.isTextual() && ("true".equals(v.textValue()) || "false".equals(v.textValue()))) {
        return AnyValue.newBuilder().setBoolValue(Boolean.parseBoolean(v.textValue())).build();
      }
      throw new OtlpDecodeException("boolValue is not a boolean: " + abbreviate(v));
    }
    if ((v = field(node, "intValue")) != null) {
      return AnyValue.newBuilder().setIntValue(asInt64(v, "intValue")).build();
    }
    if ((v = field(node, "doubleValue")) != null) {
      return AnyValue.newBuilder().setDoubleValue(asDouble(v, "doubleValue")).build();
    }
    if ((v = field(node, "arrayValue")) != null) {
      ArrayValue.Builder array = ArrayValue.newBuilder();
      for (JsonNode element : array(v, "values")) {
        array.addValues(anyValue(element));
      }
      return AnyValue.newBuilder().setArrayValue(array).build();
    }
    if ((v = field(node, "kvlistValue")) != null) {
      KeyValueList.Builder list = KeyValueList.newBuilder();
      for (JsonNode element : array(v, "values")) {
        list.addValues(keyValue(element));
      }
      return AnyValue.newBuilder().setKvlistValue(list).build();
    }
    if ((v = field(node, "bytesValue")) != null) {
      try {
        return AnyValue.newBuilder()
            .setBytesValue(ByteString.copyFrom(Base64.getDecoder().decode(v.asText())))
            .build();
      } catch (IllegalArgumentException e) {
        throw new OtlpDecodeException("bytesValue is not base64: " + abbreviate(v));
      }
    }
    return AnyValue.getDefaultInstance();
  }

  // ---- field access ------------------------------------------------------------------------

  private static @Nullable JsonNode field(JsonNode node, String camelName) {
    JsonNode v = node.get(camelName);
    if (v == null) {
      v = node.get(snake(camelName));
    }
    return v == null || v.isNull() ? null : v;
  }

  private static String snake(String camel) {
    StringBuilder out = new StringBuilder(camel.length() + 4);
    for (int i = 0; i < camel.length(); i++) {
      char c = camel.charAt(i);
      if (Character.isUpperCase(c)) {
        out.append('_').append(Character.toLowerCase(c));
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static Iterable<JsonNode> array(JsonNode node, String name) throws OtlpDecodeException {
    if (!node.isObject()) {
      throw new OtlpDecodeException("expected an object holding '" + name + "'");
    }
    JsonNode v = field(node, name);
    if (v == null) {
      return java.util.List.of();
    }
    if (!v.isArray()) {
      throw new OtlpDecodeException("'" + name + "' must be an array, got " + abbreviate(v));
    }
    return v;
  }

  private static void requireObject(JsonNode node, String what) throws OtlpDecodeException {
    if (!node.isObject()) {
      throw new OtlpDecodeException(what + " must be an object, got " + abbreviate(node));
    }
  }

  private static String text(JsonNode node, String name) throws OtlpDecodeException {
    JsonNode v = field(node, name);
    if (v == null) {
      return "";
    }
    if (!v.isValueNode() || v.isBinary()) {
      throw new OtlpDecodeException("'" + name + "' must be a string, got " + abbreviate(v));
    }
    return v.asText();
  }

  private static boolean bool(JsonNode node, String name) {
    JsonNode v = field(node, name);
    return v != null && (v.isBoolean() ? v.booleanValue() : "true".equals(v.asText()));
  }

  private static long int64(JsonNode node, String name) throws OtlpDecodeException {
    JsonNode v = field(node, name);
    return v == null ? 0 : asInt64(v, name);
  }

  private static long asInt64(JsonNode v, String name) throws OtlpDecodeException {
    if (v.isIntegralNumber() && v.canConvertToLong()) {
      return v.longValue();
    }
    if (v.isTextual()) {
      try {
        return Long.parseLong(v.textValue().trim());
      } catch (NumberFormatException e) {
        // fall through: some encoders write uint64 beyond Long.MAX_VALUE
        try {
          return Long.parseUnsignedLong(v.textValue().trim());
        } catch (NumberFormatException ignored) {
          // reported below
        }
      }
    }
    if (v.isFloatingPointNumber() && v.doubleValue() == Math.rint(v.doubleValue())) {
      return (long) v.doubleValue();
    }
    throw new OtlpDecodeException("'" + name + "' must be an integer, got " + abbreviate(v));
  }

  private static double doubleValue(JsonNode node, String name) throws OtlpDecodeException {
    JsonNode v = field(node, name);
    return v == null ? 0 : asDouble(v, name);
  }

  private static @Nullable Double optionalDouble(JsonNode node, String name)
      throws OtlpDecodeException {
    JsonNode v = field(node, name);
    return v == null ? null : asDouble(v, name);
  }

  private static double asDouble(JsonNode v, String name) throws OtlpDecodeException {
    if (v.isNumber()) {
      return v.doubleValue();
    }
    if (v.isTextual()) {
      try {
        return Double.parseDouble(v.textValue().trim());
      } catch (NumberFormatException e) {
        // reported below
      }
    }
    throw new OtlpDecodeException("'" + name + "' must be a number, got " + abbreviate(v));
  }

  private interface EnumByName {
    Object valueOf(String name);
  }

  private static long enumValue(JsonNode node, String name, EnumByName byName)
      throws OtlpDecodeException {
    JsonNode v = field(node, name);
    if (v == null) {
      return 0;
    }
    if (v.isTextual()) {
      String text = v.textValue().trim();
      if (!text.isEmpty() && Character.isLetter(text.charAt(0))) {
        try {
          return ((com.google.protobuf.ProtocolMessageEnum) byName.valueOf(text)).getNumber();
        } catch (IllegalArgumentException e) {
          throw new OtlpDecodeException("unknown value of '" + name + "': " + abbreviate(v));
        }
      }
    }
    return asInt64(v, name);
  }

  /** A hex id (OTLP/JSON), or base64 of the right length (canonical proto3 JSON). */
  private static ByteString id(JsonNode node, String name, int bytes) throws OtlpDecodeException {
    String text = text(node, name);
    if (text.isEmpty()) {
      return ByteString.EMPTY;
    }
    if (text.length() == bytes * 2) {
      byte[] out = new byte[bytes];
      boolean hex = true;
      for (int i = 0; i < bytes && hex; i++) {
        int hi = Character.digit(text.charAt(i * 2), 16);
        int lo = Character.digit(text.charAt(i * 2 + 1), 16);
        if (hi < 0 || lo < 0) {
          hex = false;
        } else {
          out[i] = (byte) ((hi << 4) | lo);
        }
      }
      if (hex) {
        return ByteString.copyFrom(out);
      }
    }
    try {
      byte[] decoded = Base64.getDecoder().decode(text);
      if (decoded.length == bytes) {
        return ByteString.copyFrom(decoded);
      }
    } catch (IllegalArgumentException e) {
      // reported below
    }
    throw new OtlpDecodeException(
        "'" + name + "' must be " + (bytes * 2) + " hex digits, got " + abbreviate(text));
  }

  private static String abbreviate(Object value) {
    String s = String.valueOf(value);
    return s.length() > 60 ? s.substring(0, 57) + "..." : s;
  }
}
