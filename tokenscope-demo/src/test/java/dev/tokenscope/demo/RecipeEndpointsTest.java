package dev.tokenscope.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code /recipe/generate}, {@code /recipe/compare}, {@code /recipe/batch}. */
class RecipeEndpointsTest {

  static RunningMenuDesigner service;

  @BeforeAll
  static void start() {
    service = RunningMenuDesigner.start();
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @BeforeEach
  void forgetSpans() {
    service.reset();
  }

  @ParameterizedTest
  @CsvSource({
    "openai, openai, gpt-5-mini",
    "claude, claude, claude-sonnet-4-5",
    "anthropic, claude, claude-sonnet-4-5",
    "Claude, claude, claude-sonnet-4-5"
  })
  void generatesWithEachProviderSpelling(String provider, String reported, String model) {
    RunningMenuDesigner.Response response =
        service.post(
            "/recipe/generate",
            "{\"provider\": \"" + provider + "\", \"dish_name\": \"Mushroom risotto\"}");

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().get("success").asBoolean()).isTrue();
    JsonNode data = response.json().get("data");
    assertThat(MenuDesignEndToEndTest.fieldNames(data))
        .containsExactly("recipe", "model", "usage", "provider", "prompt");
    assertThat(data.get("recipe").asText()).startsWith("Mushroom risotto");
    assertThat(data.get("model").asText()).startsWith(model);
    assertThat(data.get("provider").asText()).isEqualTo(reported);
    assertThat(data.get("prompt").asText())
        .contains("Dish: Mushroom risotto", "Servings: 4", "Dietary restrictions: none");
    JsonNode usage = data.get("usage");
    assertThat(usage.get("input_tokens").asLong()).isPositive();
    assertThat(usage.get("output_tokens").asLong()).isPositive();
    assertThat(usage.get("total_tokens").asLong())
        .isEqualTo(usage.get("input_tokens").asLong() + usage.get("output_tokens").asLong());

    TraceShape trace = TraceShape.of(service.finishedSpans(), "POST /recipe/generate");
    trace.assertOneRootedServerTrace("POST /recipe/generate");
    SpanData workflow = trace.only("recipe_generation_workflow.workflow");
    trace.assertRollupMatches(workflow);
    SpanData llm = trace.llmSpans().get(0);
    assertThat(trace.parent(llm).getName()).isEqualTo("generate_recipe.task");
  }

  @Test
  void generateUsesTheFieldsGiven() {
    RunningMenuDesigner.Response response =
        service.post(
            "/recipe/generate",
            "{\"provider\": \"openai\", \"dish_name\": \"Tom yum\", \"cuisine_type\": \"Thai\","
                + " \"dietary_restrictions\": [\"vegan\", \"nut-free\"], \"servings\": 6,"
                + " \"model\": \"gpt-4.1-mini\", \"temperature\": 0.2}");

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode data = response.json().get("data");
    assertThat(data.get("model").asText()).startsWith("gpt-4.1-mini");
    assertThat(data.get("prompt").asText())
        .contains("Cuisine: Thai", "Dietary restrictions: vegan, nut-free", "Servings: 6");
    // gpt-4.1 is not a reasoning model: the temperature is sent as given.
    SpanData llm =
        TraceShape.of(service.finishedSpans(), "POST /recipe/generate").llmSpans().get(0);
    assertThat(
            llm.getAttributes()
                .get(
                    io.opentelemetry.api.common.AttributeKey.doubleKey(
                        "gen_ai.request.temperature")))
        .isEqualTo(0.2);
  }

  @Test
  void compareAsksBothProvidersConcurrently() {
    RunningMenuDesigner.Response response =
        service.post(
            "/recipe/compare", "{\"dish_name\": \"Paella\", \"cuisine_type\": \"Spanish\"}");

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode data = response.json().get("data");
    assertThat(MenuDesignEndToEndTest.fieldNames(data)).containsExactly("openai", "claude");
    assertThat(data.get("openai").get("provider").asText()).isEqualTo("openai");
    assertThat(data.get("claude").get("provider").asText()).isEqualTo("claude");
    assertThat(data.get("openai").get("recipe").asText()).startsWith("Paella");
    assertThat(data.get("claude").get("recipe").asText()).startsWith("Paella");

    TraceShape trace = TraceShape.of(service.finishedSpans(), "POST /recipe/compare");
    trace.assertOneRootedServerTrace("POST /recipe/compare");
    assertThat(trace.llmSpans()).hasSize(2);
    trace.assertRollupMatches(trace.only("recipe_comparison_workflow.workflow"));
  }

  @Test
  void batchSkipsItemsWithoutADishName() {
    RunningMenuDesigner.Response response =
        service.post(
            "/recipe/batch",
            "{\"provider\": \"claude\", \"recipes\": ["
                + "{\"dish_name\": \"Gazpacho\", \"cuisine_type\": \"Spanish\", \"servings\": 2},"
                + "{\"cuisine_type\": \"French\"},"
                + "{\"dish_name\": \"\"},"
                + "{\"dish_name\": \"Bibimbap\", \"dietary_restrictions\": [\"vegetarian\"]}]}");

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode json = response.json();
    assertThat(MenuDesignEndToEndTest.fieldNames(json)).containsExactly("success", "count", "data");
    assertThat(json.get("count").asInt()).isEqualTo(2);
    assertThat(json.get("data")).hasSize(2);
    assertThat(json.get("data").get(0).get("recipe").asText()).startsWith("Gazpacho");
    assertThat(json.get("data").get(1).get("recipe").asText()).startsWith("Bibimbap");

    TraceShape trace = TraceShape.of(service.finishedSpans(), "POST /recipe/batch");
    trace.assertOneRootedServerTrace("POST /recipe/batch");
    assertThat(trace.llmSpans()).hasSize(2);
    trace.assertRollupMatches(trace.only("recipe_batch_workflow.workflow"));
  }

  @Test
  void anEmptyBatchMakesNoCall() {
    long before = service.simulator().requestLog().entries().size();
    RunningMenuDesigner.Response response =
        service.post("/recipe/batch", "{\"provider\": \"openai\", \"recipes\": [{}]}");

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("count").asInt()).isZero();
    assertThat(service.simulator().requestLog().entries()).hasSize((int) before);
  }
}
