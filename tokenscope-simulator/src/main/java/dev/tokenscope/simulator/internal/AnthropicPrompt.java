package dev.tokenscope.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.api.Encoding;
import dev.tokenscope.simulator.SimulatedRequest;
import dev.tokenscope.simulator.internal.ReplySpec.ToolSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An Anthropic prompt as the cache sees it: a sequence of blocks (tool definitions, system blocks,
 * message content blocks) with their token counts, chained prefix hashes and {@code cache_control}
 * breakpoints. Also the plain-text view scripts match on.
 */
public final class AnthropicPrompt {

  /** Tokens Claude's tool-use system prompt adds when tools are offered (Claude 4 figures). */
  static final int TOOL_SYSTEM_PROMPT_AUTO = 346;

  static final int TOOL_SYSTEM_PROMPT_FORCED = 313;

  /** Tokens every request carries outside any block (turn markers). */
  static final int BASE_OVERHEAD = 4;

  /** Tokens each message adds for its role marker. */
  static final int MESSAGE_OVERHEAD = 3;

  static final int MAX_BREAKPOINTS = 4;

  final List<AnthropicPromptCache.Block> blocks = new ArrayList<>();
  final List<ToolSpec> tools = new ArrayList<>();
  final List<SimulatedRequest.Message> turns = new ArrayList<>();
  final StringBuilder system = new StringBuilder();
  final StringBuilder rendered = new StringBuilder();
  boolean endsWithToolResult;
  int totalTokens = BASE_OVERHEAD;
  private long prefixHash;
  private int breakpoints;
  private final Encoding encoding;

  private AnthropicPrompt(Encoding encoding) {
    this.encoding = encoding;
  }

  /**
   * Parses tools, system and messages of a Messages (or count_tokens) request body.
   *
   * @param forcedToolChoice whether tool_choice forces a tool (smaller tool system prompt)
   */
  static AnthropicPrompt parse(JsonNode body, Encoding encoding, boolean forcedToolChoice) {
    AnthropicPrompt prompt = new AnthropicPrompt(encoding);
    prompt.prefixHash = Seeds.hash("anthropic");
    JsonNode tools = Json.field(body, "tools");
    if (tools != null) {
      if (!tools.isArray()) {
        throw ApiError.invalid("tools: Input should be a valid list");
      }
      for (int i = 0; i < tools.size(); i++) {
        JsonNode tool = tools.get(i);
        String name = tool.path("name").asText(null);
        if (name == null) {
          throw ApiError.invalid("tools." + i + ".name: Field required");
        }
        JsonNode schema = Json.field(tool, "input_schema");
        String type = tool.path("type").asText("custom");
        if (schema == null && type.equals("custom")) {
          throw ApiError.invalid("tools." + i + ".custom.input_schema: Field required");
        }
        if (schema != null) {
          prompt.tools.add(new ToolSpec(name, schema));
        }
        int extra =
            i == 0 ? (forcedToolChoice ? TOOL_SYSTEM_PROMPT_FORCED : TOOL_SYSTEM_PROMPT_AUTO) : 0;
        prompt.block("tool", tool, stripCacheControl(tool).toString(), extra, "tools." + i);
      }
    }
    JsonNode system = Json.field(body, "system");
    if (system != null) {
      if (system.isTextual()) {
        prompt.appendSystem(system.asText());
        prompt.block("system", system, system.asText(), 0, "system");
      } else if (system.isArray()) {
        for (int i = 0; i < system.size(); i++) {
          JsonNode block = system.get(i);
          if (!"text".equals(block.path("type").asText()) || !block.path("text").isTextual()) {
            throw ApiError.invalid("system." + i + ": Input should be a valid text block");
          }
          prompt.appendSystem(block.path("text").asText());
          prompt.block("system", block, block.path("text").asText(), 0, "system." + i);
        }
      } else {
        throw ApiError.invalid("system: Input should be a valid string or list of text blocks");
      }
    }
    JsonNode messages = Json.field(body, "messages");
    if (messages == null) {
      throw ApiError.invalid("messages: Field required");
    }
    if (!messages.isArray()) {
      throw ApiError.invalid("messages: Input should be a valid list");
    }
    for (int i = 0; i < messages.size(); i++) {
      prompt.message(messages.get(i), i);
    }
    JsonNode topLevel = Json.field(body, "cache_control");
    if (topLevel != null && !prompt.blocks.isEmpty()) {
      // Automatic caching: a breakpoint on the last cacheable block.
      int last = prompt.blocks.size() - 1;
      AnthropicPromptCache.Block block = prompt.blocks.get(last);
      if (block.ttl() == null) {
        prompt.breakpoints++;
      }
      prompt.blocks.set(
          last,
          new AnthropicPromptCache.Block(
              block.prefixHash(), block.tokens(), ttl(topLevel, "cache_control")));
    }
    if (prompt.breakpoints > MAX_BREAKPOINTS) {
      throw ApiError.invalid(
          "A maximum of "
              + MAX_BREAKPOINTS
              + " blocks with cache_control may be provided. Found "
              + prompt.breakpoints
              + ".");
    }
    return prompt;
  }

  private void message(JsonNode message, int index) {
    String param = "messages." + index;
    if (!message.isObject()) {
      throw ApiError.invalid(param + ": Input should be a valid dictionary");
    }
    String role = message.path("role").asText(null);
    if (role == null) {
      throw ApiError.invalid(param + ".role: Field required");
    }
    if (!role.equals("user") && !role.equals("assistant")) {
      throw ApiError.invalid(param + ".role: Input should be 'user' or 'assistant'");
    }
    JsonNode content = message.get("content");
    if (content == null || content.isNull()) {
      throw ApiError.invalid(param + ".content: Field required");
    }
    StringBuilder text = new StringBuilder();
    boolean toolResult = false;
    if (content.isTextual()) {
      text.append(content.asText());
      block(role, content, role + ":" + content.asText(), MESSAGE_OVERHEAD, param);
    } else if (content.isArray()) {
      if (content.isEmpty()) {
        throw ApiError.invalid(
            param + ".content: List should have at least 1 item after validation, not 0");
      }
      for (int j = 0; j < content.size(); j++) {
        JsonNode block = content.get(j);
        String type = block.path("type").asText("");
        String blockParam = param + ".content." + j;
        int overhead = j == 0 ? MESSAGE_OVERHEAD : 0;
        String canonical = (j == 0 ? role + ":" : "") + stripCacheControl(block);
        switch (type) {
          case "text":
            text.append(block.path("text").asText(""));
            block(role, block, canonical, overhead, blockParam, block.path("text").asText(""));
            break;
          case "image":
            block(role, block, canonical, overhead + 1_500, blockParam, "");
            break;
          case "document":
            block(role, block, canonical, overhead + 1_000, blockParam, "");
            break;
          case "tool_use":
          case "server_tool_use":
            String call = block.path("name").asText("") + " " + block.path("input").toString();
            text.append(call);
            block(role, block, canonical, overhead + 8, blockParam, call);
            break;
          case "tool_result":
            toolResult = true;
            String result = toolResultText(block.path("content"));
            text.append(result);
            block(role, block, canonical, overhead + 5, blockParam, result);
            break;
          case "thinking":
          case "redacted_thinking":
            // Earlier turns' thinking is stripped from the context and not billed.
            block(role, block, canonical, overhead, blockParam, "");
            break;
          default:
            if (type.isEmpty()) {
              throw ApiError.invalid(blockParam + ".type: Field required");
            }
            String other = block.toString();
            block(role, block, canonical, overhead, blockParam, other);
        }
      }
    } else {
      throw ApiError.invalid(
          param + ".content: Input should be a valid string or list of content blocks");
    }
    turns.add(new SimulatedRequest.Message(toolResult ? "tool" : role, text.toString()));
    endsWithToolResult = toolResult && role.equals("user");
  }

  private void appendSystem(String text) {
    if (system.length() > 0) {
      system.append('\n');
    }
    system.append(text);
  }

  private void block(String role, JsonNode node, String text, int extraTokens, String param) {
    block(role, node, text, extraTokens, param, text);
  }

  private void block(
      String role,
      JsonNode node,
      String canonical,
      int extraTokens,
      String param,
      String countedText) {
    int tokens = TokenCounter.count(encoding, countedText) + extraTokens;
    totalTokens += tokens;
    prefixHash = Seeds.mix(prefixHash ^ Seeds.hash(canonical));
    rendered.append(canonical).append('\n');
    Duration ttl = null;
    JsonNode cacheControl = node.isObject() ? Json.field(node, "cache_control") : null;
    if (cacheControl != null) {
      ttl = ttl(cacheControl, param + ".cache_control");
      breakpoints++;
    }
    blocks.add(new AnthropicPromptCache.Block(prefixHash, tokens, ttl));
  }

  private static Duration ttl(JsonNode cacheControl, String param) {
    if (!"ephemeral".equals(cacheControl.path("type").asText())) {
      throw ApiError.invalid(param + ".type: Input should be 'ephemeral'");
    }
    String ttl = cacheControl.path("ttl").asText("5m");
    switch (ttl) {
      case "5m":
        return Duration.ofMinutes(5);
      case "1h":
        return Duration.ofHours(1);
      default:
        throw ApiError.invalid(param + ".ttl: Input should be '5m' or '1h'");
    }
  }

  private static String toolResultText(@Nullable JsonNode content) {
    if (content == null || content.isMissingNode() || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder sb = new StringBuilder();
    for (JsonNode part : content) {
      sb.append(part.path("text").asText(""));
    }
    return sb.toString();
  }

  private static JsonNode stripCacheControl(JsonNode node) {
    if (!node.isObject() || !node.has("cache_control")) {
      return node;
    }
    ObjectNode copy = ((ObjectNode) node).deepCopy();
    copy.remove("cache_control");
    return copy;
  }
}
