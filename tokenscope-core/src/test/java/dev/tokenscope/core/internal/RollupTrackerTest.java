package dev.tokenscope.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.ReadableSpan;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RollupTrackerTest {

  /** Hands out the span ids queued in {@link #next}, random ones when it is empty. */
  private final Deque<String> next = new ArrayDeque<>();

  private final SdkTracerProvider tracing =
      SdkTracerProvider.builder()
          .setIdGenerator(
              new IdGenerator() {
                @Override
                public String generateSpanId() {
                  String id = next.poll();
                  return id != null ? id : IdGenerator.random().generateSpanId();
                }

                @Override
                public String generateTraceId() {
                  return IdGenerator.random().generateTraceId();
                }
              })
          .build();

  @AfterEach
  void closeTracing() {
    tracing.close();
  }

  private ReadableSpan span(String spanId) {
    next.add(spanId);
    return (ReadableSpan) tracing.get("test").spanBuilder("s").startSpan();
  }

  @Test
  void aTrackedSpanGivesBackItsRollupOnce() {
    RollupTracker tracker = new RollupTracker(10);
    ReadableSpan span = span("00f067aa0ba902b7");
    WorkflowRollup rollup = new WorkflowRollup(null);

    assertThat(tracker.track(span, rollup)).isTrue();

    assertThat(tracker.untrack(span)).isSameAs(rollup);
    assertThat(tracker.untrack(span)).isNull();
  }

  @Test
  void spansSharingASlotAreAllTrackedWithTheirOwnRollup() {
    RollupTracker tracker = new RollupTracker(10);
    // The same last hex digits: the same slot of the table; the later ones go to the map.
    ReadableSpan first = span("00000000000a0abc");
    ReadableSpan second = span("00000000000b0abc");
    ReadableSpan third = span("00000000000c0abc");
    WorkflowRollup one = new WorkflowRollup(null);
    WorkflowRollup two = new WorkflowRollup(null);
    WorkflowRollup three = new WorkflowRollup(null);

    assertThat(tracker.track(first, one)).isTrue();
    assertThat(tracker.track(second, two)).isTrue();
    assertThat(tracker.track(third, three)).isTrue();

    assertThat(tracker.untrack(second)).isSameAs(two);
    assertThat(tracker.untrack(first)).isSameAs(one);
    // The slot is free again: a new span takes it, the one in the map is still found.
    ReadableSpan fourth = span("00000000000d0abc");
    WorkflowRollup four = new WorkflowRollup(null);
    assertThat(tracker.track(fourth, four)).isTrue();
    assertThat(tracker.untrack(third)).isSameAs(three);
    assertThat(tracker.untrack(fourth)).isSameAs(four);
  }

  @Test
  void beyondTheLimitOfTheMapFurtherCollidingSpansAreNotTracked() {
    RollupTracker tracker = new RollupTracker(1);
    WorkflowRollup rollup = new WorkflowRollup(null);
    assertThat(tracker.track(span("0000000000000fff"), rollup)).isTrue();
    assertThat(tracker.track(span("0000000000001fff"), rollup)).isTrue();

    ReadableSpan untracked = span("0000000000002fff");
    assertThat(tracker.track(untracked, rollup)).isFalse();
    assertThat(tracker.untrack(untracked)).isNull();
  }

  @Test
  void aSpanThatWasNeverTrackedFindsNothingEvenInAnOccupiedSlot() {
    RollupTracker tracker = new RollupTracker(10);
    tracker.track(span("0000000000000123"), new WorkflowRollup(null));

    assertThat(tracker.untrack(span("1111111111111123"))).isNull();
    assertThat(tracker.untrack(span("2222222222222222"))).isNull();
  }

  @Test
  void manySpansOpenAtOnceAllComeBackWithTheirRollups() {
    RollupTracker tracker = new RollupTracker(100_000);
    List<ReadableSpan> spans = new ArrayList<>();
    List<WorkflowRollup> rollups = new ArrayList<>();
    for (int i = 0; i < 3 * RollupTracker.SLOTS; i++) {
      ReadableSpan span = (ReadableSpan) tracing.get("test").spanBuilder("s").startSpan();
      WorkflowRollup rollup = new WorkflowRollup(null);
      assertThat(tracker.track(span, rollup)).isTrue();
      spans.add(span);
      rollups.add(rollup);
    }
    for (int i = spans.size() - 1; i >= 0; i--) {
      assertThat(tracker.untrack(spans.get(i))).isSameAs(rollups.get(i));
    }
    tracker.clear();
  }
}
