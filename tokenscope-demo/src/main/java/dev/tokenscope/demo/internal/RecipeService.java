package dev.tokenscope.demo.internal;

import dev.tokenscope.core.TokenScope;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The single-recipe endpoints: one recipe from one provider, the same recipe from both (the two
 * calls concurrently), or a batch (concurrently, bounded). Each request is one workflow, so its
 * cost rolls up: {@code recipe_generation_workflow}, {@code recipe_comparison_workflow}, {@code
 * recipe_batch_workflow}; each call is a {@code generate_recipe} task.
 */
final class RecipeService {

  static final String GENERATE_WORKFLOW = "recipe_generation_workflow";
  static final String COMPARE_WORKFLOW = "recipe_comparison_workflow";
  static final String BATCH_WORKFLOW = "recipe_batch_workflow";
  static final String GENERATE_TASK = "generate_recipe";

  private final LlmClients llm;
  private final AgentModels models;
  private final Executor executor;
  private final int concurrency;

  RecipeService(LlmClients llm, AgentModels models, Executor executor, int concurrency) {
    this.llm = llm;
    this.models = models;
    this.executor = executor;
    this.concurrency = concurrency;
  }

  Map<String, Object> generate(LlmProvider provider, RecipeRequest request) {
    return TokenScope.workflow(GENERATE_WORKFLOW).call(() -> recipe(provider, request));
  }

  Map<String, Object> compare(RecipeRequest request) {
    return TokenScope.workflow(COMPARE_WORKFLOW)
        .call(
            () -> {
              Fanout fanout = new Fanout(executor, 2);
              CompletableFuture<Map<String, Object>> openAi =
                  fanout.submit(() -> recipe(LlmProvider.OPENAI, request));
              CompletableFuture<Map<String, Object>> claude =
                  fanout.submit(() -> recipe(LlmProvider.ANTHROPIC, request));
              Fanout.joinAll(List.of(openAi, claude));
              Map<String, Object> out = new LinkedHashMap<>();
              out.put("openai", openAi.join());
              out.put("claude", claude.join());
              return out;
            });
  }

  List<Map<String, Object>> batch(LlmProvider provider, List<RecipeRequest> requests) {
    return TokenScope.workflow(BATCH_WORKFLOW)
        .call(
            () -> {
              List<Callable<Map<String, Object>>> work = new ArrayList<>();
              for (RecipeRequest request : requests) {
                work.add(() -> recipe(provider, request));
              }
              return new Fanout(executor, concurrency).all(work);
            });
  }

  private Map<String, Object> recipe(LlmProvider provider, RecipeRequest request) {
    String model = request.model() != null ? request.model() : models.recipeModel(provider);
    String prompt =
        KitchenPrompts.recipe(
            request.dishName(),
            request.cuisineType(),
            request.dietaryRestrictions(),
            request.servings());
    ChatReply reply =
        TokenScope.task(GENERATE_TASK)
            .call(
                () ->
                    llm.chat(
                        provider,
                        model,
                        ChatPrompt.text(KitchenPrompts.CHEF, prompt, 1_500)
                            .temperature(request.temperature())));
    Map<String, Object> usage = new LinkedHashMap<>();
    usage.put("input_tokens", reply.inputTokens());
    usage.put("output_tokens", reply.outputTokens());
    usage.put("total_tokens", reply.totalTokens());
    usage.put("cache_read_tokens", reply.cacheReadTokens());
    usage.put("cache_write_tokens", reply.cacheWriteTokens());
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("recipe", reply.text());
    data.put("model", reply.model());
    data.put("usage", usage);
    data.put("provider", provider == LlmProvider.OPENAI ? "openai" : "claude");
    data.put("prompt", prompt);
    return data;
  }
}
