package dev.tokenscope.demo.internal;

import java.util.ArrayList;
import java.util.List;

/** The classic course sequence for a menu of n courses, light to rich and back to sweet. */
final class CourseTypes {

  private static final List<String> FULL =
      List.of(
          "amuse-bouche",
          "appetizer",
          "soup",
          "salad",
          "fish",
          "intermezzo",
          "main",
          "second main",
          "cheese",
          "pre-dessert",
          "dessert",
          "mignardises");

  private CourseTypes() {}

  static List<String> forCount(int n) {
    switch (n) {
      case 1:
        return List.of("main");
      case 2:
        return List.of("appetizer", "main");
      case 3:
        return List.of("appetizer", "main", "dessert");
      case 4:
        return List.of("appetizer", "fish", "main", "dessert");
      case 5:
        return List.of("amuse-bouche", "appetizer", "fish", "main", "dessert");
      case 6:
        return List.of("amuse-bouche", "appetizer", "fish", "main", "cheese", "dessert");
      case 7:
        return List.of("amuse-bouche", "appetizer", "soup", "fish", "main", "cheese", "dessert");
      default:
        List<String> out = new ArrayList<>();
        // Drop from the middle of the full sequence until n remain.
        List<String> pool = new ArrayList<>(FULL);
        String[] dropOrder = {"second main", "intermezzo", "salad", "pre-dessert", "soup"};
        for (int i = 0; pool.size() > n && i < dropOrder.length; i++) {
          pool.remove(dropOrder[i]);
        }
        out.addAll(pool.subList(0, Math.min(n, pool.size())));
        return out;
    }
  }
}
