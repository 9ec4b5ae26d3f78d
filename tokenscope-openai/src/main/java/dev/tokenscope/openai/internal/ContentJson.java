package dev.tokenscope.openai.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.openai.core.ObjectMappers;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Prompts and replies as the GenAI conventions spell them ({@code gen_ai.input.messages}: {@code
 * [{"role":"user","parts":[{"type":"text","content":"…"}]}]}), read from the JSON the SDK sends and
 * receives. Only used when the content policy captures content.
 */
final class ContentJson {

  private static final JsonMapper MAPPER = ObjectMappers.jsonMapper();

  /** Input messages and system instructions; either may be null when there is none. */
  record Input(@Nullable String messages, @Nullable String systemInstructions) {}

  private ContentJson() {}

  /** Chat completion request messages: system and developer ones are system instructions. */
  static Input chatInput(List<?> messageParams) {
    ArrayNode messages = MAPPER.createArrayNode();
    ArrayNode instructions = MAPPER.createArrayNode();
    for (Object param : messageParams) {
      JsonNode message = MAPPER.valueToTree(param);
      String role = message.path("role").asText("user");
      if (role.equals("system") || role.equals("developer")) {
        instructions.addAll(parts(message.path("content")));
      } else {
        messages.add(chatMessage(role, message));
      }
    }
    return new Input(json(messages), json(instructions));
  }

  private static ObjectNode chatMessage(String role, JsonNode message) {
    ArrayNode parts = MAPPER.createArrayNode();
    if (role.equals("tool")) {
      parts
          .addObject()
          .put("type", "tool_call_response")
          .put("id", message.path("tool_call_id").asText())
          .put("response", text(message.path("content")));
    } else {
      parts.addAll(parts(message.path("content")));
      for (JsonNode call : message.path("tool_calls")) {
        parts
            .addObject()
            .put("type", "tool_call")
            .put("id", call.path("id").asText())
            .put("name", call.path("function").path("name").asText())
            .put("arguments", call.path("function").path("arguments").asText());
      }
    }
    ObjectNode out = MAPPER.createObjectNode().put("role", role);
    out.set("parts", parts);
    return out;
  }

  /** The choices of a chat completion (or a streamed one rebuilt), as output messages. */
  static @Nullable String chatOutput(List<?> choices) {
    ArrayNode messages = MAPPER.createArrayNode();
    for (Object choice : choices) {
      JsonNode node = MAPPER.valueToTree(choice);
      ObjectNode message = chatMessage("assistant", node.path("message"));
      if (node.hasNonNull("finish_reason")) {
        message.put("finish_reason", node.path("finish_reason").asText());
      }
      messages.add(message);
    }
    return json(messages);
  }

  /** Streamed reply text of one choice. */
  static @Nullable String streamedOutput(List<String> texts, List<@Nullable String> finishReasons) {
    ArrayNode messages = MAPPER.createArrayNode();
    for (int i = 0; i < texts.size(); i++) {
      ObjectNode message = MAPPER.createObjectNode().put("role", "assistant");
      message.putArray("parts").addObject().put("type", "text").put("content", texts.get(i));
      String reason = finishReasons.get(i);
      if (reason != null) {
        message.put("finish_reason", reason);
      }
      messages.add(message);
    }
    return json(messages);
  }

  /** A Responses API request: {@code input} (text or items) and {@code instructions}. */
  static Input responsesInput(@Nullable Object input, @Nullable String instructions) {
    ArrayNode messages = MAPPER.createArrayNode();
    if (input != null) {
      JsonNode node = MAPPER.valueToTree(input);
      if (node.isTextual()) {
        ObjectNode message = messages.addObject().put("role", "user");
        message.putArray("parts").addObject().put("type", "text").put("content", node.asText());
      } else {
        for (JsonNode item : node) {
          ObjectNode message = responsesItem(item);
          if (message != null) {
            messages.add(message);
          }
        }
      }
    }
    ArrayNode system = MAPPER.createArrayNode();
    if (instructions != null) {
      system.addObject().put("type", "text").put("content", instructions);
    }
    return new Input(json(messages), json(system));
  }

  /** A Responses API reply: its message and function call output items. */
  static @Nullable String responsesOutput(List<?> outputItems) {
    ArrayNode messages = MAPPER.createArrayNode();
    for (Object item : outputItems) {
      ObjectNode message = responsesItem(MAPPER.valueToTree(item));
      if (message != null) {
        messages.add(message);
      }
    }
    return json(messages);
  }

  private static @Nullable ObjectNode responsesItem(JsonNode item) {
    String type = item.path("type").asText("message");
    ObjectNode message = MAPPER.createObjectNode();
    ArrayNode parts = MAPPER.createArrayNode();
    switch (type) {
      case "message":
        message.put("role", item.path("role").asText("user"));
        parts.addAll(parts(item.path("content")));
        break;
      case "function_call":
        message.put("role", "assistant");
        parts
            .addObject()
            .put("type", "tool_call")
            .put("id", item.path("call_id").asText())
            .put("name", item.path("name").asText())
            .put("arguments", item.path("arguments").asText());
        break;
      case "function_call_output":
        message.put("role", "tool");
        parts
            .addObject()
            .put("type", "tool_call_response")
            .put("id", item.path("call_id").asText())
            .put("response", text(item.path("output")));
        break;
      default:
        return null;
    }
    message.set("parts", parts);
    return message;
  }

  /** Text parts of a message's {@code content}: a string, or an array of typed parts. */
  private static ArrayNode parts(JsonNode content) {
    ArrayNode parts = MAPPER.createArrayNode();
    if (content.isTextual()) {
      parts.addObject().put("type", "text").put("content", content.asText());
    } else if (content.isArray()) {
      for (JsonNode part : content) {
        String type = part.path("type").asText();
        if (part.has("text")) {
          parts.addObject().put("type", "text").put("content", part.path("text").asText());
        } else if (part.has("refusal")) {
          parts.addObject().put("type", "text").put("content", part.path("refusal").asText());
        } else {
          parts.addObject().put("type", type);
        }
      }
    }
    return parts;
  }

  private static String text(JsonNode content) {
    if (content.isTextual()) {
      return content.asText();
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      text.append(part.path("text").asText(""));
    }
    return text.toString();
  }

  private static @Nullable String json(ArrayNode array) {
    return array.isEmpty() ? null : array.toString();
  }
}
