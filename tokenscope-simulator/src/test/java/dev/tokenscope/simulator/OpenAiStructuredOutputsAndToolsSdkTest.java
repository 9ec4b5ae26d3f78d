package dev.tokenscope.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.openai.client.OpenAIClient;
import com.openai.core.JsonValue;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.ResponseFormatJsonObject;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionNamedToolChoice;
import com.openai.models.chat.completions.ChatCompletionToolChoiceOption;
import com.openai.models.chat.completions.StructuredChatCompletion;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * JSON replies the OpenAI SDK parses itself: structured outputs from a Java class (strict JSON
 * schema), JSON mode, and function tool calls whose arguments fit the tool's schema.
 */
class OpenAiStructuredOutputsAndToolsSdkTest {

  static class MenuPlan {
    @JsonPropertyDescription("The menu's title")
    public String title;

    public List<Course> courses;

    public int guests;

    public boolean vegetarian;
  }

  static class Course {
    public String name;

    public Kind kind;

    public double price;
  }

  enum Kind {
    STARTER,
    MAIN,
    DESSERT
  }

  static class GetWeather {
    @JsonPropertyDescription("City name")
    public String city;

    public Unit unit;
  }

  enum Unit {
    CELSIUS,
    FAHRENHEIT
  }

  static class BookTable {
    public String restaurant;
    public int people;
  }

  private LlmSimulator sim;
  private OpenAIClient client;

  @BeforeEach
  void start() {
    sim = LlmSimulator.builder().seed(3).speed(0).build().start();
    client = Clients.openAi(sim);
  }

  @AfterEach
  void stop() {
    client.close();
    sim.close();
  }

  @Test
  void structuredOutputParsesIntoTheRequestedClass() {
    StructuredChatCompletion<MenuPlan> completion =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("gpt-4o-mini")
                    .addUserMessage("Plan an autumn menu")
                    .responseFormat(MenuPlan.class)
                    .build());

    MenuPlan plan = completion.choices().get(0).message().content().orElseThrow();
    assertThat(plan.title).isNotBlank();
    assertThat(plan.courses)
        .isNotEmpty()
        .allSatisfy(
            c -> {
              assertThat(c.name).isNotBlank();
              assertThat(c.kind).isNotNull();
            });
  }

  @Test
  void structuredOutputStreamsValidJson() throws Exception {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(
                ChatCompletionCreateParams.builder()
                    .model("gpt-4o-mini")
                    .addUserMessage("Plan an autumn menu")
                    .responseFormat(MenuPlan.class)
                    .build()
                    .rawParams())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    String json = accumulator.chatCompletion().choices().get(0).message().content().orElseThrow();
    MenuPlan plan = new ObjectMapper().readValue(json, MenuPlan.class);
    assertThat(plan.courses).isNotEmpty();
  }

  @Test
  void jsonModeAnswersWithAJsonObject() throws Exception {
    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("gpt-4.1")
                    .addUserMessage("Describe the dish as JSON")
                    .responseFormat(ResponseFormatJsonObject.builder().build())
                    .build());

    JsonNode json =
        new ObjectMapper().readTree(completion.choices().get(0).message().content().orElseThrow());
    assertThat(json.isObject()).isTrue();
  }

  @Test
  void autoToolChoiceCallsAToolOnAFreshUserTurnAndAnswersAfterTheResult() {
    ChatCompletionCreateParams first =
        ChatCompletionCreateParams.builder()
            .model("gpt-4o")
            .addUserMessage("What is the weather in Lyon?")
            .addTool(GetWeather.class)
            .build();
    ChatCompletion call = client.chat().completions().create(first);

    ChatCompletion.Choice choice = call.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    ChatCompletionMessageFunctionToolCall toolCall =
        choice.message().toolCalls().orElseThrow().get(0).asFunction();
    assertThat(toolCall.id()).startsWith("call_");
    assertThat(toolCall.function().name()).isEqualTo("GetWeather");
    GetWeather arguments = toolCall.function().arguments(GetWeather.class);
    assertThat(arguments.city).isNotBlank();
    assertThat(arguments.unit).isNotNull();

    ChatCompletion answer =
        client
            .chat()
            .completions()
            .create(
                first.toBuilder()
                    .addMessage(choice.message())
                    .addMessage(
                        com.openai.models.chat.completions.ChatCompletionToolMessageParam.builder()
                            .toolCallId(toolCall.id())
                            .content("{\"temperature\": 14}")
                            .build())
                    .build());
    assertThat(answer.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(answer.choices().get(0).message().content()).isPresent();
    assertThat(answer.usage().orElseThrow().promptTokens())
        .isGreaterThan(call.usage().orElseThrow().promptTokens());
  }

  @Test
  void namedToolChoiceForcesThatToolAndReportsStopLikeOpenAi() {
    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("gpt-4o-mini")
                    .addUserMessage("Book something")
                    .addTool(GetWeather.class)
                    .addTool(BookTable.class)
                    .toolChoice(
                        ChatCompletionToolChoiceOption.ofNamedToolChoice(
                            ChatCompletionNamedToolChoice.builder()
                                .function(
                                    ChatCompletionNamedToolChoice.Function.builder()
                                        .name("BookTable")
                                        .build())
                                .build()))
                    .build());

    ChatCompletion.Choice choice = completion.choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    ChatCompletionMessageFunctionToolCall call =
        choice.message().toolCalls().orElseThrow().get(0).asFunction();
    assertThat(call.function().name()).isEqualTo("BookTable");
    assertThat(call.function().arguments(BookTable.class).restaurant).isNotBlank();
  }

  @Test
  void toolCallsStreamAsArgumentDeltas() {
    ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
    try (StreamResponse<ChatCompletionChunk> stream =
        client
            .chat()
            .completions()
            .createStreaming(
                ChatCompletionCreateParams.builder()
                    .model("gpt-4o")
                    .addUserMessage("Weather please")
                    .addTool(GetWeather.class)
                    .toolChoice(ChatCompletionToolChoiceOption.Auto.REQUIRED)
                    .build())) {
      stream.stream().forEach(accumulator::accumulate);
    }
    ChatCompletion.Choice choice = accumulator.chatCompletion().choices().get(0);
    assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
    GetWeather arguments =
        choice
            .message()
            .toolCalls()
            .orElseThrow()
            .get(0)
            .asFunction()
            .function()
            .arguments(GetWeather.class);
    assertThat(arguments.city).isNotBlank();
  }

  @Test
  void rawJsonSchemaWithRefsEnumsAndArrayBoundsIsHonoured() throws Exception {
    String schema =
        "{\"type\":\"object\",\"properties\":{"
            + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"minItems\":2,\"maxItems\":2},"
            + "\"level\":{\"type\":\"string\",\"enum\":[\"low\",\"high\"]},"
            + "\"score\":{\"type\":\"integer\",\"minimum\":5,\"maximum\":9},"
            + "\"owner\":{\"$ref\":\"#/$defs/person\"}},"
            + "\"required\":[\"tags\",\"level\",\"score\",\"owner\"],\"additionalProperties\":false,"
            + "\"$defs\":{\"person\":{\"type\":\"object\",\"properties\":{\"email\":{\"type\":\"string\",\"format\":\"email\"}},"
            + "\"required\":[\"email\"],\"additionalProperties\":false}}}";
    ObjectMapper mapper = new ObjectMapper();
    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("gpt-4o-mini")
                    .addUserMessage("Classify")
                    .responseFormat(
                        com.openai.models.ResponseFormatJsonSchema.builder()
                            .jsonSchema(
                                com.openai.models.ResponseFormatJsonSchema.JsonSchema.builder()
                                    .name("classification")
                                    .strict(true)
                                    .schema(
                                        JsonValue.from(
                                            mapper.readValue(schema, java.util.Map.class)))
                                    .build())
                            .build())
                    .build());

    JsonNode json = mapper.readTree(completion.choices().get(0).message().content().orElseThrow());
    assertThat(json.get("tags")).hasSize(2);
    assertThat(json.get("level").asText()).isIn("low", "high");
    assertThat(json.get("score").asInt()).isBetween(5, 9);
    assertThat(json.get("owner").get("email").asText()).contains("@");
    assertThat(json.properties()).hasSize(4);
  }
}
