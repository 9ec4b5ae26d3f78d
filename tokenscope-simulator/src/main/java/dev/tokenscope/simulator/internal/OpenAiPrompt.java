package dev.tokenscope.simulator.internal;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.tokenscope.simulator.SimulatedRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An OpenAI prompt rendered the way the model sees it (tool definitions and the response schema
 * first, then each message), for token counting and prefix caching. Token counts follow OpenAI's
 * published chat format: the rendered text plus 3 tokens per message and 3 to prime the reply;
 * images count a flat 85 tokens (low detail).
 */
public final class OpenAiPrompt {

  /** Prompt tokens (including cached) and the cached part. */
  public record Count(int promptTokens, int cachedTokens) {}

  private final StringBuilder rendered = new StringBuilder();
  private final StringBuilder system = new StringBuilder();
  private final List<SimulatedRequest.Message> turns = new ArrayList<>();
  private int messages;
  private int extraTokens;
  private String lastRole = "";

  public void section(String title, String body) {
    rendered.append("# ").append(title).append('\n').append(body).append('\n');
  }

  public void message(String role, String text) {
    messages++;
    lastRole = role;
    rendered.append(role).append(":\n").append(text).append('\n');
    if (role.equals("system") || role.equals("developer")) {
      if (system.length() > 0) {
        system.append('\n');
      }
      system.append(text);
    } else {
      turns.add(new SimulatedRequest.Message(role, text));
    }
  }

  public void extraTokens(int tokens) {
    extraTokens += tokens;
  }

  public String system() {
    return system.toString();
  }

  public List<SimulatedRequest.Message> turns() {
    return turns;
  }

  public boolean endsWithToolResult() {
    return lastRole.equals("tool") || lastRole.equals("function");
  }

  public String rendered() {
    return rendered.toString();
  }

  /** Counts the prompt and consults (and feeds) the prefix cache. */
  public Count count(Simulation sim, Encoding encoding, String namespace, Duration retention) {
    IntArrayList tokens = TokenCounter.encode(encoding, rendered.toString());
    int promptTokens = tokens.size() + 3 * messages + 3 + extraTokens;
    int cached = sim.openAiCache().lookupAndStore(namespace, tokens, retention);
    return new Count(promptTokens, Math.min(cached, promptTokens));
  }
}
