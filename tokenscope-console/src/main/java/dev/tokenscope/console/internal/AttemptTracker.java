package dev.tokenscope.console.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Resolves, at ingest, the retried unit each LLM call belongs to: the nearest ancestor span (or the
 * call itself) with {@code tokenscope.attempt}. The dashboard's retry figures then read one small
 * table instead of walking every trace's span tree at query time.
 *
 * <p>Children usually end, and are exported, before their parents, so a call often arrives before
 * its unit: it waits here, linked to its parent, until the chain up to a unit (or to the root) is
 * known. Spans of recent traces are remembered (bounded by {@link #maxSpans}); a trace is forgotten
 * once its root arrived and none of its calls wait, or when it is the oldest beyond the bound. A
 * call whose chain is completed only after its trace was forgotten (or after a restart) counts in
 * no retried unit. Writer thread only.
 */
final class AttemptTracker {

  /** Same bound as the query-time recursion this replaced: corrupt parent links cannot loop. */
  static final int MAX_DEPTH = 32;

  /** One LLM call under a retried unit, as stored in {@code retry_calls}. */
  record RetryCall(
      String traceId,
      String unitSpanId,
      String unit,
      long attempt,
      long unitStartNanos,
      String service,
      @Nullable String workflow,
      @Nullable String model,
      @Nullable Double costUsd) {}

  private static final class Node {
    final @Nullable String parent;
    final @Nullable Long attempt;
    final String name;
    final long startNanos;
    final String service;
    @Nullable String workflow;

    Node(SpanRow row, @Nullable String workflow) {
      this.parent = row.parentSpanId();
      this.attempt = row.attempt();
      this.name = row.name();
      this.startNanos = row.startNanos();
      this.service = row.service();
      this.workflow = workflow;
    }
  }

  /** An LLM call waiting for its chain: only what its retry row needs, not the whole span row. */
  private record Waiting(
      String traceId, String spanId, @Nullable String model, @Nullable Double costUsd) {}

  private static final class Trace {
    final Map<String, Node> spans = new HashMap<>();
    final Map<String, Waiting> waiting = new LinkedHashMap<>();
    boolean rootSeen;
  }

  private final int maxSpans;
  private final LinkedHashMap<String, Trace> traces = new LinkedHashMap<>();
  private int spans;

  AttemptTracker(int maxSpans) {
    this.maxSpans = maxSpans;
  }

  /**
   * Takes one write group's spans (with the workflow each is stored with) and returns the calls
   * whose retried unit became known, including calls of earlier groups that waited for it.
   */
  List<RetryCall> accept(List<SpanRow> rows, List<@Nullable String> workflows) {
    Map<String, Trace> touched = new LinkedHashMap<>();
    for (int i = 0; i < rows.size(); i++) {
      SpanRow row = rows.get(i);
      Trace trace = traces.computeIfAbsent(row.traceId(), k -> new Trace());
      if (trace.spans.put(row.spanId(), new Node(row, workflows.get(i))) == null) {
        spans++;
      }
      if (row.parentSpanId() == null) {
        trace.rootSeen = true;
      }
      if (row.llm()) {
        trace.waiting.put(
            row.spanId(),
            new Waiting(row.traceId(), row.spanId(), row.model(), row.costTotalUsd()));
      }
      touched.put(row.traceId(), trace);
    }
    List<RetryCall> resolved = new ArrayList<>();
    for (Map.Entry<String, Trace> e : touched.entrySet()) {
      Trace trace = e.getValue();
      for (Iterator<Waiting> calls = trace.waiting.values().iterator(); calls.hasNext(); ) {
        Waiting call = calls.next();
        if (resolve(trace, call, resolved)) {
          calls.remove();
        }
      }
      if (trace.rootSeen && trace.waiting.isEmpty()) {
        forget(e.getKey());
      }
    }
    evict();
    return resolved;
  }

  /** Walks up from the call; true when settled (under a unit, or under none). */
  private static boolean resolve(Trace trace, Waiting call, List<RetryCall> out) {
    Node node = trace.spans.get(call.spanId());
    String spanId = call.spanId();
    for (int depth = 0; node != null && depth <= MAX_DEPTH; depth++) {
      if (node.attempt != null) {
        out.add(
            new RetryCall(
                call.traceId(),
                spanId,
                node.name,
                node.attempt,
                node.startNanos,
                node.service,
                node.workflow,
                call.model(),
                call.costUsd()));
        return true;
      }
      if (node.parent == null) {
        return true;
      }
      spanId = node.parent;
      node = trace.spans.get(spanId);
    }
    // A gap in the chain waits for the missing span; a chain deeper than the bound never settles
    // into a unit, like the recursion it replaces.
    return node != null;
  }

  /** Records a workflow learnt after the trace's spans were taken (the workflow back-fill). */
  void workflowKnown(String traceId, String workflow) {
    Trace trace = traces.get(traceId);
    if (trace != null) {
      for (Node n : trace.spans.values()) {
        if (n.workflow == null) {
          n.workflow = workflow;
        }
      }
    }
  }

  private void forget(String traceId) {
    Trace trace = traces.remove(traceId);
    if (trace != null) {
      spans -= trace.spans.size();
    }
  }

  private void evict() {
    Iterator<Map.Entry<String, Trace>> oldest = traces.entrySet().iterator();
    while (spans > maxSpans && oldest.hasNext()) {
      spans -= oldest.next().getValue().spans.size();
      oldest.remove();
    }
  }

  int trackedSpans() {
    return spans;
  }
}
