package dev.tokenscope.simulator.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.tokenscope.simulator.Provider;

/**
 * Counts tokens with JTokkit's byte-pair encoders (o200k_base, cl100k_base). Special-token text
 * such as {@code <|endoftext|>} in a prompt is counted as ordinary text, as the APIs do for user
 * content.
 */
public final class TokenCounter {

  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

  private TokenCounter() {}

  /** Loads the encoders' vocabularies (about a second) so the first request does not wait. */
  public static void warmUp() {
    for (EncodingType type :
        new EncodingType[] {EncodingType.O200K_BASE, EncodingType.CL100K_BASE}) {
      REGISTRY.getEncoding(type).countTokensOrdinary("warm up");
    }
  }

  public static Encoding encodingFor(Provider provider, String model) {
    return REGISTRY.getEncoding(ModelCatalog.encoding(provider, model));
  }

  public static Encoding encoding(EncodingType type) {
    return REGISTRY.getEncoding(type);
  }

  public static int count(Encoding encoding, String text) {
    return text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
  }

  public static IntArrayList encode(Encoding encoding, String text) {
    return encoding.encodeOrdinary(text);
  }

  /** The longest prefix of {@code text} that fits in {@code maxTokens} tokens. */
  public static String truncate(Encoding encoding, String text, int maxTokens) {
    IntArrayList tokens = encoding.encodeOrdinary(text);
    if (tokens.size() <= maxTokens) {
      return text;
    }
    IntArrayList head = new IntArrayList(maxTokens);
    for (int i = 0; i < maxTokens; i++) {
      head.add(tokens.get(i));
    }
    String decoded = encoding.decode(head);
    // A cut inside a multi-byte character decodes to U+FFFD; drop it.
    int end = decoded.length();
    while (end > 0 && decoded.charAt(end - 1) == '\uFFFD') {
      end--;
    }
    return decoded.substring(0, end);
  }
}
