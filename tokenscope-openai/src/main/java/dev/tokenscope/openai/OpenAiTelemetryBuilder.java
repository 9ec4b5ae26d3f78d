package dev.tokenscope.openai;

import com.openai.core.Sleeper;
import dev.tokenscope.core.ContentPolicy;
import dev.tokenscope.core.InferenceSpans;
import dev.tokenscope.openai.internal.OpenAiInstrumentation;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Objects;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Configures {@link OpenAiTelemetry}.
 *
 * <pre>{@code
 * OpenAiTelemetry telemetry = OpenAiTelemetry.builder(tokenScope)
 *     .countResends(false)          // keep the client's own Sleeper untouched
 *     .build();
 * }</pre>
 */
public final class OpenAiTelemetryBuilder {

  private final OpenTelemetry openTelemetry;
  private @Nullable ContentPolicy contentPolicy;
  private boolean countResends = true;
  private @Nullable Supplier<Sleeper> sleeper;

  OpenAiTelemetryBuilder(OpenTelemetry openTelemetry) {
    this.openTelemetry = openTelemetry;
  }

  /**
   * The content policy: with content capture on, spans carry the prompts and replies ({@code
   * gen_ai.input.messages}, {@code gen_ai.output.messages}, {@code gen_ai.system_instructions}),
   * redacted and cut as it says; with it off (the default) they carry none. Defaults to the policy
   * of the TokenScope given to {@link OpenAiTelemetry#builder(dev.tokenscope.core.TokenScope)},
   * else to the one of the TokenScope installed when {@link #build()} runs.
   */
  public OpenAiTelemetryBuilder contentPolicy(ContentPolicy contentPolicy) {
    this.contentPolicy = Objects.requireNonNull(contentPolicy, "contentPolicy");
    return this;
  }

  /**
   * Whether the SDK's resends are counted on the span ({@code http.request.resend_count}); default
   * true. The SDK waits through its {@code Sleeper} before each resend, and the SDK gives no other
   * hook per attempt, so counting replaces the wrapped client's {@code Sleeper} with one that
   * counts and then waits like the SDK's default. Set {@link #sleeper} if your client has a {@code
   * Sleeper} of its own, or turn counting off to keep it.
   */
  public OpenAiTelemetryBuilder countResends(boolean countResends) {
    this.countResends = countResends;
    return this;
  }

  /**
   * The waits between retries when resends are counted: a new {@code Sleeper} for each wrapped
   * client, which the client closes with itself. Default: the SDK's {@code DefaultSleeper}.
   */
  public OpenAiTelemetryBuilder sleeper(Supplier<Sleeper> sleeper) {
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    return this;
  }

  public OpenAiTelemetry build() {
    ContentPolicy policy = contentPolicy != null ? contentPolicy : InferenceSpans.contentPolicy();
    return new OpenAiTelemetry(
        new OpenAiInstrumentation(openTelemetry, policy, countResends, sleeper));
  }
}
