package dev.tokenscope.demo.internal;

/**
 * What a provider answered: the text and the usage it reported (OpenTelemetry's convention: input
 * includes cached tokens).
 */
record ChatReply(
    String text,
    String model,
    LlmProvider provider,
    long inputTokens,
    long outputTokens,
    long cacheReadTokens,
    long cacheWriteTokens) {

  long totalTokens() {
    return inputTokens + outputTokens;
  }
}
