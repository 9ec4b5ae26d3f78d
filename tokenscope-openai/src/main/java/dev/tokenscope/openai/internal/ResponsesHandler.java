package dev.tokenscope.openai.internal;

import com.openai.core.RequestOptions;
import com.openai.core.http.AsyncStreamResponse;
import com.openai.core.http.StreamResponse;
import com.openai.models.ResponsesModel;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import com.openai.services.async.ResponseServiceAsync;
import com.openai.services.blocking.ResponseService;
import dev.tokenscope.core.InferenceSpans;
import dev.tokenscope.core.TelemetryContract;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.lang.reflect.Method;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The Responses API, which OpenTelemetry's instrumentation does not cover: TokenScope owns these
 * spans, from start to end, the way that instrumentation records chat completions ({@code CLIENT},
 * {@code chat {model}}), with every usage count and the cost set before the span ends.
 */
final class ResponsesHandler {

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
  static final AttributeKey<Boolean> STREAM =
      AttributeKey.booleanKey(TelemetryContract.GEN_AI_REQUEST_STREAM);
  static final AttributeKey<String> RESPONSE_ID =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_RESPONSE_ID);
  static final AttributeKey<String> RESPONSE_MODEL =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_RESPONSE_MODEL);
  static final AttributeKey<List<String>> FINISH_REASONS =
      AttributeKey.stringArrayKey(TelemetryContract.GEN_AI_RESPONSE_FINISH_REASONS);

  private ResponsesHandler() {}

  /** Starts the span of a call and records the request. */
  static OpenAiCall start(
      OpenAiInstrumentation instrumentation, ResponseCreateParams params, boolean streaming) {
    String model = params.model().map(ResponsesHandler::name).orElse(null);
    SpanBuilder builder =
        instrumentation
            .tracer
            .spanBuilder(model == null ? TelemetryContract.OPERATION_CHAT : "chat " + model)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute(OPERATION, TelemetryContract.OPERATION_CHAT)
            .setAttribute(PROVIDER, "openai");
    if (model != null) {
      builder.setAttribute(REQUEST_MODEL, model);
    }
    params.maxOutputTokens().ifPresent(n -> builder.setAttribute(MAX_TOKENS, n));
    params.temperature().ifPresent(t -> builder.setAttribute(TEMPERATURE, t));
    params.topP().ifPresent(p -> builder.setAttribute(TOP_P, p));
    if (streaming) {
      builder.setAttribute(STREAM, true);
    }
    OpenAiCall call = new OpenAiCall(builder.startSpan());
    if (instrumentation.contentPolicy.captureContent()) {
      StreamObserver.safely(
          () ->
              instrumentation.recordInput(
                  call.span,
                  ContentJson.responsesInput(
                      params.input().orElse(null), params.instructions().orElse(null))));
    }
    return call;
  }

  /** Records a response: a whole one, or the final one of a stream. */
  static void responded(OpenAiInstrumentation instrumentation, OpenAiCall call, Response response) {
    StreamObserver.safely(
        () -> {
          Span span = call.span;
          span.setAttribute(RESPONSE_ID, response.id());
          span.setAttribute(RESPONSE_MODEL, name(response.model()));
          span.setAttribute(FINISH_REASONS, List.of(finishReason(response)));
          response.usage().ifPresent(call::recordUsage);
          if (response.status().map(ResponseStatus.FAILED::equals).orElse(false)) {
            span.setStatus(StatusCode.ERROR);
            span.setAttribute(
                OpenAiCall.ERROR_TYPE,
                response.error().map(e -> e.code().asString()).orElse("failed"));
          }
          if (instrumentation.contentPolicy.captureContent()) {
            instrumentation.recordContent(
                span,
                OpenAiInstrumentation.OUTPUT_MESSAGES,
                ContentJson.responsesOutput(response.output()));
          }
        });
  }

  /** Ends the span once, priced, with the resends and (on failure) the error. */
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
          InferenceSpans.enrich(call.span);
        });
    call.span.end();
  }

  private static String finishReason(Response response) {
    ResponseStatus status = response.status().orElse(null);
    if (status == null || status.equals(ResponseStatus.COMPLETED)) {
      return "stop";
    }
    if (status.equals(ResponseStatus.INCOMPLETE)) {
      return response
          .incompleteDetails()
          .flatMap(Response.IncompleteDetails::reason)
          .map(r -> r.asString())
          .orElse("incomplete");
    }
    return status.equals(ResponseStatus.FAILED) ? "error" : status.asString();
  }

  static String name(ResponsesModel model) {
    if (model.isString()) {
      return model.asString();
    }
    if (model.isChat()) {
      return model.asChat().asString();
    }
    return model.asOnly().asString();
  }

  static final class Blocking extends DelegatingHandler<ResponseService> {
    private final OpenAiInstrumentation instrumentation;

    Blocking(ResponseService delegate, OpenAiInstrumentation instrumentation) {
      super(delegate, ResponseService.class);
      this.instrumentation = instrumentation;
    }

    @Override
    Object handle(Object proxy, Method method, Object[] args) throws Throwable {
      boolean create = is(method, "create", ResponseCreateParams.class, RequestOptions.class);
      boolean streaming =
          is(method, "createStreaming", ResponseCreateParams.class, RequestOptions.class);
      if (!create && !streaming) {
        return UNHANDLED;
      }
      OpenAiCall call = start(instrumentation, (ResponseCreateParams) args[0], streaming);
      Object result;
      try (Scope ignored = call.storeIn(Context.current().with(call.span)).makeCurrent()) {
        result = forward(method, args);
      } catch (Throwable t) {
        end(call, t);
        throw t;
      }
      if (create) {
        responded(instrumentation, call, (Response) result);
        end(call, null);
        return result;
      }
      @SuppressWarnings("unchecked")
      StreamResponse<ResponseStreamEvent> stream = (StreamResponse<ResponseStreamEvent>) result;
      return new ObservedStreamResponse<>(stream, new EventObserver(instrumentation, call));
    }
  }

  static final class Async extends DelegatingHandler<ResponseServiceAsync> {
    private final OpenAiInstrumentation instrumentation;

    Async(ResponseServiceAsync delegate, OpenAiInstrumentation instrumentation) {
      super(delegate, ResponseServiceAsync.class);
      this.instrumentation = instrumentation;
    }

    @Override
    Object handle(Object proxy, Method method, Object[] args) throws Throwable {
      boolean create = is(method, "create", ResponseCreateParams.class, RequestOptions.class);
      boolean streaming =
          is(method, "createStreaming", ResponseCreateParams.class, RequestOptions.class);
      if (!create && !streaming) {
        return UNHANDLED;
      }
      OpenAiCall call = start(instrumentation, (ResponseCreateParams) args[0], streaming);
      Object result;
      try (Scope ignored = call.storeIn(Context.current().with(call.span)).makeCurrent()) {
        result = forward(method, args);
      } catch (Throwable t) {
        end(call, t);
        throw t;
      }
      if (create) {
        @SuppressWarnings("unchecked")
        CompletableFuture<Response> future = (CompletableFuture<Response>) result;
        return future.whenComplete(
            (response, error) -> {
              if (response != null) {
                responded(instrumentation, call, response);
              }
              end(call, error);
            });
      }
      @SuppressWarnings("unchecked")
      AsyncStreamResponse<ResponseStreamEvent> stream =
          (AsyncStreamResponse<ResponseStreamEvent>) result;
      return new ObservedAsyncStreamResponse<>(stream, new EventObserver(instrumentation, call));
    }
  }

  /**
   * Reads a streamed response as it passes and ends the span with the stream: read to its end,
   * failed, or closed by the application first.
   */
  private static final class EventObserver implements StreamObserver<ResponseStreamEvent> {
    private final OpenAiInstrumentation instrumentation;
    private final OpenAiCall call;

    EventObserver(OpenAiInstrumentation instrumentation, OpenAiCall call) {
      this.instrumentation = instrumentation;
      this.call = call;
    }

    @Override
    public void onItem(ResponseStreamEvent event) {
      if (event.isOutputTextDelta()
          || event.isRefusalDelta()
          || event.isFunctionCallArgumentsDelta()
          || event.isReasoningTextDelta()) {
        call.chunkArrived();
      }
      if (event.isCreated()) {
        Response response = event.asCreated().response();
        call.span.setAttribute(RESPONSE_ID, response.id());
        call.span.setAttribute(RESPONSE_MODEL, name(response.model()));
      } else if (event.isCompleted()) {
        responded(instrumentation, call, event.asCompleted().response());
      } else if (event.isIncomplete()) {
        responded(instrumentation, call, event.asIncomplete().response());
      } else if (event.isFailed()) {
        responded(instrumentation, call, event.asFailed().response());
      } else if (event.isError()) {
        call.span.setStatus(StatusCode.ERROR);
        call.span.setAttribute(OpenAiCall.ERROR_TYPE, event.asError().code().orElse("error"));
      }
    }

    @Override
    public void onEnd() {
      end(call, null);
    }

    @Override
    public void onError(Throwable error) {
      end(call, error);
    }

    @Override
    public void onClose() {
      end(call, null);
    }
  }
}
