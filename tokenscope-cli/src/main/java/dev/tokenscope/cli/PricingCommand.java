package dev.tokenscope.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tokenscope.pricing.Cost;
import dev.tokenscope.pricing.ModelResolution;
import dev.tokenscope.pricing.Pricing;
import dev.tokenscope.pricing.PricingStatus;
import dev.tokenscope.pricing.ServiceTier;
import dev.tokenscope.pricing.SyncResult;
import dev.tokenscope.pricing.Usage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tokenscope pricing info | sync | resolve | cost}: the pricing engine from the command
 * line. Output shapes and exit codes are relied on by scripts: 0 priced/ok, 1 failure, 2 bad
 * arguments, 3 unpriced model (the JSON is printed all the same).
 */
@Command(
    name = "pricing",
    mixinStandardHelpOptions = true,
    description = "Model prices: where they come from, what a model name resolves to, and costs.",
    subcommands = {
      PricingCommand.Info.class,
      PricingCommand.Sync.class,
      PricingCommand.Resolve.class,
      PricingCommand.CostCommand.class
    })
final class PricingCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Pricing as configured by the environment, or from {@code --catalog}; no background thread. */
  static Pricing open(String catalog) {
    try {
      if (catalog == null) {
        return Pricing.builder().fromEnvironment().backgroundRefresh(false).build();
      }
      String lower = catalog.toLowerCase(Locale.ROOT);
      if (lower.startsWith("http://") || lower.startsWith("https://")) {
        return fromUrl(catalog);
      }
      Path file = Path.of(catalog);
      if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
        throw new ExitCodes.UsageException(
            "cannot read catalog " + catalog + ": no such readable file");
      }
      return Pricing.builder().fromEnvironment().catalogFile(file).build();
    } catch (IllegalArgumentException e) {
      throw new ExitCodes.UsageException(e.getMessage(), e);
    }
  }

  /** Downloads a catalog into a throw-away cache through the same validation as a sync. */
  private static Pricing fromUrl(String catalog) {
    URI uri;
    try {
      uri = URI.create(catalog);
    } catch (IllegalArgumentException e) {
      throw new ExitCodes.UsageException("not a valid catalog URL: " + catalog);
    }
    Path tmp;
    try {
      tmp = Files.createTempDirectory("tokenscope-catalog");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Pricing download =
        Pricing.builder()
            .url(uri)
            .cacheDirectory(tmp)
            .backgroundRefresh(false)
            .minimumEntries(1)
            .build()) {
      SyncResult result = download.sync();
      if (result.status() != SyncResult.Status.UPDATED) {
        throw new ExitCodes.UsageException(
            "cannot use catalog " + catalog + ": " + result.message());
      }
      return Pricing.builder()
          .fromEnvironment()
          .catalog(download.catalog().withSource("url:" + uri.getHost()))
          .build();
    } finally {
      deleteQuietly(tmp);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      // a temp directory left behind is harmless
    }
  }

  static String json(JsonWriter writer) {
    StringWriter out = new StringWriter();
    try (JsonGenerator json = JSON.createGenerator(out)) {
      json.enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
      json.writeStartObject();
      writer.write(json);
      json.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  private static final JsonFactory JSON = new JsonFactory();

  @FunctionalInterface
  interface JsonWriter {
    void write(JsonGenerator json) throws IOException;
  }

  static void usd(JsonGenerator json, String field, double value) throws IOException {
    json.writeNumberField(field, BigDecimal.valueOf(value));
  }

  static String dollars(double value) {
    return "$"
        + BigDecimal.valueOf(value).setScale(6, java.math.RoundingMode.HALF_EVEN).toPlainString();
  }

  /** {@code --catalog} and {@code --json}, shared by info, resolve and cost. */
  static final class CatalogOptions {
    @Option(names = "--catalog", paramLabel = "FILE_OR_URL", description = "Use this catalog.")
    String catalog;

    @Option(names = "--json", description = "Print one JSON object.")
    boolean json;
  }

  @Command(
      name = "info",
      mixinStandardHelpOptions = true,
      description = "Source, entry count, age and cache path of the prices in use.")
  static final class Info implements Runnable {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin CatalogOptions options;

    @Override
    public void run() {
      PrintWriter out = spec.commandLine().getOut();
      try (Pricing pricing = open(options.catalog)) {
        PricingStatus status = pricing.status();
        String age = status.fetchedAt() == null ? null : age(status.fetchedAt());
        boolean cached = status.cacheFile() != null && Files.isRegularFile(status.cacheFile());
        if (options.json) {
          out.println(
              json(
                  g -> {
                    g.writeStringField("source", status.source());
                    g.writeNumberField("entries", status.entries());
                    g.writeNumberField("skipped_entries", status.skippedEntries());
                    g.writeNumberField("implausible_entries", status.implausibleEntries());
                    g.writeStringField(
                        "fetched_at",
                        status.fetchedAt() == null ? null : status.fetchedAt().toString());
                    if (status.fetchedAt() == null) {
                      g.writeNullField("age_seconds");
                    } else {
                      g.writeNumberField(
                          "age_seconds",
                          Duration.between(status.fetchedAt(), Instant.now()).getSeconds());
                    }
                    g.writeStringField(
                        "cache_path",
                        status.cacheFile() == null ? null : status.cacheFile().toString());
                    g.writeBooleanField("cache_present", cached);
                    g.writeStringField(
                        "url", status.url() == null ? null : status.url().toString());
                  }));
        } else {
          out.printf("source    %s%n", status.source());
          out.printf(
              "entries   %d (%d malformed skipped, %d implausible not used)%n",
              status.entries(), status.skippedEntries(), status.implausibleEntries());
          out.printf(
              "age       %s%n",
              age == null ? "n/a (built-in table or fixed file; never synced)" : age);
          if (status.cacheFile() != null) {
            out.printf("cache     %s%s%n", status.cacheFile(), cached ? "" : " (not present)");
          }
          if (status.url() != null) {
            out.printf("url       %s%n", status.url());
          }
        }
        out.flush();
      }
    }

    private static String age(Instant fetchedAt) {
      Duration d = Duration.between(fetchedAt, Instant.now());
      if (d.isNegative()) {
        d = Duration.ZERO;
      }
      return String.format(
          Locale.ROOT, "%dh %02dm (fetched %s)", d.toHours(), d.toMinutesPart(), fetchedAt);
    }
  }

  @Command(
      name = "sync",
      mixinStandardHelpOptions = true,
      description = "Download the latest prices into the cache now (conditional GET).")
  static final class Sync implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", paramLabel = "URL", description = "Sync from this URL.")
    String url;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      Pricing.Builder builder = Pricing.builder().fromEnvironment().backgroundRefresh(false);
      if (url != null) {
        try {
          URI uri = URI.create(url);
          if (uri.getScheme() == null
              || !(uri.getScheme().equalsIgnoreCase("http")
                  || uri.getScheme().equalsIgnoreCase("https"))) {
            throw new IllegalArgumentException("expected an http(s) URL");
          }
          builder.url(uri).offline(false);
        } catch (IllegalArgumentException e) {
          throw new ExitCodes.UsageException(
              "not a valid URL: " + url + " (" + e.getMessage() + ")");
        }
      }
      Pricing pricing;
      try {
        pricing = builder.build();
      } catch (IllegalArgumentException e) {
        throw new ExitCodes.UsageException(e.getMessage(), e);
      }
      try (pricing) {
        SyncResult result = pricing.sync();
        if (result.ok()) {
          out.printf("%s: %s%n", result.status().name().toLowerCase(Locale.ROOT), result.message());
          out.printf("source    %s (%d models)%n", result.source(), result.entries());
          out.flush();
          return ExitCodes.OK;
        }
        err.printf(
            "tokenscope: sync %s: %s%n",
            result.status().name().toLowerCase(Locale.ROOT), result.message());
        err.flush();
        return ExitCodes.FAILURE;
      }
    }
  }

  @Command(
      name = "resolve",
      mixinStandardHelpOptions = true,
      description = "Show which catalog entry a model name resolves to, and by which rule.")
  static final class Resolve implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODEL", description = "The model name.")
    String model;

    @Option(
        names = "--provider",
        paramLabel = "P",
        description = "gen_ai.provider.name or LiteLLM provider.")
    String provider;

    @CommandLine.Mixin CatalogOptions options;

    @Override
    public Integer call() {
      if (model.isBlank()) {
        throw new ExitCodes.UsageException("MODEL must not be blank");
      }
      PrintWriter out = spec.commandLine().getOut();
      try (Pricing pricing = open(options.catalog)) {
        ModelResolution r = pricing.resolve(model, provider);
        String reason = pricing.unpricedReason(model, provider);
        boolean priceable = reason == null;
        if (options.json) {
          out.println(
              json(
                  g -> {
                    g.writeStringField("model", r.requested());
                    g.writeStringField("resolved", r.resolvedKey());
                    g.writeStringField("provider", r.provider());
                    g.writeStringField("rule", r.rule());
                    g.writeStringField("pricing_source", pricing.source());
                    g.writeBooleanField("priceable", priceable);
                    if (reason != null) {
                      g.writeStringField("reason", reason);
                    }
                  }));
        } else if (r.resolved()) {
          out.printf(
              "%s -> %s (provider %s, rule %s, source %s)%s%n",
              r.requested(),
              r.resolvedKey(),
              r.provider(),
              r.rule(),
              pricing.source(),
              priceable ? "" : "; cannot be priced: " + reason);
        } else {
          out.printf("%s: not found in %s (%s)%n", r.requested(), pricing.source(), reason);
        }
        out.flush();
        return priceable ? ExitCodes.OK : ExitCodes.UNPRICED;
      }
    }
  }

  @Command(
      name = "cost",
      mixinStandardHelpOptions = true,
      description =
          "Price one call. Input tokens include cached tokens; output includes reasoning.")
  static final class CostCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "M", description = "The model name.")
    String model;

    @Option(
        names = "--provider",
        paramLabel = "P",
        description = "gen_ai.provider.name or LiteLLM provider.")
    String provider;

    @Option(
        names = "--input",
        required = true,
        paramLabel = "N",
        description = "Input tokens, cached included.")
    long input;

    @Option(
        names = "--output",
        required = true,
        paramLabel = "N",
        description = "Output tokens, reasoning included.")
    long output;

    @Option(names = "--cache-read", paramLabel = "N", description = "Input tokens read from cache.")
    long cacheRead;

    @Option(
        names = "--cache-write",
        paramLabel = "N",
        description = "Input tokens written to a 5-minute cache.")
    long cacheWrite;

    @Option(
        names = "--cache-write-1h",
        paramLabel = "N",
        description = "Input tokens written to a 1-hour cache.")
    long cacheWrite1h;

    @Option(names = "--reasoning", paramLabel = "N", description = "Output tokens spent reasoning.")
    long reasoning;

    @Option(names = "--batch", description = "Priced as a batch API call.")
    boolean batch;

    @Option(names = "--service-tier", paramLabel = "flex|priority", description = "Service tier.")
    String serviceTier;

    @CommandLine.Mixin CatalogOptions options;

    @Override
    public Integer call() {
      if (model.isBlank()) {
        throw new ExitCodes.UsageException("--model must not be blank");
      }
      Usage usage;
      try {
        usage =
            Usage.builder()
                .inputTokens(input)
                .outputTokens(output)
                .cacheReadTokens(cacheRead)
                .cacheWriteTokens(cacheWrite)
                .cacheWrite1hTokens(cacheWrite1h)
                .reasoningTokens(reasoning)
                .batch(batch)
                .serviceTier(
                    serviceTier == null ? ServiceTier.STANDARD : ServiceTier.parse(serviceTier))
                .build();
      } catch (IllegalArgumentException e) {
        throw new ExitCodes.UsageException(e.getMessage(), e);
      }
      PrintWriter out = spec.commandLine().getOut();
      try (Pricing pricing = open(options.catalog)) {
        Cost cost = pricing.cost(model, provider, usage);
        if (options.json) {
          out.println(
              json(
                  g -> {
                    g.writeStringField("model", cost.model());
                    g.writeStringField("resolved", cost.resolvedModel());
                    g.writeStringField("provider", cost.provider());
                    g.writeStringField("pricing_source", cost.pricingSource());
                    g.writeBooleanField("priced", cost.priced());
                    usd(g, "input_usd", cost.inputUsd());
                    usd(g, "cache_read_usd", cost.cacheReadUsd());
                    usd(g, "cache_write_usd", cost.cacheWriteUsd());
                    usd(g, "output_usd", cost.outputUsd());
                    usd(g, "total_usd", cost.totalUsd());
                  }));
        } else if (cost.priced()) {
          ModelResolution r = pricing.resolve(model, provider);
          out.printf("model        %s%n", cost.model());
          out.printf(
              "resolved     %s (rule %s, provider %s)%n",
              cost.resolvedModel(), r.rule(), cost.provider());
          out.printf("source       %s%n", cost.pricingSource());
          out.printf("input        %s%n", dollars(cost.inputUsd()));
          out.printf("cache read   %s%n", dollars(cost.cacheReadUsd()));
          out.printf("cache write  %s%n", dollars(cost.cacheWriteUsd()));
          out.printf("output       %s%n", dollars(cost.outputUsd()));
          out.printf(
              "total        %s  (%s)%n",
              dollars(cost.totalUsd()), BigDecimal.valueOf(cost.totalUsd()).toPlainString());
        } else {
          out.printf(
              "%s: not priced (%s; source %s)%n",
              cost.model(), pricing.unpricedReason(model, provider), cost.pricingSource());
        }
        out.flush();
        return cost.priced() ? ExitCodes.OK : ExitCodes.UNPRICED;
      }
    }
  }
}
