package dev.tokenscope.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Bad input gets the provider's own error body and status, never a crash: unknown paths, wrong
 * methods, missing credentials, broken JSON, missing or invalid fields.
 */
class MalformedRequestTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static LlmSimulator sim;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    sim = LlmSimulator.builder().speed(0).build().start();
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stop() {
    sim.close();
  }

  private static HttpResponse<String> send(
      String method, String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(sim.baseUrl() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static final String[] OPENAI = {"Authorization", "Bearer sk-test"};
  private static final String[] ANTHROPIC = {
    "x-api-key", "sk-ant", "anthropic-version", "2023-06-01"
  };

  /** Asserts OpenAI's error envelope and returns the inner error. */
  private static JsonNode openAiError(HttpResponse<String> response, int status) throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    JsonNode body = JSON.readTree(response.body());
    assertThat(RawHttpWireFormatTest.fieldNames(body)).containsExactly("error");
    assertThat(RawHttpWireFormatTest.fieldNames(body.get("error")))
        .containsExactly("message", "type", "param", "code");
    return body.get("error");
  }

  /** Asserts Anthropic's error envelope and returns the inner error. */
  private static JsonNode anthropicError(HttpResponse<String> response, int status)
      throws Exception {
    assertThat(response.statusCode()).isEqualTo(status);
    JsonNode body = JSON.readTree(response.body());
    assertThat(body.get("type").asText()).isEqualTo("error");
    assertThat(body.get("request_id").asText()).startsWith("req_");
    return body.get("error");
  }

  @Test
  void unknownPathsAre404InEachProvidersShape() throws Exception {
    JsonNode openAi = openAiError(send("POST", "/v1/chat/complete", "{}", OPENAI), 404);
    assertThat(openAi.get("message").asText()).isEqualTo("Invalid URL (POST /v1/chat/complete)");
    JsonNode anthropic =
        anthropicError(send("POST", "/v1/messages/batches/x", "{}", ANTHROPIC), 404);
    assertThat(anthropic.get("type").asText()).isEqualTo("not_found_error");
    openAiError(send("GET", "/", null, OPENAI), 404);
  }

  @Test
  void wrongMethodsAre405WithAllow() throws Exception {
    HttpResponse<String> openAi = send("GET", "/v1/chat/completions", null, OPENAI);
    openAiError(openAi, 405);
    assertThat(openAi.headers().firstValue("allow")).contains("POST");
    HttpResponse<String> anthropic = send("DELETE", "/v1/messages", null, ANTHROPIC);
    anthropicError(anthropic, 405);
    HttpResponse<String> models = send("POST", "/v1/models", "{}", OPENAI);
    openAiError(models, 405);
    assertThat(models.headers().firstValue("allow")).contains("GET");
  }

  @Test
  void missingCredentialsAre401() throws Exception {
    JsonNode openAi = openAiError(send("POST", "/v1/chat/completions", "{}"), 401);
    assertThat(openAi.get("type").asText()).isEqualTo("invalid_request_error");
    openAiError(send("POST", "/v1/embeddings", "{}", "Authorization", "Bearer "), 401);
    JsonNode anthropic =
        anthropicError(send("POST", "/v1/messages", "{}", "anthropic-version", "2023-06-01"), 401);
    assertThat(anthropic.get("type").asText()).isEqualTo("authentication_error");
    assertThat(anthropic.get("message").asText()).isEqualTo("x-api-key header is required");
  }

  @Test
  void anthropicRequiresTheVersionHeader() throws Exception {
    JsonNode error = anthropicError(send("POST", "/v1/messages", "{}", "x-api-key", "k"), 400);
    assertThat(error.get("message").asText()).isEqualTo("anthropic-version: header is required");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "/v1/chat/completions|{not json",
        "/v1/chat/completions|",
        "/v1/chat/completions|[1,2]",
        "/v1/responses|\"just a string\"",
        "/v1/embeddings|{\"model\": ",
      })
  void brokenJsonIs400ForOpenAi(String path, String body) throws Exception {
    JsonNode error = openAiError(send("POST", path, body == null ? "" : body, OPENAI), 400);
    assertThat(error.get("message").asText())
        .startsWith("We could not parse the JSON body of your request.");
  }

  @Test
  void brokenJsonIs400ForAnthropic() throws Exception {
    JsonNode error = anthropicError(send("POST", "/v1/messages", "{\"model\":", ANTHROPIC), 400);
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|you must provide a model parameter|",
        "{\"model\":\"gpt-4o\"}|Missing required parameter: 'messages'.|messages",
        "{\"model\":\"gpt-4o\",\"messages\":[]}|Invalid 'messages': empty array.|messages",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}|Invalid value: 'robot'.|messages[0].role",
        "{\"model\":\"gpt-4o\",\"messages\":\"hi\"}|Invalid type for 'messages'|messages",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\"}]}|Missing required parameter: 'messages[0].content'.|messages[0].content",
        "{\"model\":\"gpt-4o\",\"n\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|Invalid 'n'|n",
        "{\"model\":\"gpt-4o\",\"stream_options\":{\"include_usage\":true},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|The 'stream_options' parameter is only allowed when 'stream' is enabled.|stream_options",
        "{\"model\":\"gpt-4o\",\"response_format\":{\"type\":\"json_object\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|must contain the word 'json'|messages",
        "{\"model\":\"gpt-5-mini\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|Unsupported parameter: 'max_tokens'|max_tokens",
        "{\"model\":\"gpt-4o\",\"tool_choice\":\"required\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|'tool_choice' is only allowed when 'tools' are specified|tool_choice",
        "{\"model\":\"gpt-4o\",\"response_format\":{\"type\":\"xml\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|Invalid value: 'xml'|response_format.type",
      })
  void invalidChatRequestsNameTheParameter(String body, String message, String param)
      throws Exception {
    JsonNode error = openAiError(send("POST", "/v1/chat/completions", body, OPENAI), 400);
    assertThat(error.get("message").asText()).contains(message);
    if (param == null) {
      assertThat(error.get("param").isNull()).isTrue();
    } else {
      assertThat(error.get("param").asText()).isEqualTo(param);
    }
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|model: Field required",
        "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|max_tokens: Field required",
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":0,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|max_tokens: Input should be greater than or equal to 1",
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10}|messages: Field required",
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[]}|messages: at least one message is required",
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"system\",\"content\":\"hi\"}]}|messages.0.role: Input should be 'user' or 'assistant'",
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\"}]}|messages.0.content: Field required",
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":2000,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":100},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|budget_tokens: Input should be greater than or equal to 1024",
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1500,\"thinking\":{\"type\":\"enabled\",\"budget_tokens\":2000},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|`max_tokens` must be greater than `thinking.budget_tokens`",
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"system\":[{\"type\":\"text\",\"text\":\"x\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"2h\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|system.0.cache_control.ttl: Input should be '5m' or '1h'",
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"tool_choice\":{\"type\":\"tool\",\"name\":\"nope\"},\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|Tool 'nope' not found",
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"tools\":[{\"name\":\"t\"}],\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}|tools.0.custom.input_schema: Field required",
      })
  void invalidMessagesRequestsExplainTheField(String body, String message) throws Exception {
    JsonNode error = anthropicError(send("POST", "/v1/messages", body, ANTHROPIC), 400);
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("message").asText()).contains(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"model\":\"text-embedding-3-small\"}|Missing required parameter: 'input'.",
        "{\"model\":\"text-embedding-3-small\",\"input\":\"\"}|'$.input' is invalid.",
        "{\"model\":\"text-embedding-3-small\",\"input\":[]}|'$.input' is invalid.",
        "{\"model\":\"text-embedding-3-small\",\"input\":[{\"a\":1}]}|'$.input' is invalid.",
        "{\"model\":\"text-embedding-3-small\",\"input\":\"x\",\"encoding_format\":\"hex\"}|Invalid value: 'hex'.",
        "{\"model\":\"text-embedding-ada-002\",\"input\":\"x\",\"dimensions\":8}|This model does not support specifying dimensions.",
        "{\"model\":\"text-embedding-3-small\",\"input\":\"x\",\"dimensions\":99999}|Invalid 'dimensions'",
      })
  void invalidEmbeddingRequestsAre400(String body, String message) throws Exception {
    assertThat(
            openAiError(send("POST", "/v1/embeddings", body, OPENAI), 400).get("message").asText())
        .contains(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"input\":\"hi\"}|Missing required parameter: 'model'.",
        "{\"model\":\"gpt-4o\"}|Missing required parameter: 'input'.",
        "{\"model\":\"gpt-4o\",\"input\":[]}|Invalid 'input': empty array.",
        "{\"model\":\"gpt-4o\",\"input\":\"hi\",\"max_output_tokens\":4}|Invalid 'max_output_tokens'",
        "{\"model\":\"gpt-4o\",\"input\":[{\"type\":\"teleport\"}]}|Invalid value: 'teleport'.",
        "{\"model\":\"gpt-4o\",\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"json_schema\",\"name\":\"x\"}}}|Missing required parameter: 'text.format.schema'.",
      })
  void invalidResponsesRequestsAre400(String body, String message) throws Exception {
    assertThat(
            openAiError(send("POST", "/v1/responses", body, OPENAI), 400).get("message").asText())
        .contains(message);
  }

  @Test
  void everyRejectedRequestIsLoggedWithItsStatusAndNoTokens() throws Exception {
    sim.requestLog().clear();
    send("POST", "/v1/chat/completions", "{", OPENAI);
    send("POST", "/v1/messages", "{}", ANTHROPIC);
    assertThat(sim.requestLog().entries())
        .extracting(
            RecordedRequest::status, RecordedRequest::inputTokens, RecordedRequest::provider)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(400, 0L, Provider.OPENAI),
            org.assertj.core.groups.Tuple.tuple(400, 0L, Provider.ANTHROPIC));
  }

  @Test
  void theSimulatorKeepsServingAfterBadInput() throws Exception {
    send("POST", "/v1/chat/completions", "\u0000\u0001garbage", OPENAI);
    HttpResponse<String> ok =
        send(
            "POST",
            "/v1/chat/completions",
            "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
            OPENAI);
    assertThat(ok.statusCode()).isEqualTo(200);
  }
}
