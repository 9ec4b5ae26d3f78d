package dev.tokenscope.deploy.elastic;

import static dev.tokenscope.core.TelemetryContract.ERROR_TYPE;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_OPERATION_NAME;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_PROVIDER_NAME;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_REQUEST_MAX_TOKENS;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_REQUEST_MODEL;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_REQUEST_TEMPERATURE;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_RESPONSE_FINISH_REASONS;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_RESPONSE_ID;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_RESPONSE_MODEL;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_USAGE_INPUT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_USAGE_OUTPUT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS;
import static dev.tokenscope.core.TelemetryContract.SERVER_ADDRESS;
import static dev.tokenscope.core.TelemetryContract.SERVER_PORT;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.models.messages.MessageCreateParams;
import dev.tokenscope.anthropic.AnthropicTelemetry;
import dev.tokenscope.core.AssociationProperties;
import dev.tokenscope.core.TokenScope;
import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingCatalog;
import dev.tokenscope.simulator.Fault;
import dev.tokenscope.simulator.LlmSimulator;
import dev.tokenscope.simulator.Provider;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.metrics.data.MetricData;
import io.opentelemetry.sdk.testing.exporter.InMemoryMetricReader;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Restaurant Menu Designer's telemetry, produced by running TokenScope in-process: {@link
 * TokenScope} (autoconfigured SDK, cost on every gen_ai span, metrics, workflow / task / agent /
 * tool spans with roll-ups and retries, association properties) priced with the LiteLLM snapshot in
 * {@code shared/data/pricing}, exporting to memory.
 *
 * <p>The LLM calls are spans started the way SDK instrumentation starts them (a CLIENT span with
 * {@code gen_ai.*} request and usage attributes, {@code error.type} and ERROR status on failure),
 * because the OpenAI and Anthropic integrations are not in this module's reach; TokenScope adds
 * cost and metrics to them as it does to any instrumentation's spans.
 *
 * <p>Two traces: a menu request behind an HTTP server span (so the workflow is an APM span), and a
 * nightly refresh job whose workflow is the root (so it is an APM transaction). Between them: four
 * agents on two providers, parallel research on a thread pool, a refinement retried after a
 * provider error, wine pairing with a validation tool, an unpriced model and an embedding call that
 * costs less than a micro-dollar.
 *
 * <p>It stands in for the demo module: see {@link TelemetryUnderTest#SOURCE}.
 */
final class MenuDesignerScenario implements TelemetrySource {

  static final String SERVICE_NAME = "restaurant-menu-designer";
  static final String MENU_WORKFLOW = "restaurant_menu";
  static final String REFRESH_WORKFLOW = "menu_refresh";
  static final String UNPRICED_MODEL = "acme-chef-7b";

  @Override
  public ExportedTelemetry record() {
    InMemorySpanExporter spanExporter = InMemorySpanExporter.create();
    InMemoryMetricReader metricReader = InMemoryMetricReader.createDelta();
    List<SpanData> spans;
    List<MetricData> metrics;
    try (LlmSimulator simulator = LlmSimulator.builder().seed(7).speed(0).build().start();
        TokenScope tokenScope =
            TokenScope.builder()
                .serviceName(SERVICE_NAME)
                .resourceAttribute("deployment.environment.name", "test")
                .pricing(Pricing.of(PricingCatalog.load(pricingSnapshot())))
                .associationHashKey("elastic-assets-test")
                .registerGlobal(false)
                .property("otel.traces.exporter", "none")
                .property("otel.metrics.exporter", "none")
                .property("otel.logs.exporter", "none")
                .addSpanExporter(spanExporter)
                .addMetricReader(metricReader)
                .build()) {
      AnthropicClient claude =
          AnthropicTelemetry.create(tokenScope)
              .wrap(
                  AnthropicOkHttpClient.builder()
                      .baseUrl(simulator.anthropicBaseUrl())
                      .apiKey("sk-ant-simulated")
                      .maxRetries(0)
                      .build());
      Calls calls =
          new Calls(
              tokenScope.openTelemetry().getTracer("io.opentelemetry.openai-java-1.1"),
              claude,
              simulator);
      Tracer http = tokenScope.openTelemetry().getTracer("io.opentelemetry.java-http-server");
      try {
        menuRequest(http, calls);
        nightlyRefresh(calls);
      } finally {
        claude.close();
      }
      // Metrics first: TokenScope records them as each span ends, and a flush would collect (and
      // with delta temporality, consume) them before this reader sees them.
      metrics = new ArrayList<>(metricReader.collectAllMetrics());
      if (!tokenScope.flush(Duration.ofSeconds(10))) {
        throw new IllegalStateException("TokenScope did not flush its spans");
      }
      // Read before close: shutting down empties the in-memory exporter.
      spans = new ArrayList<>(spanExporter.getFinishedSpanItems());
    }
    return new ExportedTelemetry(spans, metrics);
  }

  /** POST /menus: an HTTP server span around the five-phase workflow. */
  private static void menuRequest(Tracer http, Calls calls) {
    Span server =
        http.spanBuilder("POST /menus")
            .setSpanKind(SpanKind.SERVER)
            .setAttribute("http.request.method", "POST")
            .setAttribute("http.route", "/menus")
            .setAttribute("url.path", "/menus")
            .startSpan();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try (Scope ignored = server.makeCurrent();
        Scope customer =
            AssociationProperties.builder()
                .customerId("customer-42")
                .sessionId("session-7")
                .build()
                .makeCurrent()) {
      TokenScope.workflow(MENU_WORKFLOW)
          .run(
              () -> {
                // Phase 1: parallel research, on a pool that carries the context.
                ExecutorService research = TokenScope.propagating(pool);
                TokenScope.agent("researcher")
                    .run(
                        () -> {
                          CompletableFuture<Void> trends =
                              CompletableFuture.runAsync(
                                  () ->
                                      TokenScope.task("research_trends")
                                          .run(
                                              () ->
                                                  calls.chat(
                                                      "gpt-4.1-mini",
                                                      "gpt-4.1-mini-2025-04-14",
                                                      1200,
                                                      400,
                                                      380,
                                                      0,
                                                      2100)),
                                  research);
                          CompletableFuture<Void> seasonal =
                              CompletableFuture.runAsync(
                                  () ->
                                      TokenScope.task("research_seasonal")
                                          .run(
                                              () ->
                                                  calls.chat(
                                                      "gpt-4.1-mini",
                                                      "gpt-4.1-mini-2025-04-14",
                                                      900,
                                                      0,
                                                      310,
                                                      0,
                                                      1800)),
                                  research);
                          CompletableFuture.allOf(trends, seasonal).join();
                        });
                // Phases 2 and 3: draft, then a refinement the provider rejects once.
                TokenScope.agent("chef")
                    .run(
                        () -> {
                          TokenScope.task("draft_menu")
                              .run(
                                  () ->
                                      calls.claude(
                                          "claude-sonnet-4-5",
                                          "Draft a five-course autumn menu from the research notes."));
                          TokenScope.task("refine_menu")
                              .retry(
                                  2,
                                  attempt -> {
                                    if (attempt == 1) {
                                      // The provider answers 529 overloaded; the SDK throws.
                                      calls.claudeOverloaded(
                                          "claude-sonnet-4-5", "Refine the menu.");
                                    }
                                    calls.claude(
                                        "claude-sonnet-4-5",
                                        "Refine the menu: lighter starters, one vegan main.");
                                    return null;
                                  });
                        });
                // Phase 4: wine pairing, checked by a tool.
                TokenScope.agent("sommelier")
                    .run(
                        () ->
                            TokenScope.task("wine_pairing")
                                .run(
                                    () -> {
                                      calls.chat(
                                          "gpt-4.1-nano",
                                          "gpt-4.1-nano-2025-04-14",
                                          700,
                                          0,
                                          420,
                                          120,
                                          900);
                                      TokenScope.tool("validate_pairing").run(() -> {});
                                    }));
                // Phase 5: a self-hosted model nobody priced, and a tiny embedding.
                TokenScope.agent("critic")
                    .run(
                        () ->
                            TokenScope.task("price_check")
                                .run(
                                    () -> {
                                      calls.chat(
                                          UNPRICED_MODEL, UNPRICED_MODEL, 600, 0, 200, 0, 1500);
                                      calls.embedding("text-embedding-3-small", 10, 120);
                                    }));
              });
    } finally {
      pool.shutdown();
    }
    server.setAttribute(AttributeKey.longKey("http.response.status_code"), 201L);
    server.end();
  }

  /** A scheduled job: the workflow is the root span, so APM makes it a transaction. */
  private static void nightlyRefresh(Calls calls) {
    try (Scope customer =
        AssociationProperties.builder().customerId("customer-99").build().makeCurrent()) {
      TokenScope.workflow(REFRESH_WORKFLOW)
          .run(
              () ->
                  TokenScope.agent("chef")
                      .run(
                          () ->
                              TokenScope.task("summarize_feedback")
                                  .run(
                                      () -> {
                                        calls.claude(
                                            "claude-haiku-4-5",
                                            "Summarize this week's guest feedback on the menu.");
                                        calls.failed("gpt-4.1-mini", "rate_limit_exceeded", 300);
                                        calls.chat(
                                            "gpt-4.1-mini",
                                            "gpt-4.1-mini-2025-04-14",
                                            2500,
                                            0,
                                            520,
                                            0,
                                            2600);
                                      })));
    }
  }

  /**
   * The LLM calls: Claude through the official Anthropic SDK (its own tracing, wired by {@link
   * AnthropicTelemetry}) against the simulator; OpenAI models as spans shaped like the OpenAI
   * instrumentation's (tokenscope-openai has no integration yet), on a clock that advances by each
   * call's duration so their latencies are deterministic.
   */
  private static final class Calls {
    private final Tracer tracer;
    private final AnthropicClient claude;
    private final LlmSimulator simulator;
    private final AtomicLong clockMillis = new AtomicLong(System.currentTimeMillis());
    private final AtomicInteger responseIds = new AtomicInteger();

    Calls(Tracer tracer, AnthropicClient claude, LlmSimulator simulator) {
      this.tracer = tracer;
      this.claude = claude;
      this.simulator = simulator;
    }

    void claude(String model, String prompt) {
      claude
          .messages()
          .create(
              MessageCreateParams.builder()
                  .model(model)
                  .maxTokens(512)
                  .system("You are the head chef of a seasonal restaurant.")
                  .addUserMessage(prompt)
                  .build());
    }

    /** A Claude call the simulated provider rejects with 529 overloaded. */
    void claudeOverloaded(String model, String prompt) {
      simulator.failNext(1, Fault.OVERLOADED, Provider.ANTHROPIC);
      try {
        claude(model, prompt);
      } catch (AnthropicServiceException expected) {
        throw expected;
      }
      throw new IllegalStateException("the simulator did not fail the call");
    }

    void chat(
        String model,
        String responseModel,
        long inputTokens,
        long cacheReadTokens,
        long outputTokens,
        long reasoningTokens,
        long durationMillis) {
      Span span = start("chat", model, durationMillis);
      span.setAttribute(AttributeKey.longKey(GEN_AI_REQUEST_MAX_TOKENS), 2048L);
      span.setAttribute(AttributeKey.doubleKey(GEN_AI_REQUEST_TEMPERATURE), 0.7);
      span.setAttribute(AttributeKey.stringKey(GEN_AI_RESPONSE_MODEL), responseModel);
      span.setAttribute(
          AttributeKey.stringKey(GEN_AI_RESPONSE_ID), "resp_" + responseIds.incrementAndGet());
      span.setAttribute(
          AttributeKey.stringArrayKey(GEN_AI_RESPONSE_FINISH_REASONS), List.of("stop"));
      span.setAttribute(AttributeKey.longKey(GEN_AI_USAGE_INPUT_TOKENS), inputTokens);
      span.setAttribute(AttributeKey.longKey(GEN_AI_USAGE_OUTPUT_TOKENS), outputTokens);
      if (cacheReadTokens > 0) {
        span.setAttribute(
            AttributeKey.longKey(GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS), cacheReadTokens);
      }
      if (reasoningTokens > 0) {
        span.setAttribute(
            AttributeKey.longKey(GEN_AI_USAGE_REASONING_OUTPUT_TOKENS), reasoningTokens);
      }
      end(span, durationMillis);
    }

    void embedding(String model, long inputTokens, long durationMillis) {
      Span span = start("embeddings", model, durationMillis);
      span.setAttribute(AttributeKey.stringKey(GEN_AI_RESPONSE_MODEL), model);
      span.setAttribute(AttributeKey.longKey(GEN_AI_USAGE_INPUT_TOKENS), inputTokens);
      end(span, durationMillis);
    }

    void failed(String model, String errorType, long durationMillis) {
      Span span = start("chat", model, durationMillis);
      span.setStatus(StatusCode.ERROR, "provider returned " + errorType);
      span.setAttribute(AttributeKey.stringKey(ERROR_TYPE), errorType);
      end(span, durationMillis);
    }

    private Span start(String operation, String model, long durationMillis) {
      String provider = model.startsWith("claude") ? "anthropic" : "openai";
      return tracer
          .spanBuilder(operation + " " + model)
          .setSpanKind(SpanKind.CLIENT)
          .setStartTimestamp(clockMillis.get(), TimeUnit.MILLISECONDS)
          .setAttribute(GEN_AI_OPERATION_NAME, operation)
          // Current semantic conventions name only the provider; TokenScope adds the deprecated
          // gen_ai.system alias that APM Server keys span.type=genai on.
          .setAttribute(GEN_AI_PROVIDER_NAME, provider)
          .setAttribute(GEN_AI_REQUEST_MODEL, model)
          .setAttribute(
              SERVER_ADDRESS, provider.equals("anthropic") ? "api.anthropic.com" : "api.openai.com")
          .setAttribute(AttributeKey.longKey(SERVER_PORT), 443L)
          .startSpan();
    }

    private void end(Span span, long durationMillis) {
      span.end(clockMillis.addAndGet(durationMillis), TimeUnit.MILLISECONDS);
    }
  }

  /** The LiteLLM snapshot in {@code <workspace>/shared/data/pricing} (test data only). */
  static Path pricingSnapshot() {
    Path root = Path.of(System.getProperty("tokenscope.repo.root", "../..")).toAbsolutePath();
    for (Path dir = root; dir != null; dir = dir.getParent()) {
      Path path = dir.resolve("shared/data/pricing/litellm-model-prices-2026-07-24.json");
      if (Files.isReadable(path)) {
        return path;
      }
    }
    throw new IllegalStateException(
        "pricing snapshot not found in shared/data/pricing above " + root);
  }
}
