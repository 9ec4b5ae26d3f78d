package dev.tokenscope.openai.internal;

import com.openai.core.RequestOptions;
import com.openai.models.embeddings.EmbeddingCreateParams;
import com.openai.services.async.EmbeddingServiceAsync;
import com.openai.services.blocking.EmbeddingService;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;

/**
 * Embeddings, inside OpenTelemetry's instrumentation, which records them but for the SDK's resends
 * and the {@code error.type} of a failed call: this adds both.
 */
final class EmbeddingsHandler {

  private EmbeddingsHandler() {}

  static final class Blocking extends DelegatingHandler<EmbeddingService> {
    Blocking(EmbeddingService delegate, OpenAiInstrumentation instrumentation) {
      super(delegate, EmbeddingService.class);
    }

    @Override
    Object handle(Object proxy, Method method, Object[] args) throws Throwable {
      Span span = Span.current();
      if (!is(method, "create", EmbeddingCreateParams.class, RequestOptions.class)
          || !OpenAiInstrumentation.isUpstreamSpan(span)) {
        return UNHANDLED;
      }
      OpenAiCall call = new OpenAiCall(span);
      try (Scope ignored = call.storeIn(Context.current()).makeCurrent()) {
        return forward(method, args);
      } catch (Throwable t) {
        call.recordError(t);
        throw t;
      } finally {
        call.recordResends();
      }
    }
  }

  static final class Async extends DelegatingHandler<EmbeddingServiceAsync> {
    Async(EmbeddingServiceAsync delegate, OpenAiInstrumentation instrumentation) {
      super(delegate, EmbeddingServiceAsync.class);
    }

    @Override
    Object handle(Object proxy, Method method, Object[] args) throws Throwable {
      Span span = Span.current();
      if (!is(method, "create", EmbeddingCreateParams.class, RequestOptions.class)
          || !OpenAiInstrumentation.isUpstreamSpan(span)) {
        return UNHANDLED;
      }
      OpenAiCall call = new OpenAiCall(span);
      CompletableFuture<?> future;
      try (Scope ignored = call.storeIn(Context.current()).makeCurrent()) {
        future = (CompletableFuture<?>) forward(method, args);
      } catch (Throwable t) {
        call.recordResends();
        call.recordError(t);
        throw t;
      }
      return future.whenComplete(
          (result, error) -> {
            call.recordResends();
            if (error != null) {
              call.recordError(error);
            }
          });
    }
  }
}
