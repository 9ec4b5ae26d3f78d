package dev.tokenscope.demo.internal;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpHandler;
import io.opentelemetry.api.OpenTelemetry;
import java.util.concurrent.Executor;

/** Wires the agents, the workflow and the HTTP API together. */
public final class MenuService {

  private final MenuApi api;

  private MenuService(MenuApi api) {
    this.api = api;
  }

  /**
   * @param executor runs concurrent agent work; must propagate the OpenTelemetry context
   */
  public static MenuService create(
      ProviderClients clients,
      AgentModels models,
      Executor executor,
      int courseConcurrency,
      int maxBodyBytes) {
    LlmClients llm = new LlmClients(clients.openAi(), clients.anthropic());
    KitchenAgents agents = new KitchenAgents(llm, models);
    MenuDesigner designer = new MenuDesigner(agents, executor, courseConcurrency);
    RecipeService recipes = new RecipeService(llm, models, executor, courseConcurrency);
    return new MenuService(new MenuApi(designer, recipes, maxBodyBytes));
  }

  public HttpHandler api() {
    return api;
  }

  /** The filter that makes each request a SERVER span. */
  public Filter serverSpans(OpenTelemetry openTelemetry) {
    return new ServerSpans(openTelemetry);
  }
}
