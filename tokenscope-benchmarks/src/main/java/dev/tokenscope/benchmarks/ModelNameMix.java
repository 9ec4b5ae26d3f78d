package dev.tokenscope.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A deterministic mix of 1,000 distinct, realistic model names as they arrive on spans: bare and
 * dated OpenAI, Anthropic and Google names, provider-prefixed names, Azure deployments, Bedrock ids
 * with region prefixes and version suffixes, Vertex {@code @date} names, fine-tune ids, names in
 * odd case, and models no catalog knows.
 */
final class ModelNameMix {
  private static final String[] BASES = {
    "gpt-4o",
    "gpt-4o-mini",
    "gpt-4.1",
    "gpt-4.1-mini",
    "gpt-4.1-nano",
    "gpt-5",
    "gpt-5-mini",
    "gpt-5-nano",
    "o3",
    "o4-mini",
    "claude-sonnet-4-5",
    "claude-haiku-4-5",
    "claude-opus-4-1",
    "gemini-2.5-pro",
    "gemini-2.5-flash",
    "gemini-2.0-flash"
  };
  private static final String[] CLAUDE_BEDROCK = {
    "anthropic.claude-sonnet-4-5-20250929-v1:0",
    "anthropic.claude-haiku-4-5-20251001-v1:0",
    "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "anthropic.claude-sonnet-4-20250514-v1:0"
  };
  private static final String[] REGIONS = {"us.", "eu.", "apac.", "global.", ""};

  private ModelNameMix() {}

  /** Each name paired with the provider a span would carry (null when none). */
  record Call(String model, String provider) {}

  static List<Call> calls(int count) {
    List<Call> calls = new ArrayList<>(count);
    for (int i = 0; calls.size() < count; i++) {
      String base = BASES[i % BASES.length];
      int day = 1 + (i / BASES.length) % 28;
      int month = 1 + (i / (BASES.length * 28)) % 12;
      String date = String.format(Locale.ROOT, "2026-%02d-%02d", month, day);
      switch (i % 10) {
        case 0:
          calls.add(
              new Call(base + "-" + date, "openai")); // a dated release newer than the catalog
          break;
        case 1:
          calls.add(new Call("openai/" + base + "-" + date, null));
          break;
        case 2:
          calls.add(new Call("azure/" + base + "-" + date.replace("-", ""), "azure.ai.openai"));
          break;
        case 3:
          String claude = CLAUDE_BEDROCK[i % CLAUDE_BEDROCK.length];
          String region = REGIONS[(i / 10) % REGIONS.length];
          calls.add(
              new Call(
                  "bedrock/" + region + claude.replace("-v1:0", "-v" + (1 + i % 7) + ":0"),
                  "aws.bedrock"));
          break;
        case 4:
          calls.add(
              new Call(
                  "vertex_ai/claude-sonnet-4-5@2026" + String.format(Locale.ROOT, "%04d", i),
                  "gcp.vertex_ai"));
          break;
        case 5:
          calls.add(
              new Call(
                  "ft:gpt-4o-mini-2024-07-18:acme-" + i + "::B" + Integer.toHexString(i * 7919),
                  "openai"));
          break;
        case 6:
          calls.add(new Call(base.toUpperCase(Locale.ROOT) + "-" + date, null));
          break;
        case 7:
          calls.add(new Call("gemini/" + base + "-preview-" + date, "gcp.gemini"));
          break;
        case 8:
          calls.add(new Call("acme-internal-llm-" + i, null)); // unknown: unpriced, never $0
          break;
        default:
          calls.add(new Call("mistral/mistral-large-" + (2400 + i % 100) + "-" + i, "mistral_ai"));
          break;
      }
    }
    return calls;
  }
}
