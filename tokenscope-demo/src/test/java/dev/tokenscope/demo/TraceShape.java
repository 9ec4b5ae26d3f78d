package dev.tokenscope.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/** One exported trace, with the questions the trace-shape tests ask of it. */
final class TraceShape {

  static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
  static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
  static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
  static final AttributeKey<String> SPAN_KIND = AttributeKey.stringKey("traceloop.span.kind");
  static final AttributeKey<String> AGENT_NAME = AttributeKey.stringKey("gen_ai.agent.name");
  static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("tokenscope.attempt");
  static final AttributeKey<Double> COST = AttributeKey.doubleKey("gen_ai.cost.total_usd");
  static final AttributeKey<Double> ROLLUP_COST =
      AttributeKey.doubleKey("tokenscope.rollup.cost_usd");
  static final AttributeKey<Long> ROLLUP_CALLS =
      AttributeKey.longKey("tokenscope.rollup.llm_calls");
  static final AttributeKey<Long> COURSE = AttributeKey.longKey("menu.course.number");

  final List<SpanData> spans;
  private final Map<String, SpanData> byId;

  TraceShape(List<SpanData> spans) {
    this.spans = List.copyOf(spans);
    this.byId = spans.stream().collect(Collectors.toMap(SpanData::getSpanId, Function.identity()));
  }

  /** The traces among {@code spans}, keyed by trace id. */
  static Map<String, TraceShape> byTrace(List<SpanData> spans) {
    return spans.stream().collect(Collectors.groupingBy(SpanData::getTraceId)).entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> new TraceShape(e.getValue())));
  }

  /** The trace whose server span handled {@code route}; fails unless exactly one did. */
  static TraceShape of(List<SpanData> spans, String serverSpanName) {
    List<TraceShape> matching =
        byTrace(spans).values().stream()
            .filter(t -> t.spans.stream().anyMatch(s -> s.getName().equals(serverSpanName)))
            .collect(Collectors.toList());
    assertThat(matching).as("traces with a span %s", serverSpanName).hasSize(1);
    return matching.get(0);
  }

  SpanData root() {
    List<SpanData> roots =
        spans.stream()
            .filter(s -> !byId.containsKey(s.getParentSpanId()))
            .collect(Collectors.toList());
    assertThat(roots).as("spans without a parent in the trace").hasSize(1);
    return roots.get(0);
  }

  @Nullable SpanData parent(SpanData span) {
    return byId.get(span.getParentSpanId());
  }

  List<SpanData> ancestors(SpanData span) {
    List<SpanData> out = new ArrayList<>();
    for (SpanData p = parent(span); p != null; p = parent(p)) {
      out.add(p);
    }
    return out;
  }

  /** Inference spans: whoever created them, they carry a gen_ai provider and a chat operation. */
  List<SpanData> llmSpans() {
    return spans.stream()
        .filter(s -> s.getAttributes().get(PROVIDER) != null)
        .filter(s -> "chat".equals(s.getAttributes().get(OPERATION)))
        .collect(Collectors.toList());
  }

  List<SpanData> named(String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).collect(Collectors.toList());
  }

  SpanData only(String name) {
    List<SpanData> found = named(name);
    assertThat(found).as("spans named %s", name).hasSize(1);
    return found.get(0);
  }

  /** The nearest enclosing span of a given traceloop kind (agent, task, workflow). */
  @Nullable SpanData enclosing(SpanData span, String kind) {
    for (SpanData p : ancestors(span)) {
      if (kind.equals(p.getAttributes().get(SPAN_KIND))) {
        return p;
      }
    }
    return null;
  }

  /** Nothing orphaned: one root, a SERVER span; every other span's parent is in the trace. */
  void assertOneRootedServerTrace(String serverSpanName) {
    SpanData root = root();
    assertThat(root.getName()).isEqualTo(serverSpanName);
    assertThat(root.getKind()).isEqualTo(SpanKind.SERVER);
    for (SpanData span : spans) {
      if (span != root) {
        assertThat(byId).as("parent of %s", span.getName()).containsKey(span.getParentSpanId());
        assertThat(span.getStartEpochNanos()).isGreaterThanOrEqualTo(root.getStartEpochNanos());
        assertThat(span.getEndEpochNanos()).isLessThanOrEqualTo(root.getEndEpochNanos());
      }
    }
  }

  /**
   * The menu design's phases may overlap, but each phase span spans its own work, and within a
   * course the phases follow one another: a course's reviews start after its draft ends and after
   * the guidelines are written; its wine attempts once its recipe is final — after its last
   * revision and every review but the third (the loop's last: no revision follows it, so the wine
   * is paired while it is made) — and after the strategy is written.
   */
  void assertPhasesHoldTheirWork() {
    SpanData workflow = only("restaurant_menu_design_workflow.workflow");
    for (SpanData phase : children(workflow)) {
      for (SpanData work : children(phase)) {
        assertThat(work.getStartEpochNanos())
            .as("%s starts within %s", work.getName(), phase.getName())
            .isGreaterThanOrEqualTo(phase.getStartEpochNanos());
        assertThat(work.getEndEpochNanos())
            .as("%s ends within %s", work.getName(), phase.getName())
            .isLessThanOrEqualTo(phase.getEndEpochNanos());
      }
    }
    List<SpanData> research = phaseWork("parallel_agent_research_workflow.workflow");
    List<SpanData> refinement = phaseWork("recipe_refinement_workflow.workflow");
    List<SpanData> wine = phaseWork("wine_pairing_workflow.workflow");
    assertAllBefore(
        research.stream()
            .filter(s -> s.getName().equals("nutritionist_research_guidelines.task"))
            .collect(Collectors.toList()),
        refinement);
    assertAllBefore(
        research.stream()
            .filter(s -> s.getName().equals("sommelier_research_pairing_strategy.task"))
            .collect(Collectors.toList()),
        wine);
    Set<Long> courses =
        spans.stream()
            .map(s -> s.getAttributes().get(COURSE))
            .filter(Objects::nonNull)
            .collect(Collectors.toSet());
    for (Long course : courses) {
      assertAllBefore(ofCourse(research, course), ofCourse(refinement, course));
      assertAllBefore(
          ofCourse(refinement, course).stream()
              .filter(s -> !isLastAllowedReview(s))
              .collect(Collectors.toList()),
          ofCourse(wine, course));
    }
  }

  /** The loop's third review: whatever it says, the recipe it reviews is the final one. */
  static boolean isLastAllowedReview(SpanData span) {
    return span.getName().equals("nutritionist_analyze_course.task")
        && Long.valueOf(3).equals(span.getAttributes().get(ATTEMPT));
  }

  private List<SpanData> children(SpanData parent) {
    return spans.stream()
        .filter(s -> parent.getSpanId().equals(s.getParentSpanId()))
        .collect(Collectors.toList());
  }

  private List<SpanData> phaseWork(String phase) {
    List<SpanData> found = named(phase);
    return found.isEmpty() ? List.of() : children(found.get(0));
  }

  private static List<SpanData> ofCourse(List<SpanData> work, long course) {
    return work.stream()
        .filter(s -> Long.valueOf(course).equals(s.getAttributes().get(COURSE)))
        .collect(Collectors.toList());
  }

  private static void assertAllBefore(List<SpanData> earlier, List<SpanData> later) {
    for (SpanData before : earlier) {
      for (SpanData after : later) {
        assertThat(before.getEndEpochNanos())
            .as("%s ends before %s starts", before.getName(), after.getName())
            .isLessThanOrEqualTo(after.getStartEpochNanos());
      }
    }
  }

  /** The roll-up on a workflow span equals the sum of the LLM spans' costs beneath it. */
  void assertRollupMatches(SpanData workflow) {
    List<SpanData> beneath =
        llmSpans().stream()
            .filter(s -> ancestors(s).contains(workflow))
            .collect(Collectors.toList());
    double sum = beneath.stream().mapToDouble(s -> s.getAttributes().get(COST)).sum();
    assertThat(workflow.getAttributes().get(ROLLUP_COST))
        .as("roll-up cost of %s", workflow.getName())
        .isCloseTo(sum, within(1e-12));
    assertThat(workflow.getAttributes().get(ROLLUP_CALLS)).isEqualTo(beneath.size());
  }
}
