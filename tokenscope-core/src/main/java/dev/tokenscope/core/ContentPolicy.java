package dev.tokenscope.core;

import dev.tokenscope.core.internal.StandardContentPolicy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Decides whether prompts and completions may appear in telemetry, and how they are redacted when
 * they do. One policy drives every source: TokenScope's instrumentations ask it before recording
 * content, the Anthropic integration maps it onto the SDK's own content mode, and TokenScope's
 * exporter applies it to spans of every other instrumentation (it removes or redacts {@code
 * gen_ai.input.messages}, {@code gen_ai.output.messages}, {@code gen_ai.system_instructions} and
 * the other content attributes before export).
 *
 * <p>Off by default. Turned on with {@code TOKENSCOPE_TRACE_CONTENT=true}, {@code
 * TRACELOOP_TRACE_CONTENT=true}, or in code:
 *
 * <pre>{@code
 * TokenScope.builder()
 *     .contentPolicy(ContentPolicy.builder()
 *         .captureContent(true)
 *         .maxLength(8_192)
 *         .addPattern(Pattern.compile("ORDER-\\d{6}"))
 *         .build())
 *     .build();
 * }</pre>
 *
 * <p>Secrets (API keys, bearer tokens, {@code Authorization} headers) never reach telemetry,
 * whatever the policy: TokenScope's exporter removes them from every attribute.
 *
 * <p>Implement this interface to apply a policy of your own (for example per tenant); {@link
 * #redact} must be fast, thread-safe and must not throw.
 */
public interface ContentPolicy {

  /** Whether prompts, completions, system instructions and tool arguments may be recorded. */
  boolean captureContent();

  /**
   * The text to record for a piece of content: sensitive parts replaced, cut to a maximum length.
   * Only called when {@link #captureContent()} is true.
   */
  String redact(String content);

  /**
   * The longest content value {@link #redact} returns, in characters. Instrumentations with a
   * content bound of their own (the Anthropic SDK's {@code maxContentBytes}) are given this one, so
   * that what they record already fits.
   */
  default int maxLength() {
    return Builder.DEFAULT_MAX_LENGTH;
  }

  /**
   * Whether the attribute named {@code key} carries content (prompts, completions, system
   * instructions, tool arguments or results), in any instrumentation's spelling.
   */
  default boolean isContentAttribute(String key) {
    return StandardContentPolicy.isStandardContentAttribute(key);
  }

  /** Content is never recorded: the default. */
  static ContentPolicy disabled() {
    return StandardContentPolicy.DISABLED;
  }

  /** A policy that records content with the standard redaction rules. */
  static ContentPolicy enabled() {
    return builder().captureContent(true).build();
  }

  /** Builds the standard policy. */
  static Builder builder() {
    return new Builder();
  }

  /** Builder of the standard policy: redaction rules are on, content capture is off. */
  final class Builder {
    /** Default maximum length of one content value, in characters. */
    public static final int DEFAULT_MAX_LENGTH = 16_384;

    private boolean captureContent;
    private int maxLength = DEFAULT_MAX_LENGTH;
    private boolean redactEmails = true;
    private boolean redactPhoneNumbers = true;
    private boolean redactCardNumbers = true;
    private final List<Pattern> patterns = new ArrayList<>();

    private Builder() {}

    /** Whether content is recorded at all. Default false. */
    public Builder captureContent(boolean captureContent) {
      this.captureContent = captureContent;
      return this;
    }

    /** Longest content value kept, in characters; longer values are cut and marked. */
    public Builder maxLength(int maxLength) {
      if (maxLength < 16) {
        throw new IllegalArgumentException("maxLength must be >= 16, was " + maxLength);
      }
      this.maxLength = maxLength;
      return this;
    }

    /** Replace e-mail addresses with {@code [REDACTED_EMAIL]}. Default true. */
    public Builder redactEmails(boolean redactEmails) {
      this.redactEmails = redactEmails;
      return this;
    }

    /** Replace phone numbers with {@code [REDACTED_PHONE]}. Default true. */
    public Builder redactPhoneNumbers(boolean redactPhoneNumbers) {
      this.redactPhoneNumbers = redactPhoneNumbers;
      return this;
    }

    /** Replace Luhn-valid card numbers with {@code [REDACTED_CARD]}. Default true. */
    public Builder redactCardNumbers(boolean redactCardNumbers) {
      this.redactCardNumbers = redactCardNumbers;
      return this;
    }

    /**
     * Also replace every match of {@code pattern} with {@code [REDACTED]}. A pattern that takes too
     * long on some input (catastrophic backtracking) makes the whole value redacted instead.
     */
    public Builder addPattern(Pattern pattern) {
      patterns.add(Objects.requireNonNull(pattern, "pattern"));
      return this;
    }

    /** Same as {@link #addPattern(Pattern)}; throws {@code PatternSyntaxException} if invalid. */
    public Builder addPattern(String regex) {
      return addPattern(Pattern.compile(Objects.requireNonNull(regex, "regex")));
    }

    public ContentPolicy build() {
      return StandardContentPolicy.create(
          captureContent,
          maxLength,
          redactEmails,
          redactPhoneNumbers,
          redactCardNumbers,
          List.copyOf(patterns));
    }
  }
}
