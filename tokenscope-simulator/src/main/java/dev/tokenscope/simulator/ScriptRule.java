package dev.tokenscope.simulator;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A scripted reply: when a request matches every condition given, the simulator answers with the
 * rule's text instead of generated content. Rules are tried in registration order; the first match
 * wins. Matching is on the model, the system prompt and the last user message, each by substring or
 * regular expression.
 *
 * <pre>{@code
 * ScriptRule.builder()
 *     .systemContains("critic")
 *     .reply("{\"verdict\": \"{{pick:approve|reject}}\", \"round\": {{match}}}")
 *     .build();
 * ScriptRule.builder()
 *     .messageMatches("(?i)wine")
 *     .respond(request -> request.sequence() % 3 == 0 ? "not json" : "{\"wine\": \"Riesling\"}")
 *     .build();
 * }</pre>
 *
 * <p>Templates expand {@code {{model}}}, {@code {{provider}}}, {@code {{system}}}, {@code
 * {{message}}} (the last user message), {@code {{sequence}}} (the simulator-wide request number),
 * {@code {{match}}} (how many times this rule has matched, from 1), {@code {{pick:a|b|c}}} (one
 * option, chosen from the seed and the request) and {@code {{int:min:max}}} (a number chosen the
 * same way). When the request asks for JSON, the reply is used as given: scripts that feed a schema
 * must produce valid JSON themselves. When the request forces a tool call and the reply is a JSON
 * object, it becomes the tool call's arguments.
 */
public final class ScriptRule {

  private final @Nullable Provider provider;
  private final @Nullable Pattern model;
  private final @Nullable Pattern system;
  private final @Nullable Pattern message;
  private final @Nullable String template;
  private final @Nullable Function<SimulatedRequest, String> responder;
  private final long times;
  private final AtomicLong matches = new AtomicLong();

  private ScriptRule(Builder builder) {
    this.provider = builder.provider;
    this.model = builder.model;
    this.system = builder.system;
    this.message = builder.message;
    this.template = builder.template;
    this.responder = builder.responder;
    this.times = builder.times;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Whether this rule answers {@code request}. A rule limited by {@link Builder#times(long)}
   * consumes one of its uses when this returns true.
   */
  public boolean tryMatch(SimulatedRequest request) {
    if (provider != null && provider != request.provider()) {
      return false;
    }
    if (!find(model, request.model())
        || !find(system, request.system())
        || !find(message, request.lastUserMessage())) {
      return false;
    }
    while (true) {
      long used = matches.get();
      if (used >= times) {
        return false;
      }
      if (matches.compareAndSet(used, used + 1)) {
        return true;
      }
    }
  }

  /** How many requests this rule has answered. */
  public long matchCount() {
    return matches.get();
  }

  /** The template, or null when the rule answers with a function. */
  public @Nullable String template() {
    return template;
  }

  /** The function that answers, or null when the rule answers with a template. */
  public @Nullable Function<SimulatedRequest, String> responder() {
    return responder;
  }

  private static boolean find(@Nullable Pattern pattern, String text) {
    return pattern == null || pattern.matcher(text).find();
  }

  @Override
  public String toString() {
    return "ScriptRule{provider="
        + provider
        + ", model="
        + model
        + ", system="
        + system
        + ", message="
        + message
        + ", times="
        + (times == Long.MAX_VALUE ? "unlimited" : times)
        + "}";
  }

  /** Builds a {@link ScriptRule}; set exactly one of {@code reply} or {@code respond}. */
  public static final class Builder {
    private @Nullable Provider provider;
    private @Nullable Pattern model;
    private @Nullable Pattern system;
    private @Nullable Pattern message;
    private @Nullable String template;
    private @Nullable Function<SimulatedRequest, String> responder;
    private long times = Long.MAX_VALUE;

    private Builder() {}

    /** Only requests to this provider. */
    public Builder provider(Provider provider) {
      this.provider = requireNonNull(provider, "provider");
      return this;
    }

    /** Only models whose name contains {@code text}. */
    public Builder model(String text) {
      this.model = literal(requireNonNull(text, "text"));
      return this;
    }

    /** Only models whose name matches the regular expression (found anywhere in the name). */
    public Builder modelMatches(String regex) {
      this.model = Pattern.compile(requireNonNull(regex, "regex"));
      return this;
    }

    /** Only requests whose system prompt contains {@code text}. */
    public Builder systemContains(String text) {
      this.system = literal(requireNonNull(text, "text"));
      return this;
    }

    /** Only requests whose system prompt matches the regular expression (found anywhere). */
    public Builder systemMatches(String regex) {
      this.system = Pattern.compile(requireNonNull(regex, "regex"));
      return this;
    }

    /** Only requests whose last user message contains {@code text}. */
    public Builder messageContains(String text) {
      this.message = literal(requireNonNull(text, "text"));
      return this;
    }

    /** Only requests whose last user message matches the regular expression (found anywhere). */
    public Builder messageMatches(String regex) {
      this.message = Pattern.compile(requireNonNull(regex, "regex"));
      return this;
    }

    /** Answers at most {@code times} requests, then stops matching. */
    public Builder times(long times) {
      if (times < 1) {
        throw new IllegalArgumentException("times must be at least 1, got " + times);
      }
      this.times = times;
      return this;
    }

    /** Answers with this template (see the class documentation for placeholders). */
    public Builder reply(String template) {
      this.template = requireNonNull(template, "template");
      return this;
    }

    /** Answers with whatever the function returns for the request. */
    public Builder respond(Function<SimulatedRequest, String> responder) {
      this.responder = requireNonNull(responder, "responder");
      return this;
    }

    public ScriptRule build() {
      if ((template == null) == (responder == null)) {
        throw new IllegalStateException(
            "a script rule needs exactly one of reply(..) or respond(..)");
      }
      return new ScriptRule(this);
    }

    private static Pattern literal(String text) {
      return Pattern.compile(Pattern.quote(text));
    }
  }
}
