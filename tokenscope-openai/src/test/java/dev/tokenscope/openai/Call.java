package dev.tokenscope.openai;

import com.openai.client.OpenAIClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStreamEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One way of asking for a reply: chat completions or the Responses API, each synchronous,
 * asynchronous, streamed and streamed asynchronously. Every scenario runs once per call.
 */
enum Call {
  CHAT_SYNC,
  CHAT_ASYNC,
  CHAT_STREAMING,
  CHAT_ASYNC_STREAMING,
  RESPONSES_SYNC,
  RESPONSES_ASYNC,
  RESPONSES_STREAMING,
  RESPONSES_ASYNC_STREAMING;

  /** A request as this call makes it. */
  record Request(String model, String instructions, String question, Long maxTokens) {
    Request(String model, String instructions, String question) {
      this(model, instructions, question, null);
    }
  }

  boolean chat() {
    return name().startsWith("CHAT");
  }

  boolean streams() {
    return name().endsWith("STREAMING");
  }

  boolean async() {
    return name().contains("ASYNC");
  }

  /** Makes the call, reads the whole reply and returns its id; failures as the SDK threw them. */
  String send(OpenAIClient client, Request request) {
    return chat() ? chat(client, chatParams(request)) : responses(client, responsesParams(request));
  }

  ChatCompletionCreateParams chatParams(Request request) {
    ChatCompletionCreateParams.Builder params =
        ChatCompletionCreateParams.builder()
            .model(request.model())
            .addSystemMessage(request.instructions())
            .addUserMessage(request.question());
    if (request.maxTokens() != null) {
      params.maxTokens(request.maxTokens());
    }
    if (streams()) {
      params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    }
    return params.build();
  }

  ResponseCreateParams responsesParams(Request request) {
    ResponseCreateParams.Builder params =
        ResponseCreateParams.builder()
            .model(request.model())
            .instructions(request.instructions())
            .input(request.question());
    if (request.maxTokens() != null) {
      params.maxOutputTokens(request.maxTokens());
    }
    return params.build();
  }

  String chat(OpenAIClient client, ChatCompletionCreateParams params) {
    switch (this) {
      case CHAT_SYNC:
        return client.chat().completions().create(params).id();
      case CHAT_ASYNC:
        return join(client.async().chat().completions().create(params)).id();
      case CHAT_STREAMING:
        {
          ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
          try (StreamResponse<ChatCompletionChunk> stream =
              client.chat().completions().createStreaming(params)) {
            stream.stream().forEach(accumulator::accumulate);
          }
          return accumulator.chatCompletion().id();
        }
      case CHAT_ASYNC_STREAMING:
        {
          ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
          join(
              client
                  .async()
                  .chat()
                  .completions()
                  .createStreaming(params)
                  .subscribe(accumulator::accumulate)
                  .onCompleteFuture());
          ChatCompletion completion = accumulator.chatCompletion();
          return completion.id();
        }
      default:
        throw new IllegalStateException(name() + " is not a chat call");
    }
  }

  String responses(OpenAIClient client, ResponseCreateParams params) {
    switch (this) {
      case RESPONSES_SYNC:
        return client.responses().create(params).id();
      case RESPONSES_ASYNC:
        return join(client.async().responses().create(params)).id();
      case RESPONSES_STREAMING:
        {
          AtomicReference<Response> last = new AtomicReference<>();
          try (StreamResponse<ResponseStreamEvent> stream =
              client.responses().createStreaming(params)) {
            stream.stream().forEach(event -> completed(event, last));
          }
          return last.get().id();
        }
      case RESPONSES_ASYNC_STREAMING:
        {
          AtomicReference<Response> last = new AtomicReference<>();
          join(
              client
                  .async()
                  .responses()
                  .createStreaming(params)
                  .subscribe(event -> completed(event, last))
                  .onCompleteFuture());
          return last.get().id();
        }
      default:
        throw new IllegalStateException(name() + " is not a responses call");
    }
  }

  /** The final response of a stream: completed, or incomplete (it hit max_output_tokens). */
  private static void completed(ResponseStreamEvent event, AtomicReference<Response> last) {
    event.completed().ifPresent(done -> last.set(done.response()));
    event.incomplete().ifPresent(done -> last.set(done.response()));
  }

  static <T> T join(CompletableFuture<T> future) {
    try {
      return future.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }
}
