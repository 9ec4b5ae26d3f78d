package dev.tokenscope.simulator.internal;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import dev.tokenscope.simulator.Provider;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Counts tokens with JTokkit's byte-pair encoders (o200k_base, cl100k_base). Special-token text
 * such as {@code <|endoftext|>} in a prompt is counted as ordinary text, as the APIs do for user
 * content.
 */
public final class TokenCounter {

  private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

  private TokenCounter() {}

  private static @Nullable CompletableFuture<Void> warmUp; // guarded by TokenCounter.class

  /**
   * Loads both encoders' vocabularies, each on its own daemon thread, once per JVM (about a second
   * on a cold JVM, during which the first request needing them would wait); later calls return the
   * same future.
   */
  public static synchronized CompletableFuture<Void> warmUp() {
    if (warmUp == null) {
      warmUp =
          CompletableFuture.allOf(load(EncodingType.O200K_BASE), load(EncodingType.CL100K_BASE));
    }
    return warmUp;
  }

  /** Whether both vocabularies are loaded. */
  public static synchronized boolean isWarm() {
    return warmUp != null && warmUp.isDone() && !warmUp.isCompletedExceptionally();
  }

  private static CompletableFuture<Void> load(EncodingType type) {
    CompletableFuture<Void> loaded = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                REGISTRY.getEncoding(type).countTokensOrdinary("warm up");
                loaded.complete(null);
              } catch (RuntimeException | Error e) {
                loaded.completeExceptionally(e);
              }
            },
            "llm-simulator-tokenizer-" + type.getName());
    thread.setDaemon(true);
    thread.start();
    return loaded;
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
