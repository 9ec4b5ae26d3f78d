package dev.tokenscope.openai.internal;

import com.openai.models.completions.CompletionUsage;
import com.openai.models.responses.ResponseUsage;
import dev.tokenscope.core.InferenceAttributes;
import dev.tokenscope.core.TelemetryContract;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.Scope;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One API call in flight and its span: counts the SDK's resends, notes the first streamed chunk,
 * and records what TokenScope adds to the span. It remembers the model and token counts it sets, so
 * that a span TokenScope owns is priced from them ({@link #inference()}) rather than by reading the
 * span back. Never throws: telemetry must not fail the call.
 */
final class OpenAiCall {

  static final ContextKey<OpenAiCall> KEY = ContextKey.named("tokenscope-openai-call");

  static final AttributeKey<Long> INPUT_TOKENS =
      AttributeKey.longKey(TelemetryContract.GEN_AI_USAGE_INPUT_TOKENS);
  static final AttributeKey<Long> OUTPUT_TOKENS =
      AttributeKey.longKey(TelemetryContract.GEN_AI_USAGE_OUTPUT_TOKENS);
  static final AttributeKey<Long> CACHE_READ =
      AttributeKey.longKey(TelemetryContract.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS);
  static final AttributeKey<Long> CACHE_WRITE =
      AttributeKey.longKey(TelemetryContract.GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS);
  static final AttributeKey<Long> REASONING =
      AttributeKey.longKey(TelemetryContract.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS);
  static final AttributeKey<Long> RESEND_COUNT =
      AttributeKey.longKey(TelemetryContract.HTTP_REQUEST_RESEND_COUNT);
  static final AttributeKey<Double> TIME_TO_FIRST_CHUNK =
      AttributeKey.doubleKey(TelemetryContract.GEN_AI_RESPONSE_TIME_TO_FIRST_CHUNK);
  static final AttributeKey<String> ERROR_TYPE =
      AttributeKey.stringKey(TelemetryContract.ERROR_TYPE);

  final Span span;
  private final long startNanos = System.nanoTime();
  private final AtomicInteger resends = new AtomicInteger();
  private final AtomicBoolean firstChunk = new AtomicBoolean();
  private final AtomicBoolean ended = new AtomicBoolean();

  // What this call has set on its span (counts: -1 while not set).
  private volatile @Nullable String requestModel;
  private volatile @Nullable String responseModel;
  private volatile long inputTokens = -1;
  private volatile long outputTokens = -1;
  private volatile long cacheReadTokens = -1;
  private volatile long cacheWriteTokens = -1;
  private volatile long reasoningTokens = -1;

  OpenAiCall(Span span) {
    this.span = span;
  }

  static @Nullable OpenAiCall current() {
    return Context.current().get(KEY);
  }

  Context storeIn(Context context) {
    return context.with(KEY, this);
  }

  /** True for the first caller only: several paths can end a span TokenScope owns. */
  boolean markEnded() {
    return ended.compareAndSet(false, true);
  }

  void resent() {
    resends.incrementAndGet();
  }

  /** Sets {@code http.request.resend_count} when the SDK resent the request. */
  void recordResends() {
    int count = resends.get();
    if (count > 0) {
      span.setAttribute(RESEND_COUNT, (long) count);
    }
  }

  /** Sets {@code gen_ai.response.time_to_first_chunk} on the first chunk only. */
  void chunkArrived() {
    if (firstChunk.compareAndSet(false, true)) {
      span.setAttribute(TIME_TO_FIRST_CHUNK, (System.nanoTime() - startNanos) / 1e9);
    }
  }

  /** Notes the model the request asked for, which the span started with. */
  void requestModel(@Nullable String model) {
    requestModel = model;
  }

  /** Sets {@code gen_ai.response.id} and {@code gen_ai.response.model}. */
  void response(String id, String model) {
    span.setAttribute(OwnSpans.RESPONSE_ID, id);
    span.setAttribute(OwnSpans.RESPONSE_MODEL, model);
    responseModel = model;
  }

  /**
   * Every count of a chat completion's usage. OpenAI's prompt tokens already include the cached
   * ones, and its completion tokens the reasoning ones, as the conventions want.
   */
  void recordUsage(CompletionUsage usage) {
    inputTokens = count(INPUT_TOKENS, usage.promptTokens());
    outputTokens = count(OUTPUT_TOKENS, usage.completionTokens());
    usage
        .promptTokensDetails()
        .ifPresent(
            details -> {
              details.cachedTokens().ifPresent(n -> cacheReadTokens = count(CACHE_READ, n));
              details.cacheWriteTokens().ifPresent(n -> cacheWriteTokens = count(CACHE_WRITE, n));
            });
    usage
        .completionTokensDetails()
        .flatMap(CompletionUsage.CompletionTokensDetails::reasoningTokens)
        .ifPresent(n -> reasoningTokens = count(REASONING, n));
  }

  /** Every count of a Responses API usage. */
  void recordUsage(ResponseUsage usage) {
    inputTokens = count(INPUT_TOKENS, usage.inputTokens());
    outputTokens = count(OUTPUT_TOKENS, usage.outputTokens());
    cacheReadTokens = count(CACHE_READ, usage.inputTokensDetails().cachedTokens());
    reasoningTokens = count(REASONING, usage.outputTokensDetails().reasoningTokens());
  }

  /** Whether the reply reported its token counts (a stream reports them only when asked). */
  boolean reportedUsage() {
    return inputTokens >= 0 || outputTokens >= 0;
  }

  private long count(AttributeKey<Long> key, long value) {
    span.setAttribute(key, value);
    return value;
  }

  /**
   * The inference this call's span describes, from what this call set on it: what TokenScope's core
   * would read from the span, read the same way ({@link InferenceAttributes#read}), without copying
   * the span's attributes. Only for the spans TokenScope owns, whose every gen_ai attribute is set
   * here.
   */
  @Nullable InferenceAttributes inference() {
    return InferenceAttributes.read(this::attribute);
  }

  private @Nullable Object attribute(String key) {
    switch (key) {
      case TelemetryContract.GEN_AI_OPERATION_NAME:
        return TelemetryContract.OPERATION_CHAT;
      case TelemetryContract.GEN_AI_PROVIDER_NAME:
        return OwnSpans.PROVIDER_OPENAI;
      case TelemetryContract.GEN_AI_REQUEST_MODEL:
        return requestModel;
      case TelemetryContract.GEN_AI_RESPONSE_MODEL:
        return responseModel;
      case TelemetryContract.GEN_AI_USAGE_INPUT_TOKENS:
        return ifSet(inputTokens);
      case TelemetryContract.GEN_AI_USAGE_OUTPUT_TOKENS:
        return ifSet(outputTokens);
      case TelemetryContract.GEN_AI_USAGE_CACHE_READ_INPUT_TOKENS:
        return ifSet(cacheReadTokens);
      case TelemetryContract.GEN_AI_USAGE_CACHE_WRITE_INPUT_TOKENS:
        return ifSet(cacheWriteTokens);
      case TelemetryContract.GEN_AI_USAGE_REASONING_OUTPUT_TOKENS:
        return ifSet(reasoningTokens);
      default:
        return null;
    }
  }

  private static @Nullable Long ifSet(long count) {
    return count < 0 ? null : count;
  }

  /** A call to the SDK. */
  @FunctionalInterface
  interface Send {
    Object send() throws Throwable;
  }

  /**
   * Sends with this call current, so that the SDK's resends are counted; a failure gets its resends
   * and {@code error.type} recorded and is rethrown.
   */
  Object send(Send send) throws Throwable {
    try (Scope ignored = storeIn(Context.current()).makeCurrent()) {
      return send.send();
    } catch (Throwable t) {
      recordResends();
      recordError(t);
      throw t;
    }
  }

  /**
   * A future of the SDK's asynchronous result that completes once this call has recorded it: the
   * resends, then {@code error.type} of a failure or {@code onValue} of a value.
   */
  CompletableFuture<?> recordWhenComplete(CompletableFuture<?> future, Consumer<Object> onValue) {
    return future.whenComplete(
        (value, error) -> {
          recordResends();
          if (error != null) {
            recordError(error);
          } else if (value != null) {
            onValue.accept(value);
          }
        });
  }

  /** Status ERROR and {@code error.type}, the exception's class as OpenTelemetry names it. */
  void recordError(Throwable error) {
    Throwable cause = unwrap(error);
    span.setStatus(StatusCode.ERROR);
    span.setAttribute(ERROR_TYPE, cause.getClass().getName());
  }

  static Throwable unwrap(Throwable error) {
    Throwable t = error;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
