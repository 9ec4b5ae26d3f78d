package dev.tokenscope.openai.internal;

import com.openai.core.RequestOptions;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.opentelemetry.api.trace.Span;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;

/**
 * Embeddings (sync or async), inside OpenTelemetry's instrumentation, which records them but for
 * the SDK's resends and the {@code error.type} of a failed call: this adds both.
 */
final class EmbeddingsHandler<S> extends DelegatingHandler<S> {

  /**
   * @param type {@code EmbeddingService} or {@code EmbeddingServiceAsync}
   */
  EmbeddingsHandler(S delegate, Class<S> type) {
    super(
        delegate, type, new Signature("create", EmbeddingCreateParams.class, RequestOptions.class));
  }

  @Override
  Object handle(int handled, Method method, Object[] args) throws Throwable {
    Span span = Span.current();
    if (!OpenAiInstrumentation.isUpstreamSpan(span)) {
      return UNHANDLED;
    }
    OpenAiCall call = new OpenAiCall(span);
    Object result = call.send(() -> forward(method, args));
    if (result instanceof CompletableFuture<?> future) {
      return call.recordWhenComplete(future, value -> {});
    }
    call.recordResends();
    return result;
  }
}
