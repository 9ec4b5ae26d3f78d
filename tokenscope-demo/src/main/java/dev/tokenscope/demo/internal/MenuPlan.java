package dev.tokenscope.demo.internal;

import java.util.List;

/** The Menu Coordinator's structure: a concept and one entry per course, in serving order. */
record MenuPlan(String concept, List<Course> courses) {

  MenuPlan {
    courses = List.copyOf(courses);
  }

  /** One planned course. */
  record Course(int number, String type, String focus) {

    String describe(int total) {
      return "Course " + number + " of " + total + ": " + type + " — " + focus;
    }
  }
}
