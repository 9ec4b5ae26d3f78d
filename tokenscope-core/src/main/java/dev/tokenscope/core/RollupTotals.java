package dev.tokenscope.core;

/**
 * The roll-up of a workflow: totals of every LLM call made under it, on any thread its context
 * reached. The same numbers land on the workflow span as {@code tokenscope.rollup.*} when it ends;
 * read them here to report them to your own caller (an API response, a log line) without adding
 * them up again.
 *
 * <pre>{@code
 * try (EntityScope scope = TokenScope.workflow("menu_designer").start()) {
 *   Menu menu = designer.design(brief);
 *   RollupTotals totals = scope.rollup();
 *   return menu.withCost(totals.costUsd());
 * }
 * }</pre>
 *
 * @param costUsd the summed cost of the priced calls, in USD
 * @param inputTokens input tokens, cache reads and writes included
 * @param outputTokens output tokens, reasoning included
 * @param llmCalls inference spans that ended under the workflow
 * @param unpricedCalls the calls among them that could not be priced
 */
public record RollupTotals(
    double costUsd, long inputTokens, long outputTokens, long llmCalls, long unpricedCalls) {

  /** Input plus output tokens. */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }
}
