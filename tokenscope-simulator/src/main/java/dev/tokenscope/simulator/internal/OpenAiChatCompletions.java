package dev.tokenscope.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenscope.simulator.Provider;
import dev.tokenscope.simulator.internal.Reply.ToolCall;
import dev.tokenscope.simulator.internal.ReplySpec.JsonMode;
import dev.tokenscope.simulator.internal.ReplySpec.ToolMode;
import dev.tokenscope.simulator.internal.ReplySpec.ToolSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** {@code POST /v1/chat/completions}, plain and streamed. */
public final class OpenAiChatCompletions implements Endpoint {

  private static final Map<String, OpenAiPrompt.PartKind> PART_KINDS =
      Map.of(
          "text", OpenAiPrompt.PartKind.TEXT,
          "refusal", OpenAiPrompt.PartKind.REFUSAL,
          "image_url", OpenAiPrompt.PartKind.IMAGE,
          "input_audio", OpenAiPrompt.PartKind.MEDIA,
          "file", OpenAiPrompt.PartKind.MEDIA);

  private static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool", "function");

  @Override
  public void handle(ApiCall call, JsonNode body) throws IOException {
    Simulation sim = call.sim();
    String model = Json.text(body, "model", "model");
    if (model == null || model.isEmpty()) {
      throw ApiError.invalid("you must provide a model parameter");
    }
    ModelCatalog.ModelInfo info = ModelCatalog.find(Provider.OPENAI, model);
    String responseModel = ModelCatalog.responseModel(Provider.OPENAI, model);
    boolean stream = Json.bool(body, "stream", "stream", false);
    call.model(model, responseModel);
    call.streamed(stream);

    JsonNode messages = Json.field(body, "messages");
    if (messages == null) {
      throw ApiError.invalid(
          "Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
    }
    if (!messages.isArray()) {
      throw Json.typeError("messages", "an array", messages);
    }
    if (messages.isEmpty()) {
      throw ApiError.invalid(
          "Invalid 'messages': empty array. Expected an array with minimum length 1, but got an empty array instead.",
          "messages",
          "empty_array");
    }
    JsonNode streamOptions = Json.field(body, "stream_options");
    if (streamOptions != null && !stream) {
      throw ApiError.invalid(
          "The 'stream_options' parameter is only allowed when 'stream' is enabled.",
          "stream_options",
          null);
    }
    boolean includeUsage =
        streamOptions != null
            && Json.bool(streamOptions, "include_usage", "stream_options.include_usage", false);
    int n = (int) Json.integer(body, "n", "n", 1, 1, 128);
    int maxTokens = maxTokens(body, info);
    String effort = Json.text(body, "reasoning_effort", "reasoning_effort");

    OpenAiPrompt prompt = new OpenAiPrompt();
    List<ToolSpec> tools = tools(body, prompt);
    JsonNode toolChoice = Json.field(body, "tool_choice");
    if (toolChoice != null && tools.isEmpty()) {
      throw ApiError.invalid(
          "Invalid value for 'tool_choice': 'tool_choice' is only allowed when 'tools' are specified.",
          "tool_choice",
          null);
    }
    OpenAiToolChoice toolUse =
        OpenAiToolChoice.parse(toolChoice, !tools.isEmpty(), "function.name");
    ToolMode toolMode = toolUse.mode();
    String forcedTool = toolUse.forcedTool();

    JsonMode jsonMode = JsonMode.NONE;
    JsonNode schema = null;
    JsonNode responseFormat = Json.field(body, "response_format");
    if (responseFormat != null) {
      String type = responseFormat.path("type").asText("");
      switch (type) {
        case "text":
          break;
        case "json_object":
          jsonMode = JsonMode.OBJECT;
          break;
        case "json_schema":
          JsonNode jsonSchema = Json.field(responseFormat, "json_schema");
          if (jsonSchema == null) {
            throw ApiError.invalid(
                "Missing required parameter: 'response_format.json_schema'.",
                "response_format.json_schema",
                "missing_required_parameter");
          }
          if (Json.text(jsonSchema, "name", "response_format.json_schema.name") == null) {
            throw ApiError.invalid(
                "Missing required parameter: 'response_format.json_schema.name'.",
                "response_format.json_schema.name",
                "missing_required_parameter");
          }
          jsonMode = JsonMode.SCHEMA;
          schema = Json.field(jsonSchema, "schema");
          prompt.section("Response format", schema == null ? "{}" : schema.toString());
          break;
        default:
          throw ApiError.invalid(
              "Invalid value: '"
                  + type
                  + "'. Supported values are: 'json_object', 'json_schema', and 'text'.",
              "response_format.type",
              "invalid_value");
      }
    }

    for (int i = 0; i < messages.size(); i++) {
      message(prompt, messages.get(i), i);
    }
    if (jsonMode == JsonMode.OBJECT
        && !prompt.rendered().toLowerCase(java.util.Locale.ROOT).contains("json")) {
      throw ApiError.invalid(
          "'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.",
          "messages",
          null);
    }

    if (call.injectFault()) {
      return;
    }

    OpenAiPrompt.Prepared prepared =
        prompt.prepare(
            call,
            body,
            info,
            model,
            effort,
            body.path("seed").asText(""),
            new OpenAiPrompt.Shape(tools, toolMode, forcedTool, jsonMode, schema, maxTokens));
    OpenAiPrompt.Count count = prepared.count();
    ReplySpec spec = prepared.spec();
    String scripted = ReplyPlanner.scripted(sim, spec);
    List<Reply> replies = new ArrayList<>();
    int completionTokens = 0;
    int reasoningTokens = 0;
    for (int i = 0; i < n; i++) {
      Reply reply = ReplyPlanner.plan(sim, spec, scripted, i);
      replies.add(reply);
      completionTokens += reply.outputTokens();
      reasoningTokens += reply.reasoningTokens();
    }

    String id = call.ids().base62("chatcmpl-", 29);
    String fingerprint = call.ids().hex("fp_", 10);
    long created = call.time().getEpochSecond();
    String serviceTier = serviceTier(body);
    ObjectNode usage = usage(count, completionTokens, reasoningTokens);
    call.responseId(id);
    call.usage(count.promptTokens(), completionTokens, count.cachedTokens(), 0, 0, reasoningTokens);
    Streaming pacing = new Streaming(sim, sim.latency(Provider.OPENAI, model));

    if (!stream) {
      ObjectNode completion = Simulation.JSON.createObjectNode();
      completion.put("id", id);
      completion.put("object", "chat.completion");
      completion.put("created", created);
      completion.put("model", responseModel);
      ArrayNode choices = completion.putArray("choices");
      for (int i = 0; i < n; i++) {
        Reply reply = replies.get(i);
        ObjectNode choice = choices.addObject();
        choice.put("index", i);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        if (reply.toolCalls().isEmpty() || !reply.text().isEmpty()) {
          message.put("content", reply.text());
        } else {
          message.putNull("content");
        }
        message.putNull("refusal");
        message.putArray("annotations");
        if (!reply.toolCalls().isEmpty()) {
          ArrayNode calls = message.putArray("tool_calls");
          for (ToolCall toolCall : reply.toolCalls()) {
            ObjectNode c = calls.addObject();
            c.put("id", call.ids().base62("call_", 24));
            c.put("type", "function");
            ObjectNode function = c.putObject("function");
            function.put("name", toolCall.name());
            function.put("arguments", toolCall.arguments());
          }
        }
        choice.putNull("logprobs");
        choice.put("finish_reason", finishReason(reply, toolMode));
      }
      completion.set("usage", usage);
      completion.put("service_tier", serviceTier);
      completion.put("system_fingerprint", fingerprint);
      sim.pause(pacing.wholeReplyDelay(completionTokens));
      call.sendJson(200, completion);
      return;
    }

    ChunkStream chunks =
        new ChunkStream(
            chunkBase(id, created, responseModel, serviceTier, fingerprint), includeUsage);
    long delay = pacing.firstTokenDelay(reasoningTokens);
    for (int i = 0; i < n; i++) {
      Reply reply = replies.get(i);
      ObjectNode first = Simulation.JSON.createObjectNode();
      first.put("role", "assistant");
      if (reply.toolCalls().isEmpty() || !reply.text().isEmpty()) {
        first.put("content", "");
      } else {
        first.putNull("content");
      }
      first.putNull("refusal");
      chunks.add(i, first, null, delay);
      delay = 0;
      List<String> pieces = Streaming.pieces(reply.text());
      double perPiece = pieces.isEmpty() ? 0 : (double) reply.textTokens() / pieces.size();
      for (String piece : pieces) {
        chunks.add(
            i,
            Simulation.JSON.createObjectNode().put("content", piece),
            null,
            pacing.tokenDelay(perPiece));
      }
      int toolIndex = 0;
      for (ToolCall toolCall : reply.toolCalls()) {
        ObjectNode start = Simulation.JSON.createObjectNode();
        start.put("index", toolIndex);
        start.put("id", call.ids().base62("call_", 24));
        start.put("type", "function");
        start.putObject("function").put("name", toolCall.name()).put("arguments", "");
        chunks.add(i, toolCallDelta(start), null, 0);
        List<String> argumentPieces = Streaming.pieces(toolCall.arguments());
        double perArgument =
            argumentPieces.isEmpty() ? 0 : (double) reply.toolTokens() / argumentPieces.size();
        for (String piece : argumentPieces) {
          ObjectNode more = Simulation.JSON.createObjectNode().put("index", toolIndex);
          more.putObject("function").put("arguments", piece);
          chunks.add(i, toolCallDelta(more), null, pacing.tokenDelay(perArgument));
        }
        toolIndex++;
      }
      chunks.add(i, Simulation.JSON.createObjectNode(), finishReason(reply, toolMode), 0);
    }
    List<SseEvent> events = chunks.events;
    if (includeUsage) {
      ObjectNode last = chunkBase(id, created, responseModel, serviceTier, fingerprint);
      last.putArray("choices");
      last.set("usage", usage);
      events.add(new SseEvent(null, ReplyPlanner.json(last), 0));
    }
    events.add(new SseEvent(null, "[DONE]", 0));
    call.stream(events);
  }

  /** Chat completion chunks sharing one id, model and fingerprint. */
  private static final class ChunkStream {
    final List<SseEvent> events = new ArrayList<>();
    private final ObjectNode base;
    private final boolean includeUsage;

    ChunkStream(ObjectNode base, boolean includeUsage) {
      this.base = base;
      this.includeUsage = includeUsage;
    }

    void add(int index, ObjectNode delta, @Nullable String finishReason, long delayNanos) {
      ObjectNode chunk = base.deepCopy();
      ObjectNode choice = chunk.putArray("choices").addObject();
      choice.put("index", index);
      choice.set("delta", delta);
      choice.putNull("logprobs");
      choice.put("finish_reason", finishReason);
      if (includeUsage) {
        chunk.putNull("usage");
      }
      events.add(new SseEvent(null, ReplyPlanner.json(chunk), delayNanos));
    }
  }

  private static ObjectNode toolCallDelta(ObjectNode toolCall) {
    ObjectNode delta = Simulation.JSON.createObjectNode();
    delta.putArray("tool_calls").add(toolCall);
    return delta;
  }

  private static ObjectNode chunkBase(
      String id, long created, String model, String serviceTier, String fingerprint) {
    ObjectNode chunk = Simulation.JSON.createObjectNode();
    chunk.put("id", id);
    chunk.put("object", "chat.completion.chunk");
    chunk.put("created", created);
    chunk.put("model", model);
    chunk.put("service_tier", serviceTier);
    chunk.put("system_fingerprint", fingerprint);
    return chunk;
  }

  private static ObjectNode usage(
      OpenAiPrompt.Count count, int completionTokens, int reasoningTokens) {
    ObjectNode usage = Simulation.JSON.createObjectNode();
    usage.put("prompt_tokens", count.promptTokens());
    usage.put("completion_tokens", completionTokens);
    usage.put("total_tokens", count.promptTokens() + completionTokens);
    ObjectNode prompt = usage.putObject("prompt_tokens_details");
    prompt.put("cached_tokens", count.cachedTokens());
    prompt.put("audio_tokens", 0);
    ObjectNode completion = usage.putObject("completion_tokens_details");
    completion.put("reasoning_tokens", reasoningTokens);
    completion.put("audio_tokens", 0);
    completion.put("accepted_prediction_tokens", 0);
    completion.put("rejected_prediction_tokens", 0);
    return usage;
  }

  private static String finishReason(Reply reply, ToolMode toolMode) {
    switch (reply.finish()) {
      case LENGTH:
        return "length";
      case TOOL_CALLS:
        // OpenAI reports "stop", not "tool_calls", when tool_choice named the function.
        return toolMode == ToolMode.NAMED ? "stop" : "tool_calls";
      case STOP:
      default:
        return "stop";
    }
  }

  static String serviceTier(JsonNode body) {
    String tier = body.path("service_tier").asText("auto");
    return tier.equals("flex") || tier.equals("priority") || tier.equals("scale")
        ? tier
        : "default";
  }

  private static int maxTokens(JsonNode body, ModelCatalog.ModelInfo info) {
    if (Json.field(body, "max_tokens") != null && info.reasoning()) {
      throw ApiError.invalid(
          "Unsupported parameter: 'max_tokens' is not supported with this model. Use 'max_completion_tokens' instead.",
          "max_tokens",
          "unsupported_parameter");
    }
    long max =
        Json.integer(
            body, "max_completion_tokens", "max_completion_tokens", -1, 1, Integer.MAX_VALUE);
    if (max < 0) {
      max = Json.integer(body, "max_tokens", "max_tokens", -1, 1, Integer.MAX_VALUE);
    }
    return max < 0 ? Integer.MAX_VALUE : (int) max;
  }

  private static List<ToolSpec> tools(JsonNode body, OpenAiPrompt prompt) {
    JsonNode tools = Json.field(body, "tools");
    if (tools == null) {
      return List.of();
    }
    if (!tools.isArray()) {
      throw Json.typeError("tools", "an array", tools);
    }
    List<ToolSpec> specs = new ArrayList<>();
    for (int i = 0; i < tools.size(); i++) {
      JsonNode tool = tools.get(i);
      String type = tool.path("type").asText("function");
      if (type.equals("function")) {
        JsonNode function = tool.path("function");
        String name = function.path("name").asText(null);
        if (name == null) {
          throw ApiError.invalid(
              "Missing required parameter: 'tools[" + i + "].function.name'.",
              "tools[" + i + "].function.name",
              "missing_required_parameter");
        }
        specs.add(new ToolSpec(name, Json.field(function, "parameters")));
      } else if (type.equals("custom")) {
        String name = tool.path("custom").path("name").asText("custom");
        specs.add(new ToolSpec(name, null));
      }
    }
    if (!specs.isEmpty()) {
      prompt.section("Tools", tools.toString());
    }
    return specs;
  }

  private static void message(OpenAiPrompt prompt, JsonNode message, int index) {
    String param = "messages[" + index + "]";
    if (!message.isObject()) {
      throw Json.typeError(param, "an object", message);
    }
    String role = Json.text(message, "role", param + ".role");
    if (role == null) {
      throw ApiError.invalid(
          "Missing required parameter: '" + param + ".role'.",
          param + ".role",
          "missing_required_parameter");
    }
    if (!ROLES.contains(role)) {
      throw ApiError.invalid(
          "Invalid value: '"
              + role
              + "'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.",
          param + ".role",
          "invalid_value");
    }
    StringBuilder text = new StringBuilder();
    JsonNode content = message.get("content");
    if (content == null || content.isNull()) {
      if (!role.equals("assistant")) {
        throw ApiError.invalid(
            "Missing required parameter: '" + param + ".content'.",
            param + ".content",
            "missing_required_parameter");
      }
    } else if (content.isTextual()) {
      text.append(content.asText());
    } else if (content.isArray()) {
      text.append(
          prompt.parts(
              content,
              PART_KINDS,
              "'text', 'image_url', 'input_audio', 'refusal', and 'file'",
              param));
    } else {
      throw Json.typeError(param + ".content", "one of a string or array of objects", content);
    }
    JsonNode toolCalls = message.get("tool_calls");
    if (toolCalls != null && toolCalls.isArray()) {
      for (JsonNode toolCall : toolCalls) {
        JsonNode function = toolCall.path("function");
        text.append("\n")
            .append(function.path("name").asText(""))
            .append('(')
            .append(function.path("arguments").asText(""))
            .append(')');
      }
    }
    prompt.message(role, text.toString());
  }
}
