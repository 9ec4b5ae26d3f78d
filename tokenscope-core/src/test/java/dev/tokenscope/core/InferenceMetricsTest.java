package dev.tokenscope.core;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokenscope.core.testing.InMemoryTokenScope;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.metrics.data.DoublePointData;
import io.opentelemetry.sdk.metrics.data.HistogramPointData;
import io.opentelemetry.sdk.metrics.data.LongPointData;
import io.opentelemetry.sdk.metrics.data.MetricData;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InferenceMetricsTest {

  private final InMemoryTokenScope scope = InMemoryTokenScope.create();

  @AfterEach
  void close() {
    scope.close();
  }

  private static long tokens(MetricData tokens, String type) {
    return tokens.getLongSumData().getPoints().stream()
        .filter(
            p -> type.equals(p.getAttributes().get(AttributeKey.stringKey("gen_ai.token.type"))))
        .mapToLong(LongPointData::getValue)
        .sum();
  }

  @Test
  void costAndTokensAreCountedPerModelAndTokenType() {
    scope.foreignChat("gpt-4o", 1_000, 200);
    scope.foreignChat("gpt-4o", 3_000, 800);
    scope.foreignChat("gpt-4o-mini", 500, 100);

    MetricData cost = scope.metric("gen_ai.client.cost");
    assertThat(cost).hasUnit("USD");
    List<DoublePointData> points = List.copyOf(cost.getDoubleSumData().getPoints());
    assertThat(points).hasSize(2);
    DoublePointData gpt4o =
        points.stream()
            .filter(
                p ->
                    "gpt-4o"
                        .equals(
                            p.getAttributes().get(AttributeKey.stringKey("gen_ai.response.model"))))
            .findFirst()
            .orElseThrow();
    assertThat(gpt4o.getValue()).isCloseTo(0.0045 + 0.0155, within(1e-12));
    assertThat(gpt4o.getAttributes())
        .isEqualTo(
            Attributes.builder()
                .put("gen_ai.operation.name", "chat")
                .put("gen_ai.provider.name", "openai")
                .put("gen_ai.response.model", "gpt-4o")
                .build());

    MetricData tokens = scope.metric("gen_ai.client.tokens");
    assertThat(tokens).hasUnit("{token}");
    assertThat(tokens(tokens, "input")).isEqualTo(4_500);
    assertThat(tokens(tokens, "output")).isEqualTo(1_100);
    assertThat(tokens(tokens, "cache_read")).isZero();
  }

  @Test
  void everyTokenTypeIsCounted() {
    Span span =
        scope
            .foreignTracer()
            .spanBuilder("chat o3-mini")
            .setAttribute("gen_ai.operation.name", "chat")
            .setAttribute("gen_ai.provider.name", "openai")
            .setAttribute("gen_ai.request.model", "o3-mini")
            .setAttribute("gen_ai.usage.input_tokens", 1_000L)
            .setAttribute("gen_ai.usage.cache_read.input_tokens", 600L)
            .setAttribute("gen_ai.usage.cache_write.input_tokens", 100L)
            .setAttribute("gen_ai.usage.output_tokens", 400L)
            .setAttribute("gen_ai.usage.reasoning.output_tokens", 300L)
            .startSpan();
    span.end();

    MetricData tokens = scope.metric("gen_ai.client.tokens");
    assertThat(tokens(tokens, "input")).isEqualTo(1_000);
    assertThat(tokens(tokens, "cache_read")).isEqualTo(600);
    assertThat(tokens(tokens, "cache_write")).isEqualTo(100);
    assertThat(tokens(tokens, "output")).isEqualTo(400);
    assertThat(tokens(tokens, "reasoning")).isEqualTo(300);
  }

  @Test
  void semanticConventionHistogramsUseTheConventionsBuckets() {
    scope.foreignChat("gpt-4o", 1_000, 200);

    MetricData duration = scope.metric("gen_ai.client.operation.duration");
    assertThat(duration).hasUnit("s");
    HistogramPointData point = duration.getHistogramData().getPoints().iterator().next();
    assertThat(point.getBoundaries())
        .containsExactly(
            0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
    assertThat(point.getCount()).isEqualTo(1);
    assertThat(point.getAttributes())
        .isEqualTo(
            Attributes.builder()
                .put("gen_ai.operation.name", "chat")
                .put("gen_ai.provider.name", "openai")
                .put("gen_ai.request.model", "gpt-4o")
                .build());

    MetricData usage = scope.metric("gen_ai.client.token.usage");
    assertThat(usage).hasUnit("{token}");
    List<HistogramPointData> usagePoints = List.copyOf(usage.getHistogramData().getPoints());
    assertThat(usagePoints).hasSize(2);
    assertThat(usagePoints.get(0).getBoundaries())
        .containsExactly(
            1.0,
            4.0,
            16.0,
            64.0,
            256.0,
            1024.0,
            4096.0,
            16384.0,
            65536.0,
            262144.0,
            1048576.0,
            4194304.0,
            16777216.0,
            67108864.0);
    assertThat(usagePoints.stream().mapToDouble(HistogramPointData::getSum).sum())
        .isEqualTo(1_200.0);
  }

  @Test
  void errorsCarryErrorTypeOnTheDurationHistogram() {
    Span span =
        scope
            .foreignTracer()
            .spanBuilder("chat gpt-4o")
            .setAttribute("gen_ai.operation.name", "chat")
            .setAttribute("gen_ai.provider.name", "openai")
            .setAttribute("gen_ai.request.model", "gpt-4o")
            .setAttribute("error.type", "rate_limit_exceeded")
            .startSpan();
    span.end();

    HistogramPointData point =
        scope
            .metric("gen_ai.client.operation.duration")
            .getHistogramData()
            .getPoints()
            .iterator()
            .next();
    assertThat(point.getAttributes().get(AttributeKey.stringKey("error.type")))
        .isEqualTo("rate_limit_exceeded");
  }

  @Test
  void unpricedCallsAreCountedAndAddNoCost() {
    scope.foreignChat("acme-llm-9000", 1_000, 200);
    scope.foreignChat("acme-llm-9000", 1_000, 200);

    assertThat(scope.metric("gen_ai.client.unpriced_calls"))
        .hasLongSumSatisfying(
            sum ->
                sum.isMonotonic()
                    .hasPointsSatisfying(
                        p ->
                            p.hasValue(2)
                                .hasAttributesSatisfyingExactly(
                                    equalTo(
                                        AttributeKey.stringKey("gen_ai.provider.name"), "openai"),
                                    equalTo(
                                        AttributeKey.stringKey("gen_ai.response.model"),
                                        "acme-llm-9000"))));
    assertThat(scope.findMetric("gen_ai.client.cost")).isEmpty();
  }

  @Test
  void workflowNamesOnCostMetricsAreBounded() {
    InMemoryTokenScope bounded =
        InMemoryTokenScope.create(b -> b.property("tokenscope.metrics.workflow.limit", "2"));
    try {
      for (String name : List.of("a", "b", "c", "d")) {
        TokenScope.workflow(name).run(() -> bounded.foreignChat("gpt-4o", 10, 10));
      }
      List<String> workflows =
          bounded.metric("gen_ai.client.cost").getDoubleSumData().getPoints().stream()
              .map(p -> p.getAttributes().get(AttributeKey.stringKey("tokenscope.workflow")))
              .sorted()
              .toList();
      assertThat(workflows).containsExactly("_other", "a", "b");
    } finally {
      bounded.close();
    }
  }
}
