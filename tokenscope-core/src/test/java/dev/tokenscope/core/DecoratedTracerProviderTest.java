package dev.tokenscope.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenscope.core.internal.DecoratedTracerProvider;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class DecoratedTracerProviderTest {

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final SdkTracerProvider sdk =
      SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(spans)).build();

  @Test
  void aForcedKindWinsOverTheKindTheInstrumentationAsksFor() {
    DecoratedTracerProvider provider =
        new DecoratedTracerProvider(sdk, SpanKind.CLIENT, UnaryOperator.identity());

    provider.get("lib").spanBuilder("a").setSpanKind(SpanKind.INTERNAL).startSpan().end();
    provider.get("lib", "1.0").spanBuilder("b").startSpan().end();
    provider
        .tracerBuilder("lib")
        .setInstrumentationVersion("2.0")
        .build()
        .spanBuilder("c")
        .startSpan()
        .end();

    assertThat(spans.getFinishedSpanItems())
        .extracting(SpanData::getKind)
        .containsExactly(SpanKind.CLIENT, SpanKind.CLIENT, SpanKind.CLIENT);
    assertThat(spans.getFinishedSpanItems().get(2).getInstrumentationScopeInfo().getVersion())
        .isEqualTo("2.0");
  }

  @Test
  void withoutAForcedKindTheInstrumentationsKindStaysAndStartedSpansAreDecorated() {
    AtomicInteger decorated = new AtomicInteger();
    DecoratedTracerProvider provider =
        new DecoratedTracerProvider(
            sdk,
            null,
            span -> {
              decorated.incrementAndGet();
              return span;
            });

    Span span =
        provider
            .get("lib")
            .spanBuilder("a")
            .setSpanKind(SpanKind.PRODUCER)
            .setAttribute("k", "v")
            .startSpan();
    span.end();

    assertThat(decorated).hasValue(1);
    SpanData data = spans.getFinishedSpanItems().get(0);
    assertThat(data.getKind()).isEqualTo(SpanKind.PRODUCER);
    assertThat(data.getAttributes().asMap()).hasSize(1);
  }

  @Test
  void aTracerAskedForAgainIsTheSameTracer() {
    DecoratedTracerProvider provider =
        new DecoratedTracerProvider(sdk, SpanKind.CLIENT, UnaryOperator.identity());

    assertThat(provider.get("lib", "1.0")).isSameAs(provider.get("lib", "1.0"));
    assertThat(provider.get("lib")).isSameAs(provider.get("lib"));
    assertThat(provider.get("lib", "2.0")).isNotSameAs(provider.get("lib", "1.0"));
    assertThat(provider.get("other", "1.0")).isNotSameAs(provider.get("lib", "1.0"));

    provider.get("lib", "2.0").spanBuilder("v2").startSpan().end();
    assertThat(spans.getFinishedSpanItems().get(0).getInstrumentationScopeInfo().getVersion())
        .isEqualTo("2.0");
  }
}
