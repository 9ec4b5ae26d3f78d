package dev.tokenscope.core.internal;

import dev.tokenscope.core.RollupTotals;
import org.jspecify.annotations.Nullable;

/**
 * Running totals of the inference spans under one workflow span, from every thread the workflow's
 * context reached. Children end before their workflow, so the totals are complete when the
 * workflow's own code ends it; a child that outlives its workflow (fire-and-forget work) adds to a
 * total nobody reads any more.
 *
 * <p>Each addition also reaches every enclosing workflow: a nested workflow's calls count in its
 * parent's roll-up too.
 */
public final class WorkflowRollup {

  private final @Nullable WorkflowRollup parent;
  private double costUsd;
  private long inputTokens;
  private long outputTokens;
  private long llmCalls;
  private long unpricedCalls;

  public WorkflowRollup(@Nullable WorkflowRollup parent) {
    this.parent = parent;
  }

  /** Adds one inference; {@code costUsd} is ignored when the call could not be priced. */
  public void add(boolean priced, double costUsd, long inputTokens, long outputTokens) {
    for (WorkflowRollup r = this; r != null; r = r.parent) {
      r.addOne(priced, costUsd, inputTokens, outputTokens);
    }
  }

  private synchronized void addOne(
      boolean priced, double costUsd, long inputTokens, long outputTokens) {
    llmCalls++;
    if (priced) {
      this.costUsd += costUsd;
    } else {
      unpricedCalls++;
    }
    this.inputTokens += inputTokens;
    this.outputTokens += outputTokens;
  }

  /** The totals so far. */
  public synchronized RollupTotals totals() {
    return new RollupTotals(costUsd, inputTokens, outputTokens, llmCalls, unpricedCalls);
  }
}
