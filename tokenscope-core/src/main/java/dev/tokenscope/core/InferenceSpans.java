package dev.tokenscope.core;

import dev.tokenscope.core.internal.CostAttributes;
import dev.tokenscope.core.internal.InferenceReader;
import dev.tokenscope.core.internal.OwnSpanHandoff;
import dev.tokenscope.core.internal.Pricer;
import dev.tokenscope.core.internal.TokenScopeRuntime;
import dev.tokenscope.pricing.Cost;
import dev.tokenscope.pricing.Pricing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.trace.ReadableSpan;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * For instrumentations that create LLM-call spans themselves (TokenScope's integrations, your own
 * hand-written spans): put the cost on the span before it ends, and record content only as the
 * {@link ContentPolicy} allows. Spans you don't own get their cost from TokenScope's exporter
 * instead; either way a span is priced once.
 *
 * <pre>{@code
 * Span span = tracer.spanBuilder("chat " + model).setSpanKind(SpanKind.CLIENT)
 *     .setAttribute("gen_ai.operation.name", "chat")
 *     .setAttribute("gen_ai.provider.name", "openai")
 *     .setAttribute("gen_ai.request.model", model)
 *     .startSpan();
 * InferenceSpans.recordContent(span, TelemetryContract.GEN_AI_INPUT_MESSAGES, messagesJson);
 * ChatResponse response = client.chat(request);
 * span.setAttribute("gen_ai.usage.input_tokens", response.inputTokens());
 * span.setAttribute("gen_ai.usage.output_tokens", response.outputTokens());
 * InferenceSpans.enrich(span);   // gen_ai.cost.* from the attributes above
 * span.end();
 * }</pre>
 */
public final class InferenceSpans {

  private InferenceSpans() {}

  /**
   * Prices the call described by {@code inference} and sets the {@code gen_ai.cost.*} attributes on
   * {@code span}; call it before {@code span.end()}. An unknown model gets {@code
   * gen_ai.cost.pricing_unavailable=true}. Returns the cost, or null when nothing was set: no
   * TokenScope is installed, the span is not recording, or {@code inference} is already priced.
   * Never throws.
   */
  public static @Nullable Cost enrich(Span span, InferenceAttributes inference) {
    Objects.requireNonNull(span, "span");
    Objects.requireNonNull(inference, "inference");
    Pricing pricing = TokenScopeRuntime.active().pricing();
    if (pricing == null || !span.isRecording() || inference.alreadyPriced()) {
      return null;
    }
    try {
      Cost cost = Pricer.price(pricing, inference);
      CostAttributes.setOn(span, cost);
      // The span processor is about to see this span end: spare it reading it all again.
      OwnSpanHandoff.enriched(span, inference, cost);
      return cost;
    } catch (RuntimeException e) {
      return null;
    }
  }

  /**
   * Same as {@link #enrich(Span, InferenceAttributes)}, reading the gen_ai attributes already on
   * the span (it must be a span of the OpenTelemetry SDK). Returns null when the span carries no
   * inference.
   */
  public static @Nullable Cost enrich(Span span) {
    Objects.requireNonNull(span, "span");
    if (!(span instanceof ReadableSpan)
        || TokenScopeRuntime.active().pricing() == null
        || !span.isRecording()) {
      return null;
    }
    InferenceAttributes inference;
    try {
      inference = InferenceReader.of((ReadableSpan) span).result();
    } catch (RuntimeException e) {
      return null;
    }
    return inference == null ? null : enrich(span, inference);
  }

  /** The content policy in force (content off when no TokenScope is installed). */
  public static ContentPolicy contentPolicy() {
    return TokenScopeRuntime.active().contentPolicy();
  }

  /**
   * Sets a content attribute ({@code gen_ai.input.messages}, {@code gen_ai.output.messages}, {@code
   * gen_ai.system_instructions}) when the content policy allows it, redacted and cut as it says;
   * does nothing otherwise. Returns whether the attribute was set.
   */
  public static boolean recordContent(Span span, String key, @Nullable String content) {
    Objects.requireNonNull(span, "span");
    Objects.requireNonNull(key, "key");
    ContentPolicy policy = contentPolicy();
    if (content == null || !policy.captureContent() || !span.isRecording()) {
      return false;
    }
    try {
      span.setAttribute(AttributeKey.stringKey(key), policy.redact(content));
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
