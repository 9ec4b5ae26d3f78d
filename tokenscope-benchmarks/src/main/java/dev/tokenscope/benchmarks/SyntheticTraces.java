package dev.tokenscope.benchmarks;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Realistic LLM application traces for the console benchmarks: an HTTP root span, a workflow span,
 * task spans (some retried, with {@code tokenscope.attempt}), and LLM calls across eight models and
 * four services — about 70 % priced by the sender, the rest priced by the console at ingest, 3 %
 * errors, cache reads on Anthropic calls, one model the catalog does not know.
 */
final class SyntheticTraces {

  private static final String[] SERVICES = {"menu-api", "pairing-api", "search-api", "chat-api"};
  private static final String[] ENDPOINTS = {
    "POST /menus", "POST /pairings", "GET /search", "POST /chat", "POST /refine", "GET /suggest"
  };
  private static final String[] WORKFLOWS = {
    "menu_design", "wine_pairing", "research", "support_chat", "summarise"
  };
  private static final String[][] MODELS = {
    {"openai", "gpt-4o"},
    {"openai", "gpt-4o-mini"},
    {"openai", "gpt-4.1-mini"},
    {"anthropic", "claude-sonnet-4-5"},
    {"anthropic", "claude-haiku-4-5"},
    {"openai", "o3-mini"},
    {"anthropic", "claude-opus-4-1"},
    {"openai", "in-house-finetune-v7"},
  };

  private final SplittableRandom random;
  private long nextId = 1;

  SyntheticTraces(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** Requests of exactly {@code spansPerRequest} spans, starting between from and to (ms). */
  List<ExportTraceServiceRequest> requests(
      int count, int spansPerRequest, long fromMillis, long toMillis) {
    List<ExportTraceServiceRequest> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(request(spansPerRequest, fromMillis, toMillis));
    }
    return out;
  }

  ExportTraceServiceRequest request(int spans, long fromMillis, long toMillis) {
    String service = SERVICES[random.nextInt(SERVICES.length)];
    List<Span> list = new ArrayList<>(spans + 16);
    while (list.size() < spans) {
      long start = fromMillis + (long) (random.nextDouble() * Math.max(1, toMillis - fromMillis));
      trace(list, start);
    }
    return ExportTraceServiceRequest.newBuilder()
        .addResourceSpans(
            ResourceSpans.newBuilder()
                .setResource(
                    Resource.newBuilder()
                        .addAttributes(str("service.name", service))
                        .addAttributes(str("telemetry.sdk.language", "java"))
                        .addAttributes(str("telemetry.sdk.name", "opentelemetry")))
                .addScopeSpans(
                    ScopeSpans.newBuilder()
                        .setScope(InstrumentationScope.newBuilder().setName("tokenscope"))
                        .addAllSpans(list.subList(0, spans))))
        .build();
  }

  private void trace(List<Span> out, long startMillis) {
    ByteString trace = id(16);
    ByteString root = id(8);
    ByteString workflow = id(8);
    String workflowName = WORKFLOWS[random.nextInt(WORKFLOWS.length)];
    long t = startMillis * 1_000_000L;
    long cursor = t + 2_000_000L;
    int tasks = 1 + random.nextInt(3);
    for (int task = 0; task < tasks; task++) {
      int attempts = random.nextInt(10) == 0 ? 2 + random.nextInt(2) : 1;
      for (int attempt = 1; attempt <= attempts; attempt++) {
        ByteString taskId = id(8);
        long taskStart = cursor;
        int calls = 1 + random.nextInt(2);
        for (int c = 0; c < calls; c++) {
          long duration = (200 + random.nextInt(3000)) * 1_000_000L;
          out.add(llm(trace, taskId, cursor, duration, workflowName));
          cursor += duration + 1_000_000L;
        }
        Span.Builder taskSpan =
            span(trace, taskId, workflow, "step" + task + ".task", taskStart, cursor)
                .addAttributes(str("traceloop.span.kind", "task"))
                .addAttributes(str("traceloop.workflow.name", workflowName));
        if (attempts > 1) {
          taskSpan.addAttributes(lng("tokenscope.attempt", attempt));
        }
        out.add(taskSpan.build());
      }
    }
    out.add(
        span(trace, workflow, root, workflowName + ".workflow", t + 1_000_000L, cursor)
            .addAttributes(str("traceloop.span.kind", "workflow"))
            .addAttributes(str("traceloop.workflow.name", workflowName))
            .addAttributes(str("gen_ai.operation.name", "invoke_workflow"))
            .build());
    out.add(
        span(trace, root, null, ENDPOINTS[random.nextInt(ENDPOINTS.length)], t, cursor + 1_000_000L)
            .setKind(Span.SpanKind.SPAN_KIND_SERVER)
            .addAttributes(str("http.request.method", "POST"))
            .addAttributes(lng("http.response.status_code", 200))
            .build());
  }

  private Span llm(
      ByteString trace, ByteString parent, long start, long duration, String workflow) {
    String[] model = MODELS[random.nextInt(MODELS.length)];
    long input = 200 + random.nextInt(8000);
    long output = 50 + random.nextInt(1500);
    Span.Builder span =
        span(trace, id(8), parent, "chat " + model[1], start, start + duration)
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .addAttributes(str("gen_ai.operation.name", "chat"))
            .addAttributes(str("gen_ai.provider.name", model[0]))
            .addAttributes(str("gen_ai.system", model[0]))
            .addAttributes(str("gen_ai.request.model", model[1]))
            .addAttributes(str("gen_ai.response.model", model[1]))
            .addAttributes(lng("gen_ai.usage.input_tokens", input))
            .addAttributes(lng("gen_ai.usage.output_tokens", output))
            .addAttributes(str("gen_ai.response.id", "resp_" + Long.toHexString(random.nextLong())))
            .addAttributes(str("server.address", "api." + model[0] + ".com"))
            .addAttributes(str("traceloop.workflow.name", workflow));
    if ("anthropic".equals(model[0])) {
      span.addAttributes(lng("gen_ai.usage.cache_read.input_tokens", input / 2));
    }
    if (random.nextInt(100) < 3) {
      span.setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR))
          .addAttributes(str("error.type", "rate_limit_exceeded"));
    } else if (random.nextInt(10) < 7) {
      double cost = input * 2.5e-6 + output * 1e-5;
      span.addAttributes(dbl("gen_ai.cost.input_usd", input * 2.5e-6))
          .addAttributes(dbl("gen_ai.cost.output_usd", output * 1e-5))
          .addAttributes(dbl("gen_ai.cost.total_usd", cost))
          .addAttributes(str("gen_ai.cost.pricing_source", "litellm@2026-07-24T10:00Z"));
    }
    return span.build();
  }

  private static Span.Builder span(
      ByteString trace, ByteString id, ByteString parent, String name, long start, long end) {
    Span.Builder b =
        Span.newBuilder()
            .setTraceId(trace)
            .setSpanId(id)
            .setName(name)
            .setKind(Span.SpanKind.SPAN_KIND_INTERNAL)
            .setStartTimeUnixNano(start)
            .setEndTimeUnixNano(end);
    if (parent != null) {
      b.setParentSpanId(parent);
    }
    return b;
  }

  private ByteString id(int bytes) {
    byte[] out = new byte[bytes];
    long high = random.nextLong();
    long counter = nextId++;
    for (int i = 0; i < bytes; i++) {
      out[i] = (byte) (i < 8 ? counter >>> (8 * (7 - i)) : high >>> (8 * (i - 8)));
    }
    return ByteString.copyFrom(out);
  }

  private static KeyValue str(String key, String value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setStringValue(value))
        .build();
  }

  private static KeyValue lng(String key, long value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setIntValue(value))
        .build();
  }

  private static KeyValue dbl(String key, double value) {
    return KeyValue.newBuilder()
        .setKey(key)
        .setValue(AnyValue.newBuilder().setDoubleValue(value))
        .build();
  }
}
