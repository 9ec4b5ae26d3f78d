package dev.tokenscope.demo.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The {@code /menu/design} response, in the reference service's shape. */
final class MenuJson {

  private MenuJson() {}

  static Map<String, Object> response(DesignedMenu menu) {
    List<Map<String, Object>> courses = new ArrayList<>();
    int approved = 0;
    int iterations = 0;
    int wineAttempts = 0;
    for (CourseResult course : menu.courses()) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("course_number", course.course().number());
      c.put("course_type", course.course().type());
      c.put("recipe", course.recipe());
      c.put("wine_pairing", wine(course.winePairing()));
      c.put("nutrition_approved", course.nutritionApproved());
      c.put("nutrition_notes", course.nutritionNotes());
      c.put("iterations", course.iterations());
      c.put("wine_attempts", course.wineAttempts());
      courses.add(c);
      approved += course.nutritionApproved() ? 1 : 0;
      iterations += course.iterations();
      wineAttempts += course.wineAttempts();
    }
    DesignRequest request = menu.request();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("concept", menu.plan().concept());
    body.put("cuisine", request.cuisine());
    body.put("type", request.menuType());
    body.put("courses", courses);
    body.put("dietary_compliance", request.dietaryRequirements());
    body.put("budget", request.budget());
    body.put("season", request.season());

    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("total_courses", courses.size());
    metadata.put("nutrition_approved_count", approved);
    metadata.put("total_iterations", iterations);
    metadata.put("total_wine_attempts", wineAttempts);
    metadata.put("design_time_seconds", Math.round(menu.designTimeSeconds() * 1000) / 1000.0);
    metadata.put("agents_involved", MenuDesigner.AGENTS_INVOLVED);
    metadata.put("total_cost_usd", menu.totals().costUsd());
    metadata.put("total_tokens", menu.totals().totalTokens());
    metadata.put("trace_id", menu.traceId());

    Map<String, Object> out = new LinkedHashMap<>();
    out.put("success", true);
    out.put("menu", body);
    out.put("metadata", metadata);
    return out;
  }

  private static Map<String, Object> wine(WinePairing pairing) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("wine", pairing.wine());
    out.put("grape", pairing.grape());
    out.put("region", pairing.region());
    out.put("serving_temperature_c", pairing.servingTemperatureC());
    out.put("reasoning", pairing.reasoning());
    out.put("confidence", pairing.confidence());
    out.put("fallback", pairing.fallback());
    return out;
  }
}
