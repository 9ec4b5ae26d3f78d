package dev.tokenscope.openai.internal;

import com.openai.core.RequestOptions;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.services.async.chat.ChatCompletionServiceAsync;
import com.openai.services.blocking.chat.ChatCompletionService;
import dev.tokenscope.core.TelemetryContract;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Chat completions, inside OpenTelemetry's instrumentation: its span is current, and this adds to
 * it what the instrumentation leaves out before the instrumentation ends it, {@code error.type} of
 * a failed call included (the instrumentation sets it on its metrics only).
 */
final class ChatCompletionsHandler {

  private ChatCompletionsHandler() {}

  static final AttributeKey<Boolean> STREAM =
      AttributeKey.booleanKey(TelemetryContract.GEN_AI_REQUEST_STREAM);

  /** The call for the instrumentation's current span, with the request's content recorded. */
  static @Nullable OpenAiCall start(
      OpenAiInstrumentation instrumentation, Object params, boolean streaming) {
    Span span = Span.current();
    if (!OpenAiInstrumentation.isUpstreamSpan(span)) {
      return null;
    }
    if (streaming) {
      span.setAttribute(STREAM, true);
    }
    OpenAiCall call = new OpenAiCall(span);
    if (instrumentation.contentPolicy.captureContent()) {
      StreamObserver.safely(
          () ->
              instrumentation.recordInput(
                  span, ContentJson.chatInput(((ChatCompletionCreateParams) params).messages())));
    }
    return call;
  }

  static void completed(OpenAiInstrumentation instrumentation, OpenAiCall call, ChatCompletion c) {
    StreamObserver.safely(
        () -> {
          c.usage().ifPresent(call::recordUsageDetails);
          if (instrumentation.contentPolicy.captureContent()) {
            instrumentation.recordContent(
                call.span,
                OpenAiInstrumentation.OUTPUT_MESSAGES,
                ContentJson.chatOutput(c.choices()));
          }
        });
  }

  static final class Blocking extends DelegatingHandler<ChatCompletionService> {
    private final OpenAiInstrumentation instrumentation;

    Blocking(ChatCompletionService delegate, OpenAiInstrumentation instrumentation) {
      super(delegate, ChatCompletionService.class);
      this.instrumentation = instrumentation;
    }

    @Override
    Object handle(Object proxy, Method method, Object[] args) throws Throwable {
      boolean create = is(method, "create", ChatCompletionCreateParams.class, RequestOptions.class);
      boolean streaming =
          is(method, "createStreaming", ChatCompletionCreateParams.class, RequestOptions.class);
      if (!create && !streaming) {
        return UNHANDLED;
      }
      OpenAiCall call = start(instrumentation, args[0], streaming);
      if (call == null) {
        return forward(method, args);
      }
      Object result;
      try (Scope ignored = call.storeIn(Context.current()).makeCurrent()) {
        result = forward(method, args);
      } catch (Throwable t) {
        call.recordResends();
        call.recordError(t);
        throw t;
      }
      call.recordResends();
      if (create) {
        completed(instrumentation, call, (ChatCompletion) result);
        return result;
      }
      @SuppressWarnings("unchecked")
      StreamResponse<ChatCompletionChunk> stream = (StreamResponse<ChatCompletionChunk>) result;
      return new ObservedStreamResponse<>(stream, new ChunkObserver(instrumentation, call));
    }
  }

  static final class Async extends DelegatingHandler<ChatCompletionServiceAsync> {
    private final OpenAiInstrumentation instrumentation;

    Async(ChatCompletionServiceAsync delegate, OpenAiInstrumentation instrumentation) {
      super(delegate, ChatCompletionServiceAsync.class);
      this.instrumentation = instrumentation;
    }

    @Override
    Object handle(Object proxy, Method method, Object[] args) throws Throwable {
      boolean create = is(method, "create", ChatCompletionCreateParams.class, RequestOptions.class);
      boolean streaming =
          is(method, "createStreaming", ChatCompletionCreateParams.class, RequestOptions.class);
      if (!create && !streaming) {
        return UNHANDLED;
      }
      OpenAiCall call = start(instrumentation, args[0], streaming);
      if (call == null) {
        return forward(method, args);
      }
      Object result;
      try (Scope ignored = call.storeIn(Context.current()).makeCurrent()) {
        result = forward(method, args);
      } catch (Throwable t) {
        call.recordResends();
        call.recordError(t);
        throw t;
      }
      if (create) {
        @SuppressWarnings("unchecked")
        CompletableFuture<ChatCompletion> future = (CompletableFuture<ChatCompletion>) result;
        // The instrumentation ends its span when the future returned here completes, so this
        // records first.
        return future.whenComplete(
            (completion, error) -> {
              call.recordResends();
              if (completion != null) {
                completed(instrumentation, call, completion);
              } else if (error != null) {
                call.recordError(error);
              }
            });
      }
      @SuppressWarnings("unchecked")
      AsyncStreamResponse<ChatCompletionChunk> stream =
          (AsyncStreamResponse<ChatCompletionChunk>) result;
      return new ObservedAsyncStreamResponse<>(stream, new ChunkObserver(instrumentation, call));
    }
  }

  /**
   * Reads a streamed chat completion as it passes: time to first chunk, the usage details of its
   * last chunk, the reply's text when content is captured, and a failed read, which the
   * instrumentation does not record.
   */
  private static final class ChunkObserver implements StreamObserver<ChatCompletionChunk> {
    private final OpenAiInstrumentation instrumentation;
    private final OpenAiCall call;
    private final boolean captureContent;
    private final List<StringBuilder> texts = new ArrayList<>();
    private final List<@Nullable String> finishReasons = new ArrayList<>();

    ChunkObserver(OpenAiInstrumentation instrumentation, OpenAiCall call) {
      this.instrumentation = instrumentation;
      this.call = call;
      this.captureContent = instrumentation.contentPolicy.captureContent();
    }

    @Override
    public void onItem(ChatCompletionChunk chunk) {
      call.chunkArrived();
      chunk.usage().ifPresent(call::recordUsageDetails);
      if (captureContent) {
        synchronized (texts) {
          for (ChatCompletionChunk.Choice choice : chunk.choices()) {
            int index = (int) choice.index();
            while (texts.size() <= index) {
              texts.add(new StringBuilder());
              finishReasons.add(null);
            }
            choice.delta().content().ifPresent(texts.get(index)::append);
            choice.finishReason().ifPresent(r -> finishReasons.set(index, r.asString()));
          }
        }
      }
    }

    @Override
    public void onEnd() {
      call.recordResends();
      if (captureContent) {
        synchronized (texts) {
          instrumentation.recordContent(
              call.span,
              OpenAiInstrumentation.OUTPUT_MESSAGES,
              ContentJson.streamedOutput(
                  texts.stream().map(StringBuilder::toString).toList(), finishReasons));
        }
      }
    }

    @Override
    public void onError(Throwable error) {
      call.recordResends();
      call.recordError(error);
    }

    @Override
    public void onClose() {}
  }
}
