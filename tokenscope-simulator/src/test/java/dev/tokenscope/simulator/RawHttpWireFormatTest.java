package dev.tokenscope.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Exact bytes on the wire: JSON fields, headers and SSE framing, checked without any SDK. */
class RawHttpWireFormatTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static LlmSimulator sim;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    sim = LlmSimulator.builder().seed(1).speed(0).build().start();
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  static HttpResponse<String> openAi(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
            .header("Authorization", "Bearer sk-test")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> anthropic(String path, String body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
            .header("x-api-key", "sk-ant-test")
            .header("anthropic-version", "2023-06-01")
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Splits an SSE body into (event, data) pairs, checking the framing on the way. */
  static List<String[]> events(String body) {
    assertThat(body).endsWith("\n\n");
    List<String[]> events = new ArrayList<>();
    for (String block : body.substring(0, body.length() - 2).split("\n\n", -1)) {
      String event = null;
      String data = null;
      for (String line : block.split("\n")) {
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          assertThat(data).as("one data line per event").isNull();
          data = line.substring(6);
        } else {
          throw new AssertionError("unexpected SSE line: " + line);
        }
      }
      events.add(new String[] {event, data});
    }
    return events;
  }

  @Test
  void chatCompletionHasOpenAisExactShapeAndHeaders() throws Exception {
    HttpResponse<String> response =
        openAi(
            "/v1/chat/completions",
            "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    assertThat(response.headers().firstValue("x-request-id"))
        .hasValueSatisfying(v -> assertThat(v).matches("req_[0-9a-f]{32}"));
    assertThat(response.headers().firstValue("openai-processing-ms"))
        .hasValueSatisfying(v -> assertThat(v).matches("\\d+"));
    assertThat(response.headers().firstValue("openai-version")).contains("2020-10-01");
    assertThat(response.headers().firstValue("x-ratelimit-limit-requests")).isPresent();
    JsonNode body = JSON.readTree(response.body());
    assertThat(fieldNames(body))
        .containsExactly(
            "id",
            "object",
            "created",
            "model",
            "choices",
            "usage",
            "service_tier",
            "system_fingerprint");
    assertThat(body.get("id").asText()).matches("chatcmpl-[A-Za-z0-9]{29}");
    assertThat(body.get("object").asText()).isEqualTo("chat.completion");
    JsonNode choice = body.get("choices").get(0);
    assertThat(fieldNames(choice)).containsExactly("index", "message", "logprobs", "finish_reason");
    assertThat(fieldNames(choice.get("message")))
        .containsExactly("role", "content", "refusal", "annotations");
    assertThat(choice.get("logprobs").isNull()).isTrue();
    assertThat(fieldNames(body.get("usage")))
        .containsExactly(
            "prompt_tokens",
            "completion_tokens",
            "total_tokens",
            "prompt_tokens_details",
            "completion_tokens_details");
    assertThat(response.headers().firstValue("x-request-id"))
        .contains(sim.requestLog().last().requestId());
  }

  @Test
  void chatStreamIsDataOnlySseEndingWithDone() throws Exception {
    HttpResponse<String> response =
        openAi(
            "/v1/chat/completions",
            "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.headers().firstValue("content-type"))
        .contains("text/event-stream; charset=utf-8");
    List<String[]> events = events(response.body());
    assertThat(events).allSatisfy(e -> assertThat(e[0]).isNull());
    assertThat(events.get(events.size() - 1)[1]).isEqualTo("[DONE]");
    JsonNode first = JSON.readTree(events.get(0)[1]);
    assertThat(first.get("object").asText()).isEqualTo("chat.completion.chunk");
    assertThat(first.at("/choices/0/delta/role").asText()).isEqualTo("assistant");
    assertThat(first.get("usage").isNull()).isTrue();
    JsonNode usage = JSON.readTree(events.get(events.size() - 2)[1]);
    assertThat(usage.get("choices")).isEmpty();
    assertThat(usage.at("/usage/total_tokens").asInt()).isPositive();
    JsonNode finish = JSON.readTree(events.get(events.size() - 3)[1]);
    assertThat(finish.at("/choices/0/finish_reason").asText()).isEqualTo("stop");
    assertThat(finish.at("/choices/0/delta").isEmpty()).isTrue();
  }

  @Test
  void messagesStreamFollowsAnthropicsEventSequence() throws Exception {
    HttpResponse<String> response =
        anthropic(
            "/v1/messages",
            "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":50,\"stream\":true,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    assertThat(response.headers().firstValue("request-id"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("req_011C"));
    assertThat(response.headers().firstValue("anthropic-ratelimit-requests-limit")).isPresent();
    List<String[]> events = events(response.body());
    List<String> names = events.stream().map(e -> e[0]).toList();
    assertThat(names.subList(0, 3)).containsExactly("message_start", "content_block_start", "ping");
    assertThat(names.subList(names.size() - 3, names.size()))
        .containsExactly("content_block_stop", "message_delta", "message_stop");
    assertThat(names.subList(3, names.size() - 3)).containsOnly("content_block_delta");
    for (String[] event : events) {
      assertThat(JSON.readTree(event[1]).get("type").asText()).isEqualTo(event[0]);
    }
    JsonNode start = JSON.readTree(events.get(0)[1]).get("message");
    assertThat(start.get("content")).isEmpty();
    assertThat(start.get("stop_reason").isNull()).isTrue();
    assertThat(start.at("/usage/cache_creation/ephemeral_5m_input_tokens").isInt()).isTrue();
    JsonNode delta = JSON.readTree(events.get(events.size() - 2)[1]);
    assertThat(delta.at("/delta/stop_reason").asText()).isIn("end_turn", "max_tokens");
    assertThat(delta.at("/usage/output_tokens").asInt()).isPositive();
  }

  @Test
  void responsesStreamHasTypedEventsWithIncreasingSequenceNumbers() throws Exception {
    HttpResponse<String> response =
        openAi("/v1/responses", "{\"model\":\"gpt-4o\",\"input\":\"hi\",\"stream\":true}");

    List<String[]> events = events(response.body());
    for (int i = 0; i < events.size(); i++) {
      JsonNode data = JSON.readTree(events.get(i)[1]);
      assertThat(data.get("type").asText()).isEqualTo(events.get(i)[0]);
      assertThat(data.get("sequence_number").asInt()).isEqualTo(i);
    }
    List<String> names = events.stream().map(e -> e[0]).toList();
    assertThat(names)
        .startsWith(
            "response.created",
            "response.in_progress",
            "response.output_item.added",
            "response.content_part.added")
        .endsWith(
            "response.output_text.done",
            "response.content_part.done",
            "response.output_item.done",
            "response.completed");
  }

  @Test
  void anthropicMessageHasTheExactShape() throws Exception {
    HttpResponse<String> response =
        anthropic(
            "/v1/messages",
            "{\"model\":\"claude-haiku-4-5\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

    JsonNode body = JSON.readTree(response.body());
    assertThat(fieldNames(body))
        .containsExactly(
            "id", "type", "role", "model", "content", "stop_reason", "stop_sequence", "usage");
    assertThat(body.get("id").asText()).matches("msg_01[A-Za-z0-9]{22}");
    assertThat(fieldNames(body.get("usage")))
        .containsExactly(
            "input_tokens",
            "cache_creation_input_tokens",
            "cache_read_input_tokens",
            "cache_creation",
            "output_tokens",
            "service_tier");
  }

  @Test
  void countTokensAnswersWithInputTokensOnly() throws Exception {
    HttpResponse<String> response =
        anthropic(
            "/v1/messages/count_tokens",
            "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}");

    JsonNode body = JSON.readTree(response.body());
    assertThat(fieldNames(body)).containsExactly("input_tokens");
    assertThat(body.get("input_tokens").asInt()).isPositive();
  }

  @Test
  void anthropicModelsListIsServedToAnthropicClients() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/v1/models"))
                .header("x-api-key", "k")
                .header("anthropic-version", "2023-06-01")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("has_more").asBoolean()).isFalse();
    assertThat(body.at("/data/0/type").asText()).isEqualTo("model");
    assertThat(body.get("data").findValuesAsText("id"))
        .contains("claude-sonnet-4-5-20250929", "claude-haiku-4-5-20251001");
  }

  static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
