package dev.tokenscope.demo.internal;

import java.util.List;

/** The Nutritionist's verdict on one version of a recipe. */
record NutritionReview(boolean approved, int score, String notes, List<String> concerns) {

  NutritionReview {
    concerns = List.copyOf(concerns);
  }

  /** The feedback the chef revises with. */
  String feedback() {
    StringBuilder out = new StringBuilder(notes);
    for (String concern : concerns) {
      out.append("\n- ").append(concern);
    }
    return out.toString();
  }
}
