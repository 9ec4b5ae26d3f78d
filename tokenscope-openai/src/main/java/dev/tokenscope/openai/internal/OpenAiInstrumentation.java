package dev.tokenscope.openai.internal;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import com.openai.core.ClientOptions;
import com.openai.core.DefaultSleeper;
import com.openai.core.Sleeper;
import com.openai.services.async.ChatServiceAsync;
import com.openai.services.async.EmbeddingServiceAsync;
import com.openai.services.async.ResponseServiceAsync;
import com.openai.services.async.chat.ChatCompletionServiceAsync;
import com.openai.services.blocking.ChatService;
import com.openai.services.blocking.EmbeddingService;
import com.openai.services.blocking.ResponseService;
import com.openai.services.blocking.chat.ChatCompletionService;
import dev.tokenscope.core.ContentPolicy;
import dev.tokenscope.core.TelemetryContract;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.instrumentation.openai.v1_1.OpenAITelemetry;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.lang.reflect.Method;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What {@code OpenAiTelemetry.wrap} builds: OpenTelemetry's OpenAI instrumentation (chat
 * completions and embeddings spans) on the outside, TokenScope's proxies on the inside. Inside, the
 * instrumentation's span is current while the SDK runs, so TokenScope adds to that span what the
 * instrumentation leaves out (cached, cache-write and reasoning tokens, resends, time to first
 * chunk, content under the policy, a failed stream read); and it traces the Responses API itself,
 * which the instrumentation does not cover.
 */
public final class OpenAiInstrumentation {

  /** Scope name prefix of OpenTelemetry's OpenAI instrumentation (its version is the suffix). */
  static final String OTEL_SCOPE_PREFIX = "io.opentelemetry.openai-java";

  static final String INSTRUMENTATION_NAME = "dev.tokenscope.openai";

  static final AttributeKey<String> INPUT_MESSAGES =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_INPUT_MESSAGES);
  static final AttributeKey<String> OUTPUT_MESSAGES =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_OUTPUT_MESSAGES);
  static final AttributeKey<String> SYSTEM_INSTRUCTIONS =
      AttributeKey.stringKey(TelemetryContract.GEN_AI_SYSTEM_INSTRUCTIONS);

  private final OpenAITelemetry upstream;
  final Tracer tracer;
  final ContentPolicy contentPolicy;
  private final boolean countResends;
  private final @Nullable Supplier<Sleeper> sleeper;

  /**
   * @param sleeper the waits between retries when {@code countResends}: null for the SDK's default
   */
  public OpenAiInstrumentation(
      OpenTelemetry openTelemetry,
      ContentPolicy contentPolicy,
      boolean countResends,
      @Nullable Supplier<Sleeper> sleeper) {
    this.upstream = OpenAITelemetry.create(new ClientKindOpenTelemetry(openTelemetry));
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION_NAME, version());
    this.contentPolicy = contentPolicy;
    this.countResends = countResends;
    this.sleeper = sleeper;
  }

  public OpenAIClient wrap(OpenAIClient client) {
    return upstream.wrap(inner(client.withOptions(this::countResends)));
  }

  public OpenAIClientAsync wrap(OpenAIClientAsync client) {
    return upstream.wrap(inner(client.withOptions(this::countResends)));
  }

  private void countResends(ClientOptions.Builder options) {
    if (countResends) {
      Sleeper waits = sleeper != null ? sleeper.get() : new DefaultSleeper();
      options.sleeper(new CountingSleeper(waits));
    }
  }

  private OpenAIClient inner(OpenAIClient client) {
    return new Getters<>(client, OpenAIClient.class)
        .wrap("chat", (ChatService chat) -> inner(chat))
        .wrap("embeddings", (EmbeddingService s) -> new EmbeddingsHandler.Blocking(s, this).proxy())
        .wrap("responses", (ResponseService s) -> new ResponsesHandler.Blocking(s, this).proxy())
        .wrap("async", (OpenAIClientAsync async) -> inner(async))
        .rewrap(this::wrap)
        .proxy();
  }

  private OpenAIClientAsync inner(OpenAIClientAsync client) {
    return new Getters<>(client, OpenAIClientAsync.class)
        .wrap("chat", (ChatServiceAsync chat) -> inner(chat))
        .wrap(
            "embeddings", (EmbeddingServiceAsync s) -> new EmbeddingsHandler.Async(s, this).proxy())
        .wrap("responses", (ResponseServiceAsync s) -> new ResponsesHandler.Async(s, this).proxy())
        .wrap("sync", (OpenAIClient sync) -> inner(sync))
        .rewrap(this::wrap)
        .proxy();
  }

  private ChatService inner(ChatService chat) {
    return new Getters<>(chat, ChatService.class)
        .wrap(
            "completions",
            (ChatCompletionService s) -> new ChatCompletionsHandler.Blocking(s, this).proxy())
        .proxy();
  }

  private ChatServiceAsync inner(ChatServiceAsync chat) {
    return new Getters<>(chat, ChatServiceAsync.class)
        .wrap(
            "completions",
            (ChatCompletionServiceAsync s) -> new ChatCompletionsHandler.Async(s, this).proxy())
        .proxy();
  }

  /**
   * Whether {@code span}, current inside the instrumentation's proxy, is the span it started for
   * this call (not an enclosing span, when it decided not to start one).
   */
  static boolean isUpstreamSpan(Span span) {
    if (!span.isRecording()) {
      return false;
    }
    if (span instanceof ReadableSpan readable) {
      return readable.getInstrumentationScopeInfo().getName().startsWith(OTEL_SCOPE_PREFIX);
    }
    return true;
  }

  /** Records one content attribute, redacted, when the policy captures content. */
  void recordContent(Span span, AttributeKey<String> key, @Nullable String content) {
    if (content != null) {
      span.setAttribute(key, contentPolicy.redact(content));
    }
  }

  void recordInput(Span span, ContentJson.Input input) {
    recordContent(span, INPUT_MESSAGES, input.messages());
    recordContent(span, SYSTEM_INSTRUCTIONS, input.systemInstructions());
  }

  private static String version() {
    String version = OpenAiInstrumentation.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  /**
   * A proxy of a client or service interface whose getters ({@code chat()}, {@code completions()},
   * …) return TokenScope's proxies of what the delegate returns.
   */
  private static final class Getters<T> extends DelegatingHandler<T> {
    private final java.util.Map<String, Function<Object, Object>> getters =
        new java.util.HashMap<>();
    private @Nullable Function<T, T> rewrap;

    Getters(T delegate, Class<T> type) {
      super(delegate, type);
    }

    @SuppressWarnings("unchecked")
    <R> Getters<T> wrap(String getter, Function<R, R> wrapper) {
      getters.put(getter, value -> wrapper.apply((R) value));
      return this;
    }

    /** How to instrument what {@code withOptions} returns. */
    Getters<T> rewrap(Function<T, T> rewrap) {
      this.rewrap = rewrap;
      return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    Object handle(Object proxy, Method method, Object[] args) throws Throwable {
      if (args.length == 0) {
        Function<Object, Object> getter = getters.get(method.getName());
        if (getter != null) {
          return getter.apply(forward(method, args));
        }
      } else if (rewrap != null && is(method, "withOptions", Consumer.class)) {
        return rewrap.apply((T) forward(method, args));
      }
      return UNHANDLED;
    }
  }
}
