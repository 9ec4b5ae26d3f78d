package dev.tokenscope.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** One way of calling {@code messages.create}: every scenario runs once per variant. */
enum Variant {
  SYNC {
    @Override
    Message send(AnthropicClient client, MessageCreateParams params) {
      return client.messages().create(params);
    }
  },
  ASYNC {
    @Override
    Message send(AnthropicClient client, MessageCreateParams params) {
      return join(client.async().messages().create(params));
    }
  },
  STREAMING {
    @Override
    Message send(AnthropicClient client, MessageCreateParams params) {
      MessageAccumulator accumulator = MessageAccumulator.create();
      try (StreamResponse<RawMessageStreamEvent> stream =
          client.messages().createStreaming(params)) {
        stream.stream().forEach(accumulator::accumulate);
      }
      return accumulator.message();
    }
  },
  ASYNC_STREAMING {
    @Override
    Message send(AnthropicClient client, MessageCreateParams params) {
      MessageAccumulator accumulator = MessageAccumulator.create();
      join(
          client
              .async()
              .messages()
              .createStreaming(params)
              .subscribe(accumulator::accumulate)
              .onCompleteFuture());
      return accumulator.message();
    }
  };

  /** Makes the call and returns the whole reply; failures are thrown as the SDK raised them. */
  abstract Message send(AnthropicClient client, MessageCreateParams params);

  boolean streams() {
    return this == STREAMING || this == ASYNC_STREAMING;
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
