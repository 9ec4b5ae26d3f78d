package dev.tokenscope.anthropic;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.AnthropicClientAsync;
import com.anthropic.core.opentelemetry.OpenTelemetryOptions;
import dev.tokenscope.core.TokenScope;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Objects;

/**
 * TokenScope for the official Anthropic Java SDK: turns on the SDK's own OpenTelemetry tracing (one
 * {@code CLIENT} span per API call, {@code anthropic.messages.create} and the others, with {@code
 * gen_ai.*} attributes, retries, streams and errors) and points it at TokenScope's tracer provider
 * and content policy. TokenScope's processing adds what the SDK leaves out: the {@code
 * gen_ai.system} alias, cost, metrics, workflow roll-ups and redaction.
 *
 * <pre>{@code
 * AnthropicClient claude = AnthropicTelemetry.create(tokenScope)
 *     .wrap(AnthropicOkHttpClient.fromEnv());
 * Message reply = claude.messages().create(params);   // traced, priced, counted
 * }</pre>
 *
 * <p>{@link #wrap} returns a client of the SDK's own type, configured through the SDK's {@code
 * withOptions}, so the code that uses it does not change. Clients built by hand can take {@link
 * #openTelemetryOptions()} instead: {@code AnthropicOkHttpClient.builder().openTelemetry(
 * telemetry.openTelemetryOptions())}.
 */
public final class AnthropicTelemetry {

  private final OpenTelemetryOptions options;

  AnthropicTelemetry(OpenTelemetryOptions options) {
    this.options = options;
  }

  /** Telemetry into {@code tokenScope}'s SDK, under its content policy. */
  public static AnthropicTelemetry create(TokenScope tokenScope) {
    return builder(tokenScope).build();
  }

  /**
   * Telemetry into {@code openTelemetry}, under the content policy of the TokenScope installed in
   * it (content off when none is).
   */
  public static AnthropicTelemetry create(OpenTelemetry openTelemetry) {
    return builder(openTelemetry).build();
  }

  public static AnthropicTelemetryBuilder builder(TokenScope tokenScope) {
    Objects.requireNonNull(tokenScope, "tokenScope");
    return new AnthropicTelemetryBuilder(tokenScope.openTelemetry())
        .contentPolicy(tokenScope.contentPolicy());
  }

  public static AnthropicTelemetryBuilder builder(OpenTelemetry openTelemetry) {
    return new AnthropicTelemetryBuilder(Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  /**
   * The same client with the SDK's tracing on and wired to TokenScope. Other options of {@code
   * client} (base URL, retries, timeouts, provider name of a Bedrock or Vertex client) are kept.
   */
  public AnthropicClient wrap(AnthropicClient client) {
    Objects.requireNonNull(client, "client");
    return client.withOptions(builder -> builder.openTelemetry(options));
  }

  /** Same as {@link #wrap(AnthropicClient)}, for the asynchronous client. */
  public AnthropicClientAsync wrap(AnthropicClientAsync client) {
    Objects.requireNonNull(client, "client");
    return client.withOptions(builder -> builder.openTelemetry(options));
  }

  /** The SDK option this telemetry sets, for clients built by hand. */
  public OpenTelemetryOptions openTelemetryOptions() {
    return options;
  }

  @Override
  public String toString() {
    return "AnthropicTelemetry{" + options + "}";
  }
}
