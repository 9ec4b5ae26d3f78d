package dev.tokenscope.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenscope.demo.internal.DesignFlows;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The speed figure's two flows make exactly the same LLM calls (the benchmark relies on it), and
 * the baseline makes them in the reference design's order.
 */
class DesignFlowsTest {

  private static final String PLAN = "gpt-5-mini TASK: PLAN MENU";
  private static final String GUIDELINES = "claude-haiku-4-5-20251001 TASK: NUTRITION GUIDELINES";
  private static final String STRATEGY = "gpt-5-nano TASK: PAIRING STRATEGY";

  @Test
  void bothFlowsMakeTheSameCallsForFiveCourses() {
    try (DesignFlows flows = DesignFlows.start(0, 6, 3)) {
      assertThat(flows.concurrent(5)).isEqualTo(5);
      List<String> concurrent = flows.calls();

      assertThat(flows.sequential(5)).isEqualTo(5);
      List<String> sequential = flows.calls().subList(concurrent.size(), flows.calls().size());

      // plan 1, drafts 5, guidelines and strategy 2, reviews 1+2+3+1+2, revisions 0+1+2+0+1,
      // wine attempts 1+2+1+2+1.
      assertThat(concurrent).hasSize(28);
      assertThat(sequential).containsExactlyInAnyOrderElementsOf(concurrent);
      assertThat(sequential).isEqualTo(referenceOrder(sequential, new int[] {1, 2, 3, 1, 2}));
    }
  }

  @Test
  void withAtMostTwoReviewsBothFlowsMakeTwentyFourCalls() {
    try (DesignFlows flows = DesignFlows.start(0, 6, 2)) {
      flows.concurrent(5);
      List<String> concurrent = flows.calls();
      flows.sequential(5);
      List<String> sequential = flows.calls().subList(concurrent.size(), flows.calls().size());

      // reviews 1+2+1+2+1, revisions 0+1+0+1+0.
      assertThat(concurrent).hasSize(24);
      assertThat(sequential).containsExactlyInAnyOrderElementsOf(concurrent);
      assertThat(sequential).isEqualTo(referenceOrder(sequential, new int[] {1, 2, 1, 2, 1}));
    }
  }

  @Test
  void timedCallsAreTheCallsInTheSameOrderEachWithItsRecordedLatency() {
    try (DesignFlows flows = DesignFlows.start(0, 6, 2)) {
      flows.sequential(3);

      List<DesignFlows.Call> timed = flows.timedCalls();

      assertThat(timed).extracting(DesignFlows.Call::signature).isEqualTo(flows.calls());
      assertThat(timed)
          .allSatisfy(call -> assertThat(call.latency()).isGreaterThanOrEqualTo(Duration.ZERO));
    }
  }

  /**
   * The reference design's order: plan; guidelines and strategy (together, so either first); then
   * course after course: draft, review / revision loop, wine attempts (course k gets a valid wine
   * at attempt ((k - 1) mod 2) + 1).
   */
  private static List<String> referenceOrder(List<String> actual, int[] reviewsPerCourse) {
    List<String> expected = new ArrayList<>();
    expected.add(PLAN);
    expected.add(actual.get(1).equals(STRATEGY) ? STRATEGY : GUIDELINES);
    expected.add(actual.get(1).equals(STRATEGY) ? GUIDELINES : STRATEGY);
    int courses = reviewsPerCourse.length;
    for (int k = 1; k <= courses; k++) {
      expected.add("claude-sonnet-4-5-20250929 TASK: DRAFT RECIPE course " + k);
      for (int review = 1; review <= reviewsPerCourse[k - 1]; review++) {
        if (review > 1) {
          expected.add(
              "claude-sonnet-4-5-20250929 TASK: REVISE RECIPE course " + k + " version " + review);
        }
        expected.add(
            "claude-haiku-4-5-20251001 TASK: NUTRITION REVIEW course "
                + k
                + " iteration "
                + review);
      }
      for (int attempt = 1; attempt <= ((k - 1) % 2) + 1; attempt++) {
        expected.add("gpt-5-nano TASK: PAIR WINE course " + k + " attempt " + attempt);
      }
    }
    return expected;
  }
}
