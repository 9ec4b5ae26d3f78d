package dev.tokenscope.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tokenscope.simulator.internal.TokenCounter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The public API's contracts: builder validation, lifecycle, the bounded log, script rules. */
class SimulatorApiTest {

  @Test
  void builderRejectsNonsense() {
    assertThatThrownBy(() -> LlmSimulator.builder().speed(-1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LlmSimulator.builder().speed(Double.NaN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LlmSimulator.builder().port(70_000))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LlmSimulator.builder().hangDuration(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LlmSimulator.builder().requestLogCapacity(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> LlmSimulator.builder().clock(null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> LatencyProfile.of(Duration.ofMillis(1), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ScriptRule.builder().build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ScriptRule.builder().reply("a").respond(r -> "b").build())
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> ScriptRule.builder().times(0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void lifecycleIsExplicitAndCloseIsIdempotent() {
    LlmSimulator sim = LlmSimulator.builder().speed(0).build();
    assertThatThrownBy(sim::baseUrl)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("not started");
    sim.start();
    assertThat(sim.baseUrl()).matches("http://127\\.0\\.0\\.1:\\d+");
    assertThat(sim.openAiBaseUrl()).isEqualTo(sim.baseUrl() + "/v1");
    assertThat(sim.anthropicBaseUrl()).isEqualTo(sim.baseUrl());
    assertThatThrownBy(sim::start).isInstanceOf(IllegalStateException.class);
    sim.close();
    sim.close();
    assertThatThrownBy(sim::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void aTakenPortIsAClearError() {
    try (LlmSimulator first = LlmSimulator.builder().build().start()) {
      assertThatThrownBy(() -> LlmSimulator.builder().port(first.port()).build().start())
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("cannot listen on 127.0.0.1:" + first.port());
    }
  }

  @Test
  void startReturnsWithTheTokenizerLoadedSoTheFirstRequestDoesNotWaitForIt() {
    try (LlmSimulator sim = LlmSimulator.builder().speed(0).build().start()) {
      assertThat(TokenCounter.isWarm()).isTrue();
      assertThat(TokenCounter.warmUp()).isDone().isSameAs(TokenCounter.warmUp());
    }
  }

  @Test
  void requestLogIsBoundedAndCountsWhatItDropped() {
    RequestLog log = RequestLog.create(2);
    for (int i = 1; i <= 5; i++) {
      log.record(
          new RecordedRequest(
              i,
              Instant.EPOCH,
              Provider.OPENAI,
              "POST",
              "/v1/x",
              "m",
              "m",
              200,
              10,
              5,
              2,
              3,
              1,
              0,
              null,
              false,
              Duration.ZERO,
              0,
              "req",
              "id"));
    }
    assertThat(log.entries()).extracting(RecordedRequest::sequence).containsExactly(4L, 5L);
    assertThat(log.dropped()).isEqualTo(3);
    assertThat(log.last().uncachedInputTokens()).isEqualTo(5);
    log.clear();
    assertThat(log.last()).isNull();
    assertThat(log.size()).isZero();
  }

  @Test
  void scriptRulesMatchOnEveryGivenCondition() {
    SimulatedRequest request =
        new SimulatedRequest(
            Provider.OPENAI,
            "/v1/chat/completions",
            "gpt-5-mini",
            "You review menus",
            java.util.List.of(new SimulatedRequest.Message("user", "Check the WINE list")),
            false,
            1);
    assertThat(
            ScriptRule.builder()
                .model("5-mini")
                .systemContains("review")
                .messageMatches("(?i)wine")
                .reply("x")
                .build()
                .tryMatch(request))
        .isTrue();
    assertThat(
            ScriptRule.builder().provider(Provider.ANTHROPIC).reply("x").build().tryMatch(request))
        .isFalse();
    assertThat(ScriptRule.builder().messageContains("wine").reply("x").build().tryMatch(request))
        .isFalse();
    ScriptRule once = ScriptRule.builder().times(1).reply("x").build();
    assertThat(once.tryMatch(request)).isTrue();
    assertThat(once.tryMatch(request)).isFalse();
    assertThat(once.matchCount()).isEqualTo(1);
  }

  @Test
  void listenerFailuresDoNotBreakRequests() throws Exception {
    try (LlmSimulator sim =
        LlmSimulator.builder()
            .speed(0)
            .requestListener(
                r -> {
                  throw new IllegalStateException("listener bug");
                })
            .build()
            .start()) {
      var response =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  java.net.http.HttpRequest.newBuilder(
                          java.net.URI.create(sim.openAiBaseUrl() + "/models"))
                      .header("Authorization", "Bearer k")
                      .build(),
                  java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(sim.requestLog().size()).isEqualTo(1);
    }
  }
}
