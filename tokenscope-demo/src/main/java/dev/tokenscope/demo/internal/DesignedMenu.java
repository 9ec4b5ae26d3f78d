package dev.tokenscope.demo.internal;

import dev.tokenscope.core.RollupTotals;
import java.util.List;

/** A finished menu design and what it cost, as the workflow's roll-up reports it. */
record DesignedMenu(
    DesignRequest request,
    MenuPlan plan,
    List<CourseResult> courses,
    RollupTotals totals,
    String traceId,
    double designTimeSeconds) {

  DesignedMenu {
    courses = List.copyOf(courses);
  }
}
