package dev.tokenscope.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code tokenscope pricing ...} in-process and checks output shapes and exit codes. */
class PricingCommandTest {
  private static final String SNAPSHOT_NAME = "litellm-model-prices-2026-07-24.json";

  @TempDir Path cacheDir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private PrintStream originalOut;
  private PrintStream originalErr;

  @BeforeEach
  void capture() {
    originalOut = System.out;
    originalErr = System.err;
    System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    // Never the user's cache, never the network.
    System.setProperty("tokenscope.pricing.cache.dir", cacheDir.toString());
    System.setProperty("tokenscope.pricing.offline", "true");
  }

  @AfterEach
  void restore() {
    System.setOut(originalOut);
    System.setErr(originalErr);
    System.clearProperty("tokenscope.pricing.cache.dir");
    System.clearProperty("tokenscope.pricing.offline");
  }

  private int run(String... args) {
    return Main.run(args);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  static String snapshot() {
    Path root = Path.of(System.getProperty("tokenscope.repo.root", "..")).toAbsolutePath();
    for (Path dir = root.getParent(); dir != null; dir = dir.getParent()) {
      Path path = dir.resolve("shared/data/pricing").resolve(SNAPSHOT_NAME);
      if (Files.isReadable(path)) {
        return path.toString();
      }
    }
    throw new IllegalStateException("snapshot not found above " + root);
  }

  @Test
  void costAsJsonWithTheExactShape() {
    int code =
        run(
            "pricing",
            "cost",
            "--model",
            "gpt-4o-2024-08-06",
            "--provider",
            "openai",
            "--input",
            "10000",
            "--output",
            "500",
            "--cache-read",
            "8000",
            "--json",
            "--catalog",
            snapshot());

    assertThat(code).isZero();
    assertThat(out().trim())
        .isEqualTo(
            "{\"model\":\"gpt-4o-2024-08-06\",\"resolved\":\"gpt-4o-2024-08-06\",\"provider\":\"openai\","
                + "\"pricing_source\":\"file:"
                + SNAPSHOT_NAME
                + "\",\"priced\":true,"
                + "\"input_usd\":0.005,\"cache_read_usd\":0.01,\"cache_write_usd\":0.0,"
                + "\"output_usd\":0.005,\"total_usd\":0.02}");
    assertThat(err()).isEmpty();
  }

  @Test
  void costWithEveryFlag() {
    int code =
        run(
            "pricing",
            "cost",
            "--model",
            "claude-sonnet-4-5",
            "--input",
            "250000",
            "--output",
            "2000",
            "--cache-read",
            "200000",
            "--cache-write",
            "10000",
            "--cache-write-1h",
            "5000",
            "--reasoning",
            "500",
            "--json");

    // Built-in table, above 200k: in 35000x6e-6 + cr 200000x6e-7 + cw 10000x7.5e-6
    // + cw1h 5000x1.2e-5 + out 2000x2.25e-5 = 0.21 + 0.12 + 0.135 + 0.045 = 0.51
    assertThat(code).isZero();
    assertThat(out())
        .contains("\"total_usd\":0.51")
        .contains("\"pricing_source\":\"builtin@2026-07-24\"");
  }

  @Test
  void batchAndServiceTier() {
    assertThat(
            run(
                "pricing",
                "cost",
                "--model",
                "gpt-5",
                "--input",
                "1000000",
                "--output",
                "0",
                "--batch",
                "--json"))
        .isZero();
    assertThat(out()).contains("\"total_usd\":0.625");
    out.reset();
    assertThat(
            run(
                "pricing",
                "cost",
                "--model",
                "gpt-5",
                "--input",
                "1000000",
                "--output",
                "0",
                "--service-tier",
                "flex",
                "--json"))
        .isZero();
    assertThat(out()).contains("\"total_usd\":0.625");
    out.reset();
    assertThat(
            run(
                "pricing",
                "cost",
                "--model",
                "gpt-5",
                "--input",
                "1000000",
                "--output",
                "0",
                "--service-tier",
                "priority",
                "--json"))
        .isZero();
    assertThat(out()).contains("\"total_usd\":2.5");
  }

  @Test
  void humanReadableCost() {
    assertThat(run("pricing", "cost", "--model", "gpt-4o", "--input", "1000", "--output", "200"))
        .isZero();
    assertThat(out())
        .contains("resolved     gpt-4o (rule exact, provider openai)")
        .contains("total        $0.004500");
  }

  @Test
  void unpricedModelExitsThreeAndStillPrintsJson() {
    int code =
        run("pricing", "cost", "--model", "acme-llm", "--input", "10", "--output", "10", "--json");

    assertThat(code).isEqualTo(3);
    assertThat(out())
        .contains("\"resolved\":null")
        .contains("\"priced\":false")
        .contains("\"total_usd\":0.0");
  }

  @Test
  void badArgumentsExitTwoWithAMessageAndNoStackTrace() {
    assertThat(run("pricing", "cost", "--model", "gpt-4o", "--input", "-5", "--output", "1"))
        .isEqualTo(2);
    assertThat(err()).contains("input tokens must not be negative, got -5").doesNotContain("\tat ");
    err.reset();
    assertThat(
            run(
                "pricing",
                "cost",
                "--model",
                "gpt-4o",
                "--input",
                "5",
                "--output",
                "1",
                "--cache-read",
                "9"))
        .isEqualTo(2);
    assertThat(err()).contains("exceed input tokens (5)");
    err.reset();
    assertThat(
            run(
                "pricing",
                "cost",
                "--model",
                "gpt-4o",
                "--input",
                "5",
                "--output",
                "1",
                "--frobnicate"))
        .isEqualTo(2);
    assertThat(err()).contains("Unknown option: '--frobnicate'");
    err.reset();
    assertThat(run("pricing", "cost", "--model", "gpt-4o", "--input", "five", "--output", "1"))
        .isEqualTo(2);
    assertThat(err()).contains("'five' is not a long");
    err.reset();
    assertThat(
            run(
                "pricing",
                "cost",
                "--model",
                "gpt-4o",
                "--input",
                "5",
                "--output",
                "1",
                "--service-tier",
                "turbo"))
        .isEqualTo(2);
    assertThat(err()).contains("unknown service tier 'turbo'");
    err.reset();
    assertThat(run("pricing", "cost", "--input", "5", "--output", "1")).isEqualTo(2);
    assertThat(err()).contains("Missing required option: '--model=M'");
    assertThat(err()).doesNotContain("Exception");
  }

  @Test
  void unreadableCatalogExitsTwo(@TempDir Path dir) throws Exception {
    assertThat(
            run(
                "pricing",
                "cost",
                "--model",
                "gpt-4o",
                "--input",
                "5",
                "--output",
                "1",
                "--catalog",
                dir.resolve("missing.json").toString()))
        .isEqualTo(2);
    assertThat(err()).contains("cannot read catalog").contains("missing.json");
    err.reset();
    Path garbage = dir.resolve("garbage.json");
    Files.writeString(garbage, "<html>oops</html>");
    assertThat(
            run(
                "pricing",
                "cost",
                "--model",
                "gpt-4o",
                "--input",
                "5",
                "--output",
                "1",
                "--catalog",
                garbage.toString()))
        .isEqualTo(2);
    assertThat(err()).contains("not a LiteLLM price file").doesNotContain("\tat ");
    err.reset();
    assertThat(run("pricing", "resolve", "gpt-4o", "--catalog", "http://127.0.0.1:1/prices.json"))
        .isEqualTo(2);
    assertThat(err()).contains("cannot use catalog http://127.0.0.1:1/prices.json");
  }

  @Test
  void resolveSaysWhatAndHow() {
    assertThat(
            run(
                "pricing",
                "resolve",
                "bedrock/us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                "--provider",
                "aws.bedrock",
                "--json"))
        .isZero();
    assertThat(out())
        .contains("\"resolved\":\"us.anthropic.claude-sonnet-4-5-20250929-v1:0\"")
        .contains("\"rule\":\"provider-prefix\"")
        .contains("\"priceable\":true");
    out.reset();
    assertThat(run("pricing", "resolve", "gpt-4.1-mini-2026-05-01")).isZero();
    assertThat(out())
        .contains("gpt-4.1-mini-2026-05-01 -> gpt-4.1-mini")
        .contains("rule date-suffix");
    out.reset();
    assertThat(run("pricing", "resolve", "acme-llm")).isEqualTo(3);
    assertThat(out()).contains("acme-llm: not found in builtin@2026-07-24");
  }

  @Test
  void infoShowsSourceEntriesAgeAndCache() {
    assertThat(run("pricing", "info")).isZero();
    assertThat(out())
        .contains("source    builtin@2026-07-24")
        .contains("entries   ")
        .contains("age       n/a")
        .contains(
            "cache     "
                + cacheDir.resolve("model_prices_and_context_window.json")
                + " (not present)");
    out.reset();
    assertThat(run("pricing", "info", "--json", "--catalog", snapshot())).isZero();
    assertThat(out())
        .contains("\"source\":\"file:" + SNAPSHOT_NAME + "\"")
        .contains("\"entries\":2982");
  }

  @Test
  void syncOfflineFailsWithOneLine() {
    assertThat(run("pricing", "sync")).isEqualTo(1);
    assertThat(err().trim()).startsWith("tokenscope: sync disabled: offline").doesNotContain("\n");
    err.reset();
    assertThat(run("pricing", "sync", "--url", "not a url")).isEqualTo(2);
    assertThat(err()).contains("not a valid URL");
  }
}
