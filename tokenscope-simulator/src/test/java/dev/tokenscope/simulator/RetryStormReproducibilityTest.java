package dev.tokenscope.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fault rates drawn from the seed and the request sequence: the same seed and request order produce
 * the same failures, attempt for attempt, even through the SDK's own retries.
 */
class RetryStormReproducibilityTest {

  /** Runs 15 calls with SDK retries against a fault-heavy simulator, returns what it saw. */
  private static List<String> storm(long seed) {
    try (LlmSimulator sim =
        LlmSimulator.builder()
            .seed(seed)
            .speed(0)
            .faultRule(FaultRule.of(Fault.RATE_LIMIT, 0.3))
            .faultRule(FaultRule.of(Fault.SERVER_ERROR, 0.15))
            .build()
            .start()) {
      OpenAIClient client = Clients.openAi(sim, 3, new Clients.RecordingOpenAiSleeper());
      try {
        for (int i = 0; i < 15; i++) {
          try {
            client
                .chat()
                .completions()
                .create(
                    ChatCompletionCreateParams.builder()
                        .model("gpt-5-nano")
                        .addUserMessage("order " + i)
                        .build());
          } catch (OpenAIServiceException exhausted) {
            // A call can fail after all retries: part of the storm.
          }
        }
      } finally {
        client.close();
      }
      List<String> seen = new ArrayList<>();
      for (RecordedRequest r : sim.requestLog().entries()) {
        seen.add(
            r.sequence()
                + ":"
                + r.retryCount()
                + ":"
                + r.status()
                + ":"
                + r.fault()
                + ":"
                + r.outputTokens());
      }
      return seen;
    }
  }

  @Test
  void theSameSeedReplaysTheSameStorm() {
    List<String> first = storm(2024);
    List<String> second = storm(2024);

    assertThat(second).isEqualTo(first);
    assertThat(first.size()).isGreaterThan(15);
    assertThat(first).anySatisfy(line -> assertThat(line).contains(":429:RATE_LIMIT:"));
    assertThat(first).anySatisfy(line -> assertThat(line).contains(":500:SERVER_ERROR:"));
    assertThat(first).anySatisfy(line -> assertThat(line).matches("\\d+:[1-3]:200:null:\\d+"));
  }

  @Test
  void anotherSeedGivesAnotherStorm() {
    assertThat(storm(1)).isNotEqualTo(storm(2));
  }

  @Test
  void ratesAreRoughlyHonoured() {
    try (LlmSimulator sim =
        LlmSimulator.builder()
            .seed(8)
            .speed(0)
            .faultRule(FaultRule.of(Fault.SERVICE_UNAVAILABLE, 0.25))
            .build()
            .start()) {
      OpenAIClient client = Clients.openAi(sim);
      try {
        for (int i = 0; i < 200; i++) {
          try {
            client.models().list();
          } catch (OpenAIServiceException expected) {
            // counted below
          }
        }
      } finally {
        client.close();
      }
      long failed = sim.requestLog().entries().stream().filter(r -> r.fault() != null).count();
      assertThat(failed).isBetween(30L, 70L);
    }
  }
}
