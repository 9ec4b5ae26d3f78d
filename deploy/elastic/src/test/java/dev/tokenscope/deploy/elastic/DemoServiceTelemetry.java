package dev.tokenscope.deploy.elastic;

import dev.tokenscope.core.TokenScope;
import dev.tokenscope.demo.MenuDesignerApp;
import dev.tokenscope.simulator.Fault;
import dev.tokenscope.simulator.Provider;
import dev.tokenscope.simulator.ScriptRule;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The demo service itself ({@code tokenscope-demo}'s {@link MenuDesignerApp}, the Restaurant Menu
 * Designer the compose file's demo profile runs) serving real HTTP requests in-process: its four
 * agents call OpenAI and Anthropic through the official SDKs against its built-in simulator, and
 * TokenScope exports what they produce to memory.
 *
 * <p>The traffic: a two-course menu whose first nutrition review sends a recipe back (so the
 * refinement loop retries), a recipe from a self-hosted model with no price, and a recipe request
 * the provider keeps failing (500 after the SDK's retries).
 */
final class DemoServiceTelemetry implements TelemetrySource {

  static final String SERVICE_NAME = "restaurant-menu-designer";

  private static final String REJECTION =
      "{\"approved\": false, \"score\": 40, \"notes\": \"Too much butter.\","
          + " \"concerns\": [\"Halve the butter in the sauce.\"]}";

  @Override
  public ExportedTelemetry record() {
    InMemoryTelemetry memory = new InMemoryTelemetry();
    try (TokenScope tokenScope = memory.tokenScope(SERVICE_NAME).build();
        MenuDesignerApp app =
            MenuDesignerApp.builder()
                .openTelemetry(tokenScope.openTelemetry())
                .environment(Map.of())
                .port(0)
                .simulatorSpeed(0)
                .simulatorFaults(false)
                .simulator(
                    sim ->
                        sim.script(
                            ScriptRule.builder()
                                .messageMatches("^TASK: NUTRITION REVIEW")
                                .times(1)
                                .reply(REJECTION)
                                .build()))
                .start()) {
      HttpClient http = HttpClient.newHttpClient();
      expect(post(http, app, "/menu/design", "{\"courses\": 2}"), 200);
      expect(
          post(
              http,
              app,
              "/recipe/generate",
              "{\"provider\": \"openai\", \"dish_name\": \"Ramen\", \"model\": \""
                  + MenuDesignerScenario.UNPRICED_MODEL
                  + "\"}"),
          200);
      app.simulator().failNext(10, Fault.SERVER_ERROR, Provider.ANTHROPIC);
      HttpResponse<String> failed =
          post(http, app, "/recipe/generate", "{\"provider\": \"claude\", \"dish_name\": \"Pho\"}");
      if (failed.statusCode() < 500) {
        throw new IllegalStateException("expected the failing provider to fail: " + failed.body());
      }
      app.simulator().clearFaults();
      return memory.exported(tokenScope);
    } catch (IOException e) {
      throw new IllegalStateException("could not run the demo service", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> post(
      HttpClient http, MenuDesignerApp app, String path, String body)
      throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(60))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void expect(HttpResponse<String> response, int status) {
    if (response.statusCode() != status) {
      throw new IllegalStateException(
          response.request().uri() + " answered " + response.statusCode() + ": " + response.body());
    }
  }
}
