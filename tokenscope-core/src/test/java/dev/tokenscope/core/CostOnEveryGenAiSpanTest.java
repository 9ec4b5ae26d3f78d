package dev.tokenscope.core;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokenscope.core.testing.InMemoryTokenScope;
import dev.tokenscope.pricing.Cost;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CostOnEveryGenAiSpanTest {

  private final InMemoryTokenScope scope = InMemoryTokenScope.create();

  @AfterEach
  void close() {
    scope.close();
  }

  private static double totalOf(SpanData span) {
    return span.getAttributes().get(AttributeKey.doubleKey("gen_ai.cost.total_usd"));
  }

  @Test
  void spansOfOtherInstrumentationsGetTheirCostOnExport() {
    scope.foreignChat("gpt-4o", 1_000, 200);

    SpanData span = scope.span("chat gpt-4o");

    // gpt-4o in the snapshot: $2.50 per million input tokens, $10 per million output tokens.
    assertThat(span)
        .hasAttributesSatisfying(
            equalTo(AttributeKey.doubleKey("gen_ai.cost.input_usd"), 0.0025),
            equalTo(AttributeKey.doubleKey("gen_ai.cost.output_usd"), 0.002),
            equalTo(AttributeKey.doubleKey("gen_ai.cost.cache_read_usd"), 0.0),
            equalTo(AttributeKey.doubleKey("gen_ai.cost.cache_write_usd"), 0.0),
            equalTo(AttributeKey.doubleKey("gen_ai.cost.total_usd"), 0.0045),
            equalTo(AttributeKey.stringKey("gen_ai.cost.model_resolved"), "gpt-4o"),
            equalTo(AttributeKey.stringKey("gen_ai.cost.provider"), "openai"),
            equalTo(
                AttributeKey.stringKey("gen_ai.cost.pricing_source"),
                TestPricing.snapshot().source()));
    assertThat(span.getAttributes().get(AttributeKey.booleanKey("gen_ai.cost.pricing_unavailable")))
        .isNull();
  }

  @Test
  void anthropicStyleSpansWithCacheArePricedWithCacheRates() {
    Span span =
        scope
            .foreignTracer()
            .spanBuilder("chat claude-sonnet-4-5")
            .setSpanKind(SpanKind.CLIENT)
            .setAttribute("gen_ai.operation.name", "chat")
            .setAttribute("gen_ai.system", "anthropic")
            .setAttribute("gen_ai.request.model", "claude-sonnet-4-5")
            .startSpan();
    // Input reported exclusive of cache, as Anthropic's API reports it.
    span.setAttribute("gen_ai.usage.input_tokens", 100L);
    span.setAttribute("gen_ai.usage.output_tokens", 50L);
    span.setAttribute("gen_ai.usage.cache_read_input_tokens", 10_000L);
    span.setAttribute("gen_ai.usage.cache_creation_input_tokens", 1_000L);
    span.end();

    SpanData exported = scope.span("chat claude-sonnet-4-5");

    // $3/M uncached input, $0.30/M cache read, $3.75/M cache write, $15/M output.
    assertThat(exported.getAttributes().get(AttributeKey.doubleKey("gen_ai.cost.cache_read_usd")))
        .isCloseTo(0.003, within(1e-12));
    assertThat(exported.getAttributes().get(AttributeKey.doubleKey("gen_ai.cost.cache_write_usd")))
        .isCloseTo(0.00375, within(1e-12));
    assertThat(exported.getAttributes().get(AttributeKey.doubleKey("gen_ai.cost.input_usd")))
        .isCloseTo(0.0003, within(1e-12));
    assertThat(totalOf(exported)).isCloseTo(0.0003 + 0.003 + 0.00375 + 0.00075, within(1e-12));
  }

  @Test
  void unknownModelsAreMarkedUnavailableNeverPricedAtZero() {
    scope.foreignChat("acme-llm-9000", 1_000, 200);

    SpanData span = scope.span("chat acme-llm-9000");

    assertThat(span)
        .hasAttributesSatisfying(
            equalTo(AttributeKey.booleanKey("gen_ai.cost.pricing_unavailable"), true));
    assertThat(span.getAttributes().get(AttributeKey.doubleKey("gen_ai.cost.total_usd"))).isNull();
    assertThat(span.getAttributes().get(AttributeKey.doubleKey("gen_ai.cost.input_usd"))).isNull();
    assertThat(span.getAttributes().get(AttributeKey.doubleKey("gen_ai.cost.output_usd"))).isNull();
  }

  @Test
  void spansWeOwnArePricedBeforeTheyEndAndNotPricedAgain() {
    Span span =
        scope
            .tokenScope()
            .openTelemetry()
            .getTracer("dev.tokenscope.openai")
            .spanBuilder("chat gpt-4o-mini")
            .setAttribute("gen_ai.operation.name", "chat")
            .setAttribute("gen_ai.provider.name", "openai")
            .setAttribute("gen_ai.request.model", "gpt-4o-mini")
            .setAttribute("gen_ai.usage.input_tokens", 1_000_000L)
            .setAttribute("gen_ai.usage.output_tokens", 0L)
            .startSpan();

    Cost cost = InferenceSpans.enrich(span);
    span.end();

    assertThat(cost).isNotNull();
    assertThat(cost.totalUsd()).isCloseTo(0.15, within(1e-12));
    SpanData exported = scope.span("chat gpt-4o-mini");
    assertThat(totalOf(exported)).isCloseTo(0.15, within(1e-12));
    assertThat(
            exported.getAttributes().asMap().keySet().stream()
                .filter(k -> k.getKey().startsWith("gen_ai.cost."))
                .count())
        .isEqualTo(8);
    assertThat(InferenceSpans.enrich(span)).as("already ended and priced").isNull();
  }

  @Test
  void aSpanThatAlreadyCarriesACostKeepsIt() {
    Span span =
        scope
            .foreignTracer()
            .spanBuilder("chat gpt-4o")
            .setAttribute("gen_ai.operation.name", "chat")
            .setAttribute("gen_ai.request.model", "gpt-4o")
            .setAttribute("gen_ai.usage.input_tokens", 1_000L)
            .setAttribute("gen_ai.cost.total_usd", 42.0)
            .startSpan();
    span.end();

    SpanData exported = scope.span("chat gpt-4o");

    assertThat(totalOf(exported)).isEqualTo(42.0);
    assertThat(exported.getAttributes().get(AttributeKey.doubleKey("gen_ai.cost.input_usd")))
        .isNull();
  }

  @Test
  void spansThatAreNotInferencesAreExportedUnchanged() {
    Span span =
        scope
            .foreignTracer()
            .spanBuilder("GET /menu")
            .setAttribute("http.request.method", "GET")
            .setAttribute("url.path", "/menu")
            .startSpan();
    span.end();

    SpanData exported = scope.span("GET /menu");

    assertThat(exported.getAttributes().size()).isEqualTo(2);
    assertThat(exported.getClass().getName()).doesNotContain("Sanitized");
  }

  @Test
  void spansNamingOnlyTheProviderGetTheGenAiSystemAlias() {
    scope.foreignChat("gpt-4o", 10, 5);
    Span own =
        scope
            .foreignTracer()
            .spanBuilder("chat claude")
            .setAttribute("gen_ai.provider.name", "anthropic")
            .setAttribute("gen_ai.system", "custom")
            .startSpan();
    own.end();

    assertThat(scope.span("chat gpt-4o"))
        .hasAttributesSatisfying(equalTo(AttributeKey.stringKey("gen_ai.system"), "openai"));
    // An instrumentation's own value is kept.
    assertThat(scope.span("chat claude"))
        .hasAttributesSatisfying(equalTo(AttributeKey.stringKey("gen_ai.system"), "custom"));
  }
}
