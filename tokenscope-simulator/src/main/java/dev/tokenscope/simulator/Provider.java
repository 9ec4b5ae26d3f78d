package dev.tokenscope.simulator;

/** The LLM provider whose HTTP API a simulated request spoke. */
public enum Provider {
  /** The OpenAI API: chat completions, responses, embeddings, models. */
  OPENAI("openai"),
  /** The Anthropic API: messages, token counting, models. */
  ANTHROPIC("anthropic");

  private final String id;

  Provider(String id) {
    this.id = id;
  }

  /** The provider's {@code gen_ai.provider.name} value, e.g. {@code openai}. */
  public String id() {
    return id;
  }
}
