package dev.tokenscope.demo.internal;

/**
 * The demo's own span attributes (application-level, outside TokenScope's contract), in one place.
 */
final class MenuAttributes {

  /** The course a task works on, 1-based in serving order. */
  static final String COURSE_NUMBER = "menu.course.number";

  /** The course's type: appetizer, main, dessert, … */
  static final String COURSE_TYPE = "menu.course.type";

  /** The menu's cuisine, on the workflow span. */
  static final String CUISINE = "menu.cuisine";

  /** The number of courses asked for, on the workflow span. */
  static final String COURSES = "menu.courses";

  /** Whether the Nutritionist approved the recipe (review tasks). */
  static final String APPROVED = "menu.nutrition.approved";

  /** Whether a wine answer passed validation (pairing tasks). */
  static final String WINE_VALID = "menu.wine.valid";

  private MenuAttributes() {}
}
