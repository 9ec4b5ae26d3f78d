package dev.tokenscope.demo.internal;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The reference design's flow, kept as the baseline of the speed figure: the same agents, prompts
 * and LLM calls as {@link MenuDesigner}, in the reference's order — plan; then the research calls
 * (guidelines and pairing strategy together, as its thread pool ran them); then one course after
 * another: the Chef's recipe, the review / revision loop, the wine attempts. Only the order and the
 * concurrency differ from {@link MenuDesigner}, so the two measure the same work. (The guidelines
 * and the strategy need only the request; the reference still waited for the plan before asking for
 * them, and so does this baseline.)
 */
final class SequentialReferenceDesigner {

  private final KitchenAgents agents;
  private final Executor executor;

  SequentialReferenceDesigner(KitchenAgents agents, Executor executor) {
    this.agents = agents;
    this.executor = executor;
  }

  int design(DesignRequest request) {
    MenuPlan plan = agents.plan(request);
    CompletableFuture<String> guidelines =
        CompletableFuture.supplyAsync(() -> agents.guidelines(request), executor);
    CompletableFuture<String> strategy =
        CompletableFuture.supplyAsync(() -> agents.strategy(request), executor);
    Fanout.joinAll(List.of(guidelines, strategy));
    int courses = 0;
    for (MenuPlan.Course course : plan.courses()) {
      String recipe = agents.draft(request, plan, course);
      for (int iteration = 1; iteration <= MenuDesigner.MAX_ITERATIONS; iteration++) {
        NutritionReview review =
            agents.review(request, course, recipe, guidelines.join(), iteration);
        if (review.approved() || iteration == MenuDesigner.MAX_ITERATIONS) {
          break;
        }
        recipe = agents.revise(request, course, recipe, review, iteration + 1);
      }
      String problems = "";
      for (int attempt = 1; attempt <= MenuDesigner.MAX_WINE_ATTEMPTS; attempt++) {
        WinePairing pairing =
            agents.pair(request, course, recipe, strategy.join(), attempt, problems);
        List<String> issues = WinePairing.problemsOf(pairing);
        if (issues.isEmpty()) {
          break;
        }
        problems = String.join("; ", issues);
      }
      courses++;
    }
    return courses;
  }
}
