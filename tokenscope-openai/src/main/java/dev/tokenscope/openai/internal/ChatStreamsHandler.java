package dev.tokenscope.openai.internal;

import com.openai.core.RequestOptions;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.completions.CompletionUsage;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Streamed chat completions, traced by TokenScope in front of OpenTelemetry's instrumentation,
 * which handles every other method. The instrumentation's stream wrapper (2.31.1) throws {@code
 * OpenAIInvalidDataException: finish_reason is null} from {@code close()} when a stream is closed
 * before its last chunk, and then never ends its span; a failed read ends no span either. Here the
 * span ends with the stream however it ends.
 */
final class ChatStreamsHandler {

  private ChatStreamsHandler() {}

  static OpenAiCall start(
      OpenAiInstrumentation instrumentation, ChatCompletionCreateParams params) {
    OpenAiCall call =
        OwnSpans.start(
            instrumentation,
            new OwnSpans.Request(
                params.model().asString(),
                params.maxCompletionTokens().or(params::maxTokens),
                params.temperature(),
                params.topP(),
                true));
    if (instrumentation.contentPolicy.captureContent()) {
      StreamObserver.safely(
          () -> instrumentation.recordInput(call.span, ContentJson.chatInput(params.messages())));
    }
    return call;
  }

  static final class Handler<S> extends DelegatingHandler<S> {
    private final S untraced;
    private final OpenAiInstrumentation instrumentation;

    /**
     * @param delegate the service OpenTelemetry's instrumentation traces
     * @param untraced the same service without it, for streams
     * @param type {@code ChatCompletionService} or {@code ChatCompletionServiceAsync}
     */
    Handler(S delegate, S untraced, Class<S> type, OpenAiInstrumentation instrumentation) {
      super(delegate, type);
      this.untraced = untraced;
      this.instrumentation = instrumentation;
    }

    @Override
    Object handle(Object proxy, Method method, Object[] args) throws Throwable {
      if (!is(method, "createStreaming", ChatCompletionCreateParams.class, RequestOptions.class)) {
        return UNHANDLED;
      }
      OpenAiCall call = start(instrumentation, (ChatCompletionCreateParams) args[0]);
      Object stream;
      try (Scope ignored = call.storeIn(Context.current().with(call.span)).makeCurrent()) {
        stream = call(untraced, method, args);
      } catch (Throwable t) {
        OwnSpans.end(call, t);
        throw t;
      }
      return StreamObserver.observe(stream, new ChunkObserver(instrumentation, call));
    }
  }

  /**
   * Reads a streamed chat completion as it passes (its id, model, usage of the last chunk when the
   * request asked for it, finish reasons, the text when content is captured) and ends the span with
   * the stream.
   */
  private static final class ChunkObserver implements StreamObserver<ChatCompletionChunk> {
    private final OpenAiInstrumentation instrumentation;
    private final OpenAiCall call;
    private final boolean captureContent;
    private final List<StringBuilder> texts = new ArrayList<>();
    private final List<@Nullable String> finishReasons = new ArrayList<>();
    private boolean identified;

    ChunkObserver(OpenAiInstrumentation instrumentation, OpenAiCall call) {
      this.instrumentation = instrumentation;
      this.call = call;
      this.captureContent = instrumentation.contentPolicy.captureContent();
    }

    @Override
    public synchronized void onItem(ChatCompletionChunk chunk) {
      call.chunkArrived();
      if (!identified) {
        identified = true;
        call.span.setAttribute(OwnSpans.RESPONSE_ID, chunk.id());
        call.span.setAttribute(OwnSpans.RESPONSE_MODEL, chunk.model());
      }
      chunk.usage().ifPresent(this::usage);
      for (ChatCompletionChunk.Choice choice : chunk.choices()) {
        int index = (int) choice.index();
        while (finishReasons.size() <= index) {
          texts.add(new StringBuilder());
          finishReasons.add(null);
        }
        if (captureContent) {
          choice.delta().content().ifPresent(texts.get(index)::append);
        }
        choice.finishReason().ifPresent(r -> finishReasons.set(index, r.asString()));
      }
    }

    private void usage(CompletionUsage usage) {
      call.span.setAttribute(OpenAiCall.INPUT_TOKENS, usage.promptTokens());
      call.span.setAttribute(OpenAiCall.OUTPUT_TOKENS, usage.completionTokens());
      call.recordUsageDetails(usage);
    }

    @Override
    public synchronized void onEnd() {
      List<String> reasons = finishReasons.stream().filter(Objects::nonNull).toList();
      if (!reasons.isEmpty()) {
        call.span.setAttribute(OwnSpans.FINISH_REASONS, reasons);
      }
      if (captureContent && !texts.isEmpty()) {
        instrumentation.recordContent(
            call.span,
            OpenAiInstrumentation.OUTPUT_MESSAGES,
            ContentJson.streamedOutput(
                texts.stream().map(StringBuilder::toString).toList(), finishReasons));
      }
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
