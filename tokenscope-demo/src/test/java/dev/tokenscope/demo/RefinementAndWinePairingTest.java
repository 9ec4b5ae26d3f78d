package dev.tokenscope.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tokenscope.simulator.ScriptRule;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The refinement loop really iterates and the wine pairing really retries and falls back, each step
 * a span with {@code tokenscope.attempt}: driven by scripted answers that win over the simulator's
 * built-in ones.
 */
class RefinementAndWinePairingTest {

  private static final String REJECTION =
      "{\"approved\": false, \"score\": 40, \"notes\": \"Too much butter.\","
          + " \"concerns\": [\"Halve the butter in the sauce.\"]}";
  private static final String APPROVAL =
      "{\"approved\": true, \"score\": 90, \"notes\": \"Balanced.\", \"concerns\": []}";
  private static final String BAD_WINE =
      "{\"wine\": \"TBD\", \"grape\": \"\", \"region\": \"\", \"serving_temperature_c\": 30,"
          + " \"reasoning\": \"Unsure.\", \"confidence\": 0.1}";
  private static final String GOOD_WINE =
      "{\"wine\": \"Sancerre\", \"grape\": \"Sauvignon Blanc\", \"region\": \"Loire, France\","
          + " \"serving_temperature_c\": 9, \"reasoning\": \"Its acidity and flint meet the citrus"
          + " in the dish.\", \"confidence\": 0.9}";

  @Test
  void aRecipeSentBackEveryTimeIsRevisedTwiceAndReviewedThreeTimes() {
    try (RunningMenuDesigner service =
        RunningMenuDesigner.scripted(
            answer("^TASK: NUTRITION REVIEW", REJECTION), answer("^TASK: PAIR WINE", GOOD_WINE))) {
      RunningMenuDesigner.Response response = service.post("/menu/design", "{\"courses\": 2}");

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      for (JsonNode course : response.json().get("menu").get("courses")) {
        assertThat(course.get("iterations").asInt()).isEqualTo(3);
        assertThat(course.get("nutrition_approved").asBoolean()).isFalse();
        assertThat(course.get("nutrition_notes").asText())
            .contains("Too much butter.", "Halve the butter in the sauce.");
        assertThat(course.get("wine_attempts").asInt()).isEqualTo(1);
      }
      assertThat(response.json().get("metadata").get("total_iterations").asInt()).isEqualTo(6);
      assertThat(response.json().get("metadata").get("nutrition_approved_count").asInt()).isZero();

      TraceShape trace = TraceShape.of(service.finishedSpans(), "POST /menu/design");
      SpanData refinement = trace.only("recipe_refinement_workflow.workflow");
      for (long course = 1; course <= 2; course++) {
        assertThat(attempts(trace, refinement, "nutritionist_analyze_course.task", course))
            .containsExactly(1L, 2L, 3L);
        // Revisions between reviews: version 2 and version 3 of the recipe.
        assertThat(attempts(trace, refinement, "chef_create_course_recipe.task", course))
            .containsExactly(2L, 3L);
      }
      // The chef revised with the nutritionist's feedback in the prompt.
      assertThat(service.simulator().requestLog().entries())
          .filteredOn(r -> r.model() != null && r.model().startsWith("claude-sonnet"))
          .hasSize(2 + 4);
      // Every LLM call of a retried unit carries its attempt number.
      for (SpanData llm : trace.llmSpans()) {
        SpanData task = trace.enclosing(llm, "task");
        assertThat(llm.getAttributes().get(TraceShape.ATTEMPT))
            .isEqualTo(task.getAttributes().get(TraceShape.ATTEMPT));
      }
    }
  }

  @Test
  void theLoopStopsAtTheFirstApproval() {
    try (RunningMenuDesigner service =
        RunningMenuDesigner.scripted(
            answer("^TASK: NUTRITION REVIEW\\nIteration: 1", REJECTION),
            answer("^TASK: NUTRITION REVIEW", APPROVAL))) {
      RunningMenuDesigner.Response response = service.post("/menu/design", "{\"courses\": 3}");

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      for (JsonNode course : response.json().get("menu").get("courses")) {
        assertThat(course.get("iterations").asInt()).isEqualTo(2);
        assertThat(course.get("nutrition_approved").asBoolean()).isTrue();
        assertThat(course.get("nutrition_notes").asText()).isEqualTo("Balanced.");
        // The approved recipe is the revision, not the draft.
        assertThat(course.get("recipe").asText()).contains("Revision:");
      }
      assertThat(response.json().get("metadata").get("nutrition_approved_count").asInt())
          .isEqualTo(3);
    }
  }

  @Test
  void wineAnswersThatFailValidationAreRetriedThenReplacedByTheFallback() {
    try (RunningMenuDesigner service =
        RunningMenuDesigner.scripted(answer("^TASK: PAIR WINE", BAD_WINE))) {
      RunningMenuDesigner.Response response = service.post("/menu/design", "{\"courses\": 2}");

      assertThat(response.status()).as(response.body()).isEqualTo(200);
      for (JsonNode course : response.json().get("menu").get("courses")) {
        assertThat(course.get("wine_attempts").asInt()).isEqualTo(3);
        JsonNode wine = course.get("wine_pairing");
        assertThat(wine.get("fallback").asBoolean()).isTrue();
        assertThat(wine.get("wine").asText()).isNotEqualTo("TBD").isNotBlank();
      }

      TraceShape trace = TraceShape.of(service.finishedSpans(), "POST /menu/design");
      SpanData wine = trace.only("wine_pairing_workflow.workflow");
      for (long course = 1; course <= 2; course++) {
        assertThat(attempts(trace, wine, "sommelier_pair_wine_with_course.task", course))
            .containsExactly(1L, 2L, 3L);
      }
      assertThat(trace.named("sommelier_fallback_pairing.task")).hasSize(2);
      assertThat(trace.named("validate_wine_pairing.tool")).hasSize(6);
      assertThat(trace.named("sommelier_pair_wine_with_course.task"))
          .allSatisfy(
              s ->
                  assertThat(s.getAttributes().get(AttributeKey.booleanKey("menu.wine.valid")))
                      .isFalse());
      // Attempts after the first told the sommelier what was wrong.
      assertThat(service.simulator().requestLog().entries())
          .filteredOn(r -> "gpt-5-nano".equals(r.model()))
          .hasSize(1 + 6);
    }
  }

  @Test
  void aWineAnswerThatIsNotJsonIsRetried() {
    try (RunningMenuDesigner service =
        RunningMenuDesigner.scripted(
            answer("^TASK: PAIR WINE\\nAttempt: 1", "Something crisp and white, I think."),
            answer("^TASK: PAIR WINE", GOOD_WINE))) {
      RunningMenuDesigner.Response response = service.post("/menu/design", "{\"courses\": 1}");

      JsonNode course = response.json().get("menu").get("courses").get(0);
      assertThat(course.get("wine_attempts").asInt()).isEqualTo(2);
      assertThat(course.get("wine_pairing").get("wine").asText()).isEqualTo("Sancerre");
      assertThat(course.get("wine_pairing").get("fallback").asBoolean()).isFalse();
    }
  }

  private static ScriptRule answer(String taskRegex, String reply) {
    return ScriptRule.builder().messageMatches(taskRegex).reply(reply).build();
  }

  private static List<Long> attempts(
      TraceShape trace, SpanData phase, String taskName, long course) {
    return trace.spans.stream()
        .filter(s -> s.getName().equals(taskName))
        .filter(s -> s.getParentSpanId().equals(phase.getSpanId()))
        .filter(s -> s.getAttributes().get(TraceShape.COURSE) == course)
        .sorted(Comparator.comparingLong(SpanData::getStartEpochNanos))
        .map(s -> s.getAttributes().get(TraceShape.ATTEMPT))
        .collect(Collectors.toList());
  }
}
