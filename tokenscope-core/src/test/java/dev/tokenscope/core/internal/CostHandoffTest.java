package dev.tokenscope.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenscope.pricing.Cost;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.Test;

class CostHandoffTest {

  private static final String TRACE_ID = "0af7651916cd43dd8448eb211c80319c";

  private static SpanContext span(String spanId) {
    return SpanContext.create(TRACE_ID, spanId, TraceFlags.getSampled(), TraceState.getDefault());
  }

  private static Cost cost(double total) {
    return new Cost("gpt-4o", "gpt-4o", "openai", "test", true, total, 0, 0, 0, total);
  }

  @Test
  void theCostPutForASpanIsFoundByItsContextOrAnEqualCopy() {
    CostHandoff handoff = new CostHandoff(16);
    SpanContext context = span("00f067aa0ba902b7");
    Cost cost = cost(1.5);

    handoff.put(context, cost);

    assertThat(handoff.get(context)).isSameAs(cost);
    assertThat(handoff.get(span("00f067aa0ba902b7"))).isSameAs(cost);
    assertThat(handoff.get(span("00f067aa0ba902b8"))).isNull();
  }

  @Test
  void aSpanWhoseSlotWasTakenByAnotherGetsNothingNotTheOtherSpansCost() {
    CostHandoff handoff = new CostHandoff(16);
    // The same low hex digits: the same slot of a 512-slot table.
    SpanContext first = span("00000000000a0001");
    SpanContext second = span("00000000000b0001");

    handoff.put(first, cost(1));
    handoff.put(second, cost(2));

    assertThat(handoff.get(first)).isNull();
    assertThat(handoff.get(second).totalUsd()).isEqualTo(2);
  }

  @Test
  void aSpanOfAnotherTraceWithTheSameSpanIdGetsNothing() {
    CostHandoff handoff = new CostHandoff(16);
    handoff.put(span("00f067aa0ba902b7"), cost(1));

    SpanContext otherTrace =
        SpanContext.create(
            "11111111111111111111111111111111",
            "00f067aa0ba902b7",
            TraceFlags.getSampled(),
            TraceState.getDefault());

    assertThat(handoff.get(otherTrace)).isNull();
  }

  @Test
  void theTableIsAPowerOfTwoAtLeastTwiceWhatCanBeInFlightAndBounded() {
    assertThat(new CostHandoff(1).capacity()).isEqualTo(512);
    assertThat(new CostHandoff(2048).capacity()).isEqualTo(4096);
    assertThat(new CostHandoff(3000).capacity()).isEqualTo(8192);
    assertThat(new CostHandoff(10_000_000).capacity()).isEqualTo(65536);
  }
}
