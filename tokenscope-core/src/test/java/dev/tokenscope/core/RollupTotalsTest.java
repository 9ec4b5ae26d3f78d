package dev.tokenscope.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.tokenscope.core.testing.InMemoryTokenScope;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RollupTotalsTest {

  private final InMemoryTokenScope scope = InMemoryTokenScope.create();

  @AfterEach
  void close() {
    scope.close();
  }

  @Test
  void aWorkflowScopeReportsTheSameTotalsItsSpanCarries() {
    RollupTotals totals;
    try (EntityScope workflow = TokenScope.workflow("menu").start()) {
      TokenScope.task("draft").run(() -> scope.foreignChat("gpt-4o-mini", 1000, 200));
      scope.foreignChat("gpt-4o-mini", 500, 100);
      scope.foreignChat("acme-unknown-model", 10, 10);
      totals = workflow.rollup();
    }

    assertThat(totals).isNotNull();
    assertThat(totals.llmCalls()).isEqualTo(3);
    assertThat(totals.unpricedCalls()).isEqualTo(1);
    assertThat(totals.inputTokens()).isEqualTo(1510);
    assertThat(totals.outputTokens()).isEqualTo(310);
    assertThat(totals.totalTokens()).isEqualTo(1820);
    SpanData span = scope.span("menu.workflow");
    assertThat(totals.costUsd())
        .isPositive()
        .isCloseTo(
            span.getAttributes().get(AttributeKey.doubleKey("tokenscope.rollup.cost_usd")),
            within(1e-12));
  }

  @Test
  void otherEntitiesHaveNoRollup() {
    try (EntityScope task = TokenScope.task("draft").start()) {
      assertThat(task.rollup()).isNull();
    }
  }
}
