package dev.tokenscope.demo.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The validation rules and the fallback, as pure logic. */
class WinePairingRulesTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Sancerre|Sauvignon Blanc|Loire|9|Its acidity meets the citrus in the sauce.|0.9|",
        "TBD|Sauvignon Blanc|Loire|9|Its acidity meets the citrus in the sauce.|0.9|no wine named",
        "Sancerre|n/a|Loire|9|Its acidity meets the citrus in the sauce.|0.9|no grape given",
        "Sancerre|Sauvignon Blanc| |9|Its acidity meets the citrus in the sauce.|0.9|no region given",
        "Sancerre|Sauvignon Blanc|Loire|24|Its acidity meets the citrus in the sauce.|0.9|outside 4–20°C",
        "Sancerre|Sauvignon Blanc|Loire|9|Unsure.|0.9|reasoning too thin",
        "Sancerre|Sauvignon Blanc|Loire|9|Its acidity meets the citrus in the sauce.|0.3|below 0.6",
        "Sancerre|Sauvignon Blanc|Loire|9|Its acidity meets the citrus in the sauce.|1.5|confidence"
      })
  void answersAreValidatedFieldByField(
      String wine,
      String grape,
      String region,
      int temperature,
      String reasoning,
      double confidence,
      String problem) {
    WinePairing pairing =
        new WinePairing(
            wine, grape, region == null ? "" : region, temperature, reasoning, confidence, false);

    if (problem == null) {
      assertThat(pairing.problems()).isEmpty();
    } else {
      assertThat(pairing.problems()).hasSize(1);
      assertThat(pairing.problems().get(0)).contains(problem);
    }
  }

  @ParameterizedTest
  @CsvSource({
    "dessert, false, Sauternes",
    "mignardises, false, Sauternes",
    "cheese, false, Tawny Port 20 Year",
    "main, false, Bourgogne Pinot Noir",
    "second main, false, Bourgogne Pinot Noir",
    "fish, false, Chablis Premier Cru",
    "amuse-bouche, false, 'Champagne Brut Nature, Grower'",
    "main, true, Alcohol-free sparkling Riesling"
  })
  void theFallbackSuitsTheCourseAndPassesValidation(
      String courseType, boolean alcoholFree, String wine) {
    WinePairing fallback = KitchenPrompts.fallbackPairing(courseType, alcoholFree);

    assertThat(fallback.wine()).isEqualTo(wine);
    assertThat(fallback.fallback()).isTrue();
    assertThat(fallback.problems()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"})
  void aPlanThatIsNotJsonStillHasTheRequestedCourses(int courses) {
    DesignRequest request =
        new DesignRequest(
            "Nordic", "tasting", courses, java.util.List.of(), "premium", "winter", "wedding");

    MenuPlan plan = KitchenAgents.parsePlan("Here is a lovely menu!", request);

    assertThat(plan.courses()).hasSize(courses);
    assertThat(plan.courses()).extracting(MenuPlan.Course::number).doesNotHaveDuplicates();
    assertThat(plan.concept()).contains("Nordic");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"not json", "{\"approved\": \"yes\"}", "[true]", "{\"notes\": \"fine\"}"})
  void anUnreadableReviewCountsAsNotApproved(String text) {
    assertThat(KitchenAgents.parseReview(text).approved()).isFalse();
  }

  @Test
  void aReviewInAMarkdownFenceIsRead() {
    String json = "{\"approved\": true, \"score\": 91, \"notes\": \"Good.\", \"concerns\": []}";

    for (String text : new String[] {json, "```json\n" + json + "\n```"}) {
      NutritionReview review = KitchenAgents.parseReview(text);
      assertThat(review.approved()).isTrue();
      assertThat(review.score()).isEqualTo(91);
    }
  }
}
