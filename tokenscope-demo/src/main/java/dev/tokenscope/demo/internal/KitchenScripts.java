package dev.tokenscope.demo.internal;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tokenscope.simulator.Fault;
import dev.tokenscope.simulator.FaultRule;
import dev.tokenscope.simulator.LlmSimulator;
import dev.tokenscope.simulator.Provider;
import dev.tokenscope.simulator.ScriptRule;
import dev.tokenscope.simulator.SimulatedRequest;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the simulator answers when it plays the four agents: JSON plans with the requested number of
 * courses, recipes in the house format, nutrition reviews that approve or send back at realistic
 * rates (fewer rejections on later iterations), wine answers of which some fail validation, and —
 * when faults are on — 429s, 500s and Anthropic 529s that the SDKs retry. Answers are drawn from
 * the seed and the request's sequence number, so a run is reproducible for a given request order.
 */
public final class KitchenScripts {

  /** Chance that review n (1-based) approves. */
  static final double[] APPROVAL_BY_ITERATION = {0.45, 0.7, 0.85};

  /** Chance that one wine answer fails validation. */
  static final double INVALID_WINE = 0.3;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern COURSE =
      Pattern.compile("Course (\\d+) of (\\d+): ([^\\n—]+?)\\s*—\\s*([^\\n]*)");
  private static final Pattern NUMBER_LINE =
      Pattern.compile("(?m)^(Iteration|Attempt|Courses|Version|Servings): *(\\d+)");
  private static final Pattern TEXT_LINE =
      Pattern.compile(
          "(?m)^(Cuisine|Dish|Season|Budget|Dietary requirements|Dietary restrictions): *(.*)$");

  private final long seed;

  private KitchenScripts(long seed) {
    this.seed = seed;
  }

  /** Adds the agents' scripts (after any already there: earlier rules win). */
  public static void install(LlmSimulator.Builder simulator, long seed) {
    for (Script script : scripts(seed)) {
      simulator.script(script.rule());
    }
  }

  /** The provider faults of a realistic day: a few 429s and 5xx, all retried by the SDKs. */
  public static void installFaults(LlmSimulator.Builder simulator) {
    simulator.faultRule(FaultRule.of(Fault.RATE_LIMIT, 0.03));
    simulator.faultRule(FaultRule.of(Fault.SERVER_ERROR, 0.015));
    simulator.faultRule(FaultRule.of(Fault.OVERLOADED, 0.015).forProvider(Provider.ANTHROPIC));
  }

  /**
   * One agent's scripted answer: whatever {@code responder} returns, to the requests whose last
   * user message starts with {@code task} (a {@code TASK: …} line of {@link KitchenPrompts}). It
   * always has a function to answer with, so code that dispatches among scripts itself ({@link
   * DesignFlows}) never meets what a {@link ScriptRule} may be, a rule that answers with a template
   * and has no responder.
   */
  record Script(String task, Function<SimulatedRequest, String> responder) {
    Script {
      requireNonNull(task, "task");
      requireNonNull(responder, () -> "the script for " + task + " needs a responder");
    }

    /** Whether this script answers {@code request}; the same test as {@link #rule()}'s. */
    boolean answers(SimulatedRequest request) {
      return request.lastUserMessage().startsWith(task);
    }

    /** This script as the simulator's rule. */
    ScriptRule rule() {
      return ScriptRule.builder()
          .messageMatches("^" + Pattern.quote(task))
          .respond(responder)
          .build();
    }
  }

  /** The four agents' scripts, one per task. */
  static List<Script> scripts(long seed) {
    KitchenScripts s = new KitchenScripts(seed);
    return List.of(
        new Script(KitchenPrompts.TASK_PLAN, s::plan),
        new Script(KitchenPrompts.TASK_DRAFT, s::recipe),
        new Script(KitchenPrompts.TASK_REVISE, s::recipe),
        new Script(KitchenPrompts.TASK_RECIPE, s::recipe),
        new Script(KitchenPrompts.TASK_GUIDELINES, s::guidelines),
        new Script(KitchenPrompts.TASK_REVIEW, s::review),
        new Script(KitchenPrompts.TASK_STRATEGY, s::strategy),
        new Script(KitchenPrompts.TASK_PAIR, s::pairing));
  }

  private SplittableRandom random(SimulatedRequest request) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + request.sequence());
  }

  private static int number(String message, String name, int defaultValue) {
    Matcher m = NUMBER_LINE.matcher(message);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return Integer.parseInt(m.group(2));
      }
    }
    return defaultValue;
  }

  private static String text(String message, String name, String defaultValue) {
    Matcher m = TEXT_LINE.matcher(message);
    while (m.find()) {
      if (m.group(1).equals(name)) {
        return m.group(2).strip();
      }
    }
    return defaultValue;
  }

  private String plan(SimulatedRequest request) {
    String message = request.lastUserMessage();
    int courses = Math.max(1, Math.min(DesignRequest.MAX_COURSES, number(message, "Courses", 5)));
    String cuisine = text(message, "Cuisine", "Contemporary");
    String season = text(message, "Season", "current");
    SplittableRandom random = random(request);
    ObjectNode root = JSON.createObjectNode();
    root.put(
        "concept",
        pick(random, "A walk through", "An evening of", "A modern reading of", "The soul of")
            + " "
            + cuisine
            + " cooking, "
            + (season.equals("current") ? "with what the market has this week" : "in " + season)
            + ", moving from bright and light to deep and comforting.");
    ArrayNode list = root.putArray("courses");
    List<String> types = CourseTypes.forCount(courses);
    for (int i = 0; i < courses; i++) {
      ObjectNode course = list.addObject();
      course.put("course_number", i + 1);
      course.put("course_type", types.get(i));
      course.put(
          "focus",
          pick(random, HEROES)
              + ", "
              + pick(random, TECHNIQUES)
              + ", with "
              + pick(random, ACCENTS));
    }
    return write(root);
  }

  private String recipe(SimulatedRequest request) {
    String message = request.lastUserMessage();
    SplittableRandom random = random(request);
    String dish = text(message, "Dish", "");
    String focus = "";
    String type = "course";
    Matcher course = COURSE.matcher(message);
    if (course.find()) {
      type = course.group(3).strip();
      focus = course.group(4).strip();
    }
    String hero = focus.isEmpty() ? pick(random, HEROES) : focus.split(",")[0];
    if (dish.isEmpty()) {
      dish =
          capitalise(hero)
              + " "
              + pick(random, "with", "and", "over")
              + " "
              + pick(random, ACCENTS);
    }
    int servings = number(message, "Servings", 4);
    boolean revision = message.startsWith(KitchenPrompts.TASK_REVISE);
    StringBuilder out = new StringBuilder();
    out.append(dish).append('\n');
    out.append("The first taste is ")
        .append(
            pick(random, "bright citrus", "deep roasted savour", "clean sweetness", "gentle smoke"))
        .append("; what stays is ")
        .append(
            pick(
                random,
                "a long umami finish",
                "the snap of fresh herbs",
                "a warm spice",
                "toasted butter"))
        .append(".\n\n");
    out.append("Yield\n").append(servings).append(" portions (").append(type).append(").\n\n");
    out.append("Components\n");
    int components = 3 + random.nextInt(2);
    for (int i = 0; i < components; i++) {
      out.append("- ")
          .append(capitalise(i == 0 ? hero : pick(random, ACCENTS)))
          .append(": ")
          .append(40 + random.nextInt(160))
          .append(" g ")
          .append(pick(random, "trimmed", "diced", "picked", "sliced", "blanched"))
          .append(", ")
          .append(2 + random.nextInt(8))
          .append(" g salt, ")
          .append(
              pick(
                  random,
                  "15 ml olive oil",
                  "20 g butter",
                  "10 ml rapeseed oil",
                  "5 ml lemon juice"))
          .append('\n');
    }
    out.append("\nMise en place\n");
    out.append("- The day before: ").append(pick(random, PREP_AHEAD)).append(".\n");
    out.append("- Within four hours of service: ").append(pick(random, PREP_DAY)).append(".\n");
    out.append("- To order: pick the herbs and warm the plates to 60°C.\n\nMethod\n");
    int steps = 5 + random.nextInt(4);
    for (int i = 1; i <= steps; i++) {
      out.append(i).append(". ").append(pick(random, STEPS)).append('\n');
    }
    out.append("\nPlating\nOn a ")
        .append(pick(random, "warm rimmed white plate", "dark stoneware plate", "shallow bowl"))
        .append(": the ")
        .append(hero)
        .append(" at six o'clock, height at the centre, sauce poured at the table.\n\n");
    out.append("Allergens\n")
        .append(
            pick(
                random,
                "milk",
                "fish",
                "none of the fourteen",
                "celery, milk",
                "molluscs",
                "eggs, milk"))
        .append(".\n\nChef's notes\n")
        .append(pick(random, NOTES));
    if (revision) {
      out.append("\nRevision: portion of the rich component reduced by a third, ")
          .append("sodium brought under the guideline, acidity added to balance the fat.");
    }
    return out.toString();
  }

  private String guidelines(SimulatedRequest request) {
    String message = request.lastUserMessage();
    SplittableRandom random = random(request);
    StringBuilder out = new StringBuilder("Nutrition guidelines for this menu\n\n");
    out.append("- Keep the whole menu under ")
        .append(1400 + 100 * random.nextInt(6))
        .append(" kcal; main course 450 to 600 kcal, the rest 120 to 300 kcal.\n");
    out.append(
        "- Sodium at most 800 mg per course; count cured, aged and fermented ingredients.\n");
    out.append("- Every savoury course carries an acid or bitter element to cut the fat.\n");
    String dietary = text(message, "Dietary requirements", "none");
    out.append("- Dietary requirements: ")
        .append(dietary)
        .append(dietary.equals("none") ? " beyond the allergen list." : ", without exception.")
        .append('\n');
    int courses = Math.max(1, Math.min(DesignRequest.MAX_COURSES, number(message, "Courses", 5)));
    for (int course = 1; course <= courses; course++) {
      out.append("- Course ")
          .append(course)
          .append(": watch ")
          .append(
              pick(
                  random,
                  "the butter in the sauce",
                  "the portion of the protein",
                  "sodium in the garnish",
                  "added sugar",
                  "the frying fat"))
          .append(".\n");
    }
    return out.toString();
  }

  private String review(SimulatedRequest request) {
    String message = request.lastUserMessage();
    int iteration = Math.max(1, Math.min(3, number(message, "Iteration", 1)));
    SplittableRandom random = random(request);
    boolean approved = random.nextDouble() < APPROVAL_BY_ITERATION[iteration - 1];
    ObjectNode root = JSON.createObjectNode();
    root.put("approved", approved);
    root.put("score", approved ? 78 + random.nextInt(20) : 45 + random.nextInt(25));
    root.put(
        "notes",
        approved
            ? pick(
                random,
                "Balanced and within the guidelines.",
                "Meets the requirements; portions are right.",
                "Approved: allergens listed correctly.")
            : pick(
                random,
                "Too rich for its place in the menu.",
                "Sodium is over the guideline.",
                "The allergen list is incomplete."));
    ArrayNode concerns = root.putArray("concerns");
    if (!approved) {
      concerns.add(pick(random, CONCERNS));
      if (random.nextBoolean()) {
        concerns.add(pick(random, CONCERNS));
      }
    }
    return write(root);
  }

  private String strategy(SimulatedRequest request) {
    SplittableRandom random = random(request);
    return "Pairing strategy\n\n- Open with "
        + pick(random, "a bone-dry sparkling wine", "a saline white", "a fino sherry")
        + " to wake the palate.\n- Through the lighter courses, stay with high-acid whites; bridge"
        + " on citrus and herbs.\n- For the main, "
        + pick(
            random,
            "a medium-bodied red with fine tannins",
            "a textured white with some age",
            "a light, earthy Pinot Noir")
        + ".\n- Finish with a sweet wine at least as sweet as the dessert.\n- Avoid tannic reds with"
        + " oily fish and anything oaky with delicate vegetables.";
  }

  private String pairing(SimulatedRequest request) {
    SplittableRandom random = random(request);
    String message = request.lastUserMessage();
    String[] wine = WINES[random.nextInt(WINES.length)];
    boolean invalid = random.nextDouble() < INVALID_WINE;
    if (invalid && random.nextInt(6) == 0) {
      return "I would suggest something crisp and white for this one.";
    }
    ObjectNode root = JSON.createObjectNode();
    root.put("wine", wine[0]);
    root.put("grape", wine[1]);
    root.put("region", wine[2]);
    root.put("serving_temperature_c", Integer.parseInt(wine[3]));
    root.put(
        "reasoning",
        "The "
            + wine[1]
            + " picks up "
            + pick(
                random,
                "the citrus in the sauce",
                "the roasted notes",
                "the sweetness of the garnish",
                "the herbs")
            + " and its acidity cuts the richness of the dish.");
    root.put("confidence", (70 + random.nextInt(30)) / 100.0);
    if (invalid) {
      switch (random.nextInt(3)) {
        case 0:
          root.put("wine", "TBD");
          break;
        case 1:
          root.put("confidence", (20 + random.nextInt(30)) / 100.0);
          root.put("reasoning", "Unsure.");
          break;
        default:
          root.put("serving_temperature_c", 24);
      }
    }
    if (message.contains("halal") || message.contains("alcohol")) {
      root.put("wine", "Alcohol-free sparkling Riesling");
      root.put("grape", "Riesling");
      root.put("region", "Rheingau, Germany");
    }
    return write(root);
  }

  private static String write(ObjectNode node) {
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pick(SplittableRandom random, String... options) {
    return options[random.nextInt(options.length)];
  }

  private static String capitalise(String text) {
    return text.isEmpty()
        ? text
        : text.substring(0, 1).toUpperCase(Locale.ROOT) + text.substring(1);
  }

  private static String[] heroes(String courseType) {
    String type = courseType.toLowerCase(Locale.ROOT);
    if (type.contains("dessert") || type.contains("mignardise")) {
      return SWEET;
    }
    if (type.contains("fish")) {
      return FISH;
    }
    if (type.contains("main")) {
      return MAINS;
    }
    if (type.contains("cheese")) {
      return CHEESES;
    }
    return HEROES;
  }

  private static String[] techniques(String courseType) {
    String type = courseType.toLowerCase(Locale.ROOT);
    return type.contains("dessert") || type.contains("mignardise") || type.contains("cheese")
        ? SWEET_TECHNIQUES
        : TECHNIQUES;
  }

  private static final String[] SWEET = {
    "dark chocolate",
    "poached pear",
    "blood orange",
    "forced rhubarb",
    "roasted peach",
    "brown-butter financier",
    "vanilla custard",
    "wild strawberries"
  };
  private static final String[] FISH = {
    "line-caught sea bass",
    "halibut",
    "hand-dived scallop",
    "Cornish crab",
    "langoustine",
    "turbot",
    "cured mackerel"
  };
  private static final String[] MAINS = {
    "aged duck breast",
    "spring lamb loin",
    "slow-cooked short rib",
    "venison loin",
    "roast pigeon",
    "celeriac baked in salt"
  };
  private static final String[] CHEESES = {"aged Comté", "goat's cheese", "blue cheese", "burrata"};
  private static final String[] SWEET_TECHNIQUES = {
    "set as a cream", "roasted with honey", "as a sorbet", "baked to order", "warm and cold"
  };
  private static final String[] HEROES = {
    "hand-dived scallop",
    "heritage beetroot",
    "wild mushrooms",
    "butternut squash",
    "Cornish crab",
    "heirloom tomato",
    "burrata",
    "charred leeks",
    "celeriac",
    "white asparagus",
    "langoustine"
  };
  private static final String[] TECHNIQUES = {
    "cured and torched",
    "roasted over embers",
    "poached in brown butter",
    "glazed and lacquered",
    "slow-braised",
    "raw with a citrus dressing",
    "confit",
    "salt-baked",
    "smoked over hay",
    "pressed and seared"
  };
  private static final String[] ACCENTS = {
    "fermented green chilli",
    "brown-butter crumb",
    "pickled shallot",
    "smoked almond",
    "yuzu gel",
    "wild garlic oil",
    "toasted buckwheat",
    "sea herbs",
    "preserved lemon",
    "black garlic",
    "miso caramel",
    "charred spring onion"
  };
  private static final String[] PREP_AHEAD = {
    "make the stock and reduce it to a glaze",
    "cure the fish in salt and sugar for 12 hours",
    "set the gel with agar and chill it",
    "ferment the chilli paste",
    "churn the ice cream"
  };
  private static final String[] PREP_DAY = {
    "blend the herb oil and keep it at 2°C", "portion the protein and temper it",
    "toast the crumb and keep it dry", "pickle the shallots in warm brine"
  };
  private static final String[] STEPS = {
    "Season the protein with salt 30 minutes before cooking.",
    "Heat a heavy pan over high heat until the oil shimmers, 2 to 3 minutes.",
    "Sear presentation side down, 3 to 4 minutes, until deeply golden.",
    "Add butter and baste for 1 to 2 minutes, until it foams and smells nutty.",
    "Rest on a warm rack for half the cooking time.",
    "Warm the sauce to a simmer and mount with cold butter off the heat.",
    "Adjust the seasoning with salt and a few drops of lemon.",
    "Roast the vegetables at 200°C for 18 to 22 minutes, turning once.",
    "Blend until silky, 2 minutes on high, and pass through a fine sieve.",
    "Hold the purée at 63°C with a cartouche until service."
  };
  private static final String[] NOTES = {
    "The sauce breaks if it boils after mounting: keep it below 85°C.",
    "Rest the protein fully or the juices end up on the plate.",
    "If the luxury garnish is unavailable, replace it with a toasted seed crumb."
  };
  private static final String[] CONCERNS = {
    "Reduce the butter in the sauce by a third.",
    "List milk among the allergens.",
    "Bring sodium under 800 mg: halve the cured garnish.",
    "Add an acidic element to balance the fat.",
    "Reduce the portion of the protein to 120 g.",
    "Replace the wheat crumb with toasted buckwheat for the gluten-free guests."
  };
  private static final String[][] WINES = {
    {"Chablis Premier Cru", "Chardonnay", "Burgundy, France", "10"},
    {"Sancerre", "Sauvignon Blanc", "Loire, France", "9"},
    {"Alsace Riesling Grand Cru", "Riesling", "Alsace, France", "9"},
    {"Albariño", "Albariño", "Rías Baixas, Spain", "9"},
    {"Meursault", "Chardonnay", "Burgundy, France", "12"},
    {"Bourgogne Pinot Noir", "Pinot Noir", "Burgundy, France", "13"},
    {"Barbera d'Alba", "Barbera", "Piedmont, Italy", "15"},
    {"Chianti Classico Riserva", "Sangiovese", "Tuscany, Italy", "16"},
    {"Sauternes", "Sémillon, Sauvignon Blanc", "Bordeaux, France", "8"},
    {"Champagne Brut Nature, Grower", "Chardonnay, Pinot Noir", "Champagne, France", "7"},
    {"Tawny Port 20 Year", "Touriga blend", "Douro, Portugal", "14"}
  };
}
