package dev.tokenscope.demo.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tokenscope.core.TokenScope;
import java.util.ArrayList;
import java.util.List;

/**
 * The four agents. Each call is an agent span ({@code menu_coordinator.agent}, {@code
 * executive_chef.agent}, {@code nutritionist.agent}, {@code sommelier.agent}) around one LLM call,
 * so the inference span sits under the agent that made it and the task that asked for it.
 */
final class KitchenAgents {

  static final String COORDINATOR = "menu_coordinator";
  static final String CHEF = "executive_chef";
  static final String NUTRITIONIST = "nutritionist";
  static final String SOMMELIER = "sommelier";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final LlmClients llm;
  private final AgentModels models;

  KitchenAgents(LlmClients llm, AgentModels models) {
    this.llm = llm;
    this.models = models;
  }

  MenuPlan plan(DesignRequest request) {
    ChatReply reply =
        call(
            COORDINATOR,
            LlmProvider.OPENAI,
            models.coordinator(),
            ChatPrompt.text(KitchenPrompts.COORDINATOR, KitchenPrompts.plan(request), 2_000)
                .json("menu_plan", Schemas.MENU_PLAN)
                .reasoning("low"));
    return parsePlan(reply.text(), request);
  }

  String draft(DesignRequest request, MenuPlan plan, MenuPlan.Course course) {
    return call(
            CHEF,
            LlmProvider.ANTHROPIC,
            models.chef(),
            ChatPrompt.text(KitchenPrompts.CHEF, KitchenPrompts.draft(request, plan, course), 1_500)
                .temperature(0.7))
        .text();
  }

  String revise(
      DesignRequest request,
      MenuPlan.Course course,
      String recipe,
      NutritionReview review,
      int version) {
    return call(
            CHEF,
            LlmProvider.ANTHROPIC,
            models.chef(),
            ChatPrompt.text(
                    KitchenPrompts.CHEF,
                    KitchenPrompts.revise(request, course, recipe, review, version),
                    1_500)
                .temperature(0.5))
        .text();
  }

  String guidelines(DesignRequest request) {
    return call(
            NUTRITIONIST,
            LlmProvider.ANTHROPIC,
            models.nutritionist(),
            ChatPrompt.text(KitchenPrompts.NUTRITIONIST, KitchenPrompts.guidelines(request), 800))
        .text();
  }

  NutritionReview review(
      DesignRequest request,
      MenuPlan.Course course,
      String recipe,
      String guidelines,
      int iteration) {
    ChatReply reply =
        call(
            NUTRITIONIST,
            LlmProvider.ANTHROPIC,
            models.nutritionist(),
            ChatPrompt.text(
                    KitchenPrompts.NUTRITIONIST,
                    KitchenPrompts.review(request, course, recipe, guidelines, iteration),
                    600)
                .json("nutrition_review", Schemas.NUTRITION_REVIEW));
    return parseReview(reply.text());
  }

  String strategy(DesignRequest request) {
    return call(
            SOMMELIER,
            LlmProvider.OPENAI,
            models.sommelier(),
            ChatPrompt.text(KitchenPrompts.SOMMELIER, KitchenPrompts.strategy(request), 900)
                .reasoning("minimal"))
        .text();
  }

  /** The Sommelier's answer, parsed; null when it is not the JSON asked for. */
  WinePairing pair(
      DesignRequest request,
      MenuPlan.Course course,
      String recipe,
      String strategy,
      int attempt,
      String previousProblems) {
    ChatReply reply =
        call(
            SOMMELIER,
            LlmProvider.OPENAI,
            models.sommelier(),
            ChatPrompt.text(
                    KitchenPrompts.SOMMELIER,
                    KitchenPrompts.pair(
                        request, course, recipe, strategy, attempt, previousProblems),
                    600)
                .json("wine_pairing", Schemas.WINE_PAIRING)
                .reasoning("minimal"));
    return parsePairing(reply.text());
  }

  private ChatReply call(String agent, LlmProvider provider, String model, ChatPrompt prompt) {
    return TokenScope.agent(agent).call(() -> llm.chat(provider, model, prompt));
  }

  /**
   * The plan as asked for; a plan with the wrong number of courses is completed or cut so the menu
   * has exactly the courses requested.
   */
  static MenuPlan parsePlan(String text, DesignRequest request) {
    JsonNode root = readObject(text);
    String concept =
        root != null && root.path("concept").isTextual()
            ? root.path("concept").asText()
            : request.cuisine() + " " + request.menuType().replace('_', ' ') + " menu";
    List<MenuPlan.Course> courses = new ArrayList<>();
    if (root != null) {
      for (JsonNode node : root.path("courses")) {
        if (courses.size() == request.courses()) {
          break;
        }
        String type = node.path("course_type").asText("").strip();
        if (type.isEmpty()) {
          continue;
        }
        courses.add(
            new MenuPlan.Course(courses.size() + 1, type, node.path("focus").asText("").strip()));
      }
    }
    List<String> defaults = CourseTypes.forCount(request.courses());
    while (courses.size() < request.courses()) {
      courses.add(
          new MenuPlan.Course(
              courses.size() + 1, defaults.get(courses.size()), "the chef's choice, in season"));
    }
    return new MenuPlan(concept, courses);
  }

  /** A review that cannot be read counts as not approved, with a note saying so. */
  static NutritionReview parseReview(String text) {
    JsonNode root = readObject(text);
    if (root == null || !root.path("approved").isBoolean()) {
      return new NutritionReview(
          false, 0, "The review could not be read; treat the recipe as not approved.", List.of());
    }
    List<String> concerns = new ArrayList<>();
    for (JsonNode concern : root.path("concerns")) {
      if (concern.isTextual() && !concern.asText().isBlank()) {
        concerns.add(concern.asText().strip());
      }
    }
    return new NutritionReview(
        root.path("approved").asBoolean(),
        root.path("score").asInt(0),
        root.path("notes").asText("").strip(),
        concerns);
  }

  static WinePairing parsePairing(String text) {
    JsonNode root = readObject(text);
    if (root == null) {
      return null;
    }
    return new WinePairing(
        root.path("wine").asText(""),
        root.path("grape").asText(""),
        root.path("region").asText(""),
        root.path("serving_temperature_c").asInt(0),
        root.path("reasoning").asText(""),
        root.path("confidence").asDouble(0),
        false);
  }

  private static JsonNode readObject(String text) {
    String trimmed = text.strip();
    // Some models wrap JSON in a Markdown fence even when asked not to.
    if (trimmed.startsWith("```")) {
      int start = trimmed.indexOf('\n');
      int end = trimmed.lastIndexOf("```");
      if (start > 0 && end > start) {
        trimmed = trimmed.substring(start + 1, end).strip();
      }
    }
    try {
      JsonNode node = JSON.readTree(trimmed);
      return node != null && node.isObject() ? node : null;
    } catch (JsonProcessingException e) {
      return null;
    }
  }
}
