package dev.tokenscope.core;

import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.assertThat;
import static io.opentelemetry.sdk.testing.assertj.OpenTelemetryAssertions.equalTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.tokenscope.core.testing.InMemoryTokenScope;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkflowStructureTest {

  private final InMemoryTokenScope scope = InMemoryTokenScope.create();

  @AfterEach
  void close() {
    scope.close();
  }

  private static String string(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.stringKey(key));
  }

  private static Long number(SpanData span, String key) {
    return span.getAttributes().get(AttributeKey.longKey(key));
  }

  @Test
  void structureSpansAreNamedAndAttributedAsOpenLlmetryDoes() {
    TokenScope.workflow("menu_designer")
        .run(
            () ->
                TokenScope.agent("chef")
                    .run(
                        () -> {
                          TokenScope.task("draft").run(() -> {});
                          TokenScope.tool("inventory").run(() -> {});
                        }));

    assertThat(scope.span("menu_designer.workflow"))
        .hasKind(SpanKind.INTERNAL)
        .hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("traceloop.span.kind"), "workflow"),
            equalTo(AttributeKey.stringKey("traceloop.workflow.name"), "menu_designer"),
            equalTo(AttributeKey.stringKey("traceloop.entity.name"), "menu_designer"),
            equalTo(AttributeKey.stringKey("traceloop.entity.path"), "menu_designer"),
            equalTo(AttributeKey.stringKey("gen_ai.operation.name"), "invoke_workflow"));
    assertThat(scope.span("chef.agent"))
        .hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("traceloop.span.kind"), "agent"),
            equalTo(AttributeKey.stringKey("gen_ai.agent.name"), "chef"),
            equalTo(AttributeKey.stringKey("gen_ai.operation.name"), "invoke_agent"),
            equalTo(AttributeKey.stringKey("traceloop.workflow.name"), "menu_designer"),
            equalTo(AttributeKey.stringKey("traceloop.entity.path"), "menu_designer.chef"));
    assertThat(scope.span("draft.task"))
        .hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("traceloop.span.kind"), "task"),
            equalTo(AttributeKey.stringKey("traceloop.entity.name"), "draft"),
            equalTo(AttributeKey.stringKey("traceloop.entity.path"), "menu_designer.chef.draft"));
    assertThat(string(scope.span("draft.task"), "gen_ai.operation.name")).isNull();
    assertThat(scope.span("inventory.tool"))
        .hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("traceloop.span.kind"), "tool"),
            equalTo(AttributeKey.stringKey("gen_ai.tool.name"), "inventory"),
            equalTo(AttributeKey.stringKey("gen_ai.operation.name"), "execute_tool"));
    SpanData workflow = scope.span("menu_designer.workflow");
    assertThat(scope.span("chef.agent").getParentSpanId()).isEqualTo(workflow.getSpanId());
    assertThat(scope.span("draft.task").getParentSpanId())
        .isEqualTo(scope.span("chef.agent").getSpanId());
  }

  @Test
  void workflowSpansCarryRollupsOfEveryCallUnderThem() {
    TokenScope.workflow("menu")
        .run(
            () -> {
              scope.foreignChat("gpt-4o", 1_000, 200);
              TokenScope.task("refine").run(() -> scope.foreignChat("gpt-4o", 3_000, 800));
              scope.foreignChat("acme-llm-9000", 50, 5);
            });

    SpanData workflow = scope.span("menu.workflow");
    assertThat(workflow.getAttributes().get(AttributeKey.doubleKey("tokenscope.rollup.cost_usd")))
        .isCloseTo(0.0045 + 0.0155, within(1e-12));
    assertThat(number(workflow, "tokenscope.rollup.input_tokens")).isEqualTo(4_050);
    assertThat(number(workflow, "tokenscope.rollup.output_tokens")).isEqualTo(1_005);
    assertThat(number(workflow, "tokenscope.rollup.llm_calls")).isEqualTo(3);
    assertThat(number(workflow, "tokenscope.rollup.unpriced_calls")).isEqualTo(1);
    // Roll-ups use their own names: summing gen_ai.cost.total_usd never counts a call twice.
    assertThat(workflow.getAttributes().get(AttributeKey.doubleKey("gen_ai.cost.total_usd")))
        .isNull();
    // Every span in the workflow knows its workflow.
    assertThat(scope.exported(s -> s.getName().startsWith("chat ")))
        .hasSize(3)
        .allSatisfy(s -> assertThat(string(s, "traceloop.workflow.name")).isEqualTo("menu"));
  }

  @Test
  void nestedWorkflowsRollUpIntoEveryEnclosingWorkflow() {
    TokenScope.workflow("outer")
        .run(
            () -> {
              scope.foreignChat("gpt-4o", 1_000, 0);
              TokenScope.workflow("inner").run(() -> scope.foreignChat("gpt-4o", 2_000, 0));
            });

    assertThat(number(scope.span("inner.workflow"), "tokenscope.rollup.input_tokens"))
        .isEqualTo(2_000);
    assertThat(number(scope.span("outer.workflow"), "tokenscope.rollup.input_tokens"))
        .isEqualTo(3_000);
    assertThat(string(scope.span("inner.workflow"), "traceloop.workflow.name")).isEqualTo("inner");
  }

  @Test
  void rollupsIncludeWorkOnOtherThreads() throws Exception {
    ExecutorService pool = TokenScope.propagating(Executors.newFixedThreadPool(4));
    try {
      TokenScope.workflow("research")
          .call(
              () -> {
                List<CompletableFuture<Void>> futures = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                  futures.add(
                      CompletableFuture.runAsync(
                          () ->
                              TokenScope.agent("researcher")
                                  .run(() -> scope.foreignChat("gpt-4o-mini", 100, 10)),
                          pool));
                }
                CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
                return null;
              });
    } finally {
      pool.shutdown();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    SpanData workflow = scope.span("research.workflow");
    assertThat(number(workflow, "tokenscope.rollup.llm_calls")).isEqualTo(8);
    assertThat(number(workflow, "tokenscope.rollup.input_tokens")).isEqualTo(800);
  }

  @Test
  void checkedExceptionsAreRecordedAndRethrownUnchanged() {
    IOException failure = new IOException("menu file unreadable");

    assertThatThrownBy(
            () ->
                TokenScope.task("load")
                    .run(
                        () -> {
                          throw failure;
                        }))
        .isSameAs(failure);

    SpanData span = scope.span("load.task");
    assertThat(span)
        .hasStatus(io.opentelemetry.sdk.trace.data.StatusData.error())
        .hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("error.type"), "java.io.IOException"))
        .hasEventsSatisfyingExactly(event -> event.hasName("exception"));
  }

  @Test
  void callReturnsTheWorksResult() {
    String result = TokenScope.task("greet").call(() -> "bonjour");

    assertThat(result).isEqualTo("bonjour");
    assertThat(scope.span("greet.task").getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
  }

  @Test
  void asyncWorkEndsItsSpanWhenTheFutureCompletes() {
    CompletableFuture<String> pending = new CompletableFuture<>();

    CompletableFuture<String> result = TokenScope.workflow("async").callAsync(() -> pending);
    scope.foreignChat("gpt-4o", 10, 10);

    assertThat(result).isNotDone();
    assertThat(scope.exported()).extracting(SpanData::getName).doesNotContain("async.workflow");

    pending.complete("done");

    assertThat(result).isCompletedWithValue("done");
    SpanData workflow = scope.span("async.workflow");
    assertThat(workflow.hasEnded()).isTrue();
    // The call made after callAsync returned ran outside the workflow's context.
    assertThat(number(workflow, "tokenscope.rollup.llm_calls")).isZero();
  }

  @Test
  void asyncFailuresAreRecordedAndPropagated() {
    CompletableFuture<String> result =
        TokenScope.task("async-fail")
            .callAsync(
                () -> CompletableFuture.failedFuture(new IllegalStateException("provider down")));

    assertThatThrownBy(result::join)
        .isInstanceOf(CompletionException.class)
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(scope.span("async-fail.task"))
        .hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("error.type"), "java.lang.IllegalStateException"));
  }

  @Test
  void asyncWorkThatThrowsBeforeReturningAFutureFailsTheFuture() {
    CompletableFuture<String> result =
        TokenScope.task("eager-fail")
            .callAsync(
                () -> {
                  throw new IllegalArgumentException("bad brief");
                });

    assertThat(result).isCompletedExceptionally();
    assertThat(string(scope.span("eager-fail.task"), "error.type"))
        .isEqualTo("java.lang.IllegalArgumentException");
  }

  @Test
  void retryRunsAttemptsUntilOneSucceedsAndLabelsEachAttempt() {
    AtomicInteger calls = new AtomicInteger();

    String result =
        TokenScope.workflow("menu")
            .call(
                () ->
                    TokenScope.task("validate")
                        .retry(
                            3,
                            attempt -> {
                              calls.incrementAndGet();
                              scope.foreignChat("gpt-4o", 100, 10);
                              if (attempt < 3) {
                                throw new IllegalStateException("invalid pairing");
                              }
                              return "ok";
                            }));

    assertThat(result).isEqualTo("ok");
    assertThat(calls).hasValue(3);
    List<SpanData> attempts =
        scope.exported().stream().filter(s -> s.getName().equals("validate.task")).toList();
    assertThat(attempts)
        .extracting(s -> number(s, "tokenscope.attempt"))
        .containsExactlyInAnyOrder(1L, 2L, 3L);
    assertThat(attempts)
        .filteredOn(s -> s.getStatus().getStatusCode() == StatusCode.ERROR)
        .hasSize(2);
    // The LLM call of each attempt carries the attempt number: retries' cost can be summed.
    assertThat(
            scope.exported().stream()
                .filter(s -> s.getName().equals("chat gpt-4o"))
                .map(s -> number(s, "tokenscope.attempt")))
        .containsExactlyInAnyOrder(1L, 2L, 3L);
  }

  @Test
  void retryRethrowsTheLastFailure() {
    assertThatThrownBy(
            () ->
                TokenScope.task("always-fails")
                    .retry(
                        2,
                        attempt -> {
                          throw new IOException("attempt " + attempt);
                        }))
        .isInstanceOf(IOException.class)
        .hasMessage("attempt 2");
  }

  @Test
  void refineStopsAtTheFirstAcceptedResultOrReturnsTheLast() {
    String accepted =
        TokenScope.task("refine").refine(5, attempt -> "v" + attempt, v -> v.equals("v2"));
    String last = TokenScope.task("never").refine(3, attempt -> "v" + attempt, v -> false);

    assertThat(accepted).isEqualTo("v2");
    assertThat(last).isEqualTo("v3");
    assertThat(scope.exported().stream().filter(s -> s.getName().equals("refine.task"))).hasSize(2);
  }

  @Test
  void tryWithResourcesScopesWork() {
    try (EntityScope task = TokenScope.task("manual").attribute("dish", "soup").start()) {
      scope.foreignChat("gpt-4o", 10, 10);
      task.span().setAttribute("extra", true);
    }

    SpanData manual = scope.span("manual.task");
    assertThat(manual)
        .hasAttributesSatisfying(
            equalTo(AttributeKey.stringKey("dish"), "soup"),
            equalTo(AttributeKey.booleanKey("extra"), true));
    assertThat(scope.span("chat gpt-4o").getParentSpanId()).isEqualTo(manual.getSpanId());
  }

  @Test
  void badArgumentsFailWithClearMessages() {
    assertThatThrownBy(() -> TokenScope.workflow("  "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("blank");
    assertThatThrownBy(() -> TokenScope.task("t").attempt(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("start at 1");
    assertThatThrownBy(() -> TokenScope.task("t").retry(0, attempt -> null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxAttempts");
    assertThat(TokenScope.task("x".repeat(500)).name()).hasSize(Entity.MAX_NAME_LENGTH);
  }
}
