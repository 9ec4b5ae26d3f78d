package dev.tokenscope.demo.internal;

import dev.tokenscope.core.Entity;
import dev.tokenscope.core.EntityScope;
import dev.tokenscope.core.RollupTotals;
import dev.tokenscope.core.TokenScope;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * The Restaurant Menu Designer's workflow: five phases, each a span under {@code
 * restaurant_menu_design_workflow}.
 *
 * <ol>
 *   <li>Plan: the Menu Coordinator structures the menu as JSON ({@code
 *       coordinator_plan_menu_structure}).
 *   <li>Research ({@code parallel_agent_research_workflow}): the Nutritionist writes the menu's
 *       guidelines and the Sommelier outlines the pairing strategy — both need only the request, so
 *       they run while the Coordinator plans — and the Executive Chef drafts every course as soon
 *       as the plan is there.
 *   <li>Refinement ({@code recipe_refinement_workflow}): the Nutritionist reviews a course's draft
 *       against the guidelines; when it is sent back the Chef revises it with the feedback; up to
 *       three reviews.
 *   <li>Wine pairing ({@code wine_pairing_workflow}): the Sommelier pairs the course's final recipe
 *       following the strategy; each answer is validated, up to three attempts, then a house
 *       fallback.
 *   <li>Assembly ({@code assemble_final_menu}).
 * </ol>
 *
 * <p>Courses are independent, so each course goes through research, refinement and wine pairing at
 * its own pace, concurrently with the others (at most {@code courseConcurrency} courses of a
 * request at a time): a course's reviews start when its own draft is written, its wine pairing when
 * its own recipe is final, without waiting for the slowest course. A recipe is final once a review
 * approves it, or once the last revision the loop allows is written: the third review is then made
 * while the wine is paired (its verdict is reported, but no revision can follow it). Each phase is
 * still one span holding every course's work of that phase ({@link Phase}), so the phase spans
 * overlap in time; every span has ended before the workflow span ends.
 *
 * <p>Retried units carry {@code tokenscope.attempt}: review n and revision n of a course, pairing
 * attempt n. Research results feed the later phases (drafts are what gets refined, guidelines what
 * the reviews apply, the strategy what the pairings follow).
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
        Designed designed = designInPhases(request);
        // Every LLM call of this design has ended: the roll-up is final.
        RollupTotals totals = scope.rollup();
        return new DesignedMenu(
            request,
            designed.plan(),
            designed.courses(),
            totals,
            scope.span().getSpanContext().getTraceId(),
            (System.nanoTime() - started) / 1e9);
      } catch (RuntimeException | Error e) {
        scope.recordError(e);
        throw e;
      }
    }
  }

  private record Designed(MenuPlan plan, List<CourseResult> courses) {}

  private record Refined(String recipe, boolean approved, String notes, int iterations) {}

  private record PairingResult(WinePairing pairing, int attempts) {}

  private record CourseWork(Refined refined, PairingResult pairing) {}

  private record PairingAttempt(int attempt, WinePairing pairing, List<String> problems) {
    boolean valid() {
      return pairing != null && problems.isEmpty();
    }
  }

  /** Runs the five phases in the workflow's context; returns once every piece of work has ended. */
  private Designed designInPhases(DesignRequest request) {
    Context design = Context.current();
    // 1. The plan, on the pool, so that the research that needs only the request runs meanwhile.
    CompletableFuture<MenuPlan> planned =
        TokenScope.task(PLAN_TASK)
            .callAsync(() -> CompletableFuture.supplyAsync(() -> agents.plan(request), executor));
    // 2. Research: guidelines and strategy now, one draft per course once the plan is there.
    Phase research =
        new Phase(TokenScope.workflow(RESEARCH_WORKFLOW), design, request.courses() + 2);
    CompletableFuture<String> guidelines =
        research.submit(
            executor,
            () -> TokenScope.task(GUIDELINES_TASK).call(() -> agents.guidelines(request)));
    CompletableFuture<String> strategy =
        research.submit(
            executor, () -> TokenScope.task(STRATEGY_TASK).call(() -> agents.strategy(request)));
    MenuPlan plan;
    try {
      plan = join(planned);
    } catch (RuntimeException | Error e) {
      research.skip(request.courses());
      awaitAll(List.of(guidelines, strategy));
      throw e;
    }
    research.skip(request.courses() - plan.courses().size());

    // 3. and 4. Each course from its draft through its reviews to its wine, at its own pace.
    int courses = plan.courses().size();
    Phase refinement = new Phase(TokenScope.workflow(REFINEMENT_WORKFLOW), design, courses);
    Phase pairing = new Phase(TokenScope.workflow(WINE_WORKFLOW), design, courses);
    Fanout fanout = new Fanout(executor, courseConcurrency);
    List<CompletableFuture<CourseWork>> work = new ArrayList<>();
    for (MenuPlan.Course course : plan.courses()) {
      work.add(
          fanout.begin(
              () -> {
                CompletableFuture<String> draft =
                    research.submit(
                        executor,
                        () ->
                            courseTask(CHEF_TASK, course)
                                .attempt(1)
                                .call(() -> agents.draft(request, plan, course)));
                // The recipe the wine is paired with: known before the refinement ends when its
                // last review can no longer change it.
                CompletableFuture<String> finalRecipe = new CompletableFuture<>();
                CompletableFuture<Refined> refined =
                    refinement.submitAfter(
                        executor,
                        draft,
                        guidelines,
                        (recipe, rules) -> refine(request, course, recipe, rules, finalRecipe));
                // refine completes finalRecipe itself, so a refinement that returns has always
                // done so; one that failed before it could (or never ran, its draft or the
                // guidelines having failed) fails it the same way, and the pairing is skipped.
                // A third review failing after the recipe went to the Sommelier leaves it be
                // (completeExceptionally does nothing to a completed future).
                refined.whenComplete(
                    (done, failure) -> {
                      if (failure != null) {
                        finalRecipe.completeExceptionally(failure);
                      }
                    });
                CompletableFuture<PairingResult> paired =
                    pairing.submitAfter(
                        executor,
                        finalRecipe,
                        strategy,
                        (recipe, how) -> pair(request, course, recipe, how));
                // Completes once both have (thenCombine waits for both, even when one fails).
                return refined.thenCombine(paired, CourseWork::new);
              },
              () -> {
                research.skip(1);
                refinement.skip(1);
                pairing.skip(1);
              }));
    }
    List<CompletableFuture<?>> all = new ArrayList<>(work);
    all.add(guidelines);
    all.add(strategy);
    Fanout.joinAll(all);

    // 5. Assembly, once every course is done.
    List<CourseResult> results = TokenScope.task(ASSEMBLY_TASK).call(() -> assemble(plan, work));
    return new Designed(plan, results);
  }

  /**
   * Review, revise with the feedback, review again: a real loop of up to three reviews. {@code
   * finalRecipe} is completed exactly once, as soon as the recipe can no longer change: before the
   * last review the loop allows (whatever it says, no revision follows), else with the approving
   * review. Only this method completes it with a recipe; it has done so whenever it returns.
   */
  private Refined refine(
      DesignRequest request,
      MenuPlan.Course course,
      String draft,
      String guidelines,
      CompletableFuture<String> finalRecipe) {
    String recipe = draft;
    NutritionReview review = null;
    int iteration = 0;
    while (iteration < MAX_ITERATIONS) {
      iteration++;
      int n = iteration;
      String current = recipe;
      boolean last = iteration == MAX_ITERATIONS;
      if (last) {
        finalRecipe.complete(current);
      }
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
      if (last) {
        break;
      }
      if (review.approved()) {
        finalRecipe.complete(current);
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
      MenuPlan plan, List<CompletableFuture<CourseWork>> work) {
    List<CourseResult> out = new ArrayList<>();
    for (int i = 0; i < plan.courses().size(); i++) {
      CourseWork done = work.get(i).join();
      Refined r = done.refined();
      PairingResult p = done.pairing();
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

  /** The future's value; its failure rethrown unwrapped. */
  private static <T> T join(CompletableFuture<T> future) {
    Fanout.joinAll(List.of(future));
    return future.join();
  }

  /** Waits for every future, ignoring their failures (another failure is being reported). */
  private static void awaitAll(List<? extends CompletableFuture<?>> futures) {
    for (CompletableFuture<?> future : futures) {
      future.exceptionally(failure -> null).join();
    }
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
