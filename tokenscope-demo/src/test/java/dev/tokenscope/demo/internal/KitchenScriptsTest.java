package dev.tokenscope.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import dev.tokenscope.simulator.Provider;
import dev.tokenscope.simulator.SimulatedRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The agents' scripts always have a function to answer with ({@link DesignFlows} calls it itself,
 * where a template-only {@code ScriptRule} would have handed it a null responder), and a script
 * answers exactly the requests its simulator rule matches.
 */
class KitchenScriptsTest {

  @Test
  void aScriptWithoutAResponderIsRefusedWhenItIsMade() {
    assertThatNullPointerException()
        .isThrownBy(() -> new KitchenScripts.Script(KitchenPrompts.TASK_PAIR, null))
        .withMessage("the script for TASK: PAIR WINE needs a responder");
  }

  @Test
  void everyScriptAnswersTheRequestsOfItsTaskAndItsRuleMatchesTheSame() {
    List<KitchenScripts.Script> scripts = KitchenScripts.scripts(42);
    assertThat(scripts).hasSize(8);
    for (KitchenScripts.Script script : scripts) {
      SimulatedRequest own = request(script.task() + "\nCourse 1 of 2: soup — leeks");
      SimulatedRequest quoted = request("Answer this:\n" + script.task());

      assertThat(script.answers(own)).as(script.task()).isTrue();
      assertThat(script.responder().apply(own)).as(script.task()).isNotBlank();
      assertThat(script.answers(quoted)).as(script.task()).isFalse();
      assertThat(script.rule().responder()).isSameAs(script.responder());
      assertThat(script.rule().tryMatch(own)).as(script.task()).isTrue();
      assertThat(script.rule().tryMatch(quoted)).as(script.task()).isFalse();
    }
  }

  private static SimulatedRequest request(String message) {
    return new SimulatedRequest(
        Provider.OPENAI,
        "/v1/chat/completions",
        "gpt-5-mini",
        "",
        List.of(new SimulatedRequest.Message("user", message)),
        true,
        7);
  }
}
