package dev.tokenscope.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Messages through the official Anthropic SDK: sync, async and streaming. */
class AnthropicMessagesSdkTest {

  private LlmSimulator sim;
  private AnthropicClient client;

  @BeforeEach
  void start() {
    sim = LlmSimulator.builder().seed(7).speed(0).build().start();
    client = Clients.anthropic(sim);
  }

  @AfterEach
  void stop() {
    client.close();
    sim.close();
  }

  private static MessageCreateParams.Builder params(String model) {
    return MessageCreateParams.builder()
        .model(model)
        .maxTokens(1024)
        .system("You are a helpful chef.")
        .addUserMessage("Suggest a starter for an autumn menu.");
  }

  @Test
  void answersSynchronouslyWithUsageThatMatchesTheLog() {
    Message message = client.messages().create(params("claude-sonnet-4-5").build());

    assertThat(message.id()).startsWith("msg_01");
    assertThat(message.model().asString()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(message.stopReason()).contains(StopReason.END_TURN);
    assertThat(message.content())
        .singleElement()
        .satisfies(block -> assertThat(block.text().orElseThrow().text()).isNotBlank());
    RecordedRequest logged = sim.requestLog().last();
    assertThat(logged.provider()).isEqualTo(Provider.ANTHROPIC);
    assertThat(logged.endpoint()).isEqualTo("/v1/messages");
    assertThat(logged.inputTokens()).isEqualTo(message.usage().inputTokens());
    assertThat(logged.outputTokens()).isEqualTo(message.usage().outputTokens());
    assertThat(logged.responseId()).isEqualTo(message.id());
  }

  @Test
  void answersAsynchronously() throws Exception {
    Message message = client.async().messages().create(params("claude-haiku-4-5").build()).get();

    assertThat(message.model().asString()).isEqualTo("claude-haiku-4-5-20251001");
    assertThat(sim.requestLog().last().outputTokens()).isEqualTo(message.usage().outputTokens());
  }

  @Test
  void streamsTheFullEventSequenceIntoTheSameMessage() {
    Message plain = client.messages().create(params("claude-sonnet-4-5").build());
    MessageAccumulator accumulator = MessageAccumulator.create();
    List<RawMessageStreamEvent> events;
    try (StreamResponse<RawMessageStreamEvent> stream =
        client.messages().createStreaming(params("claude-sonnet-4-5").build())) {
      events = stream.stream().peek(accumulator::accumulate).toList();
    }
    Message streamed = accumulator.message();

    assertThat(events.get(0).isMessageStart()).isTrue();
    assertThat(events.get(1).isContentBlockStart()).isTrue();
    assertThat(events.get(2).isContentBlockDelta()).isTrue();
    assertThat(events.get(events.size() - 3).isContentBlockStop()).isTrue();
    assertThat(events.get(events.size() - 2).isMessageDelta()).isTrue();
    assertThat(events.get(events.size() - 1).isMessageStop()).isTrue();
    assertThat(streamed.content().get(0).text().orElseThrow().text())
        .isEqualTo(plain.content().get(0).text().orElseThrow().text());
    assertThat(streamed.usage().outputTokens()).isEqualTo(plain.usage().outputTokens());
    assertThat(streamed.usage().inputTokens()).isEqualTo(plain.usage().inputTokens());
    assertThat(sim.requestLog().last().streamed()).isTrue();
  }

  @Test
  void streamsAsynchronously() throws Exception {
    MessageAccumulator accumulator = MessageAccumulator.create();
    client
        .async()
        .messages()
        .createStreaming(params("claude-haiku-4-5").build())
        .subscribe(accumulator::accumulate)
        .onCompleteFuture()
        .get(20, java.util.concurrent.TimeUnit.SECONDS);

    Message streamed = accumulator.message();
    assertThat(streamed.stopReason()).contains(StopReason.END_TURN);
    assertThat(streamed.usage().outputTokens()).isEqualTo(sim.requestLog().last().outputTokens());
  }

  @Test
  void stopsAtMaxTokens() {
    Message message = client.messages().create(params("claude-sonnet-4-5").maxTokens(4).build());

    assertThat(message.stopReason()).contains(StopReason.MAX_TOKENS);
    assertThat(message.usage().outputTokens()).isEqualTo(4);
    assertThat(message.content().get(0)).extracting(ContentBlock::isText).isEqualTo(true);
  }
}
