package dev.tokenscope.deploy.elastic;

import static dev.tokenscope.core.TelemetryContract.ATTEMPT;
import static dev.tokenscope.core.TelemetryContract.ERROR_TYPE;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_AGENT_NAME;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_CACHE_READ_USD;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_INPUT_USD;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_MODEL_RESOLVED;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_OUTPUT_USD;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_PRICING_SOURCE;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_PRICING_UNAVAILABLE;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_PROVIDER;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_COST_TOTAL_USD;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_OPERATION_NAME;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_PROVIDER_NAME;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_REQUEST_MAX_TOKENS;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_REQUEST_MODEL;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_REQUEST_TEMPERATURE;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_RESPONSE_FINISH_REASONS;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_RESPONSE_ID;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_RESPONSE_MODEL;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_SYSTEM;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_TOKEN_TYPE;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_TOOL_NAME;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_USAGE_INPUT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_USAGE_OUTPUT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.METRIC_COST;
import static dev.tokenscope.core.TelemetryContract.METRIC_OPERATION_DURATION;
import static dev.tokenscope.core.TelemetryContract.METRIC_TOKENS;
import static dev.tokenscope.core.TelemetryContract.METRIC_TOKEN_USAGE;
import static dev.tokenscope.core.TelemetryContract.METRIC_UNPRICED_CALLS;
import static dev.tokenscope.core.TelemetryContract.ROLLUP_COST_USD;
import static dev.tokenscope.core.TelemetryContract.ROLLUP_INPUT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.ROLLUP_LLM_CALLS;
import static dev.tokenscope.core.TelemetryContract.ROLLUP_OUTPUT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.ROLLUP_UNPRICED_CALLS;
import static dev.tokenscope.core.TelemetryContract.SERVER_ADDRESS;
import static dev.tokenscope.core.TelemetryContract.SERVER_PORT;
import static dev.tokenscope.core.TelemetryContract.TOKENSCOPE_WORKFLOW;
import static dev.tokenscope.core.TelemetryContract.TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX;
import static dev.tokenscope.core.TelemetryContract.TRACELOOP_ENTITY_NAME;
import static dev.tokenscope.core.TelemetryContract.TRACELOOP_ENTITY_PATH;
import static dev.tokenscope.core.TelemetryContract.TRACELOOP_SPAN_KIND;
import static dev.tokenscope.core.TelemetryContract.TRACELOOP_WORKFLOW_NAME;

import dev.tokenscope.core.TelemetryContract;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.metrics.DoubleCounter;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongCounter;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The Restaurant Menu Designer's telemetry, as TokenScope's contract says it looks, produced by
 * running the OpenTelemetry SDK in-process and exporting to memory.
 *
 * <p>Two traces: a menu request behind an HTTP server span (so the workflow is an APM span), and a
 * nightly refresh job whose workflow is the root (so it is an APM transaction). Between them: four
 * agents on two providers, parallel research, a refinement retried after a provider error, wine
 * pairing with a validation tool, an unpriced model, a sub-micro-dollar embedding call, and the
 * metrics TokenScope records for each call. Costs come from a small fixed price table.
 *
 * <p>This stands in for the demo module ({@code TelemetryUnderTest#SOURCE}); it sets every
 * attribute with {@link TelemetryContract} names, as TokenScope's span processing does.
 */
final class MenuDesignerScenario implements TelemetrySource {

  static final String SERVICE_NAME = "restaurant-menu-designer";
  static final String MENU_WORKFLOW = "restaurant_menu";
  static final String REFRESH_WORKFLOW = "menu_refresh";
  static final String UNPRICED_MODEL = "acme-chef-7b";

  private static final Instant START = Instant.parse("2026-11-30T10:00:00Z");
  private static final String PRICING_SOURCE = "litellm@2026-07-24T10:00Z";

  /** USD per million tokens: input, cache read, output. */
  private record Price(String catalogKey, String provider, double input, double read, double out) {}

  private static final Map<String, Price> PRICES =
      Map.of(
          "gpt-4.1-mini", new Price("gpt-4.1-mini", "openai", 0.40, 0.10, 1.60),
          "gpt-4.1-nano", new Price("gpt-4.1-nano", "openai", 0.10, 0.025, 0.40),
          "text-embedding-3-small", new Price("text-embedding-3-small", "openai", 0.02, 0, 0),
          "claude-sonnet-4-5", new Price("claude-sonnet-4-5", "anthropic", 3.00, 0.30, 15.00),
          "claude-haiku-4-5", new Price("claude-haiku-4-5", "anthropic", 1.00, 0.10, 5.00));

  @Override
  public ExportedTelemetry record() {
    InMemorySpanExporter spanExporter = InMemorySpanExporter.create();
    InMemoryMetricReader metricReader = InMemoryMetricReader.createDelta();
    Resource resource =
        Resource.getDefault()
            .merge(
                Resource.create(
                    Attributes.builder()
                        .put(TelemetryContract.SERVICE_NAME, SERVICE_NAME)
                        .put("service.version", "0.1.0-SNAPSHOT")
                        .put("deployment.environment.name", "test")
                        .build()));
    List<io.opentelemetry.sdk.metrics.data.MetricData> metrics;
    List<io.opentelemetry.sdk.trace.data.SpanData> spans;
    try (SdkTracerProvider tracerProvider =
            SdkTracerProvider.builder()
                .setResource(resource)
                .addSpanProcessor(SimpleSpanProcessor.create(spanExporter))
                .build();
        SdkMeterProvider meterProvider =
            SdkMeterProvider.builder()
                .setResource(resource)
                .registerMetricReader(metricReader)
                .build()) {
      Recorder recorder =
          new Recorder(
              tracerProvider.get("dev.tokenscope.demo"), meterProvider.get("dev.tokenscope"));
      recorder.menuRequest();
      recorder.nightlyRefresh();
      metrics = new ArrayList<>(metricReader.collectAllMetrics());
      // Read before close: shutting the provider down also empties the in-memory exporter.
      spans = new ArrayList<>(spanExporter.getFinishedSpanItems());
    }
    return new ExportedTelemetry(spans, metrics);
  }

  /** One LLM call as the scenario scripts it. */
  private record Call(
      String operation,
      String requestModel,
      String responseModel,
      String provider,
      long inputTokens,
      long cacheReadTokens,
      long outputTokens,
      long reasoningTokens,
      long durationMillis,
      @Nullable String errorType) {

    static Call chat(String model, String responseModel, long in, long out, long millis) {
      return new Call("chat", model, responseModel, providerOf(model), in, 0, out, 0, millis, null);
    }

    Call cacheRead(long tokens) {
      return new Call(
          operation,
          requestModel,
          responseModel,
          provider,
          inputTokens,
          tokens,
          outputTokens,
          reasoningTokens,
          durationMillis,
          errorType);
    }

    Call reasoning(long tokens) {
      return new Call(
          operation,
          requestModel,
          responseModel,
          provider,
          inputTokens,
          cacheReadTokens,
          outputTokens,
          tokens,
          durationMillis,
          errorType);
    }

    static Call failed(String model, String errorType, long millis) {
      return new Call("chat", model, "", providerOf(model), 0, 0, 0, 0, millis, errorType);
    }

    private static String providerOf(String model) {
      return model.startsWith("claude") ? "anthropic" : "openai";
    }
  }

  /** Drives tracer and meter; keeps a clock and the running roll-up of the current workflow. */
  private static final class Recorder {
    private final Tracer tracer;
    private final LongCounter tokens;
    private final DoubleCounter cost;
    private final LongCounter unpriced;
    private final DoubleHistogram duration;
    private final LongHistogram tokenUsage;
    private long clockMillis = START.toEpochMilli();
    private int responseIds;

    private String workflowName = "";
    private String customerId = "";
    private double rollupCost;
    private long rollupInput;
    private long rollupOutput;
    private long rollupCalls;
    private long rollupUnpriced;

    Recorder(Tracer tracer, Meter meter) {
      this.tracer = tracer;
      this.tokens = meter.counterBuilder(METRIC_TOKENS).setUnit("{token}").build();
      this.cost = meter.counterBuilder(METRIC_COST).ofDoubles().setUnit("USD").build();
      this.unpriced = meter.counterBuilder(METRIC_UNPRICED_CALLS).setUnit("{call}").build();
      this.duration = meter.histogramBuilder(METRIC_OPERATION_DURATION).setUnit("s").build();
      this.tokenUsage =
          meter.histogramBuilder(METRIC_TOKEN_USAGE).ofLongs().setUnit("{token}").build();
    }

    /** POST /menus: an HTTP server span around the five-phase workflow. */
    void menuRequest() {
      customerId = "hmac-sha256:4f1c2a9e";
      Span server =
          tracer
              .spanBuilder("POST /menus")
              .setSpanKind(SpanKind.SERVER)
              .setStartTimestamp(clockMillis, TimeUnit.MILLISECONDS)
              .setAttribute("http.request.method", "POST")
              .setAttribute("http.route", "/menus")
              .setAttribute("url.path", "/menus")
              .startSpan();
      Context serverContext = Context.root().with(server);
      tick(2);
      workflow(
          serverContext,
          MENU_WORKFLOW,
          workflowContext -> {
            Context research = agent(workflowContext, "researcher");
            // Parallel research: both tasks start together.
            long forkedAt = clockMillis;
            task(
                research,
                "research_trends",
                null,
                ctx ->
                    llm(
                        ctx,
                        Call.chat("gpt-4.1-mini", "gpt-4.1-mini-2025-04-14", 1200, 380, 2100)
                            .cacheRead(400)));
            long firstDone = clockMillis;
            clockMillis = forkedAt;
            task(
                research,
                "research_seasonal",
                null,
                ctx ->
                    llm(ctx, Call.chat("gpt-4.1-mini", "gpt-4.1-mini-2025-04-14", 900, 310, 1800)));
            clockMillis = Math.max(firstDone, clockMillis);
            endSpan(research);

            Context chef = agent(workflowContext, "chef");
            task(
                chef,
                "draft_menu",
                null,
                ctx ->
                    llm(
                        ctx,
                        Call.chat(
                                "claude-sonnet-4-5", "claude-sonnet-4-5-20250929", 3400, 1500, 9500)
                            .cacheRead(2048)));
            // Refinement: the first attempt fails at the provider, the retry succeeds.
            task(
                chef,
                "refine_menu",
                1L,
                ctx -> llm(ctx, Call.failed("claude-sonnet-4-5", "overloaded_error", 700)));
            task(
                chef,
                "refine_menu",
                2L,
                ctx ->
                    llm(
                        ctx,
                        Call.chat(
                                "claude-sonnet-4-5",
                                "claude-sonnet-4-5-20250929",
                                4100,
                                1650,
                                11200)
                            .cacheRead(3000)));
            endSpan(chef);

            Context sommelier = agent(workflowContext, "sommelier");
            task(
                sommelier,
                "wine_pairing",
                null,
                ctx -> {
                  llm(
                      ctx,
                      Call.chat("gpt-4.1-nano", "gpt-4.1-nano-2025-04-14", 700, 420, 900)
                          .reasoning(120));
                  tool(ctx, "validate_pairing");
                });
            endSpan(sommelier);

            Context critic = agent(workflowContext, "critic");
            task(
                critic,
                "price_check",
                null,
                ctx -> {
                  llm(ctx, Call.chat(UNPRICED_MODEL, UNPRICED_MODEL, 600, 200, 1500));
                  // A tiny embedding: its cost is far below a micro-dollar.
                  llm(
                      ctx,
                      new Call(
                          "embeddings",
                          "text-embedding-3-small",
                          "text-embedding-3-small",
                          "openai",
                          10,
                          0,
                          0,
                          0,
                          120,
                          null));
                });
            endSpan(critic);
          });
      tick(3);
      server.setAttribute("http.response.status_code", 201L);
      server.end(clockMillis, TimeUnit.MILLISECONDS);
    }

    /** A scheduled job: the workflow is the root span, so APM makes it a transaction. */
    void nightlyRefresh() {
      tick(60_000);
      customerId = "hmac-sha256:9b07d3c1";
      workflow(
          Context.root(),
          REFRESH_WORKFLOW,
          workflowContext -> {
            Context chef = agent(workflowContext, "chef");
            task(
                chef,
                "summarize_feedback",
                null,
                ctx -> {
                  llm(
                      ctx,
                      Call.chat("claude-haiku-4-5", "claude-haiku-4-5-20251001", 5200, 640, 3100));
                  llm(ctx, Call.failed("gpt-4.1-mini", "rate_limit_exceeded", 300));
                  llm(ctx, Call.chat("gpt-4.1-mini", "gpt-4.1-mini-2025-04-14", 2500, 520, 2600));
                });
            endSpan(chef);
          });
    }

    private void workflow(Context parent, String name, java.util.function.Consumer<Context> body) {
      workflowName = name;
      rollupCost = 0;
      rollupInput = 0;
      rollupOutput = 0;
      rollupCalls = 0;
      rollupUnpriced = 0;
      Span span =
          structure(parent, name + TelemetryContract.WORKFLOW_SPAN_SUFFIX)
              .setAttribute(TRACELOOP_SPAN_KIND, TelemetryContract.SPAN_KIND_WORKFLOW)
              .setAttribute(TRACELOOP_WORKFLOW_NAME, name)
              .setAttribute(TRACELOOP_ENTITY_NAME, name)
              .setAttribute(TRACELOOP_ENTITY_PATH, name)
              .setAttribute(GEN_AI_OPERATION_NAME, TelemetryContract.OPERATION_INVOKE_WORKFLOW)
              .startSpan();
      tick(1);
      body.accept(parent.with(span));
      tick(1);
      span.setAttribute(ROLLUP_COST_USD, rollupCost);
      span.setAttribute(ROLLUP_INPUT_TOKENS, rollupInput);
      span.setAttribute(ROLLUP_OUTPUT_TOKENS, rollupOutput);
      span.setAttribute(ROLLUP_LLM_CALLS, rollupCalls);
      span.setAttribute(ROLLUP_UNPRICED_CALLS, rollupUnpriced);
      span.end(clockMillis, TimeUnit.MILLISECONDS);
    }

    private Context agent(Context parent, String name) {
      Span span =
          structure(parent, name + TelemetryContract.AGENT_SPAN_SUFFIX)
              .setAttribute(TRACELOOP_SPAN_KIND, TelemetryContract.SPAN_KIND_AGENT)
              .setAttribute(TRACELOOP_ENTITY_NAME, name)
              .setAttribute(TRACELOOP_ENTITY_PATH, workflowName + "." + name)
              .setAttribute(GEN_AI_AGENT_NAME, name)
              .setAttribute(GEN_AI_OPERATION_NAME, TelemetryContract.OPERATION_INVOKE_AGENT)
              .startSpan();
      tick(1);
      return parent.with(span);
    }

    private void task(
        Context parent,
        String name,
        @Nullable Long attempt,
        java.util.function.Consumer<Context> body) {
      var builder =
          structure(parent, name + TelemetryContract.TASK_SPAN_SUFFIX)
              .setAttribute(TRACELOOP_SPAN_KIND, TelemetryContract.SPAN_KIND_TASK)
              .setAttribute(TRACELOOP_ENTITY_NAME, name)
              .setAttribute(TRACELOOP_ENTITY_PATH, workflowName + "." + name);
      if (attempt != null) {
        builder.setAttribute(ATTEMPT, attempt);
      }
      Span span = builder.startSpan();
      tick(1);
      Context context = parent.with(span);
      if (attempt != null) {
        // The retried unit's attempt number travels with its calls (see README: retry cost).
        context = context.with(AttemptKey.KEY, attempt);
      }
      body.accept(context);
      tick(1);
      span.end(clockMillis, TimeUnit.MILLISECONDS);
    }

    private void tool(Context parent, String name) {
      Span span =
          structure(parent, name + TelemetryContract.TOOL_SPAN_SUFFIX)
              .setAttribute(TRACELOOP_SPAN_KIND, TelemetryContract.SPAN_KIND_TOOL)
              .setAttribute(TRACELOOP_ENTITY_NAME, name)
              .setAttribute(GEN_AI_TOOL_NAME, name)
              .setAttribute(GEN_AI_OPERATION_NAME, TelemetryContract.OPERATION_EXECUTE_TOOL)
              .startSpan();
      tick(15);
      span.end(clockMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * An inference span with the attributes SDK instrumentation plus TokenScope's cost put on it.
     */
    private void llm(Context parent, Call call) {
      var builder =
          tracer
              .spanBuilder(call.operation() + " " + call.requestModel())
              .setParent(parent)
              .setSpanKind(SpanKind.CLIENT)
              .setStartTimestamp(clockMillis, TimeUnit.MILLISECONDS)
              .setAttribute(GEN_AI_OPERATION_NAME, call.operation())
              .setAttribute(GEN_AI_PROVIDER_NAME, call.provider())
              .setAttribute(GEN_AI_SYSTEM, call.provider())
              .setAttribute(GEN_AI_REQUEST_MODEL, call.requestModel())
              .setAttribute(
                  SERVER_ADDRESS,
                  call.provider().equals("anthropic") ? "api.anthropic.com" : "api.openai.com")
              .setAttribute(SERVER_PORT, 443L)
              .setAttribute(TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX + "customer_id", customerId);
      if (call.operation().equals("chat")) {
        builder.setAttribute(GEN_AI_REQUEST_MAX_TOKENS, 2048L);
        builder.setAttribute(GEN_AI_REQUEST_TEMPERATURE, 0.7);
      }
      Long attempt = parent.get(AttemptKey.KEY);
      if (attempt != null) {
        builder.setAttribute(ATTEMPT, attempt);
      }
      Span span = builder.startSpan();
      clockMillis += call.durationMillis();
      rollupCalls++;
      // Metric attributes as TELEMETRY-CONTRACT.md lists them per instrument.
      Attributes durationAttributes =
          Attributes.builder()
              .put(GEN_AI_OPERATION_NAME, call.operation())
              .put(GEN_AI_PROVIDER_NAME, call.provider())
              .put(GEN_AI_REQUEST_MODEL, call.requestModel())
              .build();
      if (call.errorType() != null) {
        span.setStatus(StatusCode.ERROR, "provider returned " + call.errorType());
        span.setAttribute(ERROR_TYPE, call.errorType());
        duration.record(
            call.durationMillis() / 1000.0,
            durationAttributes.toBuilder().put(ERROR_TYPE, call.errorType()).build());
        span.end(clockMillis, TimeUnit.MILLISECONDS);
        return;
      }
      span.setAttribute(GEN_AI_RESPONSE_MODEL, call.responseModel());
      span.setAttribute(GEN_AI_RESPONSE_ID, "resp_" + (++responseIds));
      span.setAttribute(
          AttributeKey.stringArrayKey(GEN_AI_RESPONSE_FINISH_REASONS), List.of("stop"));
      span.setAttribute(GEN_AI_USAGE_INPUT_TOKENS, call.inputTokens());
      span.setAttribute(GEN_AI_USAGE_OUTPUT_TOKENS, call.outputTokens());
      if (call.cacheReadTokens() > 0) {
        span.setAttribute(GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS, call.cacheReadTokens());
      }
      if (call.reasoningTokens() > 0) {
        span.setAttribute(GEN_AI_USAGE_REASONING_OUTPUT_TOKENS, call.reasoningTokens());
      }
      durationAttributes =
          durationAttributes.toBuilder().put(GEN_AI_RESPONSE_MODEL, call.responseModel()).build();
      Attributes metricAttributes =
          Attributes.builder()
              .put(GEN_AI_OPERATION_NAME, call.operation())
              .put(GEN_AI_PROVIDER_NAME, call.provider())
              .put(GEN_AI_RESPONSE_MODEL, call.responseModel())
              .put(TOKENSCOPE_WORKFLOW, workflowName)
              .build();
      rollupInput += call.inputTokens();
      rollupOutput += call.outputTokens();
      tokens.add(call.inputTokens(), typed(metricAttributes, TelemetryContract.TOKEN_TYPE_INPUT));
      tokens.add(call.outputTokens(), typed(metricAttributes, TelemetryContract.TOKEN_TYPE_OUTPUT));
      tokenUsage.record(
          call.inputTokens(), typed(metricAttributes, TelemetryContract.TOKEN_TYPE_INPUT));
      tokenUsage.record(
          call.outputTokens(), typed(metricAttributes, TelemetryContract.TOKEN_TYPE_OUTPUT));
      duration.record(call.durationMillis() / 1000.0, durationAttributes);

      Price price = PRICES.get(call.requestModel());
      if (price == null) {
        span.setAttribute(GEN_AI_COST_PRICING_UNAVAILABLE, true);
        span.setAttribute(GEN_AI_COST_PRICING_SOURCE, PRICING_SOURCE);
        unpriced.add(
            1,
            Attributes.of(
                AttributeKey.stringKey(GEN_AI_PROVIDER_NAME), call.provider(),
                AttributeKey.stringKey(GEN_AI_REQUEST_MODEL), call.requestModel()));
        rollupUnpriced++;
      } else {
        double input = (call.inputTokens() - call.cacheReadTokens()) * price.input() / 1e6;
        double read = call.cacheReadTokens() * price.read() / 1e6;
        double output = call.outputTokens() * price.out() / 1e6;
        double total = input + read + output;
        span.setAttribute(GEN_AI_COST_INPUT_USD, input);
        span.setAttribute(GEN_AI_COST_CACHE_READ_USD, read);
        span.setAttribute(GEN_AI_COST_OUTPUT_USD, output);
        span.setAttribute(GEN_AI_COST_TOTAL_USD, total);
        span.setAttribute(GEN_AI_COST_MODEL_RESOLVED, price.catalogKey());
        span.setAttribute(GEN_AI_COST_PROVIDER, price.provider());
        span.setAttribute(GEN_AI_COST_PRICING_SOURCE, PRICING_SOURCE);
        cost.add(total, metricAttributes);
        rollupCost += total;
      }
      span.end(clockMillis, TimeUnit.MILLISECONDS);
    }

    private static Attributes typed(Attributes attributes, String tokenType) {
      return attributes.toBuilder().put(GEN_AI_TOKEN_TYPE, tokenType).build();
    }

    private io.opentelemetry.api.trace.SpanBuilder structure(Context parent, String name) {
      return tracer
          .spanBuilder(name)
          .setParent(parent)
          .setSpanKind(SpanKind.INTERNAL)
          .setStartTimestamp(clockMillis, TimeUnit.MILLISECONDS)
          .setAttribute(TRACELOOP_ASSOCIATION_PROPERTIES_PREFIX + "customer_id", customerId);
    }

    private void endSpan(Context context) {
      tick(1);
      Span.fromContext(context).end(clockMillis, TimeUnit.MILLISECONDS);
    }

    private void tick(long millis) {
      clockMillis += millis;
    }
  }

  /** Context key carrying the attempt number of the enclosing retried unit. */
  private static final class AttemptKey {
    static final io.opentelemetry.context.ContextKey<Long> KEY =
        io.opentelemetry.context.ContextKey.named("tokenscope.attempt");
  }
}
