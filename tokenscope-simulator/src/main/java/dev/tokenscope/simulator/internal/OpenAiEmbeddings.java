package dev.tokenscope.simulator.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.knuddels.jtokkit.api.Encoding;
import dev.tokenscope.simulator.Provider;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * {@code POST /v1/embeddings}. Vectors are unit length and deterministic: the normalised sum of a
 * fixed pseudo-random vector per word, so texts sharing words are closer than unrelated ones.
 * Floats or base64 (little-endian float32, what the OpenAI SDK asks for by default).
 */
final class OpenAiEmbeddings implements Endpoint {

  private static final int MAX_INPUTS = 2048;
  private static final int MAX_WORDS = 512;

  @Override
  public void handle(ApiCall call, JsonNode body) throws IOException {
    String model = Json.text(body, "model", "model");
    if (model == null || model.isEmpty()) {
      throw ApiError.invalid("you must provide a model parameter");
    }
    call.model(model, ModelCatalog.responseModel(Provider.OPENAI, model));
    JsonNode input = Json.field(body, "input");
    if (input == null) {
      throw ApiError.invalid(
          "Missing required parameter: 'input'.", "input", "missing_required_parameter");
    }
    ModelCatalog.ModelInfo info = ModelCatalog.find(Provider.OPENAI, model);
    int defaultDimensions = info.embeddingDimensions() > 0 ? info.embeddingDimensions() : 1536;
    long dimensions =
        Json.integer(body, "dimensions", "dimensions", defaultDimensions, 1, defaultDimensions);
    if (Json.field(body, "dimensions") != null && model.startsWith("text-embedding-ada")) {
      throw ApiError.invalid(
          "This model does not support specifying dimensions.", "dimensions", null);
    }
    String format = body.path("encoding_format").asText("float");
    if (!format.equals("float") && !format.equals("base64")) {
      throw ApiError.invalid(
          "Invalid value: '" + format + "'. Supported values are: 'float' and 'base64'.",
          "encoding_format",
          "invalid_value");
    }
    Encoding encoding = TokenCounter.encodingFor(Provider.OPENAI, model);
    List<String> texts = new ArrayList<>();
    int tokens = 0;
    if (input.isTextual()) {
      texts.add(nonEmpty(input.asText()));
      tokens += TokenCounter.count(encoding, input.asText());
    } else if (input.isArray() && input.size() > 0 && input.size() <= MAX_INPUTS) {
      if (input.get(0).isIntegralNumber()) {
        // One input given as token ids.
        texts.add(tokenIds(input));
        tokens += input.size();
      } else {
        for (JsonNode item : input) {
          if (item.isTextual()) {
            texts.add(nonEmpty(item.asText()));
            tokens += TokenCounter.count(encoding, item.asText());
          } else if (item.isArray() && item.size() > 0) {
            texts.add(tokenIds(item));
            tokens += item.size();
          } else {
            throw invalidInput();
          }
        }
      }
    } else {
      throw invalidInput();
    }
    if (call.injectFault()) {
      return;
    }
    ObjectNode response = Simulation.JSON.createObjectNode();
    response.put("object", "list");
    ArrayNode data = response.putArray("data");
    for (int i = 0; i < texts.size(); i++) {
      float[] vector = vector(model, texts.get(i), (int) dimensions);
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      if (format.equals("base64")) {
        ByteBuffer buffer = ByteBuffer.allocate(vector.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : vector) {
          buffer.putFloat(v);
        }
        item.put("embedding", Base64.getEncoder().encodeToString(buffer.array()));
      } else {
        ArrayNode values = item.putArray("embedding");
        for (float v : vector) {
          values.add(v);
        }
      }
    }
    response.put("model", ModelCatalog.responseModel(Provider.OPENAI, model));
    ObjectNode usage = response.putObject("usage");
    usage.put("prompt_tokens", tokens);
    usage.put("total_tokens", tokens);
    call.usage(tokens, 0, 0, 0, 0, 0);
    Streaming pacing = new Streaming(call.sim(), call.sim().latency(Provider.OPENAI, model));
    call.sim().pause(pacing.wholeReplyDelay(0));
    call.sendJson(200, response);
  }

  private static String nonEmpty(String text) {
    if (text.isEmpty()) {
      throw invalidInput();
    }
    return text;
  }

  private static String tokenIds(JsonNode ids) {
    for (JsonNode id : ids) {
      if (!id.isIntegralNumber()) {
        throw invalidInput();
      }
    }
    return ids.toString();
  }

  private static ApiError invalidInput() {
    return ApiError.invalid(
        "'$.input' is invalid. Please check the API reference: https://platform.openai.com/docs/api-reference.",
        "input",
        null);
  }

  static float[] vector(String model, String text, int dimensions) {
    double[] sum = new double[dimensions];
    String[] words = text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+");
    int used = 0;
    for (String word : words) {
      if (word.isEmpty()) {
        continue;
      }
      SplittableRandom random =
          new SplittableRandom(Seeds.mix(Seeds.hash(model) ^ Seeds.hash(word)));
      for (int d = 0; d < dimensions; d++) {
        sum[d] += random.nextDouble(-1, 1);
      }
      if (++used == MAX_WORDS) {
        break;
      }
    }
    if (used == 0) {
      SplittableRandom random = new SplittableRandom(Seeds.hash(model + "\u0000" + text));
      for (int d = 0; d < dimensions; d++) {
        sum[d] = random.nextDouble(-1, 1);
      }
    }
    double norm = 0;
    for (double v : sum) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    float[] vector = new float[dimensions];
    for (int d = 0; d < dimensions; d++) {
      vector[d] = (float) (sum[d] / norm);
    }
    return vector;
  }
}
