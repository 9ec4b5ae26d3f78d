package dev.tokenscope.demo.internal;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The two providers the service calls. */
public enum LlmProvider {
  OPENAI("openai"),
  ANTHROPIC("anthropic");

  private final String id;

  LlmProvider(String id) {
    this.id = id;
  }

  /** The {@code gen_ai.provider.name} value. */
  public String id() {
    return id;
  }

  /**
   * The provider a request names: {@code openai}, or {@code claude} / {@code anthropic} (the
   * reference service's two spellings), case-insensitively; null for anything else.
   */
  static @Nullable LlmProvider fromRequest(String name) {
    switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "openai":
        return OPENAI;
      case "claude":
      case "anthropic":
        return ANTHROPIC;
      default:
        return null;
    }
  }
}
