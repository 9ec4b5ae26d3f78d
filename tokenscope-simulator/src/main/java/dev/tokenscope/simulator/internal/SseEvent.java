package dev.tokenscope.simulator.internal;

import org.jspecify.annotations.Nullable;

/**
 * One server-sent event to write, after waiting {@code delayNanos} (already scaled by speed).
 *
 * @param name the {@code event:} field, or null for data-only events (OpenAI chat)
 * @param data the {@code data:} payload, one line
 * @param delayNanos pause before the event, for pacing
 */
public record SseEvent(@Nullable String name, String data, long delayNanos) {

  byte[] bytes() {
    String text =
        name == null ? "data: " + data + "\n\n" : "event: " + name + "\ndata: " + data + "\n\n";
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
