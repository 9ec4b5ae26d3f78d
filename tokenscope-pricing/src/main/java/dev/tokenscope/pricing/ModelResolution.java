package dev.tokenscope.pricing;

import static java.util.Objects.requireNonNull;

import org.jspecify.annotations.Nullable;

/**
 * What a model name resolved to in the catalog, and by which rule.
 *
 * {@snippet :
 * ModelResolution r = pricing.resolve("us.anthropic.claude-sonnet-4-5-20250929-v1:0", "aws.bedrock");
 * r.resolvedKey(); // "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
 * r.rule();        // "exact"
 * }
 *
 * <p>Rules, in the order they are tried: {@code alias}, {@code provider-exact}, {@code exact},
 * {@code fine-tune}, {@code provider-prefix}, {@code bedrock-region}, {@code version-suffix},
 * {@code date-suffix}, {@code bedrock-vendor}, {@code longest-prefix}; several may combine, joined
 * by {@code +} (e.g. {@code provider-prefix+date-suffix}). An unresolved name has the rule {@code
 * unresolved}.
 *
 * @param requested the name as given
 * @param resolvedKey the catalog key, or null when the name could not be resolved
 * @param provider the catalog's provider for that key ({@code litellm_provider}), or null
 * @param rule how the name was resolved
 */
public record ModelResolution(
    String requested, @Nullable String resolvedKey, @Nullable String provider, String rule) {

  /** The rule of a name that could not be resolved. */
  public static final String UNRESOLVED = "unresolved";

  public ModelResolution {
    requireNonNull(requested, "requested");
    requireNonNull(rule, "rule");
  }

  /** Whether the name resolved to a catalog key. */
  public boolean resolved() {
    return resolvedKey != null;
  }
}
