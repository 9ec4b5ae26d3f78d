package dev.tokenscope.openai.internal;

import com.openai.core.RequestOptions;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Chat completions ({@code create} and {@code createStreaming}, sync or async), traced by
 * TokenScope on the untraced client. OpenTelemetry's instrumentation (2.31.1) traces them too, but
 * costs more than the rest of TokenScope together on each call (attribute maps built twice per call
 * for its metrics, log events built even for a no-op logs bridge: see the README's measurements),
 * leaves out what the contract needs (cached, cache-write and reasoning tokens, {@code error.type},
 * span kind {@code CLIENT}), and its stream wrapper throws from {@code close()} and never ends its
 * span when a stream is closed early. The span here has what that instrumentation records (same
 * name, same request and response attributes), what TokenScope adds, and its cost before it ends.
 */
final class ChatCompletionsHandler {

  private ChatCompletionsHandler() {}

  /** Starts the span of a call and records the request. */
  static OpenAiCall start(
      OpenAiInstrumentation instrumentation, ChatCompletionCreateParams params, boolean streaming) {
    OpenAiCall call = OwnSpans.start(instrumentation, request(params, streaming));
    if (instrumentation.contentPolicy.captureContent()) {
      StreamObserver.safely(
          () -> instrumentation.recordInput(call.span, ContentJson.chatInput(params.messages())));
    }
    return call;
  }

  @SuppressWarnings("deprecation") // seed(): deprecated by OpenAI, still sent and still recorded
  private static OwnSpans.Request request(ChatCompletionCreateParams params, boolean streaming) {
    return new OwnSpans.Request(
        params.model().asString(),
        params.maxCompletionTokens().or(params::maxTokens),
        params.temperature(),
        params.topP(),
        params.seed(),
        params.frequencyPenalty(),
        params.presencePenalty(),
        params.stop().map(ChatCompletionsHandler::stopSequences).orElse(List.of()),
        streaming);
  }

  private static List<String> stopSequences(ChatCompletionCreateParams.Stop stop) {
    if (stop.isString()) {
      return List.of(stop.asString());
    }
    return stop.isStrings() ? stop.asStrings() : List.of();
  }

  /** Records a whole reply: its identity, why it stopped, its usage and, when captured, content. */
  static void completed(
      OpenAiInstrumentation instrumentation, OpenAiCall call, ChatCompletion completion) {
    StreamObserver.safely(
        () -> {
          call.response(completion.id(), completion.model());
          List<ChatCompletion.Choice> choices = completion.choices();
          if (!choices.isEmpty()) {
            List<String> reasons = new ArrayList<>(choices.size());
            for (ChatCompletion.Choice choice : choices) {
              reasons.add(choice.finishReason().asString());
            }
            call.span.setAttribute(OwnSpans.FINISH_REASONS, reasons);
          }
          completion.usage().ifPresent(call::recordUsage);
          if (instrumentation.contentPolicy.captureContent()) {
            instrumentation.recordContent(
                call.span, OpenAiInstrumentation.OUTPUT_MESSAGES, ContentJson.chatOutput(choices));
          }
        });
  }

  /**
   * {@code create} and {@code createStreaming} of {@code ChatCompletionService} or {@code
   * ChatCompletionServiceAsync}, sent through the untraced service; every other method goes to the
   * delegate.
   */
  static final class Handler<S> extends DelegatingHandler<S> {
    private static final int CREATE = 0;
    private static final int CREATE_STREAMING = 1;

    private final S untraced;
    private final OpenAiInstrumentation instrumentation;

    /**
     * @param delegate the service that handles every other method
     * @param untraced the same service without any tracing, which sends the traced calls
     * @param type {@code ChatCompletionService} or {@code ChatCompletionServiceAsync}
     */
    Handler(S delegate, S untraced, Class<S> type, OpenAiInstrumentation instrumentation) {
      super(
          delegate,
          type,
          new Signature("create", ChatCompletionCreateParams.class, RequestOptions.class),
          new Signature("createStreaming", ChatCompletionCreateParams.class, RequestOptions.class));
      this.untraced = untraced;
      this.instrumentation = instrumentation;
    }

    @Override
    Object handle(int handled, Method method, Object[] args) throws Throwable {
      boolean streaming = handled == CREATE_STREAMING;
      OpenAiCall call = start(instrumentation, (ChatCompletionCreateParams) args[0], streaming);
      return OwnSpans.send(
          call,
          () -> call(untraced, method, args),
          ChatCompletion.class,
          (c, completion) -> completed(instrumentation, c, completion),
          () -> new ChunkObserver(instrumentation, call));
    }
  }

  /**
   * Reads a streamed chat completion as it passes (its id, model, usage of the last chunk when the
   * request asked for it, finish reasons, the text when content is captured) and ends the span with
   * the stream: read to its end, failed, closed by the application first, or dropped unclosed.
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
        call.response(chunk.id(), chunk.model());
      }
      chunk.usage().ifPresent(call::recordUsage);
      for (ChatCompletionChunk.Choice choice : chunk.choices()) {
        int index = (int) choice.index();
        while (finishReasons.size() <= index) {
          texts.add(new StringBuilder());
          finishReasons.add(null);
        }
        if (captureContent) {
          choice.delta().content().ifPresent(texts.get(index)::append);
        }
        Optional<ChatCompletionChunk.Choice.FinishReason> reason = choice.finishReason();
        reason.ifPresent(r -> finishReasons.set(index, r.asString()));
      }
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
