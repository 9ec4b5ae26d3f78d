package dev.tokenscope.core;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;

/**
 * The span another instrumentation (an LLM SDK's built-in tracing, a hand-written span) leaves for
 * one OpenAI chat call: operation, provider and model at start, usage at the end.
 */
final class FakeLlmCall {

  static void chat(Tracer tracer, String model, long input, long output) {
    Span span =
        tracer
            .spanBuilder("chat " + model)
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute("gen_ai.operation.name", "chat")
            .setAttribute("gen_ai.provider.name", "openai")
            .setAttribute("gen_ai.request.model", model)
            .startSpan();
    span.setAttribute(AttributeKey.longKey("gen_ai.usage.input_tokens"), input);
    span.setAttribute(AttributeKey.longKey("gen_ai.usage.output_tokens"), output);
    span.end();
  }

  private FakeLlmCall() {}
}
