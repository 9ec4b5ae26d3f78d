package dev.tokenscope.simulator;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Official SDK clients pointed at a simulator: strict response validation (every field the SDK
 * models must parse), and a sleeper that records retry backoffs instead of sleeping.
 */
final class Clients {

  private Clients() {}

  static OpenAIClient openAi(LlmSimulator sim) {
    return openAi(sim, 0, new RecordingOpenAiSleeper());
  }

  static OpenAIClient openAi(LlmSimulator sim, int maxRetries, RecordingOpenAiSleeper sleeper) {
    return OpenAIOkHttpClient.builder()
        .baseUrl(sim.openAiBaseUrl())
        .apiKey("sk-test")
        .responseValidation(true)
        .maxRetries(maxRetries)
        .sleeper(sleeper)
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  static AnthropicClient anthropic(LlmSimulator sim) {
    return anthropic(sim, 0, new RecordingAnthropicSleeper());
  }

  static AnthropicClient anthropic(
      LlmSimulator sim, int maxRetries, RecordingAnthropicSleeper sleeper) {
    return AnthropicOkHttpClient.builder()
        .baseUrl(sim.anthropicBaseUrl())
        .apiKey("sk-ant-test")
        .responseValidation(true)
        .maxRetries(maxRetries)
        .sleeper(sleeper)
        .timeout(Duration.ofSeconds(20))
        .build();
  }

  /** Records the backoffs the OpenAI SDK asks for and returns at once. */
  static final class RecordingOpenAiSleeper implements com.openai.core.Sleeper {
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration) {
      sleeps.add(duration);
    }

    @Override
    public CompletableFuture<Void> sleepAsync(Duration duration) {
      sleeps.add(duration);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {}
  }

  /** Records the backoffs the Anthropic SDK asks for and returns at once. */
  static final class RecordingAnthropicSleeper implements com.anthropic.core.Sleeper {
    final List<Duration> sleeps = new CopyOnWriteArrayList<>();

    @Override
    public void sleep(Duration duration) {
      sleeps.add(duration);
    }

    @Override
    public CompletableFuture<Void> sleepAsync(Duration duration) {
      sleeps.add(duration);
      return CompletableFuture.completedFuture(null);
    }

    @Override
    public void close() {}
  }
}
