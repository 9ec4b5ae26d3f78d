package dev.tokenscope.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.OpenAIClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** 100 concurrent calls through each async SDK: every one answered, logged once, ids unique. */
class ConcurrencySdkTest {

  @Test
  void answersOneHundredConcurrentCallsPerProvider() {
    try (LlmSimulator sim = LlmSimulator.builder().speed(0).build().start()) {
      OpenAIClient openai = Clients.openAi(sim);
      AnthropicClient claude = Clients.anthropic(sim);
      try {
        List<CompletableFuture<ChatCompletion>> chats = new ArrayList<>();
        List<CompletableFuture<Message>> messages = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          chats.add(
              openai
                  .async()
                  .chat()
                  .completions()
                  .create(
                      ChatCompletionCreateParams.builder()
                          .model("gpt-4o-mini")
                          .addUserMessage("Dish number " + i)
                          .build()));
          messages.add(
              claude
                  .async()
                  .messages()
                  .create(
                      MessageCreateParams.builder()
                          .model("claude-haiku-4-5")
                          .maxTokens(100)
                          .addUserMessage("Dish number " + i)
                          .build()));
        }
        Set<String> ids = new HashSet<>();
        long outputTokens = 0;
        for (CompletableFuture<ChatCompletion> chat : chats) {
          ChatCompletion completion = chat.join();
          ids.add(completion.id());
          outputTokens += completion.usage().orElseThrow().completionTokens();
        }
        for (CompletableFuture<Message> message : messages) {
          Message m = message.join();
          ids.add(m.id());
          outputTokens += m.usage().outputTokens();
        }

        assertThat(ids).hasSize(200);
        List<RecordedRequest> log = sim.requestLog().entries();
        assertThat(log).hasSize(200).allSatisfy(r -> assertThat(r.succeeded()).isTrue());
        assertThat(log.stream().map(RecordedRequest::responseId).distinct().count()).isEqualTo(200);
        assertThat(log.stream().mapToLong(RecordedRequest::outputTokens).sum())
            .isEqualTo(outputTokens);
      } finally {
        openai.close();
        claude.close();
      }
    }
  }
}
