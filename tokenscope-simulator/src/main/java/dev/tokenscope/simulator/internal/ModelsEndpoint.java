package dev.tokenscope.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenscope.simulator.Provider;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code GET /v1/models} and {@code GET /v1/models/{id}}, in OpenAI's shape or, when the request
 * carries Anthropic headers, in Anthropic's.
 */
final class ModelsEndpoint implements Endpoint {

  @Override
  public void handle(ApiCall call, JsonNode body) throws IOException {
    String path = call.path();
    String id = path.startsWith("/v1/models/") ? path.substring("/v1/models/".length()) : null;
    Provider provider = call.provider();
    if (call.injectFault()) {
      return;
    }
    if (id == null) {
      call.sendJson(200, provider == Provider.OPENAI ? openAiList() : anthropicList());
      return;
    }
    ModelCatalog.ModelInfo model = ModelCatalog.exact(id);
    if (model == null || model.provider() != provider) {
      if (provider == Provider.OPENAI) {
        throw new ApiError(
            404,
            "invalid_request_error",
            "The model '" + id + "' does not exist",
            "model",
            "model_not_found");
      }
      throw new ApiError(404, "not_found_error", "model: " + id, null, null);
    }
    call.model(id, provider == Provider.OPENAI ? model.alias() : model.snapshot());
    call.sendJson(200, provider == Provider.OPENAI ? openAi(model) : anthropic(model));
  }

  private static ObjectNode openAiList() {
    ObjectNode list = Simulation.JSON.createObjectNode();
    list.put("object", "list");
    ArrayNode data = list.putArray("data");
    for (ModelCatalog.ModelInfo model : ModelCatalog.all(Provider.OPENAI)) {
      data.add(openAi(model));
      if (!model.snapshot().equals(model.alias())) {
        data.add(openAi(model).put("id", model.snapshot()));
      }
    }
    return list;
  }

  private static ObjectNode openAi(ModelCatalog.ModelInfo model) {
    ObjectNode node = Simulation.JSON.createObjectNode();
    node.put("id", model.alias());
    node.put("object", "model");
    node.put("created", model.created());
    node.put(
        "owned_by", model.alias().startsWith("text-embedding-ada") ? "openai-internal" : "system");
    return node;
  }

  private static ObjectNode anthropicList() {
    List<ModelCatalog.ModelInfo> models = ModelCatalog.all(Provider.ANTHROPIC);
    ObjectNode list = Simulation.JSON.createObjectNode();
    ArrayNode data = list.putArray("data");
    for (ModelCatalog.ModelInfo model : models) {
      data.add(anthropic(model));
    }
    list.put("has_more", false);
    list.put("first_id", models.get(0).snapshot());
    list.put("last_id", models.get(models.size() - 1).snapshot());
    return list;
  }

  private static ObjectNode anthropic(ModelCatalog.ModelInfo model) {
    ObjectNode node = Simulation.JSON.createObjectNode();
    node.put("type", "model");
    node.put("id", model.snapshot());
    node.put("display_name", model.displayName());
    node.put("created_at", Instant.ofEpochSecond(model.created()).toString());
    node.put("lifecycle", "active");
    String name = model.alias().toLowerCase(Locale.ROOT);
    node.put("line", name.contains("opus") ? "opus" : name.contains("haiku") ? "haiku" : "sonnet");
    node.put("max_input_tokens", 200_000);
    node.put("max_tokens", name.contains("opus") ? 32_000 : 64_000);
    return node;
  }
}
