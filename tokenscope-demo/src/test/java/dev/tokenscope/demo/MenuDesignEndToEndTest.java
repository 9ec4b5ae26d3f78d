package dev.tokenscope.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code GET /health} and {@code POST /menu/design}: response shapes and trace shapes. */
class MenuDesignEndToEndTest {

  static RunningMenuDesigner service;

  @BeforeAll
  static void start() {
    service = RunningMenuDesigner.start();
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @BeforeEach
  void forgetSpans() {
    service.reset();
  }

  @Test
  void healthAnswersAsTheReferenceService() {
    RunningMenuDesigner.Response response = service.get("/health");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body())
        .isEqualTo("{\"status\":\"healthy\",\"service\":\"recipe-generator\"}");
    SpanData server = TraceShape.of(service.finishedSpans(), "GET /health").root();
    assertThat(server.getAttributes().get(AttributeKey.stringKey("http.route")))
        .isEqualTo("/health");
  }

  @Test
  void aDefaultDesignHasFiveCoursesInTheReferenceShape() {
    RunningMenuDesigner.Response response = service.post("/menu/design", "{}");

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode json = response.json();
    assertThat(json.get("success").asBoolean()).isTrue();
    JsonNode menu = json.get("menu");
    assertThat(fieldNames(menu))
        .containsExactly(
            "concept", "cuisine", "type", "courses", "dietary_compliance", "budget", "season");
    assertThat(menu.get("cuisine").asText()).isEqualTo("Contemporary");
    assertThat(menu.get("type").asText()).isEqualTo("fine_dining");
    assertThat(menu.get("budget").asText()).isEqualTo("premium");
    assertThat(menu.get("season").asText()).isEqualTo("current");
    assertThat(menu.get("dietary_compliance").isArray()).isTrue();
    assertThat(menu.get("concept").asText()).isNotBlank();
    JsonNode courses = menu.get("courses");
    assertThat(courses).hasSize(5);
    int iterations = 0;
    int wineAttempts = 0;
    int approved = 0;
    for (int i = 0; i < courses.size(); i++) {
      JsonNode course = courses.get(i);
      assertThat(fieldNames(course))
          .containsExactly(
              "course_number",
              "course_type",
              "recipe",
              "wine_pairing",
              "nutrition_approved",
              "nutrition_notes",
              "iterations",
              "wine_attempts");
      assertThat(course.get("course_number").asInt()).isEqualTo(i + 1);
      assertThat(course.get("course_type").asText()).isNotBlank();
      assertThat(course.get("recipe").asText()).isNotBlank();
      assertThat(course.get("wine_pairing").get("wine").asText()).isNotBlank();
      assertThat(course.get("iterations").asInt()).isBetween(1, 3);
      assertThat(course.get("wine_attempts").asInt()).isBetween(1, 3);
      iterations += course.get("iterations").asInt();
      wineAttempts += course.get("wine_attempts").asInt();
      approved += course.get("nutrition_approved").asBoolean() ? 1 : 0;
    }
    JsonNode metadata = json.get("metadata");
    assertThat(fieldNames(metadata))
        .containsExactly(
            "total_courses",
            "nutrition_approved_count",
            "total_iterations",
            "total_wine_attempts",
            "design_time_seconds",
            "agents_involved",
            "total_cost_usd",
            "total_tokens",
            "trace_id");
    assertThat(metadata.get("total_courses").asInt()).isEqualTo(5);
    assertThat(metadata.get("nutrition_approved_count").asInt()).isEqualTo(approved);
    assertThat(metadata.get("total_iterations").asInt()).isEqualTo(iterations);
    assertThat(metadata.get("total_wine_attempts").asInt()).isEqualTo(wineAttempts);
    assertThat(metadata.get("design_time_seconds").asDouble()).isPositive();
    assertThat(metadata.get("agents_involved")).hasSize(4);

    // Cost, tokens and trace id come from the workflow's roll-up, not from adding up by hand.
    TraceShape trace = TraceShape.of(service.finishedSpans(), "POST /menu/design");
    SpanData workflow = trace.only("restaurant_menu_design_workflow.workflow");
    assertThat(metadata.get("trace_id").asText()).isEqualTo(workflow.getTraceId());
    assertThat(metadata.get("total_cost_usd").asDouble())
        .isPositive()
        .isCloseTo(workflow.getAttributes().get(TraceShape.ROLLUP_COST), within(1e-12));
    long tokens =
        workflow.getAttributes().get(AttributeKey.longKey("tokenscope.rollup.input_tokens"))
            + workflow.getAttributes().get(AttributeKey.longKey("tokenscope.rollup.output_tokens"));
    assertThat(metadata.get("total_tokens").asLong()).isEqualTo(tokens);

    // One call per review, per revision, per wine attempt, plus plan and research.
    int revisions = iterations - approvedAtFinalReview(courses) - courses.size() + approved;
    assertThat(trace.llmSpans()).hasSize(1 + 5 + 2 + iterations + (iterations - 5) + wineAttempts);
    assertThat(revisions).isGreaterThanOrEqualTo(0);
  }

  private static int approvedAtFinalReview(JsonNode courses) {
    int n = 0;
    for (JsonNode course : courses) {
      n += course.get("nutrition_approved").asBoolean() ? 1 : 0;
    }
    return n;
  }

  @Test
  void theTraceReadsLikeTheReferenceWaterfall() {
    service.post("/menu/design", "{\"courses\": 3, \"cuisine\": \"Japanese\"}");

    TraceShape trace = TraceShape.of(service.finishedSpans(), "POST /menu/design");
    trace.assertOneRootedServerTrace("POST /menu/design");
    SpanData server = trace.root();
    assertThat(server.getAttributes().get(AttributeKey.stringKey("http.route")))
        .isEqualTo("/menu/design");
    assertThat(server.getAttributes().get(AttributeKey.stringKey("http.request.method")))
        .isEqualTo("POST");
    assertThat(server.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
        .isEqualTo(200);
    assertThat(server.getAttributes().get(AttributeKey.stringKey("url.path")))
        .isEqualTo("/menu/design");

    SpanData workflow = trace.only("restaurant_menu_design_workflow.workflow");
    assertThat(trace.parent(workflow)).isEqualTo(server);
    // The five phases, each a span directly under the workflow, in the order they start. The
    // research that needs only the request starts with the plan; each course goes on to its
    // reviews and its wine as soon as its own previous step is done, so phases overlap.
    List<String> phases =
        trace.spans.stream()
            .filter(s -> workflow.getSpanId().equals(s.getParentSpanId()))
            .sorted((a, b) -> Long.compare(a.getStartEpochNanos(), b.getStartEpochNanos()))
            .map(SpanData::getName)
            .collect(Collectors.toList());
    assertThat(phases)
        .containsExactly(
            "coordinator_plan_menu_structure.task",
            "parallel_agent_research_workflow.workflow",
            "recipe_refinement_workflow.workflow",
            "wine_pairing_workflow.workflow",
            "assemble_final_menu.task");

    // Every LLM call sits under the agent that made it, under the task that asked for it.
    Map<String, String> agentOfModel =
        Map.of(
            "gpt-5-mini", "menu_coordinator",
            "claude-sonnet-4-5-20250929", "executive_chef",
            "claude-haiku-4-5-20251001", "nutritionist",
            "gpt-5-nano", "sommelier");
    Map<String, Set<String>> tasksOfAgent =
        Map.of(
            "menu_coordinator", Set.of("coordinator_plan_menu_structure.task"),
            "executive_chef", Set.of("chef_create_course_recipe.task"),
            "nutritionist",
                Set.of("nutritionist_research_guidelines.task", "nutritionist_analyze_course.task"),
            "sommelier",
                Set.of(
                    "sommelier_research_pairing_strategy.task",
                    "sommelier_pair_wine_with_course.task"));
    assertThat(trace.llmSpans()).isNotEmpty();
    for (SpanData llm : trace.llmSpans()) {
      String model = llm.getAttributes().get(TraceShape.REQUEST_MODEL);
      SpanData agent = trace.parent(llm);
      assertThat(agent.getAttributes().get(TraceShape.AGENT_NAME))
          .as("agent of %s", llm.getName())
          .isEqualTo(agentOfModel.get(model));
      SpanData task = trace.parent(agent);
      assertThat(tasksOfAgent.get(agentOfModel.get(model))).contains(task.getName());
      assertThat(llm.getAttributes().get(TraceShape.COST)).isNotNull().isPositive();
    }
    // Roll-ups: the whole design, and each phase workflow.
    for (SpanData span : trace.spans) {
      if ("workflow".equals(span.getAttributes().get(TraceShape.SPAN_KIND))) {
        trace.assertRollupMatches(span);
      }
    }
    // Research: three drafts, guidelines and strategy, all under the research phase.
    List<SpanData> research =
        trace.spans.stream()
            .filter(
                s ->
                    s.getName().equals("nutritionist_research_guidelines.task")
                        || s.getName().equals("sommelier_research_pairing_strategy.task")
                        || (s.getName().equals("chef_create_course_recipe.task")
                            && trace
                                .parent(s)
                                .getName()
                                .equals("parallel_agent_research_workflow.workflow")))
            .collect(Collectors.toList());
    assertThat(research).hasSize(3 + 2);
    long latestStart =
        research.stream().mapToLong(SpanData::getStartEpochNanos).max().orElseThrow();
    long earliestEnd = research.stream().mapToLong(SpanData::getEndEpochNanos).min().orElseThrow();
    assertThat(latestStart)
        .isLessThan(research.stream().mapToLong(SpanData::getEndEpochNanos).max().orElseThrow());
    assertThat(earliestEnd).isPositive();
    assertThat(workflow.getStatus().getStatusCode()).isNotEqualTo(StatusCode.ERROR);
    trace.assertPhasesHoldTheirWork();
  }

  @Test
  void eachRequestIsOneTrace() {
    service.post("/menu/design", "{\"courses\": 1}");
    service.post("/menu/design", "{\"courses\": 2}");
    service.get("/health");

    Map<String, TraceShape> traces = TraceShape.byTrace(service.finishedSpans());
    assertThat(traces).hasSize(3);
    for (TraceShape trace : traces.values()) {
      String root = trace.root().getName();
      trace.assertOneRootedServerTrace(root);
    }
  }

  @Test
  void theCallersTraceparentIsHonoured() {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String parentId = "00f067aa0ba902b7";
    RunningMenuDesigner.Response response =
        service.post("/menu/design", "{\"courses\": 1}", "00-" + traceId + "-" + parentId + "-01");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("metadata").get("trace_id").asText()).isEqualTo(traceId);
    SpanData server =
        service.finishedSpans().stream()
            .filter(s -> s.getName().equals("POST /menu/design"))
            .findFirst()
            .orElseThrow();
    assertThat(server.getTraceId()).isEqualTo(traceId);
    assertThat(server.getParentSpanId()).isEqualTo(parentId);
    assertThat(server.getParentSpanContext().isRemote()).isTrue();
  }

  @Test
  void twelveCoursesAndRequestedFieldsComeBack() {
    RunningMenuDesigner.Response response =
        service.post(
            "/menu/design",
            "{\"cuisine\": \"Peruvian\", \"menu_type\": \"tasting\", \"courses\": 12,"
                + " \"dietary_requirements\": [\"vegetarian\", \"gluten-free\"],"
                + " \"budget\": \"moderate\", \"season\": \"autumn\", \"occasion\": \"wedding\"}");

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode menu = response.json().get("menu");
    assertThat(menu.get("cuisine").asText()).isEqualTo("Peruvian");
    assertThat(menu.get("type").asText()).isEqualTo("tasting");
    assertThat(menu.get("budget").asText()).isEqualTo("moderate");
    assertThat(menu.get("season").asText()).isEqualTo("autumn");
    assertThat(menu.get("dietary_compliance"))
        .extracting(JsonNode::asText)
        .containsExactly("vegetarian", "gluten-free");
    assertThat(menu.get("courses")).hasSize(12);
    assertThat(response.json().get("metadata").get("total_courses").asInt()).isEqualTo(12);
  }

  @Test
  void theLongAgentPromptsAreCached() {
    service.post("/menu/design", "{\"courses\": 2}");
    service.post("/menu/design", "{\"courses\": 2}");

    // Sonnet caches from 1,024 tokens, Haiku from 4,096: both system prompts are long enough.
    assertThat(service.simulator().requestLog().entries())
        .filteredOn(r -> r.model() != null && r.model().startsWith("claude-haiku"))
        .anySatisfy(r -> assertThat(r.cacheReadTokens()).isGreaterThanOrEqualTo(4096));
    assertThat(service.simulator().requestLog().entries())
        .filteredOn(r -> r.model() != null && r.model().startsWith("claude-sonnet"))
        .anySatisfy(r -> assertThat(r.cacheReadTokens()).isGreaterThanOrEqualTo(1024));
    assertThat(service.simulator().requestLog().entries())
        .filteredOn(r -> "gpt-5-nano".equals(r.model()))
        .anySatisfy(r -> assertThat(r.cacheReadTokens()).isGreaterThanOrEqualTo(1024));
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
