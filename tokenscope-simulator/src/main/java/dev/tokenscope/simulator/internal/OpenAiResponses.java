package dev.tokenscope.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenscope.simulator.Provider;
import dev.tokenscope.simulator.internal.Reply.Finish;
import dev.tokenscope.simulator.internal.Reply.ToolCall;
import dev.tokenscope.simulator.internal.ReplySpec.JsonMode;
import dev.tokenscope.simulator.internal.ReplySpec.ToolMode;
import dev.tokenscope.simulator.internal.ReplySpec.ToolSpec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** OpenAI's {@code POST /v1/responses}, plain and streamed (typed events with sequence numbers). */
final class OpenAiResponses implements Endpoint {

  private static final Map<String, OpenAiPrompt.PartKind> PART_KINDS =
      Map.of(
          "input_text", OpenAiPrompt.PartKind.TEXT,
          "output_text", OpenAiPrompt.PartKind.TEXT,
          "refusal", OpenAiPrompt.PartKind.REFUSAL,
          "input_image", OpenAiPrompt.PartKind.IMAGE,
          "input_file", OpenAiPrompt.PartKind.MEDIA,
          "input_audio", OpenAiPrompt.PartKind.MEDIA);

  @Override
  public void handle(ApiCall call, JsonNode body) throws IOException {
    Simulation sim = call.sim();
    String model = Json.text(body, "model", "model");
    if (model == null || model.isEmpty()) {
      throw ApiError.invalid(
          "Missing required parameter: 'model'.", "model", "missing_required_parameter");
    }
    ModelCatalog.ModelInfo info = ModelCatalog.find(Provider.OPENAI, model);
    String responseModel = ModelCatalog.responseModel(Provider.OPENAI, model);
    boolean stream = Json.bool(body, "stream", "stream", false);
    call.model(model, responseModel);
    call.streamed(stream);
    long maxOutput =
        Json.integer(body, "max_output_tokens", "max_output_tokens", -1, 16, Integer.MAX_VALUE);
    String effort = body.path("reasoning").path("effort").asText(null);

    OpenAiPrompt prompt = new OpenAiPrompt();
    ArrayNode echoedTools = Simulation.JSON.createArrayNode();
    List<ToolSpec> tools = tools(body, echoedTools, prompt);
    JsonNode toolChoice = Json.field(body, "tool_choice");
    OpenAiToolChoice toolUse = OpenAiToolChoice.parse(toolChoice, !tools.isEmpty(), "name");
    ToolMode toolMode = toolUse.mode();
    String forcedTool = toolUse.forcedTool();

    JsonMode jsonMode = JsonMode.NONE;
    JsonNode schema = null;
    JsonNode format = Json.field(body.path("text"), "format");
    ObjectNode echoedFormat = Simulation.JSON.createObjectNode().put("type", "text");
    if (format != null) {
      String type = format.path("type").asText("");
      switch (type) {
        case "text":
          break;
        case "json_object":
          jsonMode = JsonMode.OBJECT;
          echoedFormat = Simulation.JSON.createObjectNode().put("type", "json_object");
          break;
        case "json_schema":
          if (Json.field(format, "name") == null) {
            throw ApiError.invalid(
                "Missing required parameter: 'text.format.name'.",
                "text.format.name",
                "missing_required_parameter");
          }
          schema = Json.field(format, "schema");
          if (schema == null) {
            throw ApiError.invalid(
                "Missing required parameter: 'text.format.schema'.",
                "text.format.schema",
                "missing_required_parameter");
          }
          jsonMode = JsonMode.SCHEMA;
          echoedFormat = ((ObjectNode) format).deepCopy();
          if (!echoedFormat.has("strict")) {
            echoedFormat.put("strict", false);
          }
          prompt.section("Response format", schema.toString());
          break;
        default:
          throw ApiError.invalid(
              "Invalid value: '"
                  + type
                  + "'. Supported values are: 'text', 'json_object', and 'json_schema'.",
              "text.format.type",
              "invalid_value");
      }
    }

    String instructions = Json.text(body, "instructions", "instructions");
    if (instructions != null) {
      prompt.message("developer", instructions);
    }
    JsonNode input = Json.field(body, "input");
    if (input == null) {
      throw ApiError.invalid(
          "Missing required parameter: 'input'.", "input", "missing_required_parameter");
    }
    if (input.isTextual()) {
      prompt.message("user", input.asText());
    } else if (input.isArray()) {
      for (int i = 0; i < input.size(); i++) {
        item(prompt, input.get(i), i);
      }
    } else {
      throw Json.typeError("input", "a string or array", input);
    }
    if (prompt.turns().isEmpty()) {
      throw ApiError.invalid(
          "Invalid 'input': empty array. Expected an array with minimum length 1, but got an empty array instead.",
          "input",
          "empty_array");
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
            "",
            new OpenAiPrompt.Shape(
                tools,
                toolMode,
                forcedTool,
                jsonMode,
                schema,
                maxOutput < 0 ? Integer.MAX_VALUE : (int) maxOutput));
    OpenAiPrompt.Count count = prepared.count();
    ReplySpec spec = prepared.spec();
    Reply reply = ReplyPlanner.plan(sim, spec, ReplyPlanner.scripted(sim, spec), 0);

    String id = call.ids().hex("resp_", 48);
    call.responseId(id);
    call.usage(
        count.promptTokens(),
        reply.outputTokens(),
        count.cachedTokens(),
        0,
        0,
        reply.reasoningTokens());
    boolean incomplete = reply.finish() == Finish.LENGTH;

    // Output items, complete.
    List<ObjectNode> items = new ArrayList<>();
    if (info.reasoning()) {
      ObjectNode reasoningItem = Simulation.JSON.createObjectNode();
      reasoningItem.put("id", call.ids().hex("rs_", 48));
      reasoningItem.put("type", "reasoning");
      reasoningItem.putArray("summary");
      items.add(reasoningItem);
    }
    if (!reply.text().isEmpty() || reply.toolCalls().isEmpty()) {
      ObjectNode message = Simulation.JSON.createObjectNode();
      message.put("id", call.ids().hex("msg_", 48));
      message.put("type", "message");
      message.put("status", incomplete ? "incomplete" : "completed");
      message.putArray("content").add(outputText(reply.text()));
      message.put("role", "assistant");
      items.add(message);
    }
    for (ToolCall toolCall : reply.toolCalls()) {
      ObjectNode functionCall = Simulation.JSON.createObjectNode();
      functionCall.put("id", call.ids().hex("fc_", 48));
      functionCall.put("type", "function_call");
      functionCall.put("status", "completed");
      functionCall.put("arguments", toolCall.arguments());
      functionCall.put("call_id", call.ids().base62("call_", 24));
      functionCall.put("name", toolCall.name());
      items.add(functionCall);
    }

    ObjectNode usage = Simulation.JSON.createObjectNode();
    usage.put("input_tokens", count.promptTokens());
    usage
        .putObject("input_tokens_details")
        .put("cached_tokens", count.cachedTokens())
        .put("cache_write_tokens", 0);
    usage.put("output_tokens", reply.outputTokens());
    usage.putObject("output_tokens_details").put("reasoning_tokens", reply.reasoningTokens());
    usage.put("total_tokens", count.promptTokens() + reply.outputTokens());

    ObjectNode response =
        responseShell(
            call,
            body,
            id,
            responseModel,
            instructions,
            maxOutput,
            effort,
            echoedFormat,
            echoedTools,
            toolChoice);
    Streaming pacing = new Streaming(sim, sim.latency(Provider.OPENAI, model));
    if (!stream) {
      finish(response, items, usage, incomplete);
      sim.pause(pacing.wholeReplyDelay(reply.outputTokens()));
      call.sendJson(200, response);
      return;
    }

    EventList events = new EventList();
    ObjectNode inProgress = response.deepCopy();
    inProgress.put("status", "in_progress");
    inProgress.putArray("output");
    inProgress.putNull("usage");
    events.add(
        "response.created", Simulation.JSON.createObjectNode().set("response", inProgress), 0);
    events.add(
        "response.in_progress",
        Simulation.JSON.createObjectNode().set("response", inProgress.deepCopy()),
        0);
    long delay = pacing.firstTokenDelay(reply.reasoningTokens());
    for (int index = 0; index < items.size(); index++) {
      ObjectNode item = items.get(index);
      String type = item.path("type").asText();
      ObjectNode added = item.deepCopy();
      switch (type) {
        case "message":
          added.put("status", "in_progress");
          added.putArray("content");
          break;
        case "function_call":
          added.put("status", "in_progress");
          added.put("arguments", "");
          break;
        default:
          break;
      }
      ObjectNode addedEvent = Simulation.JSON.createObjectNode().put("output_index", index);
      addedEvent.set("item", added);
      events.add("response.output_item.added", addedEvent, type.equals("reasoning") ? 0 : delay);
      if (!type.equals("reasoning")) {
        delay = 0;
      }
      String itemId = item.path("id").asText();
      if (type.equals("message")) {
        ObjectNode partAdded = itemEvent(itemId, index).put("content_index", 0);
        partAdded.set("part", outputText(""));
        events.add("response.content_part.added", partAdded, 0);
        String text = item.path("content").path(0).path("text").asText();
        List<String> pieces = Streaming.pieces(text);
        double perPiece = pieces.isEmpty() ? 0 : (double) reply.textTokens() / pieces.size();
        for (String piece : pieces) {
          ObjectNode deltaEvent =
              itemEvent(itemId, index).put("content_index", 0).put("delta", piece);
          deltaEvent.putArray("logprobs");
          events.add("response.output_text.delta", deltaEvent, pacing.tokenDelay(perPiece));
        }
        ObjectNode textDone = itemEvent(itemId, index).put("content_index", 0).put("text", text);
        textDone.putArray("logprobs");
        events.add("response.output_text.done", textDone, 0);
        ObjectNode partDone = itemEvent(itemId, index).put("content_index", 0);
        partDone.set("part", outputText(text));
        events.add("response.content_part.done", partDone, 0);
      } else if (type.equals("function_call")) {
        String arguments = item.path("arguments").asText();
        List<String> pieces = Streaming.pieces(arguments);
        double perPiece = pieces.isEmpty() ? 0 : (double) reply.toolTokens() / pieces.size();
        for (String piece : pieces) {
          events.add(
              "response.function_call_arguments.delta",
              itemEvent(itemId, index).put("delta", piece),
              pacing.tokenDelay(perPiece));
        }
        events.add(
            "response.function_call_arguments.done",
            itemEvent(itemId, index)
                .put("name", item.path("name").asText())
                .put("arguments", arguments),
            0);
      }
      ObjectNode doneEvent = Simulation.JSON.createObjectNode().put("output_index", index);
      doneEvent.set("item", item);
      events.add("response.output_item.done", doneEvent, 0);
    }
    finish(response, items, usage, incomplete);
    events.add(
        incomplete ? "response.incomplete" : "response.completed",
        Simulation.JSON.createObjectNode().set("response", response),
        0);
    call.stream(events.events);
  }

  /** Typed events with increasing sequence numbers. */
  private static final class EventList {
    final List<SseEvent> events = new ArrayList<>();
    int sequence;

    void add(String type, ObjectNode payload, long delayNanos) {
      ObjectNode event = Simulation.JSON.createObjectNode().put("type", type);
      event.setAll(payload);
      event.put("sequence_number", sequence++);
      events.add(new SseEvent(type, ReplyPlanner.json(event), delayNanos));
    }
  }

  private static ObjectNode itemEvent(String itemId, int outputIndex) {
    return Simulation.JSON
        .createObjectNode()
        .put("item_id", itemId)
        .put("output_index", outputIndex);
  }

  private static ObjectNode outputText(String text) {
    ObjectNode part = Simulation.JSON.createObjectNode();
    part.put("type", "output_text");
    part.putArray("annotations");
    part.putArray("logprobs");
    part.put("text", text);
    return part;
  }

  private static void finish(
      ObjectNode response, List<ObjectNode> items, ObjectNode usage, boolean incomplete) {
    response.put("status", incomplete ? "incomplete" : "completed");
    if (incomplete) {
      response.putObject("incomplete_details").put("reason", "max_output_tokens");
    }
    ArrayNode output = response.putArray("output");
    items.forEach(output::add);
    response.set("usage", usage);
  }

  private static ObjectNode responseShell(
      ApiCall call,
      JsonNode body,
      String id,
      String model,
      @Nullable String instructions,
      long maxOutput,
      @Nullable String effort,
      ObjectNode format,
      ArrayNode tools,
      @Nullable JsonNode toolChoice) {
    ObjectNode response = Simulation.JSON.createObjectNode();
    response.put("id", id);
    response.put("object", "response");
    response.put("created_at", call.time().getEpochSecond());
    response.put("status", "completed");
    response.put("background", false);
    response.putNull("error");
    response.putNull("incomplete_details");
    response.put("instructions", instructions);
    if (maxOutput < 0) {
      response.putNull("max_output_tokens");
    } else {
      response.put("max_output_tokens", maxOutput);
    }
    response.putNull("max_tool_calls");
    response.put("model", model);
    response.putArray("output");
    response.put("parallel_tool_calls", body.path("parallel_tool_calls").asBoolean(true));
    response.put("previous_response_id", body.path("previous_response_id").asText(null));
    response.put("prompt_cache_key", body.path("prompt_cache_key").asText(null));
    ObjectNode reasoning = response.putObject("reasoning");
    reasoning.put("effort", effort);
    reasoning.put("summary", body.path("reasoning").path("summary").asText(null));
    response.putNull("safety_identifier");
    response.put("service_tier", OpenAiChatCompletions.serviceTier(body));
    response.put("store", body.path("store").asBoolean(true));
    response.put("temperature", body.path("temperature").asDouble(1.0));
    ObjectNode text = response.putObject("text");
    text.set("format", format);
    text.put("verbosity", body.path("text").path("verbosity").asText("medium"));
    if (toolChoice == null) {
      response.put("tool_choice", "auto");
    } else {
      response.set("tool_choice", toolChoice);
    }
    response.set("tools", tools);
    response.put("top_logprobs", 0);
    response.put("top_p", body.path("top_p").asDouble(1.0));
    response.put("truncation", body.path("truncation").asText("disabled"));
    response.putNull("usage");
    response.put("user", body.path("user").asText(null));
    JsonNode metadata = body.get("metadata");
    if (metadata != null && metadata.isObject()) {
      response.set("metadata", metadata);
    } else {
      response.putObject("metadata");
    }
    return response;
  }

  private static List<ToolSpec> tools(JsonNode body, ArrayNode echoed, OpenAiPrompt prompt) {
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
      String type = tool.path("type").asText("");
      if (type.equals("function")) {
        String name = tool.path("name").asText(null);
        if (name == null) {
          throw ApiError.invalid(
              "Missing required parameter: 'tools[" + i + "].name'.",
              "tools[" + i + "].name",
              "missing_required_parameter");
        }
        specs.add(new ToolSpec(name, Json.field(tool, "parameters")));
        ObjectNode copy = ((ObjectNode) tool).deepCopy();
        if (!copy.has("strict")) {
          copy.put("strict", true);
        }
        if (!copy.has("parameters")) {
          copy.putObject("parameters");
        }
        if (!copy.has("description")) {
          copy.putNull("description");
        }
        echoed.add(copy);
      } else {
        echoed.add(tool.deepCopy());
      }
    }
    if (!echoed.isEmpty()) {
      prompt.section("Tools", tools.toString());
    }
    return specs;
  }

  private static void item(OpenAiPrompt prompt, JsonNode item, int index) {
    String param = "input[" + index + "]";
    if (!item.isObject()) {
      throw Json.typeError(param, "an object", item);
    }
    String type = item.path("type").asText("message");
    switch (type) {
      case "message":
        String role = item.path("role").asText(null);
        if (role == null) {
          throw ApiError.invalid(
              "Missing required parameter: '" + param + ".role'.",
              param + ".role",
              "missing_required_parameter");
        }
        if (!role.equals("user")
            && !role.equals("assistant")
            && !role.equals("system")
            && !role.equals("developer")) {
          throw ApiError.invalid(
              "Invalid value: '"
                  + role
                  + "'. Supported values are: 'assistant', 'system', 'developer', and 'user'.",
              param + ".role",
              "invalid_value");
        }
        prompt.message(role, content(prompt, item.get("content"), param));
        break;
      case "function_call":
        prompt.message(
            "assistant",
            item.path("name").asText("") + "(" + item.path("arguments").asText("") + ")");
        break;
      case "function_call_output":
        JsonNode output = item.path("output");
        prompt.message("tool", output.isTextual() ? output.asText() : output.toString());
        break;
      case "reasoning":
      case "item_reference":
        break;
      default:
        throw ApiError.invalid(
            "Invalid value: '"
                + type
                + "'. Supported values are: 'message', 'function_call', 'function_call_output', 'reasoning', and 'item_reference'.",
            param + ".type",
            "invalid_value");
    }
  }

  private static String content(OpenAiPrompt prompt, JsonNode content, String param) {
    if (content == null || content.isNull()) {
      throw ApiError.invalid(
          "Missing required parameter: '" + param + ".content'.",
          param + ".content",
          "missing_required_parameter");
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (!content.isArray()) {
      throw Json.typeError(param + ".content", "a string or array", content);
    }
    return prompt.parts(
        content,
        PART_KINDS,
        "'input_text', 'input_image', 'output_text', 'refusal', 'input_file', and 'input_audio'",
        param);
  }
}
