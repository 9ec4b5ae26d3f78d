package dev.tokenscope.demo.internal;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import dev.tokenscope.anthropic.AnthropicTelemetry;
import dev.tokenscope.openai.OpenAiTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import java.time.Duration;

/**
 * The official SDK clients, each wrapped with TokenScope's integration on the given OpenTelemetry
 * ({@code OpenAiTelemetry}, {@code AnthropicTelemetry}): one line per client, the client types
 * unchanged. TokenScope's processing adds cost, metrics and roll-ups to their spans.
 */
public final class ProviderClients implements AutoCloseable {

  private final OpenAIClient openAi;
  private final AnthropicClient anthropic;

  private ProviderClients(OpenAIClient openAi, AnthropicClient anthropic) {
    this.openAi = openAi;
    this.anthropic = anthropic;
  }

  public static ProviderClients create(
      OpenTelemetry openTelemetry, Endpoint openAiEndpoint, Endpoint anthropicEndpoint) {
    OpenAIClient openAi =
        OpenAIOkHttpClient.builder()
            .baseUrl(openAiEndpoint.baseUrl())
            .apiKey(openAiEndpoint.apiKey())
            .timeout(Duration.ofSeconds(120))
            .build();
    AnthropicClient anthropic =
        AnthropicOkHttpClient.builder()
            .baseUrl(anthropicEndpoint.baseUrl())
            .apiKey(anthropicEndpoint.apiKey())
            .timeout(Duration.ofSeconds(120))
            .build();
    return new ProviderClients(
        OpenAiTelemetry.create(openTelemetry).wrap(openAi),
        AnthropicTelemetry.create(openTelemetry).wrap(anthropic));
  }

  public OpenAIClient openAi() {
    return openAi;
  }

  public AnthropicClient anthropic() {
    return anthropic;
  }

  @Override
  public void close() {
    openAi.close();
    anthropic.close();
  }

  /** Where a provider is reached. */
  public record Endpoint(String baseUrl, String apiKey, boolean simulated) {}
}
