package dev.tokenscope.simulator;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * A provider-neutral view of an inference request, handed to {@link ScriptRule} matchers and
 * responders: the model, the system prompt and the conversation as plain text.
 *
 * @param provider the API the request spoke
 * @param endpoint the request path, e.g. {@code /v1/chat/completions}
 * @param model the requested model, as sent
 * @param system the system (or developer / instructions) prompt, empty when there is none
 * @param messages the conversation in order, text only
 * @param jsonRequested whether the request asked for JSON output (a schema, JSON mode or a forced
 *     tool)
 * @param sequence the simulator-wide request sequence number, starting at 1
 */
public record SimulatedRequest(
    Provider provider,
    String endpoint,
    String model,
    String system,
    List<Message> messages,
    boolean jsonRequested,
    long sequence) {

  public SimulatedRequest {
    requireNonNull(provider, "provider");
    requireNonNull(endpoint, "endpoint");
    requireNonNull(model, "model");
    requireNonNull(system, "system");
    messages = List.copyOf(messages);
  }

  /** The text of the last user message, or empty when there is none. */
  public String lastUserMessage() {
    for (int i = messages.size() - 1; i >= 0; i--) {
      if (messages.get(i).role().equals("user")) {
        return messages.get(i).text();
      }
    }
    return "";
  }

  /**
   * One conversation turn as text.
   *
   * @param role {@code user}, {@code assistant}, {@code tool} (tool results) or {@code system}
   * @param text the turn's text content, concatenated
   */
  public record Message(String role, String text) {
    public Message {
      requireNonNull(role, "role");
      requireNonNull(text, "text");
    }
  }
}
