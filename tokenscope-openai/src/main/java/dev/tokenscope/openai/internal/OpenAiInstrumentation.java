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
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What {@code OpenAiTelemetry.wrap} builds, three layers of proxies of the SDK's own interfaces:
 *
 * <ol>
 *   <li>TokenScope in front: chat completions and the Responses API, traced by TokenScope on the
 *       untraced client ({@link ChatCompletionsHandler}, {@link ResponsesHandler}), and {@code
 *       withOptions}, which returns a client wrapped the same way;
 *   <li>OpenTelemetry's OpenAI instrumentation: the spans of embeddings;
 *   <li>TokenScope inside it, where its span is current: what the instrumentation leaves out
 *       (resends, {@code error.type}), set before the instrumentation ends the span.
 * </ol>
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

  /** The server of the client this instance wraps (null: the one {@code OpenAiTelemetry} holds). */
  final @Nullable Server server;

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
    this.server = null;
  }

  /** The same instrumentation, for one client, whose spans name its {@code server}. */
  private OpenAiInstrumentation(OpenAiInstrumentation shared, @Nullable Server server) {
    this.upstream = shared.upstream;
    this.tracer = shared.tracer;
    this.contentPolicy = shared.contentPolicy;
    this.countResends = shared.countResends;
    this.sleeper = shared.sleeper;
    this.server = server;
  }

  public OpenAIClient wrap(OpenAIClient client) {
    ClientSetup setup = new ClientSetup();
    OpenAIClient untraced = client.withOptions(setup);
    OpenAiInstrumentation forClient = new OpenAiInstrumentation(this, setup.server);
    return forClient.outer(upstream.wrap(forClient.inner(untraced)), untraced);
  }

  public OpenAIClientAsync wrap(OpenAIClientAsync client) {
    ClientSetup setup = new ClientSetup();
    OpenAIClientAsync untraced = client.withOptions(setup);
    OpenAiInstrumentation forClient = new OpenAiInstrumentation(this, setup.server);
    return forClient.outer(upstream.wrap(forClient.inner(untraced)), untraced);
  }

  /** What wrapping changes in a client's options (the sleeper), and the server it reads there. */
  private final class ClientSetup implements Consumer<ClientOptions.Builder> {
    @Nullable Server server;

    @Override
    public void accept(ClientOptions.Builder options) {
      if (countResends) {
        Sleeper waits = sleeper != null ? sleeper.get() : new DefaultSleeper();
        options.sleeper(new CountingSleeper(waits));
      }
      server = Server.of(options);
    }
  }

  // In front of OpenTelemetry's instrumentation: chat completions and the Responses API, which
  // TokenScope traces itself on the untraced client, and withOptions, which keeps it all.

  private OpenAIClient outer(OpenAIClient traced, OpenAIClient untraced) {
    return new Getters<>(traced, OpenAIClient.class)
        .wrap("chat", (ChatService chat) -> outer(chat, untraced.chat()))
        .wrap("responses", (ResponseService s) -> responses(untraced))
        .wrap("async", (OpenAIClientAsync async) -> outer(async, untraced.async()))
        .rewrap(this::wrap)
        .proxy();
  }

  private OpenAIClientAsync outer(OpenAIClientAsync traced, OpenAIClientAsync untraced) {
    return new Getters<>(traced, OpenAIClientAsync.class)
        .wrap("chat", (ChatServiceAsync chat) -> outer(chat, untraced.chat()))
        .wrap("responses", (ResponseServiceAsync s) -> responses(untraced))
        .wrap("sync", (OpenAIClient sync) -> outer(sync, untraced.sync()))
        .rewrap(this::wrap)
        .proxy();
  }

  private ChatService outer(ChatService traced, ChatService untraced) {
    return new Getters<>(traced, ChatService.class)
        .wrap(
            "completions",
            (ChatCompletionService s) ->
                new ChatCompletionsHandler.Handler<>(
                        s, untraced.completions(), ChatCompletionService.class, this)
                    .proxy())
        .proxy();
  }

  private ChatServiceAsync outer(ChatServiceAsync traced, ChatServiceAsync untraced) {
    return new Getters<>(traced, ChatServiceAsync.class)
        .wrap(
            "completions",
            (ChatCompletionServiceAsync s) ->
                new ChatCompletionsHandler.Handler<>(
                        s, untraced.completions(), ChatCompletionServiceAsync.class, this)
                    .proxy())
        .proxy();
  }

  private ResponseService responses(OpenAIClient untraced) {
    return new ResponsesHandler.Handler<>(untraced.responses(), ResponseService.class, this)
        .proxy();
  }

  private ResponseServiceAsync responses(OpenAIClientAsync untraced) {
    return new ResponsesHandler.Handler<>(untraced.responses(), ResponseServiceAsync.class, this)
        .proxy();
  }

  // Inside OpenTelemetry's instrumentation, where its span is current.

  private OpenAIClient inner(OpenAIClient client) {
    return new Getters<>(client, OpenAIClient.class)
        .wrap(
            "embeddings",
            (EmbeddingService s) ->
                new EmbeddingsHandler<>(s, EmbeddingService.class, server).proxy())
        .wrap("async", (OpenAIClientAsync async) -> inner(async))
        .proxy();
  }

  private OpenAIClientAsync inner(OpenAIClientAsync client) {
    return new Getters<>(client, OpenAIClientAsync.class)
        .wrap(
            "embeddings",
            (EmbeddingServiceAsync s) ->
                new EmbeddingsHandler<>(s, EmbeddingServiceAsync.class, server).proxy())
        .wrap("sync", (OpenAIClient sync) -> inner(sync))
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
   * …) return TokenScope's proxies of what the delegate returns. The SDK's clients and services are
   * immutable, so each getter's proxy is built once, on first use: no proxy (of TokenScope's or of
   * OpenTelemetry's instrumentation, which builds them per call) is built on the request path.
   */
  private static final class Getters<T> extends DelegatingHandler<T> {
    /** By the number {@link #handle} gets: what wraps each getter's value (null: withOptions). */
    private final List<@Nullable Function<Object, Object>> wrappers = new ArrayList<>();

    private final ConcurrentHashMap<Integer, Object> built = new ConcurrentHashMap<>();
    private @Nullable Function<T, T> rewrap;

    Getters(T delegate, Class<T> type) {
      super(delegate, type);
    }

    @SuppressWarnings("unchecked")
    <R> Getters<T> wrap(String getter, Function<R, R> wrapper) {
      handles(new Signature(getter));
      wrappers.add(value -> wrapper.apply((R) value));
      return this;
    }

    /** How to instrument what {@code withOptions} returns. */
    Getters<T> rewrap(Function<T, T> rewrap) {
      handles(new Signature("withOptions", Consumer.class));
      wrappers.add(null);
      this.rewrap = rewrap;
      return this;
    }

    @Override
    @SuppressWarnings("unchecked")
    Object handle(int handled, Method method, Object[] args) throws Throwable {
      Function<Object, Object> wrapper = wrappers.get(handled);
      if (wrapper == null) {
        return Objects.requireNonNull(rewrap).apply((T) forward(method, args));
      }
      Object proxyOfGetter = built.get(handled);
      if (proxyOfGetter == null) {
        proxyOfGetter = wrapper.apply(forward(method, args));
        Object raced = built.putIfAbsent(handled, proxyOfGetter);
        if (raced != null) {
          proxyOfGetter = raced;
        }
      }
      return proxyOfGetter;
    }
  }
}
