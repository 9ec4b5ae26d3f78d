package dev.tokenscope.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenscope.core.InferenceAttributes;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.trace.ReadWriteSpan;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The typed fast path over a live span reads exactly what a full copy of its attributes reads. */
class LiveSpanReadingTest {

  static Stream<Attributes> variants() {
    return Stream.of(
        Attributes.builder()
            .put("gen_ai.operation.name", "chat")
            .put("gen_ai.provider.name", "openai")
            .put("gen_ai.request.model", "gpt-4o")
            .put("gen_ai.usage.input_tokens", 1200L)
            .put("gen_ai.usage.output_tokens", 300L)
            .put("gen_ai.usage.cache_read.input_tokens", 1000L)
            .build(),
        // Micrometer-bridged (Spring AI): every value is text.
        Attributes.builder()
            .put("gen_ai.operation.name", "chat")
            .put("gen_ai.system", "openai")
            .put("gen_ai.request.model", "gpt-4o")
            .put("gen_ai.usage.input_tokens", "17")
            .put("gen_ai.usage.output_tokens", "4")
            .put("gen_ai.usage.total_tokens", "21")
            .build(),
        // OpenLLMetry-style with old names and doubles.
        Attributes.builder()
            .put("llm.request.type", "chat")
            .put("gen_ai.system", "Anthropic")
            .put("gen_ai.request.model", "claude-sonnet-4-5")
            .put("gen_ai.usage.prompt_tokens", 100L)
            .put("gen_ai.usage.completion_tokens", 20L)
            .put("gen_ai.usage.cache_read_input_tokens", 500L)
            .build(),
        Attributes.builder()
            .put("gen_ai.request.model", "gpt-4o")
            .put("gen_ai.cost.total_usd", 0.5)
            .put("gen_ai.usage.input_tokens", 10L)
            .build(),
        // Current and older names side by side: the current ones win on both paths.
        Attributes.builder()
            .put("gen_ai.operation.name", "chat")
            .put("llm.request.type", "completion")
            .put("gen_ai.provider.name", "anthropic")
            .put("gen_ai.system", "openai")
            .put("gen_ai.request.model", "claude-sonnet-4-5")
            .put("gen_ai.usage.input_tokens", 10L)
            .put("gen_ai.usage.prompt_tokens", 99L)
            .put("gen_ai.usage.total_tokens", 500L)
            .put("gen_ai.usage.output_tokens", 5L)
            .put("gen_ai.usage.completion_tokens", 77L)
            .put("gen_ai.usage.cache_write.input_tokens", 2L)
            .put("gen_ai.usage.cache_creation.input_tokens", 8L)
            .put("gen_ai.usage.cache_creation_input_tokens", 9L)
            .put("gen_ai.usage.reasoning.output_tokens", 1L)
            .put("gen_ai.usage.reasoning_tokens", 3L)
            .build(),
        Attributes.builder().put("gen_ai.operation.name", "chat").build(),
        Attributes.builder().put("http.request.method", "GET").put("url.path", "/").build(),
        Attributes.builder()
            .put("gen_ai.operation.name", "invoke_agent")
            .put("gen_ai.usage.input_tokens", 5L)
            .build(),
        Attributes.builder()
            .put(AttributeKey.doubleKey("gen_ai.usage.input_tokens"), 12.0)
            .put("gen_ai.request.model", "m")
            .build());
  }

  @ParameterizedTest
  @MethodSource("variants")
  void fastPathMatchesFullCopy(Attributes attributes) {
    ReadableSpan[] ended = new ReadableSpan[1];
    try (SdkTracerProvider provider =
        SdkTracerProvider.builder().addSpanProcessor(new Capture(ended)).build()) {
      provider.get("t").spanBuilder("s").setAllAttributes(attributes).startSpan().end();
    }

    InferenceAttributes fast = InferenceReader.of(ended[0]).result();
    InferenceAttributes full = InferenceAttributes.read(ended[0].getAttributes());

    assertThat(fast).isEqualTo(full);
  }

  private static final class Capture implements SpanProcessor {
    private final ReadableSpan[] into;

    Capture(ReadableSpan[] into) {
      this.into = into;
    }

    @Override
    public void onStart(Context parentContext, ReadWriteSpan span) {}

    @Override
    public boolean isStartRequired() {
      return false;
    }

    @Override
    public void onEnd(ReadableSpan span) {
      into[0] = span;
    }

    @Override
    public boolean isEndRequired() {
      return true;
    }
  }
}
