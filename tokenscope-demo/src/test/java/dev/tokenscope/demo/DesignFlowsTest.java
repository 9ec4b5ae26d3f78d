package dev.tokenscope.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenscope.demo.internal.DesignFlows;
import org.junit.jupiter.api.Test;

/** The speed figure's two flows make exactly the same LLM calls (the benchmark relies on it). */
class DesignFlowsTest {

  @Test
  void bothFlowsMakeTheSameCallsForFiveCourses() {
    try (DesignFlows flows = DesignFlows.start(0, 6, 3)) {
      int before = flows.llmCalls();
      assertThat(flows.concurrent(5)).isEqualTo(5);
      int concurrentCalls = flows.llmCalls() - before;

      before = flows.llmCalls();
      assertThat(flows.sequential(5)).isEqualTo(5);
      int sequentialCalls = flows.llmCalls() - before;

      // plan 1, drafts 5, guidelines and strategy 2, reviews 1+2+3+1+2, revisions 0+1+2+0+1,
      // wine attempts 1+2+1+2+1.
      assertThat(concurrentCalls).isEqualTo(28);
      assertThat(sequentialCalls).isEqualTo(28);
    }
  }

  @Test
  void withAtMostTwoReviewsBothFlowsMakeTwentyFourCalls() {
    try (DesignFlows flows = DesignFlows.start(0, 6, 2)) {
      int before = flows.llmCalls();
      flows.concurrent(5);
      int concurrentCalls = flows.llmCalls() - before;
      before = flows.llmCalls();
      flows.sequential(5);

      // reviews 1+2+1+2+1, revisions 0+1+0+1+0.
      assertThat(concurrentCalls).isEqualTo(24);
      assertThat(flows.llmCalls() - before).isEqualTo(24);
    }
  }
}
