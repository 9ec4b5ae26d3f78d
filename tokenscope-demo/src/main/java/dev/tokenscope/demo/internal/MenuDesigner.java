package dev.tokenscope.demo.internal;

import dev.tokenscope.core.Entity;
import dev.tokenscope.core.EntityScope;
import dev.tokenscope.core.RollupTotals;
import dev.tokenscope.core.TokenScope;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The Restaurant Menu Designer's workflow: five phases, each a span under {@code
 * restaurant_menu_design_workflow}.
 *
 * <ol>
 *   <li>Plan: the Menu Coordinator structures the menu as JSON ({@code
 *       coordinator_plan_menu_structure}).
 *   <li>Research, concurrently ({@code parallel_agent_research_workflow}): the Executive Chef
 *       drafts every course, the Nutritionist writes the menu's guidelines, the Sommelier outlines
 *       the pairing strategy.
 *   <li>Refinement, courses concurrently ({@code recipe_refinement_workflow}): the Nutritionist
 *       reviews the draft against the guidelines; when it is sent back the Chef revises it with the
 *       feedback; up to three reviews.
 *   <li>Wine pairing, courses concurrently ({@code wine_pairing_workflow}): the Sommelier pairs the
 *       final recipe following the strategy; each answer is validated, up to three attempts, then a
 *       house fallback.
 *   <li>Assembly ({@code assemble_final_menu}).
 * </ol>
 *
 * <p>Retried units carry {@code tokenscope.attempt}: review n and revision n of a course, pairing
 * attempt n. Research results feed the later phases (drafts are what gets refined, guidelines what
 * the reviews apply, the strategy what the pairings follow). Courses are independent, so each phase
 * runs them concurrently, at most {@code courseConcurrency} at a time per request.
 */
final class MenuDesigner {

  static final String WORKFLOW = "restaurant_menu_design_workflow";
  static final String RESEARCH_WORKFLOW = "parallel_agent_research_workflow";
  static final String REFINEMENT_WORKFLOW = "recipe_refinement_workflow";
  static final String WINE_WORKFLOW = "wine_pairing_workflow";
  static final String PLAN_TASK = "coordinator_plan_menu_structure";
  static final String CHEF_TASK = "chef_create_course_recipe";
  static final String REVIEW_TASK = "nutritionist_analyze_course";
  static final String PAIR_TASK = "sommelier_pair_wine_with_course";
  static final String GUIDELINES_TASK = "nutritionist_research_guidelines";
  static final String STRATEGY_TASK = "sommelier_research_pairing_strategy";
  static final String VALIDATE_TOOL = "validate_wine_pairing";
  static final String FALLBACK_TASK = "sommelier_fallback_pairing";
  static final String ASSEMBLY_TASK = "assemble_final_menu";

  static final int MAX_ITERATIONS = 3;
  static final int MAX_WINE_ATTEMPTS = 3;

  static final List<String> AGENTS_INVOLVED =
      List.of("Menu Coordinator", "Executive Chef", "Nutritionist", "Sommelier");

  private static final AttributeKey<Boolean> APPROVED =
      AttributeKey.booleanKey(MenuAttributes.APPROVED);
  private static final AttributeKey<Boolean> WINE_VALID =
      AttributeKey.booleanKey(MenuAttributes.WINE_VALID);

  private final KitchenAgents agents;
  private final Executor executor;
  private final int courseConcurrency;

  /**
   * @param executor runs concurrent work and propagates the OpenTelemetry context
   */
  MenuDesigner(KitchenAgents agents, Executor executor, int courseConcurrency) {
    this.agents = agents;
    this.executor = executor;
    this.courseConcurrency = courseConcurrency;
  }

  DesignedMenu design(DesignRequest request) {
    long started = System.nanoTime();
    Entity workflow =
        TokenScope.workflow(WORKFLOW)
            .attribute(MenuAttributes.CUISINE, request.cuisine())
            .attribute(MenuAttributes.COURSES, request.courses());
    try (EntityScope scope = workflow.start()) {
      try {
        MenuPlan plan = TokenScope.task(PLAN_TASK).call(() -> agents.plan(request));
        Research research =
            TokenScope.workflow(RESEARCH_WORKFLOW).call(() -> research(request, plan));
        List<Refined> refined =
            TokenScope.workflow(REFINEMENT_WORKFLOW).call(() -> refineAll(request, plan, research));
        List<PairingResult> pairings =
            TokenScope.workflow(WINE_WORKFLOW)
                .call(() -> pairAll(request, plan, refined, research.strategy()));
        List<CourseResult> courses =
            TokenScope.task(ASSEMBLY_TASK).call(() -> assemble(plan, refined, pairings));
        // Every LLM call of this design has ended: the roll-up is final.
        RollupTotals totals = scope.rollup();
        return new DesignedMenu(
            request,
            plan,
            courses,
            totals,
            scope.span().getSpanContext().getTraceId(),
            (System.nanoTime() - started) / 1e9);
      } catch (RuntimeException | Error e) {
        scope.recordError(e);
        throw e;
      }
    }
  }

  private record Research(List<String> drafts, String guidelines, String strategy) {}

  private record Refined(String recipe, boolean approved, String notes, int iterations) {}

  private record PairingResult(WinePairing pairing, int attempts) {}

  private record PairingAttempt(int attempt, WinePairing pairing, List<String> problems) {
    boolean valid() {
      return pairing != null && problems.isEmpty();
    }
  }

  private Research research(DesignRequest request, MenuPlan plan) {
    Fanout fanout = new Fanout(executor, courseConcurrency + 2);
    CompletableFuture<String> guidelines =
        fanout.submit(
            () -> TokenScope.task(GUIDELINES_TASK).call(() -> agents.guidelines(request, plan)));
    CompletableFuture<String> strategy =
        fanout.submit(
            () -> TokenScope.task(STRATEGY_TASK).call(() -> agents.strategy(request, plan)));
    List<CompletableFuture<String>> drafts = new ArrayList<>();
    for (MenuPlan.Course course : plan.courses()) {
      drafts.add(
          fanout.submit(
              () ->
                  courseTask(CHEF_TASK, course)
                      .attempt(1)
                      .call(() -> agents.draft(request, plan, course))));
    }
    List<CompletableFuture<?>> all = new ArrayList<>(drafts);
    all.add(guidelines);
    all.add(strategy);
    Fanout.joinAll(all);
    List<String> texts = new ArrayList<>();
    for (CompletableFuture<String> draft : drafts) {
      texts.add(draft.join());
    }
    return new Research(texts, guidelines.join(), strategy.join());
  }

  private List<Refined> refineAll(DesignRequest request, MenuPlan plan, Research research) {
    List<Callable<Refined>> work = new ArrayList<>();
    for (int i = 0; i < plan.courses().size(); i++) {
      MenuPlan.Course course = plan.courses().get(i);
      String draft = research.drafts().get(i);
      work.add(() -> refine(request, course, draft, research.guidelines()));
    }
    return new Fanout(executor, courseConcurrency).all(work);
  }

  /** Review, revise with the feedback, review again: a real loop of up to three reviews. */
  private Refined refine(
      DesignRequest request, MenuPlan.Course course, String draft, String guidelines) {
    String recipe = draft;
    NutritionReview review = null;
    int iteration = 0;
    while (iteration < MAX_ITERATIONS) {
      iteration++;
      int n = iteration;
      String current = recipe;
      review =
          courseTask(REVIEW_TASK, course)
              .attempt(n)
              .call(
                  () -> {
                    NutritionReview verdict =
                        agents.review(request, course, current, guidelines, n);
                    Span.current().setAttribute(APPROVED, verdict.approved());
                    return verdict;
                  });
      if (review.approved() || iteration == MAX_ITERATIONS) {
        break;
      }
      NutritionReview feedback = review;
      recipe =
          courseTask(CHEF_TASK, course)
              .attempt(n + 1)
              .call(() -> agents.revise(request, course, current, feedback, n + 1));
    }
    return new Refined(recipe, review.approved(), review.feedback().strip(), iteration);
  }

  private List<PairingResult> pairAll(
      DesignRequest request, MenuPlan plan, List<Refined> refined, String strategy) {
    List<Callable<PairingResult>> work = new ArrayList<>();
    for (int i = 0; i < plan.courses().size(); i++) {
      MenuPlan.Course course = plan.courses().get(i);
      String recipe = refined.get(i).recipe();
      work.add(() -> pair(request, course, recipe, strategy));
    }
    return new Fanout(executor, courseConcurrency).all(work);
  }

  /** Up to three validated attempts, each told what was wrong with the last; then a fallback. */
  private PairingResult pair(
      DesignRequest request, MenuPlan.Course course, String recipe, String strategy) {
    String[] previousProblems = {""};
    PairingAttempt last =
        courseTask(PAIR_TASK, course)
            .refine(
                MAX_WINE_ATTEMPTS,
                attempt -> {
                  WinePairing answer =
                      agents.pair(request, course, recipe, strategy, attempt, previousProblems[0]);
                  List<String> problems =
                      TokenScope.tool(VALIDATE_TOOL).call(() -> WinePairing.problemsOf(answer));
                  Span.current().setAttribute(WINE_VALID, problems.isEmpty());
                  previousProblems[0] = String.join("; ", problems);
                  return new PairingAttempt(attempt, answer, problems);
                },
                PairingAttempt::valid);
    if (last.valid()) {
      return new PairingResult(last.pairing(), last.attempt());
    }
    WinePairing fallback =
        courseTask(FALLBACK_TASK, course)
            .call(() -> KitchenPrompts.fallbackPairing(course.type(), alcoholFree(request)));
    return new PairingResult(fallback, last.attempt());
  }

  private static List<CourseResult> assemble(
      MenuPlan plan, List<Refined> refined, List<PairingResult> pairings) {
    List<CourseResult> out = new ArrayList<>();
    for (int i = 0; i < plan.courses().size(); i++) {
      Refined r = refined.get(i);
      PairingResult p = pairings.get(i);
      out.add(
          new CourseResult(
              plan.courses().get(i),
              r.recipe(),
              p.pairing(),
              r.approved(),
              r.notes(),
              r.iterations(),
              p.attempts()));
    }
    return out;
  }

  private static Entity courseTask(String name, MenuPlan.Course course) {
    return TokenScope.task(name)
        .attribute(MenuAttributes.COURSE_NUMBER, course.number())
        .attribute(MenuAttributes.COURSE_TYPE, course.type());
  }

  private static boolean alcoholFree(DesignRequest request) {
    for (String requirement : request.dietaryRequirements()) {
      String r = requirement.toLowerCase(Locale.ROOT);
      if (r.contains("halal") || r.contains("alcohol")) {
        return true;
      }
    }
    return false;
  }
}
