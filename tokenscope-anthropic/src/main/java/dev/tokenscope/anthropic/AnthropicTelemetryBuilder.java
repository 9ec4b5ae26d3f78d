package dev.tokenscope.anthropic;

import com.anthropic.core.opentelemetry.OpenTelemetryContentMode;
import com.anthropic.core.opentelemetry.OpenTelemetryOptions;
import com.anthropic.core.opentelemetry.OpenTelemetryTraces;
import dev.tokenscope.anthropic.internal.FinishReasonSpan;
import dev.tokenscope.core.ContentPolicy;
import dev.tokenscope.core.InferenceSpans;
import dev.tokenscope.core.internal.DecoratedTracerProvider;
import io.opentelemetry.api.OpenTelemetry;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Configures {@link AnthropicTelemetry}.
 *
 * <pre>{@code
 * AnthropicTelemetry telemetry = AnthropicTelemetry.builder(tokenScope)
 *     .propagation(true)         // the base URL is a traced gateway that joins the trace
 *     .build();
 * }</pre>
 */
public final class AnthropicTelemetryBuilder {

  private final OpenTelemetry openTelemetry;
  private @Nullable ContentPolicy contentPolicy;
  private boolean propagation;

  AnthropicTelemetryBuilder(OpenTelemetry openTelemetry) {
    this.openTelemetry = openTelemetry;
  }

  /**
   * The content policy the SDK's spans follow: with content capture on, the SDK records prompts and
   * replies ({@code gen_ai.input.messages}, {@code gen_ai.output.messages}, {@code
   * gen_ai.system_instructions}) within {@link ContentPolicy#maxLength()} bytes, and TokenScope's
   * exporter redacts them; with it off (the default) the SDK records none. Defaults to the policy
   * of the TokenScope given to {@link AnthropicTelemetry#builder(dev.tokenscope.core.TokenScope)},
   * else to the one of the TokenScope installed when {@link #build()} runs.
   */
  public AnthropicTelemetryBuilder contentPolicy(ContentPolicy contentPolicy) {
    this.contentPolicy = Objects.requireNonNull(contentPolicy, "contentPolicy");
    return this;
  }

  /**
   * Whether the SDK sends the trace context of each call's span with its requests (the global
   * propagators' headers: W3C {@code traceparent}, and {@code baggage} with the application's
   * baggage). Default false, unlike the SDK: an LLM provider's API does not join the application's
   * traces, the application's baggage is not the provider's business, and injecting costs a copy of
   * the request's headers on every call (about 3.5 % of the calling thread's CPU per call, measured
   * in {@code SdkCallOverheadBenchmark.anthropicPropagation}). Turn it on when the base URL is a
   * gateway of your own that is traced and should join the trace. An HTTP client instrumentation,
   * when there is one, propagates either way.
   */
  public AnthropicTelemetryBuilder propagation(boolean propagation) {
    this.propagation = propagation;
    return this;
  }

  public AnthropicTelemetry build() {
    ContentPolicy policy = contentPolicy != null ? contentPolicy : InferenceSpans.contentPolicy();
    OpenTelemetryTraces.Builder traces = OpenTelemetryTraces.builder().enabled(true);
    if (policy.captureContent()) {
      // The SDK fits all content of a span into this many UTF-8 bytes by dropping the oldest
      // messages and cutting text, so what it records stays valid JSON and within the policy's
      // length; TokenScope's exporter then redacts it.
      traces.contentMode(OpenTelemetryContentMode.CONTENT).maxContentBytes(policy.maxLength());
    } else {
      traces.contentMode(OpenTelemetryContentMode.METADATA_ONLY);
    }
    return new AnthropicTelemetry(
        OpenTelemetryOptions.builder()
            .tracerProvider(
                new DecoratedTracerProvider(
                    openTelemetry.getTracerProvider(), null, FinishReasonSpan::new))
            .propagation(propagation)
            .traces(traces.build())
            .build());
  }
}
