package dev.tokenscope.cli;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

/**
 * Requests to the Restaurant Menu Designer, by kind, drawn from a seeded random source: what {@code
 * tokenscope demo} and {@code tokenscope load} send.
 */
final class MenuRequests {

  /** One HTTP request of a workload. */
  record Request(String kind, String method, String path, String body) {}

  static final List<String> KINDS =
      List.of("menu", "generate", "compare", "batch", "health", "invalid");

  private static final String[] CUISINES = {
    "Contemporary",
    "Japanese",
    "Italian",
    "Peruvian",
    "Nordic",
    "French",
    "Mexican",
    "Indian",
    "Levantine",
    "Korean",
    "Spanish",
    "Thai"
  };
  private static final String[] MENU_TYPES = {"fine_dining", "tasting", "bistro", "brunch"};
  private static final String[] SEASONS = {"spring", "summer", "autumn", "winter", "current"};
  private static final String[] BUDGETS = {"premium", "moderate", "budget"};
  private static final String[] OCCASIONS = {
    "special_occasion", "wedding", "business_dinner", "anniversary", "tasting_event"
  };
  private static final String[] DIETS = {
    "vegetarian", "vegan", "gluten-free", "dairy-free", "nut-free", "pescatarian", "halal"
  };
  private static final String[] DISHES = {
    "Mushroom risotto",
    "Beef bourguignon",
    "Pad thai",
    "Shakshuka",
    "Ramen",
    "Paella",
    "Chicken tikka masala",
    "Ceviche",
    "Gnocchi with sage butter",
    "Bibimbap",
    "Fish tacos",
    "Ratatouille",
    "Lamb tagine",
    "Miso-glazed salmon"
  };
  private static final String[] PROVIDERS = {"openai", "claude", "anthropic"};

  /** Requests the service must reject, each with the field it names. */
  private static final String[][] INVALID = {
    {"/menu/design", "{\"courses\": 0}"},
    {"/menu/design", "{\"courses\": 20}"},
    {"/menu/design", "{\"courses\": \"five\"}"},
    {"/menu/design", "{\"dietary_requirements\": \"vegan\"}"},
    {"/recipe/generate", "{\"dish_name\": \"Soup\"}"},
    {"/recipe/generate", "{\"provider\": \"gemini\", \"dish_name\": \"Soup\"}"},
    {"/recipe/generate", "{\"provider\": \"openai\"}"},
    {"/recipe/compare", "not json"},
    {"/recipe/batch", "{\"provider\": \"openai\", \"recipes\": \"Soup\"}"}
  };

  private static final Map<String, BiFunction<MenuRequests, Integer, Request>> FACTORIES =
      Map.of(
          "menu", (r, courses) -> r.menu(courses),
          "generate", (r, ignored) -> r.generate(),
          "compare", (r, ignored) -> r.compare(),
          "batch", (r, ignored) -> r.batch(),
          "health", (r, ignored) -> health(),
          "invalid", (r, ignored) -> r.invalid());

  private final SplittableRandom random;

  MenuRequests(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** A request of {@code kind}; menus get a random size from 2 to 7 courses. */
  synchronized Request next(String kind) {
    BiFunction<MenuRequests, Integer, Request> factory = FACTORIES.get(kind);
    if (factory == null) {
      throw new IllegalArgumentException("unknown request kind: " + kind);
    }
    return factory.apply(this, 2 + random.nextInt(6));
  }

  synchronized Request menu(int courses) {
    StringBuilder body = new StringBuilder("{");
    body.append("\"cuisine\": \"").append(pick(CUISINES)).append("\", ");
    body.append("\"menu_type\": \"").append(pick(MENU_TYPES)).append("\", ");
    body.append("\"courses\": ").append(courses).append(", ");
    body.append("\"dietary_requirements\": ").append(diets()).append(", ");
    body.append("\"budget\": \"").append(pick(BUDGETS)).append("\", ");
    body.append("\"season\": \"").append(pick(SEASONS)).append("\", ");
    body.append("\"occasion\": \"").append(pick(OCCASIONS)).append("\"}");
    return new Request("menu", "POST", "/menu/design", body.toString());
  }

  private Request generate() {
    return new Request(
        "generate",
        "POST",
        "/recipe/generate",
        "{\"provider\": \""
            + pick(PROVIDERS)
            + "\", "
            + recipeFields()
            + ", \"temperature\": "
            + String.format(Locale.ROOT, "%.1f", 0.3 + random.nextInt(6) / 10.0)
            + "}");
  }

  private Request compare() {
    return new Request("compare", "POST", "/recipe/compare", "{" + recipeFields() + "}");
  }

  private Request batch() {
    StringBuilder items = new StringBuilder();
    int n = 2 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      items.append(i == 0 ? "" : ", ").append('{').append(recipeFields()).append('}');
    }
    return new Request(
        "batch",
        "POST",
        "/recipe/batch",
        "{\"provider\": \"" + pick(PROVIDERS) + "\", \"recipes\": [" + items + "]}");
  }

  private static Request health() {
    return new Request("health", "GET", "/health", "");
  }

  private Request invalid() {
    String[] pick = INVALID[random.nextInt(INVALID.length)];
    return new Request("invalid", "POST", pick[0], pick[1]);
  }

  private String recipeFields() {
    return "\"dish_name\": \""
        + pick(DISHES)
        + "\", \"cuisine_type\": \""
        + pick(CUISINES)
        + "\", \"servings\": "
        + (2 + random.nextInt(7))
        + ", \"dietary_restrictions\": "
        + diets();
  }

  private String diets() {
    int n = random.nextInt(4) == 0 ? 1 : 0;
    return n == 0 ? "[]" : "[\"" + pick(DIETS) + "\"]";
  }

  private String pick(String[] options) {
    return options[random.nextInt(options.length)];
  }
}
