package dev.tokenscope.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokenscope.core.testing.InMemoryTokenScope;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExactUnderSamplingTest {

  private static final int CALLS = 400;

  @Test
  void countersEqualTheSumOverAllCallsAtTenPercentSampling() {
    try (InMemoryTokenScope scope =
        InMemoryTokenScope.create(
            b ->
                b.property("otel.traces.sampler", "traceidratio")
                    .property("otel.traces.sampler.arg", "0.1"))) {
      long expectedInput = 0;
      long expectedOutput = 0;
      for (int i = 0; i < CALLS; i++) {
        long input = 100 + i;
        long output = 10 + i % 7;
        expectedInput += input;
        expectedOutput += output;
        scope.foreignChat("gpt-4o", input, output);
      }
      // gpt-4o: $2.50 / M input, $10 / M output.
      double expectedCost = expectedInput * 2.5e-6 + expectedOutput * 1e-5;

      List<SpanData> exported = scope.exported();
      double cost =
          scope.metric("gen_ai.client.cost").getDoubleSumData().getPoints().stream()
              .mapToDouble(DoublePointData::getValue)
              .sum();
      long input = tokens(scope, "input");
      long output = tokens(scope, "output");

      assertThat(cost).isCloseTo(expectedCost, within(1e-9));
      assertThat(input).isEqualTo(expectedInput);
      assertThat(output).isEqualTo(expectedOutput);
      // Only sampled spans leave the process: about 10%, far fewer than all.
      assertThat(exported.size()).isBetween(5, CALLS / 4);
      assertThat(exported)
          .allSatisfy(span -> assertThat(span.getSpanContext().isSampled()).isTrue());
      // ... and the exported ones still carry their cost.
      assertThat(exported)
          .allSatisfy(
              span ->
                  assertThat(
                          span.getAttributes().get(AttributeKey.doubleKey("gen_ai.cost.total_usd")))
                      .isPositive());
    }
  }

  @Test
  void workflowRollupsCountSampledOutCalls() {
    try (InMemoryTokenScope scope =
        InMemoryTokenScope.create(b -> b.property("otel.traces.sampler", "always_off"))) {
      TokenScope.workflow("menu")
          .run(
              () -> {
                for (int i = 0; i < 10; i++) {
                  scope.foreignChat("gpt-4o", 1_000, 100);
                }
              });

      assertThat(scope.exported()).isEmpty();
      assertThat(tokens(scope, "input")).isEqualTo(10_000);
    }
  }

  @Test
  void recordingUnsampledSpansCanBeTurnedOff() {
    try (InMemoryTokenScope scope =
        InMemoryTokenScope.create(
            b ->
                b.property("otel.traces.sampler", "always_off")
                    .property("tokenscope.record.unsampled", "false"))) {
      scope.foreignChat("gpt-4o", 1_000, 100);

      assertThat(scope.findMetric("gen_ai.client.tokens")).isEmpty();
    }
  }

  private static long tokens(InMemoryTokenScope scope, String type) {
    return scope.metric("gen_ai.client.tokens").getLongSumData().getPoints().stream()
        .filter(
            p -> type.equals(p.getAttributes().get(AttributeKey.stringKey("gen_ai.token.type"))))
        .mapToLong(LongPointData::getValue)
        .sum();
  }
}
