package dev.tokenscope.demo.internal;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A validated recipe request ({@code /recipe/generate}, {@code /recipe/compare}, one item of {@code
 * /recipe/batch}), with the reference service's defaults.
 */
record RecipeRequest(
    String dishName,
    String cuisineType,
    List<String> dietaryRestrictions,
    int servings,
    @Nullable String model,
    double temperature) {

  static final int MAX_SERVINGS = 100;

  RecipeRequest {
    dietaryRestrictions = List.copyOf(dietaryRestrictions);
  }

  static RecipeRequest parse(RequestFields fields) {
    String dish = fields.requiredText("dish_name");
    return new RecipeRequest(
        dish,
        fields.optionalText("cuisine_type", ""),
        fields.textList("dietary_restrictions"),
        fields.integer("servings", 4, 1, MAX_SERVINGS),
        fields.optionalText("model", null),
        fields.number("temperature", 0.7, 0, 2));
  }
}
