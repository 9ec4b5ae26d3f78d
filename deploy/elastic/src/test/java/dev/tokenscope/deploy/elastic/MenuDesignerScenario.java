package dev.tokenscope.deploy.elastic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.embeddings.EmbeddingCreateParams;
import dev.tokenscope.anthropic.AnthropicTelemetry;
import dev.tokenscope.core.AssociationProperties;
import dev.tokenscope.core.TokenScope;
import dev.tokenscope.openai.OpenAiTelemetry;
import dev.tokenscope.simulator.Fault;
import dev.tokenscope.simulator.LlmSimulator;
import dev.tokenscope.simulator.Provider;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The Restaurant Menu Designer's telemetry, produced by running TokenScope in-process: {@link
 * TokenScope} (autoconfigured SDK, cost on every gen_ai span, metrics, workflow / task / agent /
 * tool spans with roll-ups and retries, association properties) priced with the LiteLLM snapshot in
 * {@code shared/data/pricing}, the official OpenAI and Anthropic SDKs wired by TokenScope's
 * integrations, and the simulator as the provider; everything exported to memory.
 *
 * <p>Two traces: a menu request behind an HTTP server span (so the workflow is an APM span), and a
 * nightly refresh job whose workflow is the root (so it is an APM transaction). Between them: four
 * agents on two providers, parallel research on a thread pool, a refinement retried after the
 * provider answered 529 overloaded, a call rate limited with 429, wine pairing with a validation
 * tool, a self-hosted model nobody priced and an embedding that costs less than a micro-dollar.
 *
 * <p>It complements the demo service's own traffic ({@link DemoServiceTelemetry}) with shapes that
 * traffic does not produce: see {@link TelemetryUnderTest}.
 */
final class MenuDesignerScenario implements TelemetrySource {

  static final String SERVICE_NAME = "menu-designer-batch";
  static final String MENU_WORKFLOW = "restaurant_menu";
  static final String REFRESH_WORKFLOW = "menu_refresh";
  static final String UNPRICED_MODEL = "acme-chef-7b";

  @Override
  public ExportedTelemetry record() {
    InMemoryTelemetry memory = new InMemoryTelemetry();
    try (LlmSimulator simulator = LlmSimulator.builder().seed(7).speed(0).build().start();
        TokenScope tokenScope =
            memory.tokenScope(SERVICE_NAME).associationHashKey("elastic-assets-test").build()) {
      AnthropicClient claude =
          AnthropicTelemetry.create(tokenScope)
              .wrap(
                  AnthropicOkHttpClient.builder()
                      .baseUrl(simulator.anthropicBaseUrl())
                      .apiKey("sk-ant-simulated")
                      .maxRetries(0)
                      .build());
      OpenAIClient openai =
          OpenAiTelemetry.create(tokenScope)
              .wrap(
                  OpenAIOkHttpClient.builder()
                      .baseUrl(simulator.openAiBaseUrl())
                      .apiKey("sk-simulated")
                      .maxRetries(0)
                      .build());
      Tracer http = tokenScope.openTelemetry().getTracer("io.opentelemetry.java-http-server");
      try {
        Calls calls = new Calls(claude, openai, simulator);
        menuRequest(http, calls);
        nightlyRefresh(calls);
      } finally {
        claude.close();
        openai.close();
      }
      return memory.exported(tokenScope);
    }
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
                                                  calls.openAi(
                                                      "gpt-4.1-mini",
                                                      "List this autumn's food trends for a bistro.")),
                                  research);
                          CompletableFuture<Void> seasonal =
                              CompletableFuture.runAsync(
                                  () ->
                                      TokenScope.task("research_seasonal")
                                          .run(
                                              () ->
                                                  calls.openAi(
                                                      "gpt-4.1-mini",
                                                      "Which vegetables are in season in October?")),
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
                                      calls.openAi(
                                          "gpt-4.1-nano",
                                          "Pair a wine with each course of this menu.");
                                      TokenScope.tool("validate_pairing").run(() -> {});
                                    }));
                // Phase 5: a self-hosted model nobody priced, and a tiny embedding.
                TokenScope.agent("critic")
                    .run(
                        () ->
                            TokenScope.task("price_check")
                                .run(
                                    () -> {
                                      calls.openAi(
                                          UNPRICED_MODEL, "Estimate the food cost of each course.");
                                      calls.embed("text-embedding-3-small", "tomato");
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
                                        calls.openAiRateLimited(
                                            "gpt-4.1-mini", "Rank the dishes by guest rating.");
                                        calls.openAi(
                                            "gpt-4.1-mini",
                                            "Summarize this week's guest feedback on the menu.");
                                      })));
    }
  }

  /**
   * The LLM calls, through the official SDKs wired by TokenScope's integrations, against the
   * simulator: Claude with the Anthropic SDK's own tracing ({@link AnthropicTelemetry}), OpenAI
   * with OpenTelemetry's OpenAI instrumentation as TokenScope completes it ({@link
   * OpenAiTelemetry}). Failures are the simulated provider's real error answers.
   */
  private static final class Calls {
    private final AnthropicClient claude;
    private final OpenAIClient openai;
    private final LlmSimulator simulator;

    Calls(AnthropicClient claude, OpenAIClient openai, LlmSimulator simulator) {
      this.claude = claude;
      this.openai = openai;
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

    /** A Claude call the simulated provider rejects with 529 overloaded: the SDK throws. */
    void claudeOverloaded(String model, String prompt) {
      simulator.failNext(1, Fault.OVERLOADED, Provider.ANTHROPIC);
      claude(model, prompt);
      throw new IllegalStateException("the simulator did not fail the call");
    }

    void openAi(String model, String prompt) {
      openai
          .chat()
          .completions()
          .create(
              ChatCompletionCreateParams.builder()
                  .model(model)
                  .maxCompletionTokens(512)
                  .addSystemMessage("You are the head chef of a seasonal restaurant.")
                  .addUserMessage(prompt)
                  .build());
    }

    /** An OpenAI call answered with 429 rate limited; the job carries on without it. */
    void openAiRateLimited(String model, String prompt) {
      simulator.failNext(1, Fault.RATE_LIMIT, Provider.OPENAI);
      try {
        openAi(model, prompt);
      } catch (OpenAIServiceException expected) {
        return;
      }
      throw new IllegalStateException("the simulator did not fail the call");
    }

    void embed(String model, String text) {
      openai.embeddings().create(EmbeddingCreateParams.builder().model(model).input(text).build());
    }
  }
}
