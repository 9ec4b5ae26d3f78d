package dev.tokenscope.openai.internal;

import com.openai.core.RequestOptions;
import com.openai.models.embeddings.EmbeddingCreateParams;
import io.opentelemetry.api.trace.Span;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Embeddings (sync or async), inside OpenTelemetry's instrumentation, which records them but for
 * the SDK's resends, the {@code error.type} of a failed call and the server: this adds them.
 */
final class EmbeddingsHandler<S> extends DelegatingHandler<S> {

  private final @Nullable Server server;

  /**
   * @param type {@code EmbeddingService} or {@code EmbeddingServiceAsync}
   */
  EmbeddingsHandler(S delegate, Class<S> type, @Nullable Server server) {
    super(
        delegate, type, new Signature("create", EmbeddingCreateParams.class, RequestOptions.class));
    this.server = server;
  }

  @Override
  Object handle(int handled, Method method, Object[] args) throws Throwable {
    Span span = Span.current();
    if (!OpenAiInstrumentation.isUpstreamSpan(span)) {
      return UNHANDLED;
    }
    if (server != null) {
      server.setOn(span);
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
