package dev.tokenscope.console;

import static dev.tokenscope.console.Otlp.dbl;
import static dev.tokenscope.console.Otlp.lng;
import static dev.tokenscope.console.Otlp.span;
import static dev.tokenscope.console.Otlp.str;

import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingCatalog;
import dev.tokenscope.pricing.Usage;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.trace.v1.Span;
import java.time.Instant;
import java.util.List;

/**
 * A small, fully known data set: two days, three traces, four models, a retry loop, a cache hit, an
 * unpriced model, an OpenLLMetry-style span without cost, and a prompt containing markup. The
 * expected figures below are worked out by hand from these spans.
 */
final class KnownTelemetry {

  static final long DAY1 = Instant.parse("2026-11-23T10:00:00Z").toEpochMilli();
  static final long DAY2 = Instant.parse("2026-11-24T14:00:00Z").toEpochMilli();
  static final long FROM = Instant.parse("2026-11-23T00:00:00Z").toEpochMilli();
  static final long TO = Instant.parse("2026-11-25T00:00:00Z").toEpochMilli();

  static final String TRACE_A = Otlp.traceId("a");
  static final String TRACE_B = Otlp.traceId("b");
  static final String TRACE_C = Otlp.traceId("c");

  static final String XSS_PROMPT =
      "<script>window.__xss=1</script><img src=x onerror=\"window.__xss=2\"> plan a menu";

  /** The one pricing every test uses: the catalog built into the pricing module. */
  static final Pricing PRICING = Pricing.of(PricingCatalog.builtin());

  /** What the console must charge the OpenLLMetry-style gpt-4o-mini call (no cost on arrival). */
  static double miniCost() {
    return PRICING.cost("gpt-4o-mini", "openai", Usage.of(10_000, 2_000)).totalUsd();
  }

  /** Cache savings of the claude call: 1,000 cached tokens at the uncached rate minus actual. */
  static double claudeSavings() {
    Usage actual =
        Usage.builder().inputTokens(2000).outputTokens(300).cacheReadTokens(1000).build();
    Usage uncached = Usage.of(2000, 300);
    return PRICING.cost("claude-sonnet-4-5", "anthropic", uncached).totalUsd()
        - PRICING.cost("claude-sonnet-4-5", "anthropic", actual).totalUsd();
  }

  private KnownTelemetry() {}

  static Span.Builder llm(
      String trace,
      String id,
      String parent,
      String provider,
      String model,
      long start,
      long duration,
      long input,
      long output,
      Double cost) {
    Span.Builder s =
        span(trace, id, parent, "chat " + model, start, duration)
            .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
            .addAttributes(str("gen_ai.operation.name", "chat"))
            .addAttributes(str("gen_ai.provider.name", provider))
            .addAttributes(str("gen_ai.request.model", model))
            .addAttributes(str("gen_ai.response.model", model));
    if (input > 0 || output > 0) {
      s.addAttributes(lng("gen_ai.usage.input_tokens", input))
          .addAttributes(lng("gen_ai.usage.output_tokens", output));
    }
    if (cost != null) {
      s.addAttributes(dbl("gen_ai.cost.total_usd", cost))
          .addAttributes(str("gen_ai.cost.pricing_source", "builtin@test"));
    }
    return s;
  }

  /**
   * {@code count} unpriced gpt-4o-mini calls in one trace with span ids 1..count, starting at
   * {@code startMillis} one {@code stepMillis} apart: bulk data for load and durability tests.
   */
  static List<Span.Builder> calls(String trace, int count, long startMillis, long stepMillis) {
    List<Span.Builder> spans = new java.util.ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      spans.add(
          llm(
              trace,
              String.format("%016x", i + 1),
              null,
              "openai",
              "gpt-4o-mini",
              startMillis + i * stepMillis,
              20,
              100 + i,
              50,
              null));
    }
    return spans;
  }

  static Span.Builder workflow(
      String trace, String id, String parent, String name, long start, long duration) {
    return span(trace, id, parent, name + ".workflow", start, duration)
        .addAttributes(str("traceloop.span.kind", "workflow"))
        .addAttributes(str("traceloop.workflow.name", name))
        .addAttributes(str("traceloop.entity.name", name))
        .addAttributes(str("gen_ai.operation.name", "invoke_workflow"));
  }

  static Span.Builder root(String trace, String id, String name, long start, long duration) {
    return span(trace, id, null, name, start, duration).setKind(Span.SpanKind.SPAN_KIND_SERVER);
  }

  /** The requests, in the order they are sent (trace b's children before its workflow span). */
  static List<ExportTraceServiceRequest> requests() {
    long a = DAY1;
    ExportTraceServiceRequest traceA =
        Otlp.request(
            "menu-api",
            List.of(
                llm(TRACE_A, "a-llm1", "a-wf", "openai", "gpt-4o", a + 100, 1200, 1000, 500, 0.0075)
                    .build(),
                llm(
                        TRACE_A,
                        "a-llm2",
                        "a-wf",
                        "anthropic",
                        "claude-sonnet-4-5",
                        a + 1400,
                        800,
                        2000,
                        300,
                        0.0100)
                    .addAttributes(lng("gen_ai.usage.cache_read.input_tokens", 1000))
                    .build(),
                workflow(TRACE_A, "a-wf", "a-root", "menu_design", a + 10, 2980)
                    .addAttributes(dbl("tokenscope.rollup.cost_usd", 0.0175))
                    .build(),
                root(TRACE_A, "a-root", "POST /menus", a, 3000).build()));
    long b = DAY2;
    ExportTraceServiceRequest traceBChildren =
        Otlp.request(
            "menu-api",
            List.of(
                llm(TRACE_B, "b-llm3", "b-t1", "openai", "gpt-4o", b + 200, 1200, 1000, 500, 0.0075)
                    .build(),
                span(TRACE_B, "b-t1", "b-wf", "refine.task", b + 100, 1400)
                    .addAttributes(str("traceloop.span.kind", "task"))
                    .addAttributes(lng("tokenscope.attempt", 1))
                    .build(),
                llm(
                        TRACE_B, "b-llm4", "b-t2", "openai", "gpt-4o", b + 1700, 2000, 2000, 1000,
                        0.0150)
                    .build(),
                Otlp.error(
                        llm(
                            TRACE_B, "b-llm5", "b-t2", "openai", "gpt-4o", b + 3800, 400, 0, 0,
                            null),
                        "rate_limit_exceeded")
                    .build(),
                span(TRACE_B, "b-t2", "b-wf", "refine.task", b + 1600, 3400)
                    .addAttributes(str("traceloop.span.kind", "task"))
                    .addAttributes(lng("tokenscope.attempt", 2))
                    .build()));
    ExportTraceServiceRequest traceBParents =
        Otlp.request(
            "menu-api",
            List.of(
                workflow(TRACE_B, "b-wf", "b-root", "menu_design", b + 50, 5900).build(),
                root(TRACE_B, "b-root", "POST /menus", b, 6000).build()));
    long c = DAY2 + 3_600_000L;
    ExportTraceServiceRequest traceC =
        Otlp.request(
            "pairing-api",
            List.of(
                llm(
                        TRACE_C,
                        "c-llm6",
                        "c-wf",
                        "openai",
                        "mystery-model-x-2099",
                        c + 100,
                        300,
                        100,
                        50,
                        null)
                    .build(),
                // OpenLLMetry style: gen_ai.system, prompt/completion token names, no cost.
                span(TRACE_C, "c-llm7", "c-wf", "openai.chat", c + 500, 700)
                    .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                    .addAttributes(str("gen_ai.system", "openai"))
                    .addAttributes(str("llm.request.type", "chat"))
                    .addAttributes(str("gen_ai.request.model", "gpt-4o-mini"))
                    .addAttributes(str("gen_ai.response.model", "gpt-4o-mini"))
                    .addAttributes(lng("gen_ai.usage.prompt_tokens", 10_000))
                    .addAttributes(lng("gen_ai.usage.completion_tokens", 2_000))
                    .addAttributes(str("traceloop.workflow.name", "wine_pairing"))
                    .build(),
                llm(TRACE_C, "c-llm8", "c-wf", "openai", "gpt-4o", c + 1300, 500, 100, 50, 0.0010)
                    .addAttributes(
                        str(
                            "gen_ai.input.messages",
                            "[{\"role\":\"user\",\"parts\":[{\"type\":\"text\",\"content\":"
                                + "\"<script>window.__xss=1</script><img src=x onerror=\\\"window.__xss=2\\\"> plan a menu\"}]}]"))
                    .build(),
                workflow(TRACE_C, "c-wf", "c-root", "wine_pairing", c + 20, 1950).build(),
                root(TRACE_C, "c-root", "POST /pairings", c, 2000).build()));
    return List.of(traceA, traceBChildren, traceBParents, traceC);
  }

  /** Starts an in-memory console on ephemeral ports and loads the data set into it. */
  static Console startLoaded() throws Exception {
    Console console =
        Console.builder()
            .inMemory()
            .otlpPort(0)
            .uiPort(0)
            .pricing(PRICING)
            .retention(java.time.Duration.ofDays(365 * 100))
            .start();
    for (ExportTraceServiceRequest request : requests()) {
      var response = Otlp.postTraces(console, request);
      if (response.statusCode() != 200) {
        console.close();
        throw new AssertionError("ingest failed: " + response.statusCode());
      }
    }
    return console;
  }

  /** Query string for the whole data set. */
  static String range() {
    return "from=" + FROM + "&to=" + TO;
  }
}
