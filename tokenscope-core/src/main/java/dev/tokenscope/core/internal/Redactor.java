package dev.tokenscope.core.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Replaces sensitive substrings (secrets, e-mail addresses, phone and card numbers, user patterns)
 * with markers such as {@code [REDACTED_EMAIL]}, then cuts the text to a maximum length.
 *
 * <p>Built-in patterns use bounded or possessive quantifiers so they scan in linear time. Every
 * pattern, including user patterns that may backtrack catastrophically, runs over a {@link
 * BudgetedText} that aborts after a fixed number of character reads; an aborted redaction fails
 * closed (the whole value is replaced), so hostile input can neither hang the export thread nor
 * slip through.
 */
public final class Redactor {

  /** Replaces the whole value when a pattern exceeded its work budget. */
  public static final String BUDGET_EXCEEDED = "[REDACTED: text too complex to redact]";

  static final String SECRET = "[REDACTED_SECRET]";
  static final String EMAIL = "[REDACTED_EMAIL]";
  static final String PHONE = "[REDACTED_PHONE]";
  static final String CARD = "[REDACTED_CARD]";

  // Secrets: provider API keys, bearer/basic credentials, JWTs, cloud and VCS tokens, and the value
  // of key=value pairs whose key names a credential.
  private static final Pattern SECRETS =
      Pattern.compile(
          "sk-ant-[A-Za-z0-9_-]{8,}+"
              + "|(?<![A-Za-z0-9])sk-[A-Za-z0-9_-]{16,}+"
              + "|(?i:bearer)\\s++[A-Za-z0-9._~+/=-]{8,}+"
              + "|(?i:basic)\\s++[A-Za-z0-9+/]{12,}+=*+"
              + "|eyJ[A-Za-z0-9_-]{8,}+\\.[A-Za-z0-9_-]{8,}+\\.[A-Za-z0-9_-]{8,}+"
              + "|(?<![A-Za-z0-9])(?:AKIA|ASIA)[0-9A-Z]{16}(?![A-Za-z0-9])"
              + "|AIza[0-9A-Za-z_-]{35}"
              + "|(?<![A-Za-z0-9])gh[pousr]_[A-Za-z0-9]{30,}+"
              + "|github_pat_[A-Za-z0-9_]{30,}+"
              + "|xox[abprs]-[A-Za-z0-9-]{10,}+"
              + "|(?i:(?:api[_-]?key|x-api-key|access[_-]?token|auth[_-]?token|secret|password"
              + "|passwd|authorization))[\"']?+[ \\t]{0,4}+[:=][ \\t]{0,4}+[\"']?+"
              + "(?:(?i:bearer|basic|token)[ \\t]++)?+[^\\s\"',;&}]{6,}+");

  private static final Pattern EMAILS =
      Pattern.compile(
          "(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]{1,64}+@(?:[A-Za-z0-9-]{1,63}+\\.)++[A-Za-z]{2,24}+");

  // 13 to 19 digits, optionally grouped by single spaces or dashes; Luhn-checked before redaction.
  private static final Pattern CARD_CANDIDATES =
      Pattern.compile("(?<!\\d)\\d(?:[ -]?\\d){12,18}(?!\\d)");

  // International (+country) and grouped national numbers; a separator or parentheses is required
  // between groups so plain counts, ids and dates are left alone.
  private static final Pattern PHONES =
      Pattern.compile(
          "(?<![\\w+])\\+\\d{7,15}(?!\\w)"
              + "|(?<![\\w+])(?:\\+\\d{1,3}[ .-]?)?(?:\\(\\d{2,4}\\)[ .-]?|\\d{2,4}[ .-])"
              + "\\d{3,4}[ .-]?\\d{3,4}(?!\\w)");

  // Every secret pattern starts with one of these (compared ignoring case): text containing none
  // of them is returned without running the regular expression.
  private static final String[] SECRET_TRIGGERS = {
    "sk-",
    "bearer",
    "basic",
    "eyj",
    "akia",
    "asia",
    "aiza",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "xox",
    "apikey",
    "api_key",
    "api-key",
    "accesstoken",
    "access_token",
    "access-token",
    "authtoken",
    "auth_token",
    "auth-token",
    "secret",
    "passw",
    "authorization"
  };

  private static final String[][] TRIGGERS_BY_FIRST_CHAR = new String[128][];

  /** The first two characters of every trigger, as bits of a 128 × 128 table. */
  private static final long[] TRIGGER_PAIRS = new long[128 * 128 / 64];

  static {
    for (String trigger : SECRET_TRIGGERS) {
      int pair = trigger.charAt(0) << 7 | trigger.charAt(1);
      TRIGGER_PAIRS[pair >>> 6] |= 1L << pair;
      char first = trigger.charAt(0);
      String[] existing = TRIGGERS_BY_FIRST_CHAR[first];
      String[] grown =
          existing == null ? new String[1] : java.util.Arrays.copyOf(existing, existing.length + 1);
      grown[grown.length - 1] = trigger;
      TRIGGERS_BY_FIRST_CHAR[first] = grown;
    }
  }

  private static final int READS_PER_CHAR = 64;
  private static final int MIN_BUDGET = 100_000;

  private final List<Rule> rules;
  private final int maxLength;
  private final boolean secretsOnly;

  private Redactor(List<Rule> rules, int maxLength, boolean secretsOnly) {
    this.rules = List.copyOf(rules);
    this.maxLength = maxLength;
    this.secretsOnly = secretsOnly;
  }

  /** Redacts secrets only: for every attribute value, whatever the content policy. */
  public static Redactor secretsOnly() {
    return new Redactor(List.of(new Rule(SECRETS, SECRET, null)), Integer.MAX_VALUE, true);
  }

  /**
   * True when {@code text} may hold a secret: it contains a word every secret pattern starts with.
   */
  static boolean mayContainSecret(String text) {
    int length = text.length();
    if (length < 3) {
      return false;
    }
    // Most text holds no pair of characters a trigger starts with: test pairs against a bit table
    // and compare whole triggers only where one starts.
    int previous = lowerAscii(text.charAt(0));
    for (int i = 1; i < length; i++) {
      int c = lowerAscii(text.charAt(i));
      if ((previous | c) < 128) {
        int pair = previous << 7 | c;
        if ((TRIGGER_PAIRS[pair >>> 6] & (1L << pair)) != 0 && triggerAt(text, i - 1, c)) {
          return true;
        }
      }
      previous = c;
    }
    return false;
  }

  private static int lowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c;
  }

  private static boolean triggerAt(String text, int start, int second) {
    for (String trigger : TRIGGERS_BY_FIRST_CHAR[lowerAscii(text.charAt(start))]) {
      // Triggers are lower case; comparing the second character first skips most candidates.
      if (trigger.charAt(1) == second
          && text.regionMatches(true, start, trigger, 0, trigger.length())) {
        return true;
      }
    }
    return false;
  }

  /** A redactor for captured content. */
  public static Redactor forContent(
      boolean emails, boolean phones, boolean cards, List<Pattern> userPatterns, int maxLength) {
    List<Rule> rules = new ArrayList<>();
    rules.add(new Rule(SECRETS, SECRET, null));
    if (cards) {
      // Before phones: a grouped card number also looks like a phone number.
      rules.add(new Rule(CARD_CANDIDATES, CARD, Redactor::passesLuhn));
    }
    if (emails) {
      rules.add(new Rule(EMAILS, EMAIL, null));
    }
    if (phones) {
      rules.add(new Rule(PHONES, PHONE, null));
    }
    for (Pattern pattern : userPatterns) {
      rules.add(new Rule(Objects.requireNonNull(pattern, "pattern"), "[REDACTED]", null));
    }
    return new Redactor(rules, maxLength, false);
  }

  /** The text with every match replaced and cut to the maximum length; never throws. */
  public String redact(String text) {
    if (text.isEmpty() || (secretsOnly && !mayContainSecret(text))) {
      return text;
    }
    // Cut before scanning so cost is bounded; a secret straddling this first cut lies beyond
    // maxLength and is removed by the final cut.
    String working = text;
    long firstCut = (long) maxLength * 4 + 256;
    if (working.length() > firstCut) {
      working = working.substring(0, safeCut(working, (int) firstCut));
    }
    try {
      for (Rule rule : rules) {
        working = rule.apply(working);
      }
    } catch (BudgetExceededException | StackOverflowError e) {
      return BUDGET_EXCEEDED;
    } catch (RuntimeException e) {
      return BUDGET_EXCEEDED;
    }
    return truncate(working, text.length());
  }

  private String truncate(String text, int originalLength) {
    if (text.length() <= maxLength) {
      return text;
    }
    int cut = safeCut(text, maxLength);
    return text.substring(0, cut) + "…[truncated " + (originalLength - cut) + " chars]";
  }

  /** A cut position that doesn't split a surrogate pair. */
  private static int safeCut(String text, int cut) {
    if (cut > 0 && cut < text.length() && Character.isHighSurrogate(text.charAt(cut - 1))) {
      return cut - 1;
    }
    return cut;
  }

  static boolean passesLuhn(String candidate) {
    int sum = 0;
    int digits = 0;
    boolean doubleIt = false;
    for (int i = candidate.length() - 1; i >= 0; i--) {
      char c = candidate.charAt(i);
      if (c < '0' || c > '9') {
        continue;
      }
      int d = c - '0';
      if (doubleIt) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      digits++;
      doubleIt = !doubleIt;
    }
    return digits >= 13 && digits <= 19 && sum % 10 == 0;
  }

  private static final class Rule {
    private final Pattern pattern;
    private final String replacement;
    private final @Nullable Predicate<String> validator;

    Rule(Pattern pattern, String replacement, @Nullable Predicate<String> validator) {
      this.pattern = pattern;
      this.replacement = replacement;
      this.validator = validator;
    }

    String apply(String text) {
      BudgetedText budgeted =
          new BudgetedText(text, Math.max(MIN_BUDGET, (long) text.length() * READS_PER_CHAR));
      Matcher matcher = pattern.matcher(budgeted);
      if (!matcher.find()) {
        return text;
      }
      StringBuilder out = new StringBuilder(text.length());
      int last = 0;
      boolean changed = false;
      do {
        if (validator == null || validator.test(text.substring(matcher.start(), matcher.end()))) {
          out.append(text, last, matcher.start()).append(replacement);
          last = matcher.end();
          changed = true;
        }
      } while (matcher.find());
      if (!changed) {
        return text;
      }
      return out.append(text, last, text.length()).toString();
    }
  }

  /** Thrown by {@link BudgetedText} when a pattern has read too many characters. */
  static final class BudgetExceededException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BudgetExceededException() {
      super("redaction budget exceeded", null, false, false);
    }
  }

  /**
   * A view of a string that counts character reads and aborts the regex engine when a pattern needs
   * more than its budget (catastrophic backtracking in a user pattern).
   */
  static final class BudgetedText implements CharSequence {
    private final String text;
    private long remaining;

    BudgetedText(String text, long budget) {
      this.text = text;
      this.remaining = budget;
    }

    @Override
    public char charAt(int index) {
      if (--remaining < 0) {
        throw new BudgetExceededException();
      }
      return text.charAt(index);
    }

    @Override
    public int length() {
      return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
      return new BudgetedText(text.substring(start, end), remaining);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
