package dev.tokenscope.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.errors.AnthropicInvalidDataException;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.ServiceUnavailableException;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.InternalServerException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.RateLimitException;
import com.openai.errors.UnauthorizedException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Injected faults as the official SDKs experience them: typed exceptions, SDK retries that succeed,
 * timeouts against hung connections, cut streams and malformed bodies.
 */
class FaultInjectionSdkTest {

  private LlmSimulator sim;

  @BeforeEach
  void start() {
    sim =
        LlmSimulator.builder()
            .seed(99)
            .speed(0)
            .retryAfter(Duration.ofMillis(20))
            .hangDuration(Duration.ofSeconds(10))
            .build()
            .start();
  }

  private final List<AutoCloseable> clients = new java.util.ArrayList<>();

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable client : clients) {
      client.close();
    }
    sim.close();
  }

  private OpenAIClient track(OpenAIClient client) {
    clients.add(client::close);
    return client;
  }

  private AnthropicClient track(AnthropicClient client) {
    clients.add(client::close);
    return client;
  }

  private static ChatCompletionCreateParams chat() {
    return ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini")
        .addUserMessage("Plan a menu")
        .build();
  }

  private static MessageCreateParams message() {
    return MessageCreateParams.builder()
        .model("claude-sonnet-4-5")
        .maxTokens(200)
        .addUserMessage("Plan a menu")
        .build();
  }

  @Test
  void missingKeysGetEachProvidersUnauthorizedError() {
    {
      OpenAIClient openai =
          track(
              OpenAIOkHttpClient.builder()
                  .baseUrl(sim.openAiBaseUrl())
                  .apiKey(" ")
                  .maxRetries(0)
                  .build());
      assertThatThrownBy(() -> openai.chat().completions().create(chat()))
          .isInstanceOfSatisfying(
              UnauthorizedException.class,
              e -> assertThat(e.getMessage()).contains("You didn't provide an API key"));
    }
    {
      AnthropicClient claude =
          track(
              AnthropicOkHttpClient.builder()
                  .baseUrl(sim.anthropicBaseUrl())
                  .apiKey("")
                  .maxRetries(0)
                  .build());
      assertThatThrownBy(() -> claude.messages().create(message()))
          .isInstanceOfSatisfying(
              com.anthropic.errors.UnauthorizedException.class,
              e -> assertThat(e.type()).contains(ErrorType.AUTHENTICATION_ERROR));
    }
    assertThat(sim.requestLog().entries())
        .extracting(RecordedRequest::status)
        .containsExactly(401, 401);
  }

  @Test
  void rateLimitsRaiseTypedExceptionsWithRetryAfterHeaders() {
    sim.failNext(1, Fault.RATE_LIMIT, Provider.OPENAI);
    sim.failNext(1, Fault.RATE_LIMIT, Provider.ANTHROPIC);
    {
      OpenAIClient openai = track(Clients.openAi(sim));
      AnthropicClient claude = track(Clients.anthropic(sim));
      assertThatThrownBy(() -> openai.chat().completions().create(chat()))
          .isInstanceOfSatisfying(
              RateLimitException.class,
              e -> {
                assertThat(e.headers().values("retry-after-ms")).containsExactly("20");
                assertThat(e.headers().values("retry-after")).containsExactly("0.020");
                assertThat(e.code()).contains("rate_limit_exceeded");
              });
      assertThatThrownBy(() -> claude.messages().create(message()))
          .isInstanceOfSatisfying(
              com.anthropic.errors.RateLimitException.class,
              e -> {
                assertThat(e.headers().values("retry-after")).containsExactly("0.020");
                assertThat(e.type()).contains(ErrorType.RATE_LIMIT_ERROR);
              });
    }
    assertThat(sim.requestLog().entries())
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(429);
              assertThat(r.fault()).isEqualTo(Fault.RATE_LIMIT);
              assertThat(r.succeeded()).isFalse();
              assertThat(r.outputTokens()).isZero();
            });
  }

  @Test
  void serverErrorsRaiseTheSdksTypedExceptions() {
    sim.failNext(1, Fault.SERVER_ERROR, Provider.OPENAI);
    sim.failNext(1, Fault.OVERLOADED, Provider.OPENAI);
    sim.failNext(1, Fault.OVERLOADED, Provider.ANTHROPIC);
    sim.failNext(1, Fault.SERVICE_UNAVAILABLE, Provider.ANTHROPIC);
    sim.failNext(1, Fault.SERVER_ERROR, Provider.ANTHROPIC);
    {
      OpenAIClient openai = track(Clients.openAi(sim));
      AnthropicClient claude = track(Clients.anthropic(sim));
      assertThatThrownBy(() -> openai.chat().completions().create(chat()))
          .isInstanceOfSatisfying(
              InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(500));
      assertThatThrownBy(() -> openai.chat().completions().create(chat()))
          .isInstanceOfSatisfying(
              InternalServerException.class, e -> assertThat(e.statusCode()).isEqualTo(503));
      assertThatThrownBy(() -> claude.messages().create(message()))
          .isInstanceOfSatisfying(
              OverloadedException.class, e -> assertThat(e.statusCode()).isEqualTo(529));
      assertThatThrownBy(() -> claude.messages().create(message()))
          .isInstanceOf(ServiceUnavailableException.class);
      assertThatThrownBy(() -> claude.messages().create(message()))
          .isInstanceOf(com.anthropic.errors.InternalServerException.class);
    }
  }

  @Test
  void sdkRetriesSucceedAfterInjectedFaultsAndTheLogShowsEachAttempt() {
    Clients.RecordingOpenAiSleeper openAiSleeper = new Clients.RecordingOpenAiSleeper();
    Clients.RecordingAnthropicSleeper anthropicSleeper = new Clients.RecordingAnthropicSleeper();
    sim.failNext(2, Fault.RATE_LIMIT, Provider.OPENAI);
    sim.failNext(1, Fault.OVERLOADED, Provider.ANTHROPIC);
    sim.failNext(1, Fault.RATE_LIMIT, Provider.ANTHROPIC);
    {
      OpenAIClient openai = track(Clients.openAi(sim, 2, openAiSleeper));
      AnthropicClient claude = track(Clients.anthropic(sim, 2, anthropicSleeper));
      ChatCompletion completion = openai.chat().completions().create(chat());
      Message message = claude.messages().create(message());

      assertThat(completion.choices()).isNotEmpty();
      assertThat(message.content()).isNotEmpty();
    }
    assertThat(openAiSleeper.sleeps).containsExactly(Duration.ofMillis(20), Duration.ofMillis(20));
    assertThat(anthropicSleeper.sleeps).hasSize(2).endsWith(Duration.ofMillis(20));
    List<RecordedRequest> openAi = sim.requestLog().entries(Provider.OPENAI);
    assertThat(openAi).extracting(RecordedRequest::retryCount).containsExactly(0, 1, 2);
    assertThat(openAi).extracting(RecordedRequest::status).containsExactly(429, 429, 200);
    assertThat(sim.requestLog().entries(Provider.ANTHROPIC))
        .extracting(RecordedRequest::status)
        .containsExactly(529, 429, 200);
  }

  @Test
  void aHungConnectionTimesTheClientOutAndARetrySucceeds() {
    sim.failNext(1, Fault.HANG);
    {
      OpenAIClient impatient =
          track(
              OpenAIOkHttpClient.builder()
                  .baseUrl(sim.openAiBaseUrl())
                  .apiKey("k")
                  .maxRetries(0)
                  .timeout(Duration.ofMillis(300))
                  .build());
      assertThatThrownBy(() -> impatient.chat().completions().create(chat()))
          .isInstanceOf(OpenAIIoException.class)
          .hasCauseInstanceOf(java.io.InterruptedIOException.class);
    }
    sim.failNext(1, Fault.HANG);
    {
      OpenAIClient retrying =
          track(
              OpenAIOkHttpClient.builder()
                  .baseUrl(sim.openAiBaseUrl())
                  .apiKey("k")
                  .maxRetries(1)
                  .sleeper(new Clients.RecordingOpenAiSleeper())
                  .timeout(Duration.ofMillis(300))
                  .build());
      assertThat(retrying.chat().completions().create(chat()).choices()).isNotEmpty();
    }
    assertThat(sim.requestLog().entries())
        .extracting(RecordedRequest::fault)
        .containsExactly(Fault.HANG, Fault.HANG, null);
    assertThat(sim.requestLog().entries().get(0).status()).isZero();
  }

  @Test
  void aStreamCutMidwayFailsTheSdksStreamAfterSomeEvents() {
    sim.failNext(1, Fault.STREAM_CUT, Provider.OPENAI);
    sim.failNext(1, Fault.STREAM_CUT, Provider.ANTHROPIC);
    {
      OpenAIClient openai = track(Clients.openAi(sim));
      AnthropicClient claude = track(Clients.anthropic(sim));
      java.util.concurrent.atomic.AtomicInteger chunks =
          new java.util.concurrent.atomic.AtomicInteger();
      assertThatThrownBy(
              () -> {
                try (StreamResponse<ChatCompletionChunk> stream =
                    openai.chat().completions().createStreaming(chat())) {
                  stream.stream().forEach(c -> chunks.incrementAndGet());
                }
              })
          .isInstanceOf(OpenAIIoException.class);
      assertThat(chunks.get()).isPositive();

      java.util.concurrent.atomic.AtomicInteger events =
          new java.util.concurrent.atomic.AtomicInteger();
      assertThatThrownBy(
              () -> {
                try (com.anthropic.core.http.StreamResponse<RawMessageStreamEvent> stream =
                    claude.messages().createStreaming(message())) {
                  stream.stream().forEach(e -> events.incrementAndGet());
                }
              })
          .isInstanceOf(AnthropicIoException.class);
      assertThat(events.get()).isPositive();
    }
    assertThat(sim.requestLog().entries())
        .allSatisfy(r -> assertThat(r.fault()).isEqualTo(Fault.STREAM_CUT));
  }

  @Test
  void aCutNonStreamingBodyFailsTheCall() {
    sim.failNext(1, Fault.STREAM_CUT, Provider.OPENAI);
    sim.failNext(1, Fault.STREAM_CUT, Provider.ANTHROPIC);
    OpenAIClient openai = track(Clients.openAi(sim));
    AnthropicClient claude = track(Clients.anthropic(sim));
    assertThatThrownBy(() -> openai.chat().completions().create(chat()))
        .isInstanceOfAny(OpenAIIoException.class, OpenAIInvalidDataException.class);
    assertThatThrownBy(() -> claude.messages().create(message()))
        .isInstanceOfAny(AnthropicIoException.class, AnthropicInvalidDataException.class);
  }

  @Test
  void malformedBodiesFailTheSdksParsing() {
    sim.failNext(1, Fault.MALFORMED_BODY, Provider.OPENAI);
    sim.failNext(1, Fault.MALFORMED_BODY, Provider.ANTHROPIC);
    sim.failNext(1, Fault.MALFORMED_BODY, Provider.OPENAI);
    {
      OpenAIClient openai = track(Clients.openAi(sim));
      AnthropicClient claude = track(Clients.anthropic(sim));
      assertThatThrownBy(() -> openai.chat().completions().create(chat()))
          .isInstanceOf(OpenAIInvalidDataException.class);
      assertThatThrownBy(() -> claude.messages().create(message()))
          .isInstanceOf(AnthropicInvalidDataException.class);
      assertThatThrownBy(
              () -> {
                try (StreamResponse<ChatCompletionChunk> stream =
                    openai.chat().completions().createStreaming(chat())) {
                  stream.stream().forEach(c -> {});
                }
              })
          .isInstanceOf(OpenAIInvalidDataException.class);
    }
    assertThat(sim.requestLog().entries()).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
  }

  @Test
  void faultRulesFilterByProviderAndModel() {
    sim.faultRules(
        List.of(
            FaultRule.of(Fault.SERVER_ERROR, 1.0).forProvider(Provider.OPENAI).forModel("gpt-5")));
    {
      OpenAIClient openai = track(Clients.openAi(sim));
      AnthropicClient claude = track(Clients.anthropic(sim));
      assertThat(openai.chat().completions().create(chat()).choices()).isNotEmpty();
      assertThat(claude.messages().create(message()).content()).isNotEmpty();
      assertThatThrownBy(
              () ->
                  openai
                      .chat()
                      .completions()
                      .create(chat().toBuilder().model("gpt-5-mini").build()))
          .isInstanceOf(InternalServerException.class);
    }
  }
}
