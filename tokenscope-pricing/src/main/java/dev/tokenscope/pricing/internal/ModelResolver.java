package dev.tokenscope.pricing.internal;

import static java.util.Objects.requireNonNull;

import dev.tokenscope.pricing.ModelResolution;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Resolves model names to catalog keys. Rules, in order, each tried after the previous ones changed
 * the name and stopping at the first key found:
 *
 * <ol>
 *   <li>{@code alias}: a configured deployment name → model;
 *   <li>{@code provider-exact} / {@code exact}: {@code <provider>/<name>} when the provider is
 *       known, then the name itself, case-insensitively;
 *   <li>{@code fine-tune}: {@code ft:<base>:org::id} → {@code ft:<base>}, then {@code <base>};
 *   <li>{@code provider-prefix}: drop leading namespaces ({@code openai/}, {@code bedrock/}, {@code
 *       us-east-1/}, …);
 *   <li>{@code bedrock-region}: drop {@code us.}, {@code eu.}, {@code apac.}, {@code global.}, …;
 *   <li>{@code version-suffix}: drop {@code -v1:0}, {@code -v2}, {@code :1};
 *   <li>{@code date-suffix}: drop {@code -2024-08-06}, {@code -20250929}, {@code @20250929},
 *       {@code @default}, {@code -2411};
 *   <li>{@code bedrock-vendor}: drop {@code anthropic.}, {@code amazon.}, … to reach the provider's
 *       own key;
 *   <li>{@code longest-prefix}: the longest key that is a prefix of the name ending on a {@code -}
 *       boundary.
 * </ol>
 *
 * There is no substring matching. Results are cached per provider, bounded: a full cache is cleared
 * rather than grown.
 */
public final class ModelResolver {
  static final int DEFAULT_MAX_CACHED = 8192;
  private static final int MAX_PROVIDERS = 256;
  private static final String[] BEDROCK_REGIONS = {
    "us.", "eu.", "apac.", "global.", "au.", "jp.", "us-gov.", "ca.", "ap.", "sa.", "me."
  };
  private static final String[] BEDROCK_VENDORS = {
    "anthropic.",
    "amazon.",
    "meta.",
    "mistral.",
    "cohere.",
    "ai21.",
    "deepseek.",
    "qwen.",
    "openai.",
    "writer.",
    "twelvelabs.",
    "google.",
    "moonshotai.",
    "minimax.",
    "stability."
  };

  private final CatalogData catalog;
  private final Map<String, String> aliases;
  private final Set<String> namespaces;
  private final int maxCached;
  private final ConcurrentHashMap<String, Resolved> withoutProvider = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, Resolved>> byProvider =
      new ConcurrentHashMap<>();

  public ModelResolver(CatalogData catalog, Map<String, String> aliases) {
    this(catalog, aliases, DEFAULT_MAX_CACHED);
  }

  ModelResolver(CatalogData catalog, Map<String, String> aliases, int maxCached) {
    this.catalog = requireNonNull(catalog, "catalog");
    Map<String, String> lowered = new HashMap<>();
    aliases.forEach(
        (from, to) ->
            lowered.put(from.trim().toLowerCase(Locale.ROOT), to.trim().toLowerCase(Locale.ROOT)));
    this.aliases = Map.copyOf(lowered);
    Set<String> spaces = new HashSet<>();
    for (String key : catalog.keys()) {
      int slash = key.indexOf('/');
      if (slash > 0) {
        spaces.add(key.substring(0, slash).toLowerCase(Locale.ROOT));
      }
      String provider = catalog.get(key.toLowerCase(Locale.ROOT)).entry().provider();
      if (provider != null) {
        spaces.add(provider.toLowerCase(Locale.ROOT));
      }
    }
    this.namespaces = Set.copyOf(spaces);
    this.maxCached = maxCached;
  }

  public CatalogData catalog() {
    return catalog;
  }

  /** Resolves a name; cached. Never throws for unknown names. */
  public Resolved resolve(String model, @Nullable String provider) {
    ConcurrentHashMap<String, Resolved> cache;
    if (provider == null) {
      cache = withoutProvider;
    } else {
      cache = byProvider.get(provider);
      if (cache == null) {
        if (byProvider.size() >= MAX_PROVIDERS) {
          return compute(model, provider);
        }
        cache = byProvider.computeIfAbsent(provider, p -> new ConcurrentHashMap<>());
      }
    }
    Resolved resolved = cache.get(model);
    if (resolved == null) {
      resolved = compute(model, provider);
      if (cache.size() >= maxCached) {
        cache.clear();
      }
      cache.put(model, resolved);
    }
    return resolved;
  }

  /** Number of cached resolutions, for tests. */
  int cachedResolutions() {
    int n = withoutProvider.size();
    for (Map<String, Resolved> m : byProvider.values()) {
      n += m.size();
    }
    return n;
  }

  private Resolved compute(String model, @Nullable String provider) {
    List<String> prefixes = ProviderNames.prefixes(provider);
    List<String> steps = new ArrayList<>(3);
    String name = model.trim().toLowerCase(Locale.ROOT);
    String alias = aliases.get(name);
    if (alias != null) {
      name = alias;
      steps.add("alias");
    }
    Resolved hit = lookup(model, name, prefixes, steps);
    if (hit != null) {
      return hit;
    }
    if (name.startsWith("ft:")) {
      int end = name.indexOf(':', 3);
      String base = end < 0 ? name.substring(3) : name.substring(3, end);
      steps.add("fine-tune");
      hit = lookup(model, "ft:" + base, prefixes, steps);
      if (hit == null && !stripDate(base).equals(base)) {
        hit = lookup(model, "ft:" + stripDate(base), prefixes, steps);
      }
      if (hit != null) {
        return hit;
      }
      name = base;
      hit = lookup(model, name, prefixes, steps);
      if (hit != null) {
        return hit;
      }
    }
    // Each head form of the name — as given, without its namespaces (openai/, bedrock/us-east-1/,
    // models/), without a Bedrock region (us., eu.), without a Bedrock vendor (anthropic.) — is
    // tried with its version and date suffixes removed before the next, shorter head: the most
    // specific key wins (vertex_ai/claude-opus-4-1 before claude-opus-4-1).
    hit = withoutSuffixes(model, name, prefixes, steps);
    if (hit != null) {
      return hit;
    }
    int slash;
    boolean strippedNamespace = false;
    while ((slash = name.indexOf('/')) > 0
        && ProviderNames.strippable(name.substring(0, slash), namespaces)) {
      name = name.substring(slash + 1);
      if (!strippedNamespace) {
        steps.add("provider-prefix");
        strippedNamespace = true;
      }
      hit = lookup(model, name, prefixes, steps);
      if (hit == null) {
        hit = withoutSuffixes(model, name, prefixes, steps);
      }
      if (hit != null) {
        return hit;
      }
    }
    for (String region : BEDROCK_REGIONS) {
      if (name.startsWith(region) && name.length() > region.length()) {
        name = name.substring(region.length());
        steps.add("bedrock-region");
        hit = lookup(model, name, prefixes, steps);
        if (hit == null) {
          hit = withoutSuffixes(model, name, prefixes, steps);
        }
        if (hit != null) {
          return hit;
        }
        break;
      }
    }
    for (String vendor : BEDROCK_VENDORS) {
      if (name.startsWith(vendor) && name.length() > vendor.length()) {
        name = name.substring(vendor.length());
        steps.add("bedrock-vendor");
        hit = lookup(model, name, prefixes, steps);
        if (hit == null) {
          hit = withoutSuffixes(model, name, prefixes, steps);
        }
        if (hit != null) {
          return hit;
        }
        break;
      }
    }
    name = stripDate(stripVersion(name));
    steps.add("longest-prefix");
    for (int dash = name.lastIndexOf('-'); dash > 0; dash = name.lastIndexOf('-', dash - 1)) {
      hit = lookup(model, name.substring(0, dash), prefixes, steps);
      if (hit != null) {
        return hit;
      }
    }
    return new Resolved(
        new ModelResolution(model, null, null, ModelResolution.UNRESOLVED), null, catalog.source());
  }

  /** Tries the name without its version suffix, then also without its date suffix. */
  private @Nullable Resolved withoutSuffixes(
      String requested, String name, List<String> prefixes, List<String> steps) {
    int mark = steps.size();
    String unversioned = stripVersion(name);
    if (!unversioned.equals(name)) {
      steps.add("version-suffix");
      Resolved hit = lookup(requested, unversioned, prefixes, steps);
      if (hit != null) {
        return hit;
      }
    }
    String undated = stripDate(unversioned);
    if (!undated.equals(unversioned)) {
      steps.add("date-suffix");
      Resolved hit = lookup(requested, undated, prefixes, steps);
      if (hit != null) {
        return hit;
      }
    }
    while (steps.size() > mark) {
      steps.remove(steps.size() - 1); // rules that found nothing are not reported
    }
    return null;
  }

  private @Nullable Resolved lookup(
      String requested, String name, List<String> prefixes, List<String> steps) {
    for (String prefix : prefixes) {
      if (!name.startsWith(prefix)) {
        ModelPrice price = catalog.get(prefix + name);
        if (price != null) {
          return found(requested, price, steps, true);
        }
      }
    }
    ModelPrice price = catalog.get(name);
    return price == null ? null : found(requested, price, steps, false);
  }

  private Resolved found(
      String requested, ModelPrice price, List<String> steps, boolean providerQualified) {
    String rule;
    if (steps.isEmpty()) {
      rule = providerQualified ? "provider-exact" : "exact";
    } else {
      rule = String.join("+", steps) + (providerQualified ? "+provider" : "");
    }
    String source = price.source() != null ? price.source() : catalog.source();
    return new Resolved(
        new ModelResolution(requested, price.key(), price.entry().provider(), rule), price, source);
  }

  /** {@code -v1:0}, {@code -v2}, {@code :1} at the end; otherwise the name itself. */
  static String stripVersion(String name) {
    int end = name.length();
    int colon = name.lastIndexOf(':');
    if (colon > 0 && allDigits(name, colon + 1, end)) {
      end = colon;
    }
    int v = name.lastIndexOf("-v", end);
    if (v > 0 && allDigits(name, v + 2, end)) {
      end = v;
    }
    return end == name.length() ? name : name.substring(0, end);
  }

  /**
   * {@code -2024-08-06}, {@code -20250929}, {@code @20250929}, {@code @001}, {@code @default},
   * {@code @latest}, or a four-digit {@code -MMDD}/{@code -YYMM} at the end; otherwise the name.
   */
  static String stripDate(String name) {
    int n = name.length();
    if (n > 11
        && name.charAt(n - 11) == '-'
        && name.charAt(n - 6) == '-'
        && name.charAt(n - 3) == '-'
        && allDigits(name, n - 10, n - 6)
        && allDigits(name, n - 5, n - 3)
        && allDigits(name, n - 2, n)) {
      return name.substring(0, n - 11);
    }
    if (n > 9 && (name.charAt(n - 9) == '-' || name.charAt(n - 9) == '@')) {
      if (allDigits(name, n - 8, n) && (name.startsWith("20", n - 8))) {
        return name.substring(0, n - 9);
      }
    }
    int at = name.lastIndexOf('@');
    if (at > 0) {
      String tail = name.substring(at + 1);
      if (tail.equals("default") || tail.equals("latest") || allDigits(name, at + 1, n)) {
        return name.substring(0, at);
      }
    }
    if (n > 5 && name.charAt(n - 5) == '-' && allDigits(name, n - 4, n)) {
      int a = Integer.parseInt(name.substring(n - 4, n - 2));
      int b = Integer.parseInt(name.substring(n - 2, n));
      boolean monthDay = a >= 1 && a <= 12 && b >= 1 && b <= 31;
      boolean yearMonth = a >= 23 && a <= 39 && b >= 1 && b <= 12;
      if (monthDay || yearMonth) {
        return name.substring(0, n - 5);
      }
    }
    return name;
  }

  private static boolean allDigits(String s, int from, int to) {
    if (from >= to) {
      return false;
    }
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }
}
