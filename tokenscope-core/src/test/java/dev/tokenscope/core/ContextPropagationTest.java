package dev.tokenscope.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tokenscope.core.testing.InMemoryTokenScope;
import io.opentelemetry.api.trace.SpanId;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Work fanned out to thread pools stays in its workflow's trace: no orphaned root spans. */
class ContextPropagationTest {

  private final InMemoryTokenScope scope = InMemoryTokenScope.create();
  private final List<ExecutorService> pools = new ArrayList<>();

  @AfterEach
  void close() throws InterruptedException {
    for (ExecutorService pool : pools) {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    scope.close();
  }

  private void assertNoOrphans(String workflowName, int expectedCalls) {
    List<SpanData> spans = scope.exported();
    SpanData workflow = scope.span(workflowName + ".workflow");
    List<SpanData> roots =
        spans.stream().filter(s -> !SpanId.isValid(s.getParentSpanId())).toList();
    assertThat(roots).containsExactly(workflow);
    assertThat(spans).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(workflow.getTraceId()));
    assertThat(spans.stream().filter(s -> s.getName().startsWith("chat "))).hasSize(expectedCalls);
    assertThat(
            workflow
                .getAttributes()
                .get(
                    io.opentelemetry.api.common.AttributeKey.longKey(
                        "tokenscope.rollup.llm_calls")))
        .isEqualTo(expectedCalls);
  }

  @Test
  void threadPoolExecutor() throws Exception {
    ExecutorService pool =
        TokenScope.propagating(
            new ThreadPoolExecutor(2, 2, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>()));
    pools.add(pool);

    TokenScope.workflow("tpe")
        .call(
            () -> {
              List<Future<?>> futures = new ArrayList<>();
              for (int i = 0; i < 6; i++) {
                futures.add(
                    pool.submit(
                        () ->
                            TokenScope.task("research")
                                .run(() -> scope.foreignChat("gpt-4o", 10, 1))));
              }
              for (Future<?> future : futures) {
                future.get();
              }
              return null;
            });

    assertNoOrphans("tpe", 6);
  }

  @Test
  void completableFutureSupplyAsync() {
    ExecutorService pool = TokenScope.propagating(new ForkJoinPool(2));
    pools.add(pool);

    TokenScope.workflow("supply")
        .call(
            () -> {
              List<CompletableFuture<String>> futures = new ArrayList<>();
              for (int i = 0; i < 5; i++) {
                futures.add(
                    CompletableFuture.supplyAsync(
                        () -> {
                          scope.foreignChat("gpt-4o-mini", 10, 1);
                          return "ok";
                        },
                        pool));
              }
              // Continuations on a propagating executor stay in the context too.
              CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                  .thenRunAsync(() -> scope.foreignChat("gpt-4o", 1, 1), pool)
                  .join();
              return null;
            });

    assertNoOrphans("supply", 6);
  }

  @Test
  void forkJoinPool() throws Exception {
    ForkJoinPool forkJoin = new ForkJoinPool(3);
    ExecutorService pool = TokenScope.propagating(forkJoin);
    pools.add(pool);

    TokenScope.workflow("forkjoin")
        .run(
            () -> {
              List<Future<String>> futures = new ArrayList<>();
              for (int i = 0; i < 4; i++) {
                futures.add(
                    pool.submit(
                        () -> {
                          scope.foreignChat("gpt-4o", 10, 1);
                          return "ok";
                        }));
              }
              for (Future<String> future : futures) {
                future.get();
              }
            });

    assertNoOrphans("forkjoin", 4);
  }

  @Test
  void withoutPropagationTheWorkWouldBeOrphaned() throws Exception {
    // The control experiment: a plain pool loses the context, which is why propagating() exists.
    ExecutorService plain = new ForkJoinPool(1);
    pools.add(plain);

    TokenScope.workflow("plain")
        .run(() -> plain.submit(() -> scope.foreignChat("gpt-4o", 10, 1)).get());

    List<SpanData> roots =
        scope.exported().stream().filter(s -> !SpanId.isValid(s.getParentSpanId())).toList();
    assertThat(roots).hasSize(2);
  }
}
