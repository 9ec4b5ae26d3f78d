package dev.tokenscope.openai;

import com.openai.client.OpenAIClient;
import com.openai.client.OpenAIClientAsync;
import dev.tokenscope.core.TokenScope;
import dev.tokenscope.openai.internal.OpenAiInstrumentation;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Objects;

/**
 * TokenScope for the official OpenAI Java SDK. {@link #wrap} returns a client of the SDK's own type
 * whose chat completions, embeddings and Responses API calls are {@code CLIENT} spans carrying the
 * GenAI attributes of TokenScope's telemetry contract, priced and counted by TokenScope.
 *
 * <pre>{@code
 * OpenAIClient openai = OpenAiTelemetry.create(tokenScope)
 *     .wrap(OpenAIOkHttpClient.fromEnv());
 * ChatCompletion reply = openai.chat().completions().create(params);   // traced, priced, counted
 * }</pre>
 *
 * <p>Chat completions and the Responses API are traced by TokenScope: with cached, cache-write and
 * reasoning tokens, the SDK's resends ({@code http.request.resend_count}), time to first chunk, and
 * content under TokenScope's content policy. Embeddings are traced by OpenTelemetry's own OpenAI
 * instrumentation ({@code opentelemetry-openai-java-1.1}), which TokenScope completes (resends,
 * {@code error.type}). The module README says why, with the measurements.
 *
 * <p>To count the SDK's retries of synchronous calls, {@link #wrap} gives the client a {@code
 * Sleeper} that counts its waits (see {@link OpenAiTelemetryBuilder#countResends}). Resends of
 * asynchronous calls are not counted: the SDK sends those requests from {@code
 * ForkJoinPool.commonPool()}, where the caller's context is gone, and has no per-call hook.
 */
public final class OpenAiTelemetry {

  private final OpenAiInstrumentation instrumentation;

  OpenAiTelemetry(OpenAiInstrumentation instrumentation) {
    this.instrumentation = instrumentation;
  }

  /** Telemetry into {@code tokenScope}'s SDK, under its content policy. */
  public static OpenAiTelemetry create(TokenScope tokenScope) {
    return builder(tokenScope).build();
  }

  /**
   * Telemetry into {@code openTelemetry}, under the content policy of the TokenScope installed in
   * it (content off when none is).
   */
  public static OpenAiTelemetry create(OpenTelemetry openTelemetry) {
    return builder(openTelemetry).build();
  }

  public static OpenAiTelemetryBuilder builder(TokenScope tokenScope) {
    Objects.requireNonNull(tokenScope, "tokenScope");
    return new OpenAiTelemetryBuilder(tokenScope.openTelemetry())
        .contentPolicy(tokenScope.contentPolicy());
  }

  public static OpenAiTelemetryBuilder builder(OpenTelemetry openTelemetry) {
    return new OpenAiTelemetryBuilder(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  /**
   * The same client, traced. Its options are kept, but for the {@code Sleeper} when resends are
   * counted; {@code withOptions}, {@code async()} and {@code sync()} of the result stay traced.
   */
  public OpenAIClient wrap(OpenAIClient client) {
    return instrumentation.wrap(Objects.requireNonNull(client, "client"));
  }

  /** Same as {@link #wrap(OpenAIClient)}, for the asynchronous client. */
  public OpenAIClientAsync wrap(OpenAIClientAsync client) {
    return instrumentation.wrap(Objects.requireNonNull(client, "client"));
  }
}
