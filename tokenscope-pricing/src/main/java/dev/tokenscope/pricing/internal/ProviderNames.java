package dev.tokenscope.pricing.internal;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Maps OpenTelemetry {@code gen_ai.provider.name} values to the key prefixes LiteLLM uses for the
 * same provider, and knows which leading path segments of a model name are provider or region
 * namespaces that may be stripped.
 */
final class ProviderNames {

  // gen_ai.provider.name (semantic conventions, and the older gen_ai.system spellings) → LiteLLM
  // key prefixes to try, most specific first.
  private static final Map<String, List<String>> PREFIXES =
      Map.ofEntries(
          Map.entry("openai", List.of("openai/")),
          Map.entry("anthropic", List.of("anthropic/")),
          Map.entry("aws.bedrock", List.of("bedrock/", "bedrock_converse/")),
          Map.entry("gcp.vertex_ai", List.of("vertex_ai/")),
          Map.entry("vertex_ai", List.of("vertex_ai/")),
          Map.entry("gcp.gemini", List.of("gemini/")),
          Map.entry("gemini", List.of("gemini/")),
          Map.entry("gcp.gen_ai", List.of("gemini/", "vertex_ai/")),
          Map.entry("azure.ai.openai", List.of("azure/")),
          Map.entry("az.ai.openai", List.of("azure/")),
          Map.entry("azure.ai.inference", List.of("azure_ai/")),
          Map.entry("az.ai.inference", List.of("azure_ai/")),
          Map.entry("mistral_ai", List.of("mistral/")),
          Map.entry("mistralai", List.of("mistral/")),
          Map.entry("cohere", List.of("cohere_chat/", "cohere/")),
          Map.entry("deepseek", List.of("deepseek/")),
          Map.entry("groq", List.of("groq/")),
          Map.entry("perplexity", List.of("perplexity/")),
          Map.entry("x_ai", List.of("xai/")),
          Map.entry("xai", List.of("xai/")),
          Map.entry("ibm.watsonx.ai", List.of("watsonx/")));

  /** Leading segments that are namespaces, not model names, in addition to the catalog's own. */
  private static final Set<String> STRIPPABLE =
      Set.of(
          "openai",
          "azure",
          "azure_ai",
          "anthropic",
          "bedrock",
          "bedrock_converse",
          "converse",
          "invoke",
          "vertex_ai",
          "vertex_ai_beta",
          "gemini",
          "google",
          "models",
          "mistral",
          "mistralai",
          "publishers",
          "global");

  private ProviderNames() {}

  /** The key prefixes for a provider (a gen_ai name or a LiteLLM provider), never null. */
  static List<String> prefixes(@Nullable String provider) {
    if (provider == null || provider.isEmpty()) {
      return List.of();
    }
    String p = provider.toLowerCase(Locale.ROOT);
    List<String> known = PREFIXES.get(p);
    return known != null ? known : List.of(p + "/");
  }

  /** Whether a leading path segment is a provider namespace or a cloud region. */
  static boolean strippable(String segment, Set<String> catalogProviders) {
    return STRIPPABLE.contains(segment) || catalogProviders.contains(segment) || isRegion(segment);
  }

  /**
   * Cloud regions as they appear in paths: {@code us-east-1}, {@code us-gov-west-1}, {@code eu}.
   */
  private static boolean isRegion(String s) {
    if (s.equals("us") || s.equals("eu") || s.equals("*")) {
      return true;
    }
    int last = s.lastIndexOf('-');
    if (last <= 0 || last == s.length() - 1) {
      return false;
    }
    for (int i = last + 1; i < s.length(); i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    String head = s.substring(0, last);
    return head.matches("[a-z]{2}(-gov)?-[a-z]+");
  }
}
