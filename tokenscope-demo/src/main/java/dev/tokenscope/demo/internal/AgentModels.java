package dev.tokenscope.demo.internal;

import java.util.Objects;

/**
 * The model each agent uses, and the recipe endpoints' defaults per provider. The Menu Coordinator
 * and the Sommelier run on OpenAI, the Executive Chef and the Nutritionist on Anthropic.
 */
public record AgentModels(
    String coordinator,
    String chef,
    String nutritionist,
    String sommelier,
    String openAiRecipe,
    String anthropicRecipe) {

  /** The reference design's models. */
  public static final AgentModels DEFAULTS =
      new AgentModels(
          "gpt-5-mini",
          "claude-sonnet-4-5-20250929",
          "claude-haiku-4-5-20251001",
          "gpt-5-nano",
          "gpt-5-mini",
          "claude-sonnet-4-5-20250929");

  public AgentModels {
    Objects.requireNonNull(coordinator, "coordinator");
    Objects.requireNonNull(chef, "chef");
    Objects.requireNonNull(nutritionist, "nutritionist");
    Objects.requireNonNull(sommelier, "sommelier");
    Objects.requireNonNull(openAiRecipe, "openAiRecipe");
    Objects.requireNonNull(anthropicRecipe, "anthropicRecipe");
  }

  String recipeModel(LlmProvider provider) {
    return provider == LlmProvider.OPENAI ? openAiRecipe : anthropicRecipe;
  }
}
