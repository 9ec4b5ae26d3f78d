package dev.tokenscope.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenscope.simulator.ScriptRule;
import dev.tokenscope.simulator.SimulatedRequest;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The workflow's critical path: research that needs only the request runs while the plan is made,
 * and each course moves on as soon as its own previous step is done. Proven by scripted answers
 * that hold one call until another has been made — a sequential flow would never release them — and
 * by the trace, whose phase spans overlap while each still holds its own work.
 */
class CoursePipeliningTest {

  private static final String APPROVAL =
      "{\"approved\": true, \"score\": 90, \"notes\": \"Balanced.\", \"concerns\": []}";
  private static final String REJECTION =
      "{\"approved\": false, \"score\": 40, \"notes\": \"Too much butter.\","
          + " \"concerns\": [\"Halve the butter in the sauce.\"]}";
  private static final String GOOD_WINE =
      "{\"wine\": \"Sancerre\", \"grape\": \"Sauvignon Blanc\", \"region\": \"Loire, France\","
          + " \"serving_temperature_c\": 9, \"reasoning\": \"Its acidity and flint meet the citrus"
          + " in the dish.\", \"confidence\": 0.9}";

  @Test
  void guidelinesAndStrategyAreWrittenWhileThePlanIsMade() {
    CountDownLatch research = new CountDownLatch(2);
    AtomicBoolean planSawResearch = new AtomicBoolean();
    try (RunningMenuDesigner service =
        RunningMenuDesigner.scripted(
            rule(
                "^TASK: PLAN MENU",
                request -> {
                  planSawResearch.set(await(research));
                  return "{\"concept\": \"Spring\", \"courses\": [{\"course_number\": 1,"
                      + " \"course_type\": \"appetizer\", \"focus\": \"peas\"}, {\"course_number\":"
                      + " 2, \"course_type\": \"main\", \"focus\": \"lamb\"}]}";
                }),
            rule(
                "^TASK: NUTRITION GUIDELINES",
                request -> {
                  research.countDown();
                  return "Keep every course under 600 kcal.";
                }),
            rule(
                "^TASK: PAIRING STRATEGY",
                request -> {
                  research.countDown();
                  return "Start light, end sweet.";
                }))) {
      RunningMenuDesigner.Response response = service.post("/menu/design", "{\"courses\": 2}");

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      assertThat(planSawResearch).as("guidelines and strategy asked for during the plan").isTrue();
      TraceShape trace = TraceShape.of(service.finishedSpans(), "POST /menu/design");
      trace.assertOneRootedServerTrace("POST /menu/design");
      SpanData plan = trace.only("coordinator_plan_menu_structure.task");
      SpanData researchPhase = trace.only("parallel_agent_research_workflow.workflow");
      for (String task :
          List.of(
              "nutritionist_research_guidelines.task",
              "sommelier_research_pairing_strategy.task")) {
        SpanData span = trace.only(task);
        assertThat(trace.parent(span)).isEqualTo(researchPhase);
        assertThat(span.getStartEpochNanos()).isLessThan(plan.getEndEpochNanos());
      }
      assertThat(researchPhase.getStartEpochNanos())
          .isGreaterThanOrEqualTo(plan.getStartEpochNanos());
      // The drafts need the plan.
      for (SpanData draft : trace.named("chef_create_course_recipe.task")) {
        assertThat(draft.getStartEpochNanos()).isGreaterThanOrEqualTo(plan.getEndEpochNanos());
      }
    }
  }

  @Test
  void aCourseGoesOnToItsWineWhileAnotherIsStillInRefinement() {
    CountDownLatch secondCoursePaired = new CountDownLatch(1);
    AtomicBoolean firstReviewSawPairing = new AtomicBoolean();
    try (RunningMenuDesigner service =
        RunningMenuDesigner.scripted(
            reviewHeldUntil(
                "\nCourse 1 of 2: ", secondCoursePaired, firstReviewSawPairing, APPROVAL),
            wineThatOpens("\nCourse 2 of 2: ", secondCoursePaired))) {
      RunningMenuDesigner.Response response = service.post("/menu/design", "{\"courses\": 2}");

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      assertThat(firstReviewSawPairing)
          .as("course 2 paired while course 1 was still in review")
          .isTrue();
      TraceShape trace = TraceShape.of(service.finishedSpans(), "POST /menu/design");
      trace.assertOneRootedServerTrace("POST /menu/design");
      trace.assertPhasesHoldTheirWork();
      SpanData refinement = trace.only("recipe_refinement_workflow.workflow");
      SpanData wine = trace.only("wine_pairing_workflow.workflow");
      assertThat(wine.getStartEpochNanos()).isLessThan(refinement.getEndEpochNanos());
      SpanData firstReview = courseTasks(trace, "nutritionist_analyze_course.task", 1).get(0);
      SpanData secondPairing = courseTasks(trace, "sommelier_pair_wine_with_course.task", 2).get(0);
      assertThat(secondPairing.getStartEpochNanos()).isLessThan(firstReview.getEndEpochNanos());
      assertThat(trace.parent(firstReview)).isEqualTo(refinement);
      assertThat(trace.parent(secondPairing)).isEqualTo(wine);
    }
  }

  @Test
  void theWineIsPairedWhileTheLastReviewIsMadeAndWaitsForTheLastRevision() {
    CountDownLatch paired = new CountDownLatch(1);
    AtomicBoolean lastReviewSawPairing = new AtomicBoolean();
    AtomicBoolean pairedBeforeLastRevision = new AtomicBoolean();
    try (RunningMenuDesigner service =
        RunningMenuDesigner.scripted(
            reviewHeldUntil("\nIteration: 3", paired, lastReviewSawPairing, REJECTION),
            rule(
                "^TASK: REVISE RECIPE",
                request -> {
                  if (paired.getCount() == 0) {
                    pairedBeforeLastRevision.set(true);
                  }
                  return "A lighter version, with half the butter.";
                }),
            wineThatOpens("\nCourse 1 of 1: ", paired))) {
      RunningMenuDesigner.Response response = service.post("/menu/design", "{\"courses\": 1}");

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      assertThat(lastReviewSawPairing)
          .as("the wine asked for while the third review was being made")
          .isTrue();
      assertThat(pairedBeforeLastRevision).as("the wine waited for the last revision").isFalse();
      // The course still reports the third review's verdict.
      JsonNode course = response.json().get("menu").get("courses").get(0);
      assertThat(course.get("iterations").asInt()).isEqualTo(3);
      assertThat(course.get("nutrition_approved").asBoolean()).isFalse();
      assertThat(course.get("wine_attempts").asInt()).isEqualTo(1);
      TraceShape trace = TraceShape.of(service.finishedSpans(), "POST /menu/design");
      trace.assertOneRootedServerTrace("POST /menu/design");
      trace.assertPhasesHoldTheirWork();
      List<SpanData> reviews = courseTasks(trace, "nutritionist_analyze_course.task", 1);
      List<SpanData> revisions = courseTasks(trace, "chef_create_course_recipe.task", 1);
      SpanData pairing = trace.only("sommelier_pair_wine_with_course.task");
      assertThat(reviews).hasSize(3);
      assertThat(pairing.getStartEpochNanos()).isLessThan(reviews.get(2).getEndEpochNanos());
      assertThat(pairing.getStartEpochNanos())
          .isGreaterThanOrEqualTo(revisions.get(revisions.size() - 1).getEndEpochNanos())
          .isGreaterThanOrEqualTo(reviews.get(1).getEndEpochNanos());
      assertThat(trace.parent(reviews.get(2)))
          .isEqualTo(trace.only("recipe_refinement_workflow.workflow"));
    }
  }

  @Test
  void aLastReviewThatFailsWhileTheWineIsPairedLeavesNoSpanOpen() {
    try (RunningMenuDesigner service =
        RunningMenuDesigner.scripted(
            rule(
                "^TASK: NUTRITION REVIEW",
                request -> {
                  if (request.lastUserMessage().contains("\nIteration: 3")) {
                    throw new IllegalStateException("the nutritionist went home");
                  }
                  return REJECTION;
                }),
            rule("^TASK: PAIR WINE", request -> GOOD_WINE))) {
      RunningMenuDesigner.Response response = service.post("/menu/design", "{\"courses\": 1}");

      assertThat(response.status()).as(response.body()).isEqualTo(500);
      TraceShape trace = TraceShape.of(service.finishedSpans(), "POST /menu/design");
      trace.assertOneRootedServerTrace("POST /menu/design");
      assertThat(trace.only("recipe_refinement_workflow.workflow").getStatus().getStatusCode())
          .isEqualTo(StatusCode.ERROR);
      assertThat(trace.named("sommelier_pair_wine_with_course.task")).hasSize(1);
      assertThat(trace.named("assemble_final_menu.task")).isEmpty();
      trace.assertPhasesHoldTheirWork();
    }
  }

  @Test
  void aCourseThatFailsLeavesNoSpanOpenAndTheOthersFinish() {
    try (RunningMenuDesigner service =
        RunningMenuDesigner.scripted(
            rule(
                "^TASK: DRAFT RECIPE\\nCourse 1 of 2",
                request -> {
                  throw new IllegalStateException("the chef walked out");
                }))) {
      RunningMenuDesigner.Response response = service.post("/menu/design", "{\"courses\": 2}");

      assertThat(response.status()).as(response.body()).isEqualTo(500);
      TraceShape trace = TraceShape.of(service.finishedSpans(), "POST /menu/design");
      trace.assertOneRootedServerTrace("POST /menu/design");
      assertThat(trace.only("restaurant_menu_design_workflow.workflow").getStatus().getStatusCode())
          .isEqualTo(StatusCode.ERROR);
      assertThat(
              trace.only("parallel_agent_research_workflow.workflow").getStatus().getStatusCode())
          .isEqualTo(StatusCode.ERROR);
      // Course 2 went all the way; course 1 never reached refinement or wine pairing.
      for (String phase : List.of("recipe_refinement_workflow", "wine_pairing_workflow")) {
        SpanData span = trace.only(phase + ".workflow");
        assertThat(span.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
        assertThat(trace.spans)
            .filteredOn(s -> span.getSpanId().equals(s.getParentSpanId()))
            .isNotEmpty()
            .allSatisfy(s -> assertThat(s.getAttributes().get(TraceShape.COURSE)).isEqualTo(2L));
      }
      assertThat(trace.named("assemble_final_menu.task")).isEmpty();
      trace.assertPhasesHoldTheirWork();
    }
  }

  @Test
  void courseConcurrencyBoundsTheCoursesInFlight() {
    try (RunningMenuDesigner service = RunningMenuDesigner.start(b -> b.courseConcurrency(1))) {
      RunningMenuDesigner.Response response = service.post("/menu/design", "{\"courses\": 2}");

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      TraceShape trace = TraceShape.of(service.finishedSpans(), "POST /menu/design");
      List<SpanData> first = courseTasks(trace, null, 1);
      List<SpanData> second = courseTasks(trace, null, 2);
      long firstEnds = first.stream().mapToLong(SpanData::getEndEpochNanos).max().orElseThrow();
      assertThat(second)
          .isNotEmpty()
          .allSatisfy(s -> assertThat(s.getStartEpochNanos()).isGreaterThanOrEqualTo(firstEnds));
    }
  }

  /** The course's task spans named {@code name} (any when null), in start order. */
  private static List<SpanData> courseTasks(TraceShape trace, String name, long course) {
    return trace.spans.stream()
        .filter(s -> name == null || s.getName().equals(name))
        .filter(s -> Long.valueOf(course).equals(s.getAttributes().get(TraceShape.COURSE)))
        .sorted((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos()))
        .collect(Collectors.toList());
  }

  /**
   * Reviews answered with {@code reply}; one whose prompt contains {@code marker} is held until
   * {@code latch} opens, and {@code opened} says whether it did.
   */
  private static ScriptRule reviewHeldUntil(
      String marker, CountDownLatch latch, AtomicBoolean opened, String reply) {
    return rule(
        "^TASK: NUTRITION REVIEW",
        request -> {
          if (request.lastUserMessage().contains(marker)) {
            opened.set(await(latch));
          }
          return reply;
        });
  }

  /** Good wine answers; one whose prompt contains {@code marker} opens {@code latch}. */
  private static ScriptRule wineThatOpens(String marker, CountDownLatch latch) {
    return rule(
        "^TASK: PAIR WINE",
        request -> {
          if (request.lastUserMessage().contains(marker)) {
            latch.countDown();
          }
          return GOOD_WINE;
        });
  }

  /** Waits for a call the flow should make meanwhile; false when it never came. */
  private static boolean await(CountDownLatch latch) {
    try {
      return latch.await(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static ScriptRule rule(String regex, Function<SimulatedRequest, String> responder) {
    return ScriptRule.builder().messageMatches(regex).respond(responder).build();
  }
}
