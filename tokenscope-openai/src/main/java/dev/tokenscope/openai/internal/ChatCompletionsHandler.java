package dev.tokenscope.openai.internal;

import com.openai.core.RequestOptions;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import io.opentelemetry.api.trace.Span;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;

/**
 * Chat completions ({@code create}, sync or async), inside OpenTelemetry's instrumentation: its
 * span is current, and this adds to it what the instrumentation leaves out before the
 * instrumentation ends it, {@code error.type} of a failed call included (the instrumentation sets
 * it nowhere). Streamed chat completions do not come here: {@link ChatStreamsHandler} traces them.
 */
final class ChatCompletionsHandler<S> extends DelegatingHandler<S> {

  private final OpenAiInstrumentation instrumentation;

  /**
   * @param type {@code ChatCompletionService} or {@code ChatCompletionServiceAsync}
   */
  ChatCompletionsHandler(S delegate, Class<S> type, OpenAiInstrumentation instrumentation) {
    super(delegate, type);
    this.instrumentation = instrumentation;
  }

  @Override
  Object handle(Object proxy, Method method, Object[] args) throws Throwable {
    Span span = Span.current();
    if (!is(method, "create", ChatCompletionCreateParams.class, RequestOptions.class)
        || !OpenAiInstrumentation.isUpstreamSpan(span)) {
      return UNHANDLED;
    }
    OpenAiCall call = new OpenAiCall(span);
    if (instrumentation.contentPolicy.captureContent()) {
      StreamObserver.safely(
          () ->
              instrumentation.recordInput(
                  span, ContentJson.chatInput(((ChatCompletionCreateParams) args[0]).messages())));
    }
    Object result = call.send(() -> forward(method, args));
    if (result instanceof CompletableFuture<?> future) {
      // The instrumentation ends its span when the future returned here completes: this records
      // first.
      return call.recordWhenComplete(future, value -> completed(call, (ChatCompletion) value));
    }
    call.recordResends();
    completed(call, (ChatCompletion) result);
    return result;
  }

  private void completed(OpenAiCall call, ChatCompletion completion) {
    StreamObserver.safely(
        () -> {
          completion.usage().ifPresent(call::recordUsageDetails);
          if (instrumentation.contentPolicy.captureContent()) {
            instrumentation.recordContent(
                call.span,
                OpenAiInstrumentation.OUTPUT_MESSAGES,
                ContentJson.chatOutput(completion.choices()));
          }
        });
  }
}
