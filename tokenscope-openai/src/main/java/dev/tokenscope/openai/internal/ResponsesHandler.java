package dev.tokenscope.openai.internal;

import com.openai.core.RequestOptions;
import com.openai.models.ResponsesModel;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseStatus;
import com.openai.models.responses.ResponseStreamEvent;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

/**
 * The Responses API, which OpenTelemetry's instrumentation does not cover: TokenScope owns these
 * spans, from start to end, the way that instrumentation records chat completions ({@code CLIENT},
 * {@code chat {model}}), with every usage count and the cost set before the span ends.
 */
final class ResponsesHandler {

  private ResponsesHandler() {}

  /** Starts the span of a call and records the request. */
  static OpenAiCall start(
      OpenAiInstrumentation instrumentation, ResponseCreateParams params, boolean streaming) {
    OpenAiCall call =
        OwnSpans.start(
            instrumentation,
            new OwnSpans.Request(
                params.model().map(ResponsesHandler::name).orElse(null),
                params.maxOutputTokens(),
                params.temperature(),
                params.topP(),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                List.of(),
                streaming));
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
          call.response(response.id(), name(response.model()));
          span.setAttribute(OwnSpans.FINISH_REASONS, List.of(finishReason(response)));
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

  static final class Handler<S> extends DelegatingHandler<S> {
    private final OpenAiInstrumentation instrumentation;

    /**
     * @param type {@code ResponseService} or {@code ResponseServiceAsync}
     */
    Handler(S delegate, Class<S> type, OpenAiInstrumentation instrumentation) {
      super(
          delegate,
          type,
          new Signature("create", ResponseCreateParams.class, RequestOptions.class),
          new Signature("createStreaming", ResponseCreateParams.class, RequestOptions.class));
      this.instrumentation = instrumentation;
    }

    @Override
    Object handle(int handled, Method method, Object[] args) throws Throwable {
      boolean streaming = handled == 1;
      OpenAiCall call = start(instrumentation, (ResponseCreateParams) args[0], streaming);
      return OwnSpans.send(
          call,
          () -> forward(method, args),
          Response.class,
          (c, response) -> responded(instrumentation, c, response),
          () -> new EventObserver(instrumentation, call));
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
        call.response(response.id(), name(response.model()));
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
      OwnSpans.end(call, null);
    }

    @Override
    public void onError(Throwable error) {
      OwnSpans.end(call, error);
    }

    @Override
    public void onClose() {
      OwnSpans.end(call, null);
    }
  }
}
