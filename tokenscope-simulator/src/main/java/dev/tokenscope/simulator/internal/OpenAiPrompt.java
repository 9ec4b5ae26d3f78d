package dev.tokenscope.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.tokenscope.simulator.Provider;
import dev.tokenscope.simulator.SimulatedRequest;
import dev.tokenscope.simulator.internal.ReplySpec.JsonMode;
import dev.tokenscope.simulator.internal.ReplySpec.ToolMode;
import dev.tokenscope.simulator.internal.ReplySpec.ToolSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * An OpenAI prompt rendered the way the model sees it (tool definitions and the response schema
 * first, then each message), for token counting and prefix caching. Token counts follow OpenAI's
 * published chat format: the rendered text plus 3 tokens per message and 3 to prime the reply;
 * images count a flat 85 tokens (low detail).
 */
public final class OpenAiPrompt {

  /** Prompt tokens (including cached) and the cached part. */
  public record Count(int promptTokens, int cachedTokens) {}

  /** What the request asks the model to produce, besides the prompt. */
  public record Shape(
      List<ToolSpec> tools,
      ToolMode toolMode,
      @Nullable String forcedTool,
      JsonMode jsonMode,
      @Nullable JsonNode schema,
      int maxOutputTokens) {}

  /** The counted prompt and the reply it asks for. */
  public record Prepared(Count count, ReplySpec spec) {}

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

  /** How a content part of a message counts. */
  public enum PartKind {
    /** Its {@code text} field is prompt text. */
    TEXT,
    /** Its {@code refusal} field is prompt text. */
    REFUSAL,
    /** An image: a flat 85 tokens (low detail). */
    IMAGE,
    /** Audio or a file: a flat 200 tokens. */
    MEDIA
  }

  /**
   * The text of an array of content parts; images and media add their flat token charge. An unknown
   * part type is a 400 listing {@code supported}.
   */
  public String parts(JsonNode parts, Map<String, PartKind> kinds, String supported, String param) {
    StringBuilder text = new StringBuilder();
    for (JsonNode part : parts) {
      String type = part.path("type").asText("");
      PartKind kind = kinds.get(type);
      if (kind == null) {
        throw ApiError.invalid(
            "Invalid value: '" + type + "'. Supported values are: " + supported + ".",
            param + ".content[0].type",
            "invalid_value");
      }
      switch (kind) {
        case TEXT:
          text.append(part.path("text").asText(""));
          break;
        case REFUSAL:
          text.append(part.path("refusal").asText(""));
          break;
        case IMAGE:
          extraTokens(85);
          break;
        case MEDIA:
        default:
          extraTokens(200);
      }
    }
    return text.toString();
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

  /**
   * Counts the prompt against the prefix cache (per model and {@code prompt_cache_key}) and
   * describes the reply: reasoning by {@code effort} for reasoning models, content fixed by the
   * seed, the model, the rendered prompt and {@code settingsKey}.
   */
  public Prepared prepare(
      ApiCall call,
      JsonNode body,
      ModelCatalog.ModelInfo info,
      String model,
      @Nullable String effort,
      String settingsKey,
      Shape shape) {
    Simulation sim = call.sim();
    Encoding encoding = TokenCounter.encodingFor(Provider.OPENAI, model);
    String namespace = model + "|" + body.path("prompt_cache_key").asText("");
    Duration retention =
        "24h".equals(body.path("prompt_cache_retention").asText(""))
            ? Duration.ofHours(24)
            : sim.openAiCacheRetention();
    Count count = count(sim, encoding, namespace, retention);
    String contentKey =
        model + "|" + rendered + "|" + effort + "|" + shape.maxOutputTokens() + "|" + settingsKey;
    int reasoning =
        info.reasoning()
            ? ReplyPlanner.openAiReasoning(
                effort, Seeds.random(sim.seed(), contentKey, "reasoning"))
            : 0;
    boolean json =
        shape.jsonMode() != JsonMode.NONE
            || shape.toolMode() == ToolMode.REQUIRED
            || shape.toolMode() == ToolMode.NAMED;
    SimulatedRequest view =
        new SimulatedRequest(
            Provider.OPENAI, call.path(), model, system(), turns, json, call.sequence());
    ReplySpec spec =
        new ReplySpec(
            view,
            encoding,
            endsWithToolResult(),
            shape.tools(),
            shape.toolMode(),
            shape.forcedTool(),
            shape.jsonMode(),
            shape.schema(),
            shape.maxOutputTokens(),
            reasoning,
            contentKey,
            false);
    return new Prepared(count, spec);
  }

  /** Counts the prompt and consults (and feeds) the prefix cache. */
  public Count count(Simulation sim, Encoding encoding, String namespace, Duration retention) {
    IntArrayList tokens = TokenCounter.encode(encoding, rendered.toString());
    int promptTokens = tokens.size() + 3 * messages + 3 + extraTokens;
    int cached = sim.openAiCache().lookupAndStore(namespace, tokens, retention);
    return new Count(promptTokens, Math.min(cached, promptTokens));
  }
}
