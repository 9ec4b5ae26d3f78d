package dev.tokenscope.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokenscope.core.internal.CostHandoff;
import dev.tokenscope.core.internal.DeliveryStats;
import dev.tokenscope.core.internal.SpanSanitizer;
import dev.tokenscope.core.internal.TokenScopeSpanExporter;
import dev.tokenscope.core.testing.InMemoryTokenScope;
import dev.tokenscope.pricing.Cost;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each span is priced once — the processor hands the cost of a span it does not own to the
 * exporter, and a span enriched right before it ends is not read again — without losing a cost on
 * export or a count in the metrics and roll-ups.
 */
class PricedOnceTest {

  private static final AttributeKey<Double> TOTAL = AttributeKey.doubleKey("gen_ai.cost.total_usd");

  private final InMemoryTokenScope scope = InMemoryTokenScope.create();

  @AfterEach
  void close() {
    scope.close();
  }

  // --- the exporter and the processor's hand-over -------------------------------------------

  private static SpanData foreignChat(String spanId) {
    return TestSpanData.builder()
        .setName("chat gpt-4o")
        .setKind(SpanKind.CLIENT)
        .setSpanContext(
            SpanContext.create(
                "0af7651916cd43dd8448eb211c80319c",
                spanId,
                TraceFlags.getSampled(),
                TraceState.getDefault()))
        .setStartEpochNanos(1)
        .setEndEpochNanos(2)
        .setHasEnded(true)
        .setStatus(StatusData.unset())
        .setAttributes(
            Attributes.builder()
                .put("gen_ai.operation.name", "chat")
                .put("gen_ai.provider.name", "openai")
                .put("gen_ai.request.model", "gpt-4o")
                .put("gen_ai.usage.input_tokens", 1_000L)
                .put("gen_ai.usage.output_tokens", 200L)
                .build())
        .setTotalAttributeCount(5)
        .build();
  }

  private static SpanData exportThrough(CostHandoff handoff, SpanData span) {
    InMemorySpanExporter delegate = InMemorySpanExporter.create();
    TokenScopeSpanExporter exporter =
        new TokenScopeSpanExporter(
            delegate,
            TestPricing.snapshot(),
            new SpanSanitizer(ContentPolicy.disabled()),
            handoff,
            new DeliveryStats(),
            2048);
    exporter.export(List.of(span));
    return delegate.getFinishedSpanItems().get(0);
  }

  @Test
  void theExporterUsesTheCostTheProcessorComputedInsteadOfPricingAgain() {
    SpanData span = foreignChat("00f067aa0ba902b7");
    CostHandoff handoff = new CostHandoff(16);
    // A cost the catalog would never give, so the test sees which one was used.
    handoff.put(
        span.getSpanContext(),
        new Cost("gpt-4o", "gpt-4o", "openai", "handed-over", true, 1, 0, 0, 2, 3));

    SpanData exported = exportThrough(handoff, span);

    assertThat(exported.getAttributes().get(TOTAL)).isEqualTo(3.0);
    assertThat(exported.getAttributes().get(AttributeKey.stringKey("gen_ai.cost.pricing_source")))
        .isEqualTo("handed-over");
    assertThat(exported.getAttributes().get(AttributeKey.stringKey("gen_ai.system")))
        .isEqualTo("openai");
    assertThat(exported.getTotalAttributeCount()).isEqualTo(exported.getAttributes().size());
  }

  @Test
  void withNothingHandedOverTheExporterPricesTheSpanItself() {
    SpanData exported = exportThrough(new CostHandoff(16), foreignChat("00f067aa0ba902b7"));

    assertThat(exported.getAttributes().get(TOTAL)).isCloseTo(0.0045, within(1e-12));
  }

  @Test
  void aCostLeftByAnotherSpanInTheSameSlotIsNotUsed() {
    CostHandoff handoff = new CostHandoff(16);
    SpanData other = foreignChat("00000000000a0001");
    handoff.put(
        other.getSpanContext(),
        new Cost("gpt-4o", "gpt-4o", "openai", "handed-over", true, 1, 0, 0, 2, 3));

    SpanData exported = exportThrough(handoff, foreignChat("00000000000b0001"));

    assertThat(exported.getAttributes().get(TOTAL)).isCloseTo(0.0045, within(1e-12));
  }

  @Test
  void everyForeignSpanLeavesWithItsOwnCost() {
    for (int i = 1; i <= 1_000; i++) {
      scope.foreignChat("gpt-4o", i, 0);
    }

    List<SpanData> spans = scope.exported();

    assertThat(spans).hasSize(1_000);
    for (SpanData span : spans) {
      long input = span.getAttributes().get(AttributeKey.longKey("gen_ai.usage.input_tokens"));
      // $2.50 per million input tokens.
      assertThat(span.getAttributes().get(TOTAL)).isCloseTo(input * 2.5e-6, within(1e-12));
    }
  }

  // --- spans enriched right before they end -------------------------------------------------

  private Tracer ownTracer() {
    return scope.tokenScope().openTelemetry().getTracer("com.example.own-instrumentation");
  }

  private Span ownChat(String model, long input, long output) {
    return ownTracer()
        .spanBuilder("chat " + model)
        .setSpanKind(SpanKind.CLIENT)
        .setAttribute("gen_ai.operation.name", "chat")
        .setAttribute("gen_ai.provider.name", "openai")
        .setAttribute("gen_ai.request.model", model)
        .setAttribute("gen_ai.usage.input_tokens", input)
        .setAttribute("gen_ai.usage.output_tokens", output)
        .startSpan();
  }

  private long tokens(String type) {
    return scope.metric("gen_ai.client.tokens").getLongSumData().getPoints().stream()
        .filter(
            p -> type.equals(p.getAttributes().get(AttributeKey.stringKey("gen_ai.token.type"))))
        .mapToLong(LongPointData::getValue)
        .sum();
  }

  private double costMetric() {
    return scope.metric("gen_ai.client.cost").getDoubleSumData().getPoints().stream()
        .mapToDouble(p -> p.getValue())
        .sum();
  }

  private List<HistogramPointData> durations() {
    return List.copyOf(
        scope.metric("gen_ai.client.operation.duration").getHistogramData().getPoints());
  }

  @Test
  void anEnrichedSpanCountsOnceInMetricsAndRollupsWithWhatWasSetAfterEnriching() {
    RollupTotals totals;
    try (EntityScope workflow = TokenScope.workflow("menu").start()) {
      Span own = ownChat("gpt-4o-mini", 1_000_000, 0);
      assertThat(InferenceSpans.enrich(own)).isNotNull();
      own.setAttribute("error.type", "timeout");
      own.end();
      scope.foreignChat("gpt-4o", 1_000, 200);
      totals = workflow.rollup();
    }

    assertThat(totals.llmCalls()).isEqualTo(2);
    assertThat(totals.inputTokens()).isEqualTo(1_001_000);
    assertThat(totals.outputTokens()).isEqualTo(200);
    assertThat(totals.costUsd()).isCloseTo(0.15 + 0.0045, within(1e-12));
    assertThat(scope.span("chat gpt-4o-mini").getAttributes().get(TOTAL))
        .isCloseTo(0.15, within(1e-12));
    assertThat(scope.span("chat gpt-4o").getAttributes().get(TOTAL))
        .isCloseTo(0.0045, within(1e-12));
    assertThat(tokens("input")).isEqualTo(1_001_000);
    assertThat(tokens("output")).isEqualTo(200);
    assertThat(costMetric()).isCloseTo(0.15 + 0.0045, within(1e-12));
    assertThat(durations()).extracting(HistogramPointData::getCount).containsOnly(1L);
    assertThat(durations())
        .extracting(p -> p.getAttributes().get(AttributeKey.stringKey("error.type")))
        .containsExactlyInAnyOrder("timeout", null);
  }

  @Test
  void spansEnrichedOneAfterTheOtherAndEndedInAnyOrderEachCountOnce() {
    Span first = ownChat("gpt-4o", 1_000, 0);
    Span second = ownChat("gpt-4o-mini", 1_000_000, 0);
    InferenceSpans.enrich(first);
    InferenceSpans.enrich(second);
    first.end();
    second.end();
    Span third = ownChat("gpt-4o", 2_000, 0);
    InferenceSpans.enrich(third);
    third.end();

    assertThat(tokens("input")).isEqualTo(1_003_000);
    assertThat(costMetric()).isCloseTo(0.0025 + 0.15 + 0.005, within(1e-12));
    assertThat(durations()).extracting(HistogramPointData::getCount).containsOnly(1L, 2L);
  }

  @Test
  void aSpanEnrichedOnOneThreadAndEndedOnAnotherCountsOnce() {
    Span span = ownChat("gpt-4o-mini", 1_000_000, 0);
    InferenceSpans.enrich(span);
    CompletableFuture.runAsync(span::end).join();
    // The enriching thread's next span ends where it was enriched.
    Span next = ownChat("gpt-4o-mini", 1_000_000, 0);
    InferenceSpans.enrich(next);
    next.end();

    assertThat(tokens("input")).isEqualTo(2_000_000);
    assertThat(costMetric()).isCloseTo(0.30, within(1e-12));
    assertThat(scope.exported())
        .extracting(s -> s.getAttributes().get(TOTAL))
        .allSatisfy(total -> assertThat(total).isCloseTo(0.15, within(1e-12)));
  }
}
