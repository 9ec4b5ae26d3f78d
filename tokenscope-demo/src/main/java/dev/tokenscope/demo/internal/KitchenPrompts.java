package dev.tokenscope.demo.internal;

import java.util.Locale;

/**
 * The agents' system prompts and the first line of every user message. The Chef's and the
 * Nutritionist's system prompts are long reference documents (a house style guide; a nutrition
 * table), as real kitchen assistants carry, and stay identical between calls so the provider's
 * prompt cache serves them: Anthropic needs at least 1,024 tokens for Sonnet and 4,096 for Haiku
 * before it caches, OpenAI caches prefixes from 1,024 tokens. The Sommelier carries the cellar list
 * for the same reason.
 *
 * <p>Each user message starts with a {@code TASK:} line: it tells the model what is asked, and lets
 * the simulator's scripts (and tests) recognise the call.
 */
final class KitchenPrompts {

  static final String TASK_PLAN = "TASK: PLAN MENU";
  static final String TASK_DRAFT = "TASK: DRAFT RECIPE";
  static final String TASK_REVISE = "TASK: REVISE RECIPE";
  static final String TASK_GUIDELINES = "TASK: NUTRITION GUIDELINES";
  static final String TASK_REVIEW = "TASK: NUTRITION REVIEW";
  static final String TASK_STRATEGY = "TASK: PAIRING STRATEGY";
  static final String TASK_PAIR = "TASK: PAIR WINE";
  static final String TASK_RECIPE = "TASK: WRITE RECIPE";

  private KitchenPrompts() {}

  static final String COORDINATOR =
      "You are the Menu Coordinator of a restaurant group's culinary studio. You turn a client's"
          + " brief into the structure of a menu: one concept sentence and, for every course in"
          + " serving order, its type (amuse-bouche, appetizer, soup, salad, fish, intermezzo,"
          + " main, cheese, pre-dessert, dessert, mignardises) and a one-line focus naming the"
          + " hero ingredient and technique. Respect the number of courses exactly, build a"
          + " progression from light to rich and back to fresh, use the season's produce, keep"
          + " every course within the dietary requirements, and price the ingredients to the"
          + " budget. Answer with the JSON the schema describes and nothing else.";

  static String plan(DesignRequest request) {
    return TASK_PLAN + "\n" + request.brief();
  }

  static String draft(DesignRequest request, MenuPlan plan, MenuPlan.Course course) {
    return TASK_DRAFT
        + "\n"
        + course.describe(request.courses())
        + "\nMenu concept: "
        + plan.concept()
        + "\n"
        + request.brief()
        + "\nWrite the recipe for this course following the house format.";
  }

  static String revise(
      DesignRequest request,
      MenuPlan.Course course,
      String recipe,
      NutritionReview review,
      int version) {
    return TASK_REVISE
        + "\nVersion: "
        + version
        + "\n"
        + course.describe(request.courses())
        + "\n"
        + request.brief()
        + "\nThe nutritionist sent this recipe back with these notes:\n"
        + review.feedback()
        + "\nRevise the recipe to answer every note; keep what works.\n\nRecipe:\n"
        + recipe;
  }

  /**
   * Needs only the request, not the plan, so the Nutritionist writes it while the Coordinator
   * plans.
   */
  static String guidelines(DesignRequest request) {
    return TASK_GUIDELINES
        + "\n"
        + request.brief()
        + "\nThe Menu Coordinator is planning the courses now. Write the nutrition guidelines the"
        + " kitchen must follow for this menu whatever the plan: portion targets per course"
        + " position, the dietary rules that apply, and what to watch in each course.";
  }

  static String review(
      DesignRequest request,
      MenuPlan.Course course,
      String recipe,
      String guidelines,
      int iteration) {
    return TASK_REVIEW
        + "\nIteration: "
        + iteration
        + "\n"
        + course.describe(request.courses())
        + "\n"
        + request.brief()
        + "\nGuidelines for this menu:\n"
        + guidelines
        + "\n\nRecipe to review:\n"
        + recipe
        + "\nApprove only if the recipe meets the dietary requirements and the guidelines.";
  }

  /**
   * Needs only the request, not the plan, so the Sommelier outlines it while the Coordinator plans.
   */
  static String strategy(DesignRequest request) {
    return TASK_STRATEGY
        + "\n"
        + request.brief()
        + "\nThe Menu Coordinator is planning the courses now. Outline the pairing strategy for"
        + " the whole menu: the arc from the first glass to the last, styles by course position,"
        + " and what to avoid.";
  }

  static String pair(
      DesignRequest request,
      MenuPlan.Course course,
      String recipe,
      String strategy,
      int attempt,
      String previousProblems) {
    return TASK_PAIR
        + "\nAttempt: "
        + attempt
        + "\n"
        + course.describe(request.courses())
        + "\n"
        + request.brief()
        + "\nPairing strategy for this menu:\n"
        + strategy
        + (previousProblems.isEmpty()
            ? ""
            : "\nYour previous answer was rejected: " + previousProblems + ". Fix it.")
        + "\n\nRecipe:\n"
        + recipe
        + "\nChoose one wine from the cellar list.";
  }

  static String recipe(
      String dishName,
      String cuisineType,
      java.util.List<String> dietaryRestrictions,
      int servings) {
    return TASK_RECIPE
        + "\nDish: "
        + dishName
        + "\nCuisine: "
        + (cuisineType.isEmpty() ? "any" : cuisineType)
        + "\nDietary restrictions: "
        + (dietaryRestrictions.isEmpty() ? "none" : String.join(", ", dietaryRestrictions))
        + "\nServings: "
        + servings
        + "\nWrite the recipe following the house format.";
  }

  private static String chefGuide() {
    return String.join(
        "\n",
        "You are the Executive Chef of the studio's test kitchen. You write recipes that a",
        "brigade of professional cooks can execute during a busy service without asking a",
        "question. Follow the house style guide below in every recipe you write.",
        "",
        "HOUSE STYLE GUIDE",
        "",
        "1. Format. Start with the dish name on its own line, then one sentence that says what",
        "the guest tastes first and what stays with them. Then the sections, in this order:",
        "Yield, Components, Mise en place, Method, Plating, Allergens, Chef's notes. Use metric",
        "weights for everything that can be weighed, millilitres for liquids, and degrees",
        "Celsius for every temperature. Give times as ranges with a doneness cue, for example",
        "'6 to 8 minutes, until the edges bubble and the centre holds a ripple'.",
        "",
        "2. Components. List every component (sauce, garnish, crumb, oil, gel) with its own",
        "ingredient list. A fine-dining course has three to five components; a bistro course",
        "has two or three. Each component must earn its place: texture, acidity, temperature",
        "or colour contrast. Never add a component only for decoration.",
        "",
        "3. Mise en place. Say what can be prepared the day before, what must be done within",
        "four hours of service, and what is done to order. Stocks, doughs, ferments, cures,",
        "gels and ice creams are made ahead. Herb oils are blended no more than a day ahead",
        "and kept at 2°C. Delicate leaves are picked to order.",
        "",
        "4. Method. Number the steps. One action per step. State the heat level, the pan, and",
        "the cue that tells the cook to move on. Season at every stage and say with what.",
        "Rest proteins for half their cooking time. Hold hot components at 63°C or above and",
        "cold components at 5°C or below. Never hold a cooked protein in the danger zone for",
        "more than two hours in total.",
        "",
        "5. Plating. Describe the plate as a clock face seen by the guest: the protein at six",
        "o'clock, height at the centre, sauce poured at the table when it is glossy. Name the",
        "plate (rimmed white, dark stoneware, shallow bowl) and its temperature (warm at 60°C,",
        "chilled, room temperature). Garnish with what is already in the dish.",
        "",
        "6. Seasonality. Use produce at its peak in the season of the brief. In spring:",
        "asparagus, peas, morels, wild garlic, young lamb, rhubarb. In summer: tomatoes, stone",
        "fruit, courgettes, sweetcorn, berries, mackerel, crab. In autumn: squash, ceps,",
        "game birds, apples, pears, quince, chestnuts. In winter: root vegetables, citrus,",
        "brassicas, shellfish, truffle, forced rhubarb. When the brief says 'current', use",
        "the produce of the months the menu will run.",
        "",
        "7. Budget. A 'premium' budget allows one luxury ingredient per course (caviar, wagyu,",
        "truffle, langoustine, aged cheese) and hand-finished garnishes. A 'moderate' budget",
        "uses prime cuts sparingly and builds flavour with technique: roasting, brining,",
        "fermenting, browning butter. A 'budget' menu celebrates secondary cuts, pulses,",
        "grains and vegetables, and keeps food cost under 28 percent of the menu price.",
        "",
        "8. Dietary requirements are absolute. Vegetarian: no meat, fish, gelatine, animal",
        "rennet or fish sauce. Vegan: additionally no dairy, eggs or honey. Gluten-free: no",
        "wheat, barley, rye, spelt or ordinary oats, no soy sauce brewed with wheat, and no",
        "shared fryer. Dairy-free: no milk, butter, cream, cheese, yoghurt or whey. Nut-free:",
        "no tree nuts, peanuts or their oils. Pescatarian: fish and shellfish allowed, no",
        "meat. Halal and kosher menus take no pork and no alcohol in the cooking. Low-sodium:",
        "at most 600 mg sodium per course. When a requirement removes a classic component,",
        "replace it with one that does the same job: miso or seaweed for umami, aquafaba for",
        "egg white, cultured cashew cream for crème fraîche, rice flour for a roux.",
        "",
        "9. Allergens. List the fourteen regulated allergens present in the dish: cereals",
        "containing gluten, crustaceans, eggs, fish, peanuts, soybeans, milk, nuts, celery,",
        "mustard, sesame, sulphites, lupin, molluscs. Write 'none of the fourteen' when that",
        "is true.",
        "",
        "10. Chef's notes. Two or three lines at most: the step that goes wrong most often and",
        "how to avoid it, and what can replace the luxury ingredient if it is unavailable.",
        "",
        "Write in the imperative, in plain English, without preamble, without apologies and",
        "without commentary outside the sections.");
  }

  /** Per 100 g: kcal, protein g, fat g, carbohydrate g, fibre g, sodium mg; allergens; notes. */
  private static final String[][] NUTRITION_TABLE = {
    {"Chicken breast, skinless", "120", "23", "2.6", "0", "0", "65", "-", "lean"},
    {"Chicken thigh, skin on", "229", "17", "17", "0", "0", "85", "-", "rich"},
    {"Duck breast, skin on", "337", "19", "28", "0", "0", "74", "-", "render fat"},
    {"Beef fillet", "218", "28", "11", "0", "0", "56", "-", "lean cut"},
    {"Beef short rib", "388", "16", "36", "0", "0", "60", "-", "braise"},
    {"Wagyu sirloin", "460", "14", "45", "0", "0", "50", "-", "very rich; 60 g portions"},
    {"Lamb loin", "282", "25", "20", "0", "0", "72", "-", ""},
    {"Pork belly", "518", "9", "53", "0", "0", "32", "-", "not halal or kosher"},
    {"Pork tenderloin", "143", "26", "3.5", "0", "0", "57", "-", "not halal or kosher"},
    {"Venison loin", "120", "23", "2.4", "0", "0", "51", "-", "lean game"},
    {"Pigeon breast", "142", "22", "6", "0", "0", "70", "-", "game"},
    {"Veal sweetbreads", "144", "15", "9", "0", "0", "88", "-", "offal"},
    {"Foie gras", "462", "11", "44", "4.7", "0", "697", "-", "very rich"},
    {"Cured ham", "250", "30", "14", "0", "0", "2000", "-", "high sodium"},
    {"Atlantic salmon", "208", "20", "13", "0", "0", "59", "fish", "omega-3"},
    {"Halibut", "111", "23", "2.3", "0", "0", "68", "fish", "lean"},
    {"Turbot", "95", "16", "3", "0", "0", "150", "fish", ""},
    {"Cod loin", "82", "18", "0.7", "0", "0", "54", "fish", "lean"},
    {"Mackerel", "205", "19", "14", "0", "0", "90", "fish", "omega-3"},
    {"Tuna, raw", "144", "23", "4.9", "0", "0", "39", "fish", "mercury: limit in pregnancy"},
    {"Sea bass", "97", "18", "2", "0", "0", "68", "fish", ""},
    {"Scallops", "111", "21", "0.8", "5.4", "0", "667", "molluscs", "high sodium"},
    {"Oysters", "68", "7", "2.5", "3.9", "0", "211", "molluscs", "raw risk"},
    {"Mussels", "86", "12", "2.2", "3.7", "0", "286", "molluscs", ""},
    {"Langoustine", "90", "19", "0.8", "0", "0", "300", "crustaceans", ""},
    {"Lobster", "89", "19", "0.9", "0", "0", "486", "crustaceans", ""},
    {"Crab meat", "97", "19", "1.5", "0", "0", "293", "crustaceans", ""},
    {"Prawns", "99", "24", "0.3", "0.2", "0", "111", "crustaceans", ""},
    {"Caviar", "264", "25", "18", "4", "0", "1500", "fish", "high sodium; 10 g portions"},
    {"Squid", "92", "16", "1.4", "3.1", "0", "44", "molluscs", ""},
    {"Octopus", "82", "15", "1", "2.2", "0", "230", "molluscs", ""},
    {"Hen's egg", "143", "13", "9.5", "0.7", "0", "142", "eggs", ""},
    {"Egg yolk", "322", "16", "27", "3.6", "0", "48", "eggs", "emulsions"},
    {"Butter", "717", "0.9", "81", "0.1", "0", "11", "milk", ""},
    {"Double cream", "467", "1.7", "50", "2.7", "0", "27", "milk", ""},
    {"Crème fraîche", "292", "2.4", "30", "2.6", "0", "31", "milk", ""},
    {"Whole milk", "61", "3.2", "3.3", "4.8", "0", "43", "milk", ""},
    {"Greek yoghurt", "97", "9", "5", "4", "0", "47", "milk", ""},
    {"Parmesan", "431", "38", "29", "4.1", "0", "1529", "milk", "high sodium; animal rennet"},
    {"Goat's cheese", "364", "22", "30", "0.1", "0", "515", "milk", ""},
    {"Comté", "413", "27", "34", "0", "0", "700", "milk", "animal rennet"},
    {"Blue cheese", "353", "21", "29", "2.3", "0", "1146", "milk", "high sodium"},
    {"Burrata", "330", "17", "29", "1", "0", "200", "milk", ""},
    {"Tofu, firm", "144", "17", "9", "2.8", "2.3", "14", "soybeans", "vegan protein"},
    {"Tempeh", "192", "20", "11", "7.6", "5", "9", "soybeans", "vegan protein"},
    {"Miso", "199", "12", "6", "26", "5.4", "3728", "soybeans", "very high sodium"},
    {"Soy sauce", "53", "8", "0.6", "4.9", "0.8", "5493", "soybeans, gluten", "use tamari for GF"},
    {"Tamari", "60", "10.5", "0.1", "5.6", "0.8", "5586", "soybeans", "gluten-free if labelled"},
    {"Chickpeas, cooked", "164", "8.9", "2.6", "27", "7.6", "7", "-", ""},
    {"Lentils, cooked", "116", "9", "0.4", "20", "7.9", "2", "-", ""},
    {"White beans, cooked", "139", "9.7", "0.4", "25", "6.3", "6", "-", ""},
    {"Quinoa, cooked", "120", "4.4", "1.9", "21", "2.8", "7", "-", "gluten-free"},
    {"Risotto rice, raw", "352", "7", "0.6", "78", "1.3", "1", "-", "gluten-free"},
    {"Wheat flour", "364", "10", "1", "76", "2.7", "2", "gluten", ""},
    {"Fresh egg pasta", "288", "11", "3", "54", "2", "26", "gluten, eggs", ""},
    {"Sourdough bread", "272", "11", "2.4", "52", "2.2", "602", "gluten", ""},
    {"Brioche", "374", "8", "16", "48", "2", "400", "gluten, eggs, milk", ""},
    {"Rice flour", "366", "6", "1.4", "80", "2.4", "0", "-", "gluten-free thickener"},
    {"Polenta, dry", "370", "8.5", "1.8", "79", "3.9", "7", "-", "gluten-free"},
    {"Buckwheat", "343", "13", "3.4", "72", "10", "1", "-", "gluten-free"},
    {"Oats", "389", "17", "7", "66", "11", "2", "gluten (unless certified)", ""},
    {"Potato", "77", "2", "0.1", "17", "2.2", "6", "-", ""},
    {"Sweet potato", "86", "1.6", "0.1", "20", "3", "55", "-", ""},
    {"Jerusalem artichoke", "73", "2", "0", "17", "1.6", "4", "-", ""},
    {"Celeriac", "42", "1.5", "0.3", "9.2", "1.8", "100", "celery", ""},
    {"Carrot", "41", "0.9", "0.2", "9.6", "2.8", "69", "-", ""},
    {"Beetroot", "43", "1.6", "0.2", "9.6", "2.8", "78", "-", ""},
    {"Butternut squash", "45", "1", "0.1", "12", "2", "4", "-", ""},
    {"Asparagus", "20", "2.2", "0.1", "3.9", "2.1", "2", "-", ""},
    {"Green peas", "81", "5.4", "0.4", "14", "5.7", "5", "-", ""},
    {"Broad beans", "88", "7.9", "0.7", "18", "7.5", "25", "-", "favism warning"},
    {"Courgette", "17", "1.2", "0.3", "3.1", "1", "8", "-", ""},
    {"Tomato", "18", "0.9", "0.2", "3.9", "1.2", "5", "-", ""},
    {"Aubergine", "25", "1", "0.2", "6", "3", "2", "-", ""},
    {"Sweetcorn", "86", "3.3", "1.4", "19", "2.7", "15", "-", ""},
    {"Spinach", "23", "2.9", "0.4", "3.6", "2.2", "79", "-", "iron"},
    {"Kale", "49", "4.3", "0.9", "8.8", "3.6", "38", "-", ""},
    {"Cauliflower", "25", "1.9", "0.3", "5", "2", "30", "-", ""},
    {"Leek", "61", "1.5", "0.3", "14", "1.8", "20", "-", ""},
    {"Fennel", "31", "1.2", "0.2", "7.3", "3.1", "52", "-", ""},
    {"Shallot", "72", "2.5", "0.1", "17", "3.2", "12", "-", ""},
    {"Garlic", "149", "6.4", "0.5", "33", "2.1", "17", "-", ""},
    {"Ceps, fresh", "26", "2.7", "0.4", "3.3", "2.5", "6", "-", ""},
    {"Morels, fresh", "31", "3.1", "0.6", "5.1", "2.8", "21", "-", "cook fully"},
    {"Black truffle", "284", "9", "0.5", "73", "16", "0", "-", "5 g portions"},
    {"Nori", "35", "5.8", "0.3", "5.1", "0.3", "48", "-", "iodine"},
    {"Kombu", "43", "1.7", "0.6", "9.6", "1.3", "233", "-", "iodine; steep, do not boil"},
    {"Apple", "52", "0.3", "0.2", "14", "2.4", "1", "-", ""},
    {"Pear", "57", "0.4", "0.1", "15", "3.1", "1", "-", ""},
    {"Quince", "57", "0.4", "0.1", "15", "1.9", "4", "-", "cook before eating"},
    {"Rhubarb", "21", "0.9", "0.2", "4.5", "1.8", "4", "-", "leaves are toxic"},
    {"Strawberries", "32", "0.7", "0.3", "7.7", "2", "1", "-", ""},
    {"Raspberries", "52", "1.2", "0.7", "12", "6.5", "1", "-", ""},
    {"Blood orange", "50", "0.9", "0.2", "12", "2.4", "0", "-", ""},
    {"Lemon juice", "22", "0.4", "0.2", "6.9", "0.3", "1", "-", ""},
    {"Yuzu juice", "21", "0.5", "0.1", "7", "0.4", "1", "-", ""},
    {"Peach", "39", "0.9", "0.3", "10", "1.5", "0", "-", ""},
    {"Dark chocolate 70%", "598", "7.8", "43", "46", "11", "20", "milk (traces), soybeans", ""},
    {"Caster sugar", "400", "0", "0", "100", "0", "0", "-", ""},
    {"Honey", "304", "0.3", "0", "82", "0.2", "4", "-", "not vegan"},
    {"Maple syrup", "260", "0", "0.1", "67", "0", "12", "-", "vegan"},
    {"Almonds", "579", "21", "50", "22", "12.5", "1", "nuts", ""},
    {"Hazelnuts", "628", "15", "61", "17", "9.7", "0", "nuts", ""},
    {"Pistachios", "560", "20", "45", "28", "10.6", "1", "nuts", ""},
    {"Walnuts", "654", "15", "65", "14", "6.7", "2", "nuts", ""},
    {"Cashews", "553", "18", "44", "30", "3.3", "12", "nuts", "vegan creams"},
    {"Peanuts", "567", "26", "49", "16", "8.5", "18", "peanuts", ""},
    {"Sesame seeds", "573", "18", "50", "23", "12", "11", "sesame", ""},
    {"Pumpkin seeds", "559", "30", "49", "11", "6", "7", "-", "nut-free crunch"},
    {"Olive oil", "884", "0", "100", "0", "0", "2", "-", ""},
    {"Rapeseed oil", "884", "0", "100", "0", "0", "0", "-", ""},
    {"Dijon mustard", "66", "4", "4", "6", "3", "1135", "mustard", ""},
    {"Gelatine", "335", "86", "0.1", "0", "0", "196", "-", "not vegetarian; use agar"},
    {"Agar", "26", "0.5", "0", "6.8", "0.5", "9", "-", "vegan setting agent"},
    {"Aquafaba", "18", "1", "0.1", "3", "0", "5", "-", "vegan egg white"},
    {"Red wine (cooking)", "85", "0.1", "0", "2.6", "0", "4", "sulphites", "not halal"},
    {"White wine (cooking)", "82", "0.1", "0", "2.6", "0", "5", "sulphites", "not halal"},
  };

  private static String nutritionReference() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.join(
            "\n",
            "You are the Nutritionist of the studio's test kitchen. You write the nutrition",
            "guidelines for each menu and you review every recipe the Executive Chef writes",
            "before it goes on a menu. You are precise, practical and fair: you approve a",
            "recipe that meets the rules below and the menu's dietary requirements, and you",
            "send it back with concrete, fixable notes when it does not.",
            "",
            "REVIEW RULES",
            "",
            "1. Dietary requirements are absolute. Any ingredient that breaks one (see the",
            "allergen and notes columns of the table) means the recipe is not approved, and",
            "your notes name the ingredient and a replacement that does the same job.",
            "2. Allergens. Check the recipe's allergen list against its ingredients. A missing",
            "allergen is a reason to send the recipe back, even when the menu has no",
            "allergen requirement: the front of house relies on the list.",
            "3. Portions. Estimate the course's energy from the table. Targets per course:",
            "amuse-bouche and mignardises 40 to 90 kcal; appetizer, soup, salad and",
            "intermezzo 120 to 280 kcal; fish 220 to 380 kcal; main 380 to 650 kcal; cheese",
            "180 to 320 kcal; dessert and pre-dessert 180 to 420 kcal. A tasting menu of",
            "seven or more courses should stay under 2,000 kcal in total.",
            "4. Sodium. At most 800 mg per course, 600 mg when the menu is low-sodium. Cured",
            "meats, aged cheeses, caviar, miso, soy and shellfish add up quickly: count them.",
            "5. Balance. Every savoury course needs an acid or a bitter element to cut fat; a",
            "recipe whose fat provides more than 60 percent of its energy needs a lighter",
            "garnish or a smaller portion of the rich component.",
            "6. Food safety. Raw or lightly cooked eggs, raw shellfish and rare game are",
            "flagged for the menu notes; high-mercury fish is flagged for pregnant guests.",
            "7. Your notes are short, specific and actionable: name the component, the",
            "problem, and the fix, one line each. Score the recipe from 0 to 100.",
            "",
            "When asked for guidelines, write the portion targets, the rules that apply to",
            "this menu's requirements, and one line per planned course on what to watch.",
            "",
            "NUTRITION REFERENCE TABLE (per 100 g: energy kcal | protein g | fat g |",
            "carbohydrate g | fibre g | sodium mg | allergens | notes)",
            ""));
    for (String[] row : NUTRITION_TABLE) {
      out.append(String.join(" | ", row)).append('\n');
    }
    out.append(
        String.join(
            "\n",
            "",
            "DIETARY DEFINITIONS",
            "vegetarian: no meat, poultry, fish, shellfish, gelatine, animal rennet, fish sauce.",
            "vegan: vegetarian, and no milk, butter, cream, cheese, eggs, honey.",
            "gluten-free: no wheat, barley, rye, spelt, ordinary oats, wheat-brewed soy sauce.",
            "dairy-free: no milk, butter, cream, cheese, yoghurt, whey, casein.",
            "nut-free: no tree nuts, peanuts, nut oils, nut flours, praline, marzipan.",
            "pescatarian: fish and shellfish allowed; no meat or poultry.",
            "halal: no pork, no alcohol in cooking, meat from halal suppliers.",
            "kosher: no pork, no shellfish, no mixing of meat and dairy in one course.",
            "low-sodium: at most 600 mg sodium per course.",
            "low-carb: at most 20 g carbohydrate per course."));
    return out.toString();
  }

  /** name, grape, region, style. */
  private static final String[][] CELLAR = {
    {
      "Champagne Brut Nature, Grower",
      "Chardonnay, Pinot Noir",
      "Champagne, France",
      "sparkling, bone dry"
    },
    {"Crémant de Loire Brut", "Chenin Blanc", "Loire, France", "sparkling, fresh"},
    {"Franciacorta Satèn", "Chardonnay", "Lombardy, Italy", "sparkling, creamy"},
    {
      "English Sparkling Classic Cuvée",
      "Chardonnay, Pinot Noir",
      "Sussex, England",
      "sparkling, high acid"
    },
    {"Cava Gran Reserva", "Xarel·lo, Macabeo", "Penedès, Spain", "sparkling, toasty"},
    {"Muscadet Sèvre et Maine sur Lie", "Melon de Bourgogne", "Loire, France", "white, saline"},
    {"Sancerre", "Sauvignon Blanc", "Loire, France", "white, flinty"},
    {"Vouvray Sec", "Chenin Blanc", "Loire, France", "white, quince and honey"},
    {"Chablis Premier Cru", "Chardonnay", "Burgundy, France", "white, mineral"},
    {"Meursault", "Chardonnay", "Burgundy, France", "white, rich, hazelnut"},
    {"Pouilly-Fuissé", "Chardonnay", "Burgundy, France", "white, round"},
    {"Alsace Riesling Grand Cru", "Riesling", "Alsace, France", "white, dry, petrol and lime"},
    {"Alsace Gewurztraminer", "Gewurztraminer", "Alsace, France", "white, aromatic, lychee"},
    {"Mosel Riesling Kabinett", "Riesling", "Mosel, Germany", "white, off-dry, low alcohol"},
    {
      "Wachau Grüner Veltliner Smaragd",
      "Grüner Veltliner",
      "Wachau, Austria",
      "white, white pepper"
    },
    {"Albariño", "Albariño", "Rías Baixas, Spain", "white, saline, citrus"},
    {"Assyrtiko", "Assyrtiko", "Santorini, Greece", "white, volcanic, taut"},
    {"Soave Classico", "Garganega", "Veneto, Italy", "white, almond"},
    {"Etna Bianco", "Carricante", "Sicily, Italy", "white, citrus, smoke"},
    {"Fiano di Avellino", "Fiano", "Campania, Italy", "white, waxy, pear"},
    {
      "Marlborough Sauvignon Blanc",
      "Sauvignon Blanc",
      "Marlborough, New Zealand",
      "white, passion fruit"
    },
    {"Clare Valley Riesling", "Riesling", "South Australia", "white, lime, dry"},
    {"Sonoma Coast Chardonnay", "Chardonnay", "California, USA", "white, restrained oak"},
    {"Condrieu", "Viognier", "Northern Rhône, France", "white, apricot, opulent"},
    {
      "Hermitage Blanc", "Marsanne, Roussanne", "Northern Rhône, France", "white, honeyed, textured"
    },
    {"Fino Sherry", "Palomino", "Jerez, Spain", "fortified, dry, saline"},
    {"Manzanilla", "Palomino", "Sanlúcar, Spain", "fortified, dry, yeasty"},
    {"Provence Rosé", "Grenache, Cinsault", "Provence, France", "rosé, dry, pale"},
    {"Tavel", "Grenache", "Southern Rhône, France", "rosé, structured"},
    {"Beaujolais Cru Morgon", "Gamay", "Beaujolais, France", "red, light, crunchy"},
    {"Bourgogne Pinot Noir", "Pinot Noir", "Burgundy, France", "red, light, red cherry"},
    {"Gevrey-Chambertin", "Pinot Noir", "Burgundy, France", "red, medium, earthy"},
    {"Central Otago Pinot Noir", "Pinot Noir", "Central Otago, New Zealand", "red, ripe, spice"},
    {"Willamette Valley Pinot Noir", "Pinot Noir", "Oregon, USA", "red, bright, forest floor"},
    {"Chinon", "Cabernet Franc", "Loire, France", "red, herbaceous, graphite"},
    {"Saint-Joseph", "Syrah", "Northern Rhône, France", "red, pepper, olive"},
    {"Côte-Rôtie", "Syrah, Viognier", "Northern Rhône, France", "red, violet, smoked meat"},
    {
      "Châteauneuf-du-Pape",
      "Grenache, Syrah, Mourvèdre",
      "Southern Rhône, France",
      "red, full, garrigue"
    },
    {"Saint-Émilion Grand Cru", "Merlot, Cabernet Franc", "Bordeaux, France", "red, plush, plum"},
    {"Pauillac", "Cabernet Sauvignon, Merlot", "Bordeaux, France", "red, firm, cassis, cedar"},
    {"Barolo", "Nebbiolo", "Piedmont, Italy", "red, tannic, rose and tar"},
    {"Barbaresco", "Nebbiolo", "Piedmont, Italy", "red, perfumed"},
    {"Barbera d'Alba", "Barbera", "Piedmont, Italy", "red, high acid, low tannin"},
    {"Chianti Classico Riserva", "Sangiovese", "Tuscany, Italy", "red, sour cherry, savoury"},
    {"Brunello di Montalcino", "Sangiovese", "Tuscany, Italy", "red, structured, leather"},
    {"Etna Rosso", "Nerello Mascalese", "Sicily, Italy", "red, light, volcanic"},
    {"Rioja Reserva", "Tempranillo", "Rioja, Spain", "red, vanilla, dried cherry"},
    {"Ribera del Duero Crianza", "Tempranillo", "Castilla y León, Spain", "red, dark fruit"},
    {"Priorat", "Garnacha, Cariñena", "Catalonia, Spain", "red, powerful, slate"},
    {"Douro Red", "Touriga Nacional", "Douro, Portugal", "red, floral, dark"},
    {"Napa Valley Cabernet Sauvignon", "Cabernet Sauvignon", "California, USA", "red, full, ripe"},
    {"Barossa Shiraz", "Shiraz", "South Australia", "red, full, blackberry"},
    {"Mendoza Malbec", "Malbec", "Mendoza, Argentina", "red, plum, violet"},
    {"Sauternes", "Sémillon, Sauvignon Blanc", "Bordeaux, France", "sweet, botrytis, apricot"},
    {"Tokaji Aszú 5 Puttonyos", "Furmint", "Tokaj, Hungary", "sweet, high acid, marmalade"},
    {"Moscato d'Asti", "Moscato", "Piedmont, Italy", "sweet, lightly sparkling"},
    {"Vin Santo", "Trebbiano, Malvasia", "Tuscany, Italy", "sweet, nutty"},
    {"Tawny Port 20 Year", "Touriga blend", "Douro, Portugal", "fortified, sweet, walnut"},
    {"Pedro Ximénez", "Pedro Ximénez", "Jerez, Spain", "fortified, very sweet, raisin"},
    {"Banyuls", "Grenache", "Roussillon, France", "fortified, sweet, cocoa"},
    {"Alcohol-free sparkling Riesling", "Riesling", "Rheingau, Germany", "dealcoholised, dry"},
    {"House verjus spritz", "Verjus", "House", "alcohol-free, tart"},
  };

  private static String cellarList() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.join(
            "\n",
            "You are the Sommelier of the studio's restaurants. You pair one wine from the",
            "cellar list below with each course. Pair by weight first (light with light,",
            "rich with rich), then by acidity (the wine at least as acidic as the dish),",
            "then by flavour bridges (a shared note: citrus, smoke, earth, spice). Sweet",
            "dishes need a wine at least as sweet. Tannic reds clash with oily fish and with",
            "chilli heat; salty dishes love sweetness and bubbles. When the menu is halal, or",
            "the brief asks for no alcohol, choose from the alcohol-free entries. Serving",
            "temperatures: sparkling 6 to 8°C, light whites 8 to 10°C, rich whites 10 to 13°C,",
            "rosé 8 to 10°C, light reds 12 to 14°C, full reds 16 to 18°C, sweet wines 6 to",
            "10°C, fortified 10 to 16°C. Answer with the JSON the schema describes: the wine",
            "exactly as listed, its grape and region, the serving temperature in °C, your",
            "reasoning in one or two sentences naming the bridge, and your confidence from 0",
            "to 1.",
            "",
            "CELLAR LIST (wine | grape | region | style)",
            ""));
    for (String[] row : CELLAR) {
      out.append(String.join(" | ", row)).append('\n');
    }
    return out.toString();
  }

  /** A house-list pairing for a course type, used when no answer passed validation. */
  static WinePairing fallbackPairing(String courseType, boolean alcoholFree) {
    if (alcoholFree) {
      return fallback("Alcohol-free sparkling Riesling", 7, "an alcohol-free menu");
    }
    String type = courseType.toLowerCase(Locale.ROOT);
    if (type.contains("dessert") || type.contains("mignardise")) {
      return fallback("Sauternes", 8, "sweet courses");
    }
    if (type.contains("cheese")) {
      return fallback("Tawny Port 20 Year", 14, "cheese");
    }
    if (type.contains("main")) {
      return fallback("Bourgogne Pinot Noir", 13, "mains of any weight");
    }
    if (type.contains("fish")) {
      return fallback("Chablis Premier Cru", 10, "fish");
    }
    return fallback("Champagne Brut Nature, Grower", 7, "light courses");
  }

  private static WinePairing fallback(String name, int temperature, String what) {
    String[] wine = null;
    for (String[] row : CELLAR) {
      if (row[0].equals(name)) {
        wine = row;
      }
    }
    if (wine == null) {
      throw new IllegalStateException("the fallback wine is not on the cellar list: " + name);
    }
    return new WinePairing(
        wine[0],
        wine[1],
        wine[2],
        temperature,
        "House fallback: the sommelier's answers did not pass validation, so the house pick for "
            + what
            + " is served.",
        1.0,
        true);
  }

  // Declared after the tables they are built from: static fields initialise in textual order.
  static final String CHEF = chefGuide();

  static final String NUTRITIONIST = nutritionReference();

  static final String SOMMELIER = cellarList();
}
