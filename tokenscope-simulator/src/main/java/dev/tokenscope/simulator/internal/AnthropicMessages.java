package dev.tokenscope.simulator.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.api.Encoding;
import dev.tokenscope.simulator.Provider;
import dev.tokenscope.simulator.SimulatedRequest;
import dev.tokenscope.simulator.internal.Reply.ToolCall;
import dev.tokenscope.simulator.internal.ReplySpec.JsonMode;
import dev.tokenscope.simulator.internal.ReplySpec.ToolMode;
import dev.tokenscope.simulator.internal.ReplySpec.ToolSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/** Anthropic's {@code POST /v1/messages}, plain and streamed, with prompt caching and thinking. */
final class AnthropicMessages implements Endpoint {

  /** What a request's settings resolve to, shared with count_tokens. */
  record Settings(
      String model,
      ModelCatalog.ModelInfo info,
      AnthropicPrompt prompt,
      Encoding encoding,
      ToolMode toolMode,
      @Nullable String forcedTool,
      JsonMode jsonMode,
      @Nullable JsonNode schema,
      int thinkingBudget) {}

  @Override
  public void handle(ApiCall call, JsonNode body) throws IOException {
    Simulation sim = call.sim();
    String model = requiredModel(body);
    String responseModel = ModelCatalog.responseModel(Provider.ANTHROPIC, model);
    boolean stream = Json.bool(body, "stream", "stream", false);
    call.model(model, responseModel);
    call.streamed(stream);
    JsonNode maxTokensNode = Json.field(body, "max_tokens");
    if (maxTokensNode == null) {
      throw ApiError.invalid("max_tokens: Field required");
    }
    if (!maxTokensNode.isIntegralNumber()) {
      throw ApiError.invalid("max_tokens: Input should be a valid integer");
    }
    if (maxTokensNode.asLong() < 1) {
      throw ApiError.invalid("max_tokens: Input should be greater than or equal to 1");
    }
    int maxTokens = (int) Math.min(Integer.MAX_VALUE, maxTokensNode.asLong());
    Settings settings = settings(body, model, maxTokens);
    if (call.injectFault()) {
      return;
    }

    AnthropicPrompt prompt = settings.prompt();
    AnthropicPromptCache.Result cache =
        sim.anthropicCache().apply(model, prompt.blocks, settings.info().minCacheableTokens());
    long inputTotal = prompt.totalTokens;
    long uncached = inputTotal - cache.read() - cache.written();
    String contentKey =
        model
            + "|"
            + prompt.rendered
            + "|"
            + settings.thinkingBudget()
            + "|"
            + maxTokens
            + "|"
            + settings.jsonMode();
    int thinking =
        ReplyPlanner.anthropicThinking(
            settings.thinkingBudget(), Seeds.random(sim.seed(), contentKey, "thinking"));
    boolean json =
        settings.jsonMode() != JsonMode.NONE
            || settings.toolMode() == ToolMode.REQUIRED
            || settings.toolMode() == ToolMode.NAMED;
    SimulatedRequest view =
        new SimulatedRequest(
            Provider.ANTHROPIC,
            call.path(),
            model,
            prompt.system.toString(),
            prompt.turns,
            json,
            call.sequence());
    ReplySpec spec =
        new ReplySpec(
            view,
            settings.encoding(),
            prompt.endsWithToolResult,
            prompt.tools,
            settings.toolMode(),
            settings.forcedTool(),
            settings.jsonMode(),
            settings.schema(),
            maxTokens,
            thinking,
            contentKey,
            true);
    Reply reply = ReplyPlanner.plan(sim, spec, ReplyPlanner.scripted(sim, spec), 0);
    SplittableRandom random = Seeds.random(sim.seed(), contentKey, "thinking-text");
    String thinkingText =
        reply.reasoningTokens() > 0
            ? ContentGenerator.prose(
                random,
                settings.encoding(),
                view.lastUserMessage(),
                Math.min(reply.reasoningTokens(), 120))
            : "";
    String signature = reply.reasoningTokens() > 0 ? signature(random) : "";

    String id = call.ids().base62("msg_01", 22);
    call.responseId(id);
    call.usage(
        inputTotal,
        reply.outputTokens(),
        cache.read(),
        cache.written(),
        cache.write1h(),
        reply.reasoningTokens());
    String stopReason = stopReason(reply);
    Streaming pacing = new Streaming(sim, sim.latency(Provider.ANTHROPIC, model));
    List<ObjectNode> blocks = contentBlocks(call, reply, thinkingText, signature);

    if (!stream) {
      ObjectNode message = messageShell(id, responseModel);
      ArrayNode content = message.putArray("content");
      blocks.forEach(content::add);
      message.put("stop_reason", stopReason);
      message.putNull("stop_sequence");
      message.set(
          "usage",
          usage(
              uncached,
              cache,
              reply.outputTokens(),
              reply.reasoningTokens(),
              settings.thinkingBudget() > 0));
      sim.pause(pacing.wholeReplyDelay(reply.outputTokens()));
      call.sendJson(200, message);
      return;
    }

    List<SseEvent> events = new ArrayList<>();
    ObjectNode start = messageShell(id, responseModel);
    start.putArray("content");
    start.putNull("stop_reason");
    start.putNull("stop_sequence");
    start.set("usage", usage(uncached, cache, 1, 0, false));
    ObjectNode messageStart = Simulation.JSON.createObjectNode().put("type", "message_start");
    messageStart.set("message", start);
    events.add(event("message_start", messageStart, pacing.firstTokenDelay(0)));
    for (int index = 0; index < blocks.size(); index++) {
      ObjectNode block = blocks.get(index);
      String type = block.path("type").asText();
      ObjectNode empty = block.deepCopy();
      ObjectNode startEvent =
          Simulation.JSON.createObjectNode().put("type", "content_block_start").put("index", index);
      switch (type) {
        case "thinking":
          empty.put("thinking", "").put("signature", "");
          break;
        case "tool_use":
          empty.putObject("input");
          break;
        default:
          empty.put("text", "");
      }
      startEvent.set("content_block", empty);
      events.add(event("content_block_start", startEvent, 0));
      if (index == 0) {
        events.add(new SseEvent("ping", "{\"type\": \"ping\"}", 0));
      }
      switch (type) {
        case "thinking":
          deltas(
              events,
              index,
              "thinking_delta",
              "thinking",
              block.path("thinking").asText(),
              pacing,
              reply.reasoningTokens());
          ObjectNode sig =
              Simulation.JSON
                  .createObjectNode()
                  .put("type", "signature_delta")
                  .put("signature", signature);
          events.add(event("content_block_delta", delta(index, sig), 0));
          break;
        case "tool_use":
          deltas(
              events,
              index,
              "input_json_delta",
              "partial_json",
              ReplyPlanner.json(block.path("input")),
              pacing,
              reply.toolTokens());
          break;
        default:
          deltas(
              events,
              index,
              "text_delta",
              "text",
              block.path("text").asText(),
              pacing,
              reply.textTokens());
      }
      events.add(
          event(
              "content_block_stop",
              Simulation.JSON
                  .createObjectNode()
                  .put("type", "content_block_stop")
                  .put("index", index),
              0));
    }
    ObjectNode messageDelta = Simulation.JSON.createObjectNode().put("type", "message_delta");
    messageDelta.putObject("delta").put("stop_reason", stopReason).putNull("stop_sequence");
    ObjectNode deltaUsage = messageDelta.putObject("usage");
    deltaUsage.put("input_tokens", uncached);
    deltaUsage.put("cache_creation_input_tokens", cache.written());
    deltaUsage.put("cache_read_input_tokens", cache.read());
    deltaUsage.put("output_tokens", reply.outputTokens());
    if (settings.thinkingBudget() > 0) {
      deltaUsage.putObject("output_tokens_details").put("thinking_tokens", reply.reasoningTokens());
    }
    events.add(event("message_delta", messageDelta, 0));
    events.add(
        event("message_stop", Simulation.JSON.createObjectNode().put("type", "message_stop"), 0));
    call.stream(events);
  }

  static String requiredModel(JsonNode body) {
    JsonNode model = Json.field(body, "model");
    if (model == null) {
      throw ApiError.invalid("model: Field required");
    }
    if (!model.isTextual() || model.asText().isEmpty()) {
      throw ApiError.invalid("model: Input should be a valid string");
    }
    return model.asText();
  }

  /** Resolves tools, tool choice, output format, thinking and the prompt of a request. */
  static Settings settings(JsonNode body, String model, int maxTokens) {
    ToolMode toolMode = ToolMode.AUTO;
    String forcedTool = null;
    JsonNode toolChoice = Json.field(body, "tool_choice");
    if (toolChoice != null) {
      String type = toolChoice.path("type").asText("");
      switch (type) {
        case "auto":
          toolMode = ToolMode.AUTO;
          break;
        case "any":
          toolMode = ToolMode.REQUIRED;
          break;
        case "none":
          toolMode = ToolMode.NONE;
          break;
        case "tool":
          toolMode = ToolMode.NAMED;
          forcedTool = toolChoice.path("name").asText(null);
          if (forcedTool == null) {
            throw ApiError.invalid("tool_choice.tool.name: Field required");
          }
          break;
        default:
          throw ApiError.invalid(
              "tool_choice: Input tag '"
                  + type
                  + "' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'");
      }
    }
    boolean forced = toolMode == ToolMode.REQUIRED || toolMode == ToolMode.NAMED;
    Encoding encoding = TokenCounter.encodingFor(Provider.ANTHROPIC, model);
    AnthropicPrompt prompt = AnthropicPrompt.parse(body, encoding, forced);
    if (prompt.turns.isEmpty()) {
      throw ApiError.invalid("messages: at least one message is required");
    }
    if (prompt.tools.isEmpty()) {
      if (forcedTool != null) {
        throw ApiError.invalid(
            "tool_choice.name: Tool '" + forcedTool + "' not found in provided tools");
      }
      toolMode = ToolMode.NONE;
    } else if (forcedTool != null && !hasTool(prompt.tools, forcedTool)) {
      throw ApiError.invalid(
          "tool_choice.name: Tool '" + forcedTool + "' not found in provided tools");
    }

    JsonMode jsonMode = JsonMode.NONE;
    JsonNode schema = null;
    JsonNode format = Json.field(body.path("output_config"), "format");
    if (format == null) {
      format = Json.field(body, "output_format");
    }
    if (format != null) {
      if (!"json_schema".equals(format.path("type").asText())) {
        throw ApiError.invalid("output_config.format.type: Input should be 'json_schema'");
      }
      schema = Json.field(format, "schema");
      if (schema == null) {
        throw ApiError.invalid("output_config.format.schema: Field required");
      }
      jsonMode = JsonMode.SCHEMA;
    }

    int budget = 0;
    JsonNode thinking = Json.field(body, "thinking");
    if (thinking != null) {
      String type = thinking.path("type").asText("");
      switch (type) {
        case "enabled":
          JsonNode budgetNode = Json.field(thinking, "budget_tokens");
          if (budgetNode == null) {
            throw ApiError.invalid("thinking.enabled.budget_tokens: Field required");
          }
          budget = (int) Math.min(Integer.MAX_VALUE, budgetNode.asLong());
          if (budget < 1024) {
            throw ApiError.invalid(
                "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024");
          }
          if (maxTokens <= budget) {
            throw ApiError.invalid(
                "`max_tokens` must be greater than `thinking.budget_tokens`. Please consult our documentation at https://docs.claude.com/en/docs/build-with-claude/extended-thinking#max-tokens-and-context-window-size");
          }
          break;
        case "adaptive":
          String effort = body.path("output_config").path("effort").asText("high");
          int cap = effort.equals("low") ? 1_024 : effort.equals("medium") ? 4_096 : 16_000;
          budget = Math.max(1, Math.min(cap, maxTokens / 2));
          break;
        case "disabled":
          break;
        default:
          throw ApiError.invalid(
              "thinking: Input tag '"
                  + type
                  + "' found using 'type' does not match any of the expected tags: 'enabled', 'disabled', 'adaptive'");
      }
    }
    ModelCatalog.ModelInfo info = ModelCatalog.find(Provider.ANTHROPIC, model);
    return new Settings(
        model, info, prompt, encoding, toolMode, forcedTool, jsonMode, schema, budget);
  }

  private static boolean hasTool(List<ToolSpec> tools, String name) {
    for (ToolSpec tool : tools) {
      if (tool.name().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static List<ObjectNode> contentBlocks(
      ApiCall call, Reply reply, String thinkingText, String signature) {
    List<ObjectNode> blocks = new ArrayList<>();
    if (reply.reasoningTokens() > 0) {
      ObjectNode thinking = Simulation.JSON.createObjectNode().put("type", "thinking");
      thinking.put("thinking", thinkingText);
      thinking.put("signature", signature);
      blocks.add(thinking);
    }
    if (!reply.text().isEmpty() || reply.toolCalls().isEmpty()) {
      ObjectNode text = Simulation.JSON.createObjectNode().put("type", "text");
      text.put("text", reply.text());
      blocks.add(text);
    }
    for (ToolCall toolCall : reply.toolCalls()) {
      ObjectNode toolUse = Simulation.JSON.createObjectNode().put("type", "tool_use");
      toolUse.put("id", call.ids().base62("toolu_01", 22));
      toolUse.put("name", toolCall.name());
      toolUse.set("input", input(toolCall.arguments()));
      toolUse.putObject("caller").put("type", "direct");
      blocks.add(toolUse);
    }
    return blocks;
  }

  private static JsonNode input(String arguments) {
    try {
      JsonNode parsed = Simulation.JSON.readTree(arguments);
      return parsed != null && parsed.isObject() ? parsed : Simulation.JSON.createObjectNode();
    } catch (JsonProcessingException e) {
      // Arguments cut by max_tokens: Claude's input is whatever parsed, here nothing.
      return Simulation.JSON.createObjectNode();
    }
  }

  private static void deltas(
      List<SseEvent> events,
      int index,
      String deltaType,
      String field,
      String text,
      Streaming pacing,
      int tokens) {
    List<String> pieces = Streaming.pieces(text);
    double perPiece = pieces.isEmpty() ? 0 : (double) tokens / pieces.size();
    for (String piece : pieces) {
      ObjectNode d = Simulation.JSON.createObjectNode().put("type", deltaType).put(field, piece);
      events.add(event("content_block_delta", delta(index, d), pacing.tokenDelay(perPiece)));
    }
  }

  private static ObjectNode delta(int index, ObjectNode delta) {
    ObjectNode event =
        Simulation.JSON.createObjectNode().put("type", "content_block_delta").put("index", index);
    event.set("delta", delta);
    return event;
  }

  private static SseEvent event(String name, ObjectNode data, long delayNanos) {
    return new SseEvent(name, ReplyPlanner.json(data), delayNanos);
  }

  private static ObjectNode messageShell(String id, String model) {
    ObjectNode message = Simulation.JSON.createObjectNode();
    message.put("id", id);
    message.put("type", "message");
    message.put("role", "assistant");
    message.put("model", model);
    return message;
  }

  private static ObjectNode usage(
      long uncached,
      AnthropicPromptCache.Result cache,
      long output,
      long thinking,
      boolean thinkingEnabled) {
    ObjectNode usage = Simulation.JSON.createObjectNode();
    usage.put("input_tokens", uncached);
    usage.put("cache_creation_input_tokens", cache.written());
    usage.put("cache_read_input_tokens", cache.read());
    ObjectNode creation = usage.putObject("cache_creation");
    creation.put("ephemeral_5m_input_tokens", cache.write5m());
    creation.put("ephemeral_1h_input_tokens", cache.write1h());
    usage.put("output_tokens", output);
    if (thinkingEnabled) {
      usage.putObject("output_tokens_details").put("thinking_tokens", thinking);
    }
    usage.put("service_tier", "standard");
    return usage;
  }

  private static String stopReason(Reply reply) {
    switch (reply.finish()) {
      case LENGTH:
        return "max_tokens";
      case TOOL_CALLS:
        return "tool_use";
      case STOP:
      default:
        return "end_turn";
    }
  }

  private static String signature(SplittableRandom random) {
    byte[] bytes = new byte[96];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) random.nextInt(256);
    }
    return "Eq" + Base64.getEncoder().encodeToString(bytes);
  }
}
