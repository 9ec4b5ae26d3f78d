package dev.tokenscope.openai.internal;

import com.openai.core.RequestOptions;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.services.async.chat.ChatCompletionServiceAsync;
import com.openai.services.blocking.chat.ChatCompletionService;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Chat completions ({@code create}), inside OpenTelemetry's instrumentation: its span is current,
 * and this adds to it what the instrumentation leaves out before the instrumentation ends it,
 * {@code error.type} of a failed call included (the instrumentation sets it on its metrics only).
 * Streamed chat completions do not come here: {@link ChatStreamsHandler} traces them.
 */
final class ChatCompletionsHandler {

  private ChatCompletionsHandler() {}

  /** The call for the instrumentation's current span, with the request's content recorded. */
  static @Nullable OpenAiCall start(OpenAiInstrumentation instrumentation, Object params) {
    Span span = Span.current();
    if (!OpenAiInstrumentation.isUpstreamSpan(span)) {
      return null;
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
      if (!is(method, "create", ChatCompletionCreateParams.class, RequestOptions.class)) {
        return UNHANDLED;
      }
      OpenAiCall call = start(instrumentation, args[0]);
      if (call == null) {
        return forward(method, args);
      }
      ChatCompletion completion;
      try (Scope ignored = call.storeIn(Context.current()).makeCurrent()) {
        completion = (ChatCompletion) forward(method, args);
      } catch (Throwable t) {
        call.recordResends();
        call.recordError(t);
        throw t;
      }
      call.recordResends();
      completed(instrumentation, call, completion);
      return completion;
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
      if (!is(method, "create", ChatCompletionCreateParams.class, RequestOptions.class)) {
        return UNHANDLED;
      }
      OpenAiCall call = start(instrumentation, args[0]);
      if (call == null) {
        return forward(method, args);
      }
      CompletableFuture<?> future;
      try (Scope ignored = call.storeIn(Context.current()).makeCurrent()) {
        future = (CompletableFuture<?>) forward(method, args);
      } catch (Throwable t) {
        call.recordResends();
        call.recordError(t);
        throw t;
      }
      // The instrumentation ends its span when the future returned here completes: this records
      // first.
      return future.whenComplete(
          (completion, error) -> {
            call.recordResends();
            if (completion != null) {
              completed(instrumentation, call, (ChatCompletion) completion);
            } else if (error != null) {
              call.recordError(error);
            }
          });
    }
  }
}
