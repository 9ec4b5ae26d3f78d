package dev.tokenscope.demo.internal;

import java.util.List;

/**
 * A validated {@code POST /menu/design} body, defaults applied as the reference service did.
 *
 * @param cuisine the cuisine ("Contemporary")
 * @param menuType the kind of menu ("fine_dining")
 * @param courses the number of courses, 1 to 12 (5)
 * @param dietaryRequirements dietary requirements every course must meet ([])
 * @param budget the price level ("premium")
 * @param season the season ("current")
 * @param occasion the occasion ("special_occasion")
 */
record DesignRequest(
    String cuisine,
    String menuType,
    int courses,
    List<String> dietaryRequirements,
    String budget,
    String season,
    String occasion) {

  static final int MAX_COURSES = 12;

  DesignRequest {
    dietaryRequirements = List.copyOf(dietaryRequirements);
  }

  static DesignRequest parse(RequestFields fields) {
    return new DesignRequest(
        fields.optionalText("cuisine", "Contemporary"),
        fields.optionalText("menu_type", "fine_dining"),
        fields.integer("courses", 5, 1, MAX_COURSES),
        fields.textList("dietary_requirements"),
        fields.optionalText("budget", "premium"),
        fields.optionalText("season", "current"),
        fields.optionalText("occasion", "special_occasion"));
  }

  /** The brief every agent sees, one fact per line. */
  String brief() {
    return "Cuisine: "
        + cuisine
        + "\nMenu type: "
        + menuType
        + "\nCourses: "
        + courses
        + "\nDietary requirements: "
        + (dietaryRequirements.isEmpty() ? "none" : String.join(", ", dietaryRequirements))
        + "\nBudget: "
        + budget
        + "\nSeason: "
        + season
        + "\nOccasion: "
        + occasion;
  }
}
