package dev.tokenscope.simulator.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenscope.simulator.LatencyProfile;
import dev.tokenscope.simulator.Provider;
import dev.tokenscope.simulator.SimulatedRequest;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ReplyPlannerTest {

  private static final SimulatedRequest REQUEST =
      new SimulatedRequest(
          Provider.ANTHROPIC,
          "/v1/messages",
          "claude-haiku-4-5",
          "be brief",
          List.of(
              new SimulatedRequest.Message("user", "first"),
              new SimulatedRequest.Message("assistant", "ok"),
              new SimulatedRequest.Message("user", "second")),
          false,
          42);

  @Test
  void templatesExpandEveryPlaceholder() {
    String text =
        ReplyPlanner.expand(
            "{{model}}|{{provider}}|{{system}}|{{message}}|{{sequence}}|{{match}}|{{ pick:a }}|{{int:7:7}}|{{unknown}}",
            REQUEST,
            3,
            new SplittableRandom(1));
    assertThat(text).isEqualTo("claude-haiku-4-5|anthropic|be brief|second|42|3|a|7|{{unknown}}");
    assertThat(ReplyPlanner.expand("$1 \\ {{message}}", REQUEST, 1, new SplittableRandom(1)))
        .isEqualTo("$1 \\ second");
    assertThatThrownBy(
            () -> ReplyPlanner.expand("{{int:x:y}}", REQUEST, 1, new SplittableRandom(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("{{int:min:max}}");
  }

  @Test
  void reasoningEffortScalesReasoningTokensInMultiplesOf64() {
    for (long seed = 0; seed < 50; seed++) {
      int low = ReplyPlanner.openAiReasoning("low", new SplittableRandom(seed));
      int high = ReplyPlanner.openAiReasoning("high", new SplittableRandom(seed));
      assertThat(low % 64).isZero();
      assertThat(high).isGreaterThan(low);
      assertThat(ReplyPlanner.openAiReasoning("none", new SplittableRandom(seed))).isZero();
      assertThat(ReplyPlanner.anthropicThinking(2048, new SplittableRandom(seed)))
          .isBetween(32, 2048);
    }
    assertThat(ReplyPlanner.anthropicThinking(0, new SplittableRandom(1))).isZero();
  }

  @Test
  void streamingPiecesReassembleTheTextAndDelaysScaleWithSpeed() {
    String text = "A café's plan:\n\n{\"a\":\"bbbbbbbbbbbbbbbbbbbbbbbbbbbb\"} end 😀 done";
    assertThat(String.join("", Streaming.pieces(text))).isEqualTo(text);
    assertThat(Streaming.pieces(text))
        .allSatisfy(p -> assertThat(p.length()).isLessThanOrEqualTo(14));
    assertThat(Streaming.pieces("")).isEmpty();

    LatencyProfile profile = LatencyProfile.of(Duration.ofMillis(500), 100);
    assertThat(profile.generationTime(50)).isEqualTo(Duration.ofMillis(500));
    assertThat(new Streaming(simulation(1.0), profile).wholeReplyDelay(100))
        .isEqualTo(Duration.ofMillis(1500).toNanos());
    assertThat(new Streaming(simulation(2.0), profile).firstTokenDelay(0))
        .isEqualTo(Duration.ofMillis(250).toNanos());
    assertThat(new Streaming(simulation(0), profile).wholeReplyDelay(1000)).isZero();
  }

  @Test
  void truncationKeepsWholeCharacters() {
    var encoding = TokenCounter.encoding(com.knuddels.jtokkit.api.EncodingType.CL100K_BASE);
    String text = "Crème brûlée 😀 with a tuile";
    for (int max = 0; max < 12; max++) {
      String cut = TokenCounter.truncate(encoding, text, max);
      assertThat(text).startsWith(cut);
      assertThat(TokenCounter.count(encoding, cut)).isLessThanOrEqualTo(max);
    }
  }

  private static Simulation simulation(double speed) {
    return new Simulation(
        0,
        speed,
        java.time.Clock.systemUTC(),
        java.util.Map.of(),
        List.of(),
        List.of(),
        Duration.ZERO,
        Duration.ZERO,
        Duration.ofMinutes(10),
        dev.tokenscope.simulator.RequestLog.create(10),
        10,
        null);
  }
}
