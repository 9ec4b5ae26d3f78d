package dev.tokenscope.console.internal;

import static dev.tokenscope.core.TelemetryContract.ATTEMPT;
import static dev.tokenscope.core.TelemetryContract.ERROR_TYPE;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_CACHE_READ_USD;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_CACHE_WRITE_USD;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_INPUT_USD;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_MODEL_RESOLVED;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_OUTPUT_USD;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_PRICING_SOURCE;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_PRICING_UNAVAILABLE;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_PROVIDER;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_TOTAL_USD;
import static dev.tokenscope.core.TelemetryContract.ROLLUP_COST_USD;
import static dev.tokenscope.core.TelemetryContract.SERVICE_NAME;
import static dev.tokenscope.core.TelemetryContract.SPAN_KIND_WORKFLOW;
import static dev.tokenscope.core.TelemetryContract.TOKENSCOPE_CONSOLE_PRICED;
import static dev.tokenscope.core.TelemetryContract.TRACELOOP_ENTITY_NAME;
import static dev.tokenscope.core.TelemetryContract.TRACELOOP_SPAN_KIND;
import static dev.tokenscope.core.TelemetryContract.TRACELOOP_WORKFLOW_NAME;
import static dev.tokenscope.core.TelemetryContract.WORKFLOW_SPAN_SUFFIX;

import com.google.protobuf.ByteString;
import dev.tokenscope.core.InferenceAttributes;
import dev.tokenscope.pricing.Cost;
import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.Usage;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * Turns OTLP spans into {@link SpanRow}s: reads the gen_ai fields through the one normaliser
 * ({@link InferenceAttributes#read}), and prices inference spans that carry tokens but no cost.
 * Thread-safe; runs on the ingest pipeline's builder threads, just before the rows are written (the
 * HTTP threads only {@link #check} a request).
 */
public final class SpanMapper {

  private static final Logger logger = Logger.getLogger(SpanMapper.class.getName());
  private static final String UNKNOWN_SERVICE = "unknown_service";

  private final Pricing pricing;
  private volatile boolean pricingFailureLogged;

  public SpanMapper(Pricing pricing) {
    this.pricing = pricing;
  }

  /** The spans of a request, plus how many were rejected and why. */
  public record Result(List<SpanRow> rows, int rejected, @Nullable String rejectionMessage) {}

  public Result map(ExportTraceServiceRequest request) {
    List<SpanRow> rows = new ArrayList<>();
    int rejected = 0;
    String rejection = null;
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      List<KeyValue> resourceAttributes = resourceSpans.getResource().getAttributesList();
      String service = UNKNOWN_SERVICE;
      for (KeyValue kv : resourceAttributes) {
        if (SERVICE_NAME.equals(kv.getKey()) && !kv.getValue().getStringValue().isEmpty()) {
          service = kv.getValue().getStringValue();
        }
      }
      String resourceJson = AttributeValues.toJson(resourceAttributes);
      // A trace's spans usually come one after another: its id is turned into text once.
      ByteString lastTraceId = null;
      String lastTraceHex = null;
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        String scope = scopeSpans.getScope().getName();
        for (Span span : scopeSpans.getSpansList()) {
          String problem = rejection(span);
          if (problem != null) {
            rejected++;
            rejection = problem;
            continue;
          }
          if (!span.getTraceId().equals(lastTraceId)) {
            lastTraceId = span.getTraceId();
            lastTraceHex = AttributeValues.hex(lastTraceId);
          }
          rows.add(row(span, lastTraceHex, service, scope, resourceJson));
        }
      }
    }
    return new Result(rows, rejected, rejection);
  }

  /** How many spans of a request {@link #map} stores and how many it rejects, and why. */
  public record Check(int accepted, int rejected, @Nullable String rejectionMessage) {}

  /**
   * Counts what {@link #map} would store and reject, without building rows (the HTTP thread answers
   * with this; the rows are built by the loader, just before they are written).
   */
  public static Check check(ExportTraceServiceRequest request) {
    int accepted = 0;
    int rejected = 0;
    String rejection = null;
    for (ResourceSpans resourceSpans : request.getResourceSpansList()) {
      for (ScopeSpans scopeSpans : resourceSpans.getScopeSpansList()) {
        for (Span span : scopeSpans.getSpansList()) {
          String problem = rejection(span);
          if (problem == null) {
            accepted++;
          } else {
            rejected++;
            rejection = problem;
          }
        }
      }
    }
    return new Check(accepted, rejected, rejection);
  }

  /** Why a span cannot be stored, or null when it can. */
  private static @Nullable String rejection(Span span) {
    if (span.getTraceId().size() != 16 || span.getSpanId().size() != 8) {
      return "spans need a 16-byte trace id and an 8-byte span id";
    }
    if (span.getEndTimeUnixNano() < span.getStartTimeUnixNano()) {
      return "span end time is before its start time";
    }
    return null;
  }

  private SpanRow row(
      Span span, String traceId, String service, String scope, String resourceJson) {
    SpanAttributes attributes = new SpanAttributes(span.getAttributesList());
    InferenceAttributes inference = InferenceAttributes.read(attributes);

    String operation = null;
    String provider = null;
    String requestModel = null;
    String model = null;
    long input = 0;
    long output = 0;
    long cacheRead = 0;
    long cacheWrite = 0;
    long reasoning = 0;
    Double costInput = number(attributes.get(GEN_AI_COST_INPUT_USD));
    Double costCacheRead = number(attributes.get(GEN_AI_COST_CACHE_READ_USD));
    Double costCacheWrite = number(attributes.get(GEN_AI_COST_CACHE_WRITE_USD));
    Double costOutput = number(attributes.get(GEN_AI_COST_OUTPUT_USD));
    Double costTotal = number(attributes.get(GEN_AI_COST_TOTAL_USD));
    boolean unavailable =
        Boolean.TRUE.equals(bool(attributes.get(GEN_AI_COST_PRICING_UNAVAILABLE)));
    String pricedBy = costTotal != null ? SpanRow.PRICED_BY_SOURCE : null;
    String pricingSource = string(attributes.get(GEN_AI_COST_PRICING_SOURCE));
    Double savings = null;
    Map<String, Object> added = null;

    if (inference != null) {
      operation = inference.operation();
      provider = inference.provider();
      requestModel = inference.requestModel();
      model = inference.model();
      input = inference.inputTokens();
      output = inference.outputTokens();
      cacheRead = inference.cacheReadTokens();
      cacheWrite = inference.cacheWriteTokens();
      reasoning = inference.reasoningTokens();
      boolean hasTokens = input > 0 || output > 0;
      if (model != null && hasTokens) {
        try {
          Usage usage = inference.usage();
          Cost cost = null;
          if (costTotal == null && !unavailable && !inference.alreadyPriced()) {
            cost = pricing.cost(model, provider, usage);
            added = new LinkedHashMap<>();
            if (cost.priced()) {
              costInput = cost.inputUsd();
              costCacheRead = cost.cacheReadUsd();
              costCacheWrite = cost.cacheWriteUsd();
              costOutput = cost.outputUsd();
              costTotal = cost.totalUsd();
              pricedBy = SpanRow.PRICED_BY_CONSOLE;
              pricingSource = cost.pricingSource();
              added.put(GEN_AI_COST_INPUT_USD, costInput);
              added.put(GEN_AI_COST_CACHE_READ_USD, costCacheRead);
              added.put(GEN_AI_COST_CACHE_WRITE_USD, costCacheWrite);
              added.put(GEN_AI_COST_OUTPUT_USD, costOutput);
              added.put(GEN_AI_COST_TOTAL_USD, costTotal);
              if (cost.resolvedModel() != null) {
                added.put(GEN_AI_COST_MODEL_RESOLVED, cost.resolvedModel());
              }
              if (cost.provider() != null) {
                added.put(GEN_AI_COST_PROVIDER, cost.provider());
              }
              added.put(GEN_AI_COST_PRICING_SOURCE, pricingSource);
              added.put(TOKENSCOPE_CONSOLE_PRICED, Boolean.TRUE);
            } else {
              unavailable = true;
              added.put(GEN_AI_COST_PRICING_UNAVAILABLE, Boolean.TRUE);
            }
          }
          if (cacheRead > 0 && costTotal != null) {
            savings = cacheSavings(model, provider, usage, cost);
          }
        } catch (RuntimeException e) {
          // Pricing must never lose a span: store it unpriced and say so once.
          if (!pricingFailureLogged) {
            pricingFailureLogged = true;
            logger.log(Level.WARNING, "Pricing failed; storing spans without console cost", e);
          }
        }
      }
    }

    String workflow = string(attributes.get(TRACELOOP_WORKFLOW_NAME));
    String entityKind = string(attributes.get(TRACELOOP_SPAN_KIND));
    if (workflow == null && SPAN_KIND_WORKFLOW.equals(entityKind)) {
      workflow = string(attributes.get(TRACELOOP_ENTITY_NAME));
      if (workflow == null) {
        String name = span.getName();
        workflow =
            name.endsWith(WORKFLOW_SPAN_SUFFIX)
                ? name.substring(0, name.length() - WORKFLOW_SPAN_SUFFIX.length())
                : name;
      }
    }
    Double attemptValue = number(attributes.get(ATTEMPT));
    Long attempt = attemptValue == null ? null : attemptValue.longValue();
    String errorType = string(attributes.get(ERROR_TYPE));

    String kind = kind(span.getKind());
    String status = status(span.getStatus().getCode());
    String statusMessage =
        span.getStatus().getMessage().isEmpty() ? null : span.getStatus().getMessage();
    Double rollupCost = number(attributes.get(ROLLUP_COST_USD));
    StringBuilder details = DETAILS.get();
    details.setLength(0);
    details.append('{');
    field(details, "kind", kind);
    field(details, "status", status);
    field(details, "status_message", statusMessage);
    field(details, "scope", scope);
    field(details, "operation", operation);
    field(details, "request_model", requestModel);
    field(details, "cost_input_usd", costInput);
    field(details, "cost_cache_read_usd", costCacheRead);
    field(details, "cost_cache_write_usd", costCacheWrite);
    field(details, "cost_output_usd", costOutput);
    field(details, "priced_by", pricedBy);
    field(details, "pricing_source", pricingSource);
    field(details, "entity_kind", entityKind);
    field(details, "rollup_cost_usd", rollupCost);
    details.append("\"attributes\":");
    AttributeValues.writeObject(details, span.getAttributesList(), added);
    details.append(",\"resource\":").append(resourceJson);
    details.append(",\"events\":");
    if (span.getEventsCount() == 0) {
      details.append("[]");
    } else {
      events(details, span);
    }
    details.append('}');

    String parent =
        span.getParentSpanId().isEmpty() ? null : AttributeValues.hex(span.getParentSpanId());
    String spanId = AttributeValues.hex(span.getSpanId());
    warmHashCodes(traceId, spanId, parent, service, provider, model, workflow);
    return new SpanRow(
        traceId,
        spanId,
        parent,
        service,
        scope,
        span.getName(),
        kind,
        span.getStartTimeUnixNano(),
        span.getEndTimeUnixNano(),
        status,
        statusMessage,
        inference != null,
        operation,
        provider,
        requestModel,
        model,
        input,
        output,
        cacheRead,
        cacheWrite,
        reasoning,
        costInput,
        costCacheRead,
        costCacheWrite,
        costOutput,
        costTotal,
        unavailable && costTotal == null,
        pricedBy,
        pricingSource,
        savings,
        workflow,
        entityKind,
        attempt,
        errorType,
        rollupCost,
        detailsText(details));
  }

  /**
   * Computes (and so caches in each string) the hash codes of the values the single writer uses as
   * map keys — trace and span ids (workflows, retried units, endpoints) and the roll-up's key
   * fields — here, on a builder thread: hashing freshly decoded strings took ~8 % of the writer's
   * samples.
   */
  private static void warmHashCodes(@Nullable String... keys) {
    for (String key : keys) {
      if (key != null) {
        key.hashCode();
      }
    }
  }

  /** Per builder thread: the {@code details} text is built here, then copied out once. */
  private static final ThreadLocal<StringBuilder> DETAILS =
      ThreadLocal.withInitial(() -> new StringBuilder(4096));

  private static byte[] detailsText(StringBuilder details) {
    byte[] text = details.toString().getBytes(StandardCharsets.UTF_8);
    if (details.capacity() > 1 << 16) {
      // One huge span does not keep its buffer for ever.
      DETAILS.set(new StringBuilder(4096));
    }
    return text;
  }

  /**
   * What the cached tokens would have cost at the uncached input rate, minus what they cost: the
   * same usage priced with the cache reads billed as plain input, minus the actual price.
   */
  private @Nullable Double cacheSavings(
      String model, @Nullable String provider, Usage usage, @Nullable Cost actual) {
    Cost withCache = actual != null ? actual : pricing.cost(model, provider, usage);
    if (!withCache.priced()) {
      return null;
    }
    Usage uncached = usage.toBuilder().cacheReadTokens(0).build();
    Cost withoutCache = pricing.cost(model, provider, uncached);
    return withoutCache.priced() ? withoutCache.totalUsd() - withCache.totalUsd() : null;
  }

  /**
   * Appends {@code "name":value,}; nothing for a null value (readers treat a missing field as null,
   * and nulls were ~15 % of the column's bytes).
   */
  private static void field(StringBuilder out, String name, @Nullable Object value) {
    if (value == null) {
      return;
    }
    out.append('"').append(name).append("\":");
    AttributeValues.writeJava(out, value);
    out.append(',');
  }

  private static void events(StringBuilder out, Span span) {
    out.append('[');
    for (int i = 0; i < span.getEventsCount(); i++) {
      Span.Event event = span.getEvents(i);
      if (i > 0) {
        out.append(',');
      }
      out.append("{\"name\":");
      AttributeValues.writeString(out, event.getName());
      out.append(",\"time_ns\":").append(event.getTimeUnixNano()).append(",\"attributes\":");
      AttributeValues.writeObject(out, event.getAttributesList(), null);
      out.append('}');
    }
    out.append(']');
  }

  static String kind(Span.SpanKind kind) {
    switch (kind) {
      case SPAN_KIND_INTERNAL:
        return "INTERNAL";
      case SPAN_KIND_SERVER:
        return "SERVER";
      case SPAN_KIND_CLIENT:
        return "CLIENT";
      case SPAN_KIND_PRODUCER:
        return "PRODUCER";
      case SPAN_KIND_CONSUMER:
        return "CONSUMER";
      default:
        return "UNSPECIFIED";
    }
  }

  static String status(io.opentelemetry.proto.trace.v1.Status.StatusCode code) {
    switch (code) {
      case STATUS_CODE_OK:
        return "OK";
      case STATUS_CODE_ERROR:
        return "ERROR";
      default:
        return "UNSET";
    }
  }

  static @Nullable String string(@Nullable Object value) {
    if (value == null) {
      return null;
    }
    String s = value instanceof String ? (String) value : value.toString();
    return s.isEmpty() ? null : s;
  }

  static @Nullable Double number(@Nullable Object value) {
    if (value instanceof Number) {
      double d = ((Number) value).doubleValue();
      return Double.isFinite(d) ? d : null;
    }
    if (value instanceof String) {
      try {
        double d = Double.parseDouble(((String) value).trim());
        return Double.isFinite(d) ? d : null;
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  static @Nullable Boolean bool(@Nullable Object value) {
    if (value instanceof Boolean) {
      return (Boolean) value;
    }
    if (value instanceof String) {
      return "true".equalsIgnoreCase((String) value);
    }
    return null;
  }
}
