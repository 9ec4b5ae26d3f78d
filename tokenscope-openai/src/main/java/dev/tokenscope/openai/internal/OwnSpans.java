package dev.tokenscope.openai.internal;

import dev.tokenscope.core.InferenceAttributes;
import dev.tokenscope.core.InferenceSpans;
import dev.tokenscope.core.TelemetryContract;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The spans TokenScope owns from start to end (chat completions, the Responses API), shaped like
 * OpenTelemetry's chat spans: {@code CLIENT}, named {@code chat {model}}, with the cost set before
 * they end.
 */
final class OwnSpans {

  static final String PROVIDER_OPENAI = "openai";

  static final AttributeKey<String> OPERATION =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_OPERATION_NAME);
  static final AttributeKey<String> PROVIDER =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_PROVIDER_NAME);
  static final AttributeKey<String> REQUEST_MODEL =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_REQUEST_MODEL);
  static final AttributeKey<Long> MAX_TOKENS =
      AttributeKey.longKey(TelemetryContract.GEN_AI_REQUEST_MAX_TOKENS);
  static final AttributeKey<Double> TEMPERATURE =
      AttributeKey.doubleKey(TelemetryContract.GEN_AI_REQUEST_TEMPERATURE);
  static final AttributeKey<Double> TOP_P =
      AttributeKey.doubleKey(TelemetryContract.GEN_AI_REQUEST_TOP_P);
  static final AttributeKey<Long> SEED =
      AttributeKey.longKey(TelemetryContract.GEN_AI_REQUEST_SEED);
  static final AttributeKey<Double> FREQUENCY_PENALTY =
      AttributeKey.doubleKey(TelemetryContract.GEN_AI_REQUEST_FREQUENCY_PENALTY);
  static final AttributeKey<Double> PRESENCE_PENALTY =
      AttributeKey.doubleKey(TelemetryContract.GEN_AI_REQUEST_PRESENCE_PENALTY);
  static final AttributeKey<List<String>> STOP_SEQUENCES =
      AttributeKey.stringArrayKey(TelemetryContract.GEN_AI_REQUEST_STOP_SEQUENCES);
  static final AttributeKey<Boolean> STREAM =
      AttributeKey.booleanKey(TelemetryContract.GEN_AI_REQUEST_STREAM);
  static final AttributeKey<String> RESPONSE_ID =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_RESPONSE_ID);
  static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_RESPONSE_MODEL);
  static final AttributeKey<Boolean> PRICING_UNAVAILABLE =
      AttributeKey.booleanKey(TelemetryContract.GEN_AI_COST_PRICING_UNAVAILABLE);
  static final AttributeKey<List<String>> FINISH_REASONS =
      AttributeKey.stringArrayKey(TelemetryContract.GEN_AI_RESPONSE_FINISH_REASONS);

  /** What a chat request sets on its span as it starts. */
  record Request(
      @Nullable String model,
      Optional<Long> maxTokens,
      Optional<Double> temperature,
      Optional<Double> topP,
      Optional<Long> seed,
      Optional<Double> frequencyPenalty,
      Optional<Double> presencePenalty,
      List<String> stopSequences,
      boolean streaming) {}

  private OwnSpans() {}

  /**
   * Sends {@code call} within its span and ends the span with the reply: a whole reply of type
   * {@code R} at once, a {@code CompletableFuture} of one when it completes, and a stream through
   * the observer {@code observer} makes, as the application reads it.
   */
  static <R> Object send(
      OpenAiCall call,
      OpenAiCall.Send send,
      Class<R> replyType,
      BiConsumer<OpenAiCall, R> onReply,
      Supplier<StreamObserver<?>> observer)
      throws Throwable {
    Object result;
    try (Scope ignored = call.storeIn(Context.current().with(call.span)).makeCurrent()) {
      result = send.send();
    } catch (Throwable t) {
      end(call, t);
      throw t;
    }
    if (replyType.isInstance(result)) {
      onReply.accept(call, replyType.cast(result));
      end(call, null);
      return result;
    }
    if (result instanceof CompletableFuture<?> future) {
      return future.whenComplete(
          (reply, error) -> {
            if (reply != null) {
              onReply.accept(call, replyType.cast(reply));
            }
            end(call, error);
          });
    }
    return StreamObserver.observe(result, observer.get());
  }

  /** Starts the span of a call as the request describes it. */
  static OpenAiCall start(OpenAiInstrumentation instrumentation, Request request) {
    String model = request.model();
    SpanBuilder builder =
        instrumentation
            .tracer
            .spanBuilder(model == null ? TelemetryContract.OPERATION_CHAT : "chat " + model)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(OPERATION, TelemetryContract.OPERATION_CHAT)
            .setAttribute(PROVIDER, PROVIDER_OPENAI);
    if (model != null) {
      builder.setAttribute(REQUEST_MODEL, model);
    }
    request.maxTokens().ifPresent(n -> builder.setAttribute(MAX_TOKENS, n));
    request.temperature().ifPresent(t -> builder.setAttribute(TEMPERATURE, t));
    request.topP().ifPresent(p -> builder.setAttribute(TOP_P, p));
    request.seed().ifPresent(s -> builder.setAttribute(SEED, s));
    request.frequencyPenalty().ifPresent(p -> builder.setAttribute(FREQUENCY_PENALTY, p));
    request.presencePenalty().ifPresent(p -> builder.setAttribute(PRESENCE_PENALTY, p));
    if (!request.stopSequences().isEmpty()) {
      builder.setAttribute(STOP_SEQUENCES, request.stopSequences());
    }
    if (request.streaming()) {
      builder.setAttribute(STREAM, true);
    }
    if (instrumentation.server != null) {
      instrumentation.server.setOn(builder);
    }
    OpenAiCall call = new OpenAiCall(builder.startSpan());
    call.requestModel(model);
    return call;
  }

  /**
   * Ends the span once, priced, with the resends and, for a failed call, the error. A call that
   * succeeded without reporting its usage is marked {@code gen_ai.cost.pricing_unavailable}:
   * TokenScope counts it as unpriced rather than as free.
   */
  static void end(OpenAiCall call, @Nullable Throwable error) {
    if (!call.markEnded()) {
      return;
    }
    StreamObserver.safely(
        () -> {
          call.recordResends();
          if (error != null) {
            call.recordError(error);
          }
          if (error == null && !call.reportedUsage()) {
            // A stream read without usage (no stream_options.include_usage, or closed before its
            // last chunk): the call cost something, but what is unknown. Unpriced, not $0.
            call.span.setAttribute(PRICING_UNAVAILABLE, true);
            return;
          }
          InferenceAttributes inference = call.inference();
          if (inference != null) {
            InferenceSpans.enrich(call.span, inference);
          }
        });
    call.span.end();
  }
}
