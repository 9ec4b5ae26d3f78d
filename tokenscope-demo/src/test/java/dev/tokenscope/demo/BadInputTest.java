package dev.tokenscope.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every input surface rejects bad input with a 400 naming the field, and calls no provider. */
class BadInputTest {

  static RunningMenuDesigner service;

  @BeforeAll
  static void start() {
    service = RunningMenuDesigner.start(b -> b.maxBodyBytes(4096));
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  @BeforeEach
  void forgetSpans() {
    service.reset();
  }

  static Stream<Arguments> badRequests() {
    return Stream.of(
        Arguments.of("/menu/design", "not json", "not valid JSON"),
        Arguments.of("/menu/design", "", "must be a JSON object"),
        Arguments.of("/menu/design", "[1, 2]", "must be a JSON object"),
        Arguments.of("/menu/design", "\"menu\"", "must be a JSON object"),
        Arguments.of("/menu/design", "{\"courses\": 0}", "courses must be between 1 and 12"),
        Arguments.of("/menu/design", "{\"courses\": 13}", "courses must be between 1 and 12"),
        Arguments.of("/menu/design", "{\"courses\": -5}", "courses must be between 1 and 12"),
        Arguments.of("/menu/design", "{\"courses\": \"five\"}", "courses must be an integer"),
        Arguments.of("/menu/design", "{\"courses\": 2.5}", "courses must be an integer"),
        Arguments.of("/menu/design", "{\"courses\": 99999999999}", "courses must be an integer"),
        Arguments.of("/menu/design", "{\"cuisine\": 42}", "cuisine must be a string"),
        Arguments.of(
            "/menu/design",
            "{\"dietary_requirements\": \"vegan\"}",
            "dietary_requirements must be an array of strings"),
        Arguments.of(
            "/menu/design",
            "{\"dietary_requirements\": [\"vegan\", 3]}",
            "dietary_requirements must be an array of strings"),
        Arguments.of("/menu/design", "{\"budget\": {}}", "budget must be a string"),
        Arguments.of("/menu/design", "{\"season\": [\"spring\"]}", "season must be a string"),
        Arguments.of(
            "/menu/design",
            "{\"cuisine\": \"" + "x".repeat(201) + "\"}",
            "cuisine must be at most 200 characters"),
        Arguments.of("/recipe/generate", "{\"dish_name\": \"Soup\"}", "provider is required"),
        Arguments.of("/recipe/generate", "{\"provider\": \"openai\"}", "dish_name is required"),
        Arguments.of(
            "/recipe/generate",
            "{\"provider\": \"openai\", \"dish_name\": \"  \"}",
            "dish_name is required"),
        Arguments.of(
            "/recipe/generate",
            "{\"provider\": \"gemini\", \"dish_name\": \"Soup\"}",
            "provider must be one of openai, claude, anthropic; got 'gemini'"),
        Arguments.of(
            "/recipe/generate",
            "{\"provider\": 1, \"dish_name\": \"Soup\"}",
            "provider must be a string"),
        Arguments.of(
            "/recipe/generate",
            "{\"provider\": \"openai\", \"dish_name\": \"Soup\", \"servings\": \"4\"}",
            "servings must be an integer"),
        Arguments.of(
            "/recipe/generate",
            "{\"provider\": \"openai\", \"dish_name\": \"Soup\", \"servings\": 0}",
            "servings must be between 1 and 100"),
        Arguments.of(
            "/recipe/generate",
            "{\"provider\": \"openai\", \"dish_name\": \"Soup\", \"temperature\": \"hot\"}",
            "temperature must be a number"),
        Arguments.of(
            "/recipe/generate",
            "{\"provider\": \"openai\", \"dish_name\": \"Soup\", \"temperature\": 3}",
            "temperature must be between 0.0 and 2.0"),
        Arguments.of(
            "/recipe/generate",
            "{\"provider\": \"openai\", \"dish_name\": \"Soup\", \"model\": 5}",
            "model must be a string"),
        Arguments.of("/recipe/compare", "{}", "dish_name is required"),
        Arguments.of(
            "/recipe/compare", "{\"dish_name\": [\"Soup\"]}", "dish_name must be a string"),
        Arguments.of("/recipe/batch", "{\"recipes\": []}", "provider is required"),
        Arguments.of("/recipe/batch", "{\"provider\": \"openai\"}", "recipes is required"),
        Arguments.of(
            "/recipe/batch",
            "{\"provider\": \"openai\", \"recipes\": {}}",
            "recipes must be an array of objects"),
        Arguments.of(
            "/recipe/batch",
            "{\"provider\": \"openai\", \"recipes\": [\"Soup\"]}",
            "recipes[0] must be an object"),
        Arguments.of(
            "/recipe/batch",
            "{\"provider\": \"openai\", \"recipes\": [{\"dish_name\": \"A\", \"servings\": -1}]}",
            "recipes[0].servings must be between 1 and 100"),
        Arguments.of(
            "/recipe/batch",
            "{\"provider\": \"openai\", \"recipes\": ["
                + "{\"dish_name\": \"A\"},".repeat(20)
                + "{}]}",
            "recipes must have at most 20 entries"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("badRequests")
  void isRejectedWithA400NamingTheField(String path, String body, String message) {
    int callsBefore = service.simulator().requestLog().entries().size();

    RunningMenuDesigner.Response response = service.post(path, body);

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(MenuDesignEndToEndTest.fieldNames(response.json())).containsExactly("error");
    assertThat(response.json().get("error").asText()).contains(message);
    assertThat(service.simulator().requestLog().entries()).hasSize(callsBefore);
    SpanData server = TraceShape.of(service.finishedSpans(), "POST " + path).root();
    assertThat(server.getAttributes().get(AttributeKey.longKey("http.response.status_code")))
        .isEqualTo(400);
  }

  @Test
  void anOversizedBodyIsA413() {
    String big = "{\"cuisine\": \"" + "x".repeat(5000) + "\"}";
    RunningMenuDesigner.Response response = service.post("/menu/design", big);

    assertThat(response.status()).isEqualTo(413);
    assertThat(response.json().get("error").asText()).contains("limit is 4096 bytes");
  }

  @Test
  void anOversizedBodyWithoutContentLengthIsA413() {
    // Chunked: no Content-Length header, the limit is enforced while reading.
    String big = "{\"cuisine\": \"" + "x".repeat(5000) + "\"}";
    RunningMenuDesigner.Response response =
        service.send(
            HttpRequest.newBuilder(URI.create(service.app.baseUrl() + "/menu/design"))
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(big.getBytes())))
                .build());

    assertThat(response.status()).isEqualTo(413);
  }

  @Test
  void unknownPathsAre404AndWrongMethods405() {
    RunningMenuDesigner.Response missing = service.get("/menu/list");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.json().get("error").asText()).contains("/menu/list");

    RunningMenuDesigner.Response wrongMethod = service.get("/menu/design");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.json().get("error").asText()).contains("use POST");

    List<SpanData> spans = service.finishedSpans();
    // Without a route the span is named after the method alone, as the conventions say.
    assertThat(spans).extracting(SpanData::getName).contains("GET", "GET /menu/design");
  }
}
