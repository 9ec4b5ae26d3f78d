package dev.tokenscope.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Prices every case of {@code cost-cases.txt} — dated, prefixed, Bedrock, Vertex and Azure names,
 * cache reads and writes, reasoning, long-context thresholds, batch, tiers, tiered pricing and
 * unknown models — and compares with dollars worked out by hand from the snapshot.
 */
class CostTableTest {
  private static final Pricing PRICING = Snapshot.pricing();

  record Case(
      int line,
      String model,
      String provider,
      Usage usage,
      String resolved,
      boolean priced,
      BigDecimal input,
      BigDecimal cacheRead,
      BigDecimal cacheWrite,
      BigDecimal output,
      BigDecimal total,
      String arithmetic) {
    @Override
    public String toString() {
      return "line " + line + ": " + model + " [" + arithmetic + "]";
    }
  }

  static List<Case> cases() throws IOException {
    List<Case> cases = new ArrayList<>();
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                CostTableTest.class.getResourceAsStream("cost-cases.txt"),
                StandardCharsets.UTF_8))) {
      String line;
      int number = 0;
      while ((line = in.readLine()) != null) {
        number++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int hash = line.indexOf("  # ");
        String arithmetic = line.substring(hash + 4).trim();
        String[] f = line.substring(0, hash).split("\\|", -1);
        String[] u = f[2].trim().split("\\s+");
        String flag = u[6];
        Usage usage =
            Usage.builder()
                .inputTokens(Long.parseLong(u[0]))
                .outputTokens(Long.parseLong(u[1]))
                .cacheReadTokens(Long.parseLong(u[2]))
                .cacheWriteTokens(Long.parseLong(u[3]))
                .cacheWrite1hTokens(Long.parseLong(u[4]))
                .reasoningTokens(Long.parseLong(u[5]))
                .batch(flag.equals("batch"))
                .serviceTier(
                    flag.equals("-") || flag.equals("batch")
                        ? ServiceTier.STANDARD
                        : ServiceTier.parse(flag))
                .build();
        boolean priced = !f[4].trim().equals("unpriced");
        cases.add(
            new Case(
                number,
                f[0].trim(),
                f[1].trim().equals("-") ? null : f[1].trim(),
                usage,
                f[3].trim().equals("-") ? null : f[3].trim(),
                priced,
                priced ? new BigDecimal(f[4].trim()) : BigDecimal.ZERO,
                priced ? new BigDecimal(f[5].trim()) : BigDecimal.ZERO,
                priced ? new BigDecimal(f[6].trim()) : BigDecimal.ZERO,
                priced ? new BigDecimal(f[7].trim()) : BigDecimal.ZERO,
                priced ? new BigDecimal(f[8].trim()) : BigDecimal.ZERO,
                arithmetic));
      }
    }
    return cases;
  }

  static List<Arguments> arguments() throws IOException {
    List<Arguments> arguments = new ArrayList<>();
    for (Case c : cases()) {
      arguments.add(Arguments.of(c));
    }
    return arguments;
  }

  @Test
  void tableHasAtLeastSixtyCasesAcrossProviders() throws IOException {
    List<Case> cases = cases();
    assertThat(cases).hasSizeGreaterThanOrEqualTo(60);
    assertThat(cases.stream().map(Case::provider).distinct().count()).isGreaterThanOrEqualTo(10);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("arguments")
  void pricesAsWorkedOutByHand(Case c) {
    Cost cost = PRICING.cost(c.model(), c.provider(), c.usage());

    assertThat(cost.model()).isEqualTo(c.model());
    assertThat(cost.resolvedModel()).as("resolved key").isEqualTo(c.resolved());
    assertThat(cost.priced()).as("priced").isEqualTo(c.priced());
    assertThat(cost.inputUsd()).as("input").isEqualTo(c.input().doubleValue());
    assertThat(cost.cacheReadUsd()).as("cache read").isEqualTo(c.cacheRead().doubleValue());
    assertThat(cost.cacheWriteUsd()).as("cache write").isEqualTo(c.cacheWrite().doubleValue());
    assertThat(cost.outputUsd()).as("output").isEqualTo(c.output().doubleValue());
    assertThat(cost.totalUsd()).as("total").isEqualTo(c.total().doubleValue());
    assertThat(c.input().add(c.cacheRead()).add(c.cacheWrite()).add(c.output()))
        .as("the table's own parts add up")
        .isEqualByComparingTo(c.total());
    if (c.priced()) {
      assertThat(cost.pricingSource()).isEqualTo("file:" + Snapshot.FILE_NAME);
    }
  }
}
