package dev.tokenscope.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;

/**
 * Anthropic's {@code POST /v1/messages/count_tokens}: the input tokens a Messages request with the
 * same model, system, tools and messages would use, caching aside.
 */
final class AnthropicCountTokens implements Endpoint {

  @Override
  public void handle(ApiCall call, JsonNode body) throws IOException {
    String model = AnthropicMessages.requiredModel(body);
    call.model(model, null);
    AnthropicMessages.Settings settings =
        AnthropicMessages.settings(body, model, Integer.MAX_VALUE);
    if (call.injectFault()) {
      return;
    }
    int tokens = settings.prompt().totalTokens;
    call.usage(tokens, 0, 0, 0, 0, 0);
    ObjectNode response = Simulation.JSON.createObjectNode();
    response.put("input_tokens", tokens);
    call.sendJson(200, response);
  }
}
