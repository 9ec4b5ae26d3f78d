package dev.tokenscope.simulator.internal;

import com.knuddels.jtokkit.api.Encoding;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Writes plausible, deterministic prose: sentences assembled from fixed word lists, woven around a
 * few topic words taken from the prompt, until a target token count is reached.
 */
public final class ContentGenerator {

  private static final String[] OPENERS = {
    "Here is a concise answer.",
    "Good question.",
    "Let me walk through it step by step.",
    "Short version first, then the details.",
    "There are a few things to weigh here.",
    "Happy to help with that.",
  };
  private static final String[] SUBJECTS = {
    "The main consideration",
    "A practical approach",
    "The simplest option",
    "One useful pattern",
    "The key trade-off",
    "A careful review",
    "The overall plan",
    "Each step",
    "The second option",
    "A balanced choice",
  };
  private static final String[] VERBS = {
    "depends on",
    "builds on",
    "balances",
    "highlights",
    "keeps track of",
    "reduces",
    "improves",
    "relies on",
    "pairs well with",
    "starts from",
  };
  private static final String[] OBJECTS = {
    "the constraints you described",
    "a clear set of priorities",
    "the seasonal ingredients",
    "the expected cost",
    "a small number of moving parts",
    "the structure of the request",
    "what the team already has",
    "the latency budget",
    "the context provided",
    "a reliable default",
  };
  private static final String[] QUALIFIERS = {
    "in most cases",
    "without much extra effort",
    "as long as the inputs stay stable",
    "when measured over a full week",
    "for a first iteration",
    "with room to refine later",
    "at a modest cost",
    "given the current numbers",
  };
  private static final Set<String> STOPWORDS =
      Set.of(
          "about",
          "above",
          "after",
          "again",
          "their",
          "there",
          "these",
          "those",
          "which",
          "while",
          "would",
          "could",
          "should",
          "please",
          "where",
          "being",
          "other",
          "every",
          "because",
          "answer",
          "question",
          "return",
          "respond",
          "following",
          "provide",
          "write",
          "short");

  private ContentGenerator() {}

  /** About {@code targetTokens} tokens of prose (never fewer than one sentence). */
  public static String prose(
      SplittableRandom random, Encoding encoding, String prompt, int targetTokens) {
    List<String> topics = topics(prompt, random);
    StringBuilder text = new StringBuilder(OPENERS[random.nextInt(OPENERS.length)]);
    int tokens = TokenCounter.count(encoding, text.toString());
    int sentence = 0;
    while (tokens < targetTokens) {
      String next = sentence(random, topics, sentence++);
      boolean paragraph = text.charAt(text.length() - 1) == '\n';
      text.append(paragraph ? "" : " ").append(next);
      tokens += TokenCounter.count(encoding, paragraph ? next : " " + next);
      if (sentence % 4 == 0 && tokens < targetTokens) {
        text.append("\n\n");
      }
    }
    return text.toString();
  }

  /** A short phrase of one to four words, for schema string values. */
  public static String words(SplittableRandom random, int count) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < count; i++) {
      String[] pool = i % 2 == 0 ? OBJECTS : SUBJECTS;
      String phrase = pool[random.nextInt(pool.length)];
      String[] split = phrase.split(" ");
      String word = split[split.length - 1];
      if (sb.length() > 0) {
        sb.append(' ');
      }
      sb.append(word);
    }
    return sb.toString();
  }

  /** One sentence, for schema string values such as descriptions. */
  public static String sentence(SplittableRandom random) {
    return sentence(random, List.of(), 0);
  }

  private static String sentence(SplittableRandom random, List<String> topics, int index) {
    StringBuilder sb = new StringBuilder();
    sb.append(SUBJECTS[random.nextInt(SUBJECTS.length)]);
    if (!topics.isEmpty() && index % 2 == 0) {
      sb.append(" for ").append(topics.get(random.nextInt(topics.size())));
    }
    sb.append(' ').append(VERBS[random.nextInt(VERBS.length)]);
    sb.append(' ').append(OBJECTS[random.nextInt(OBJECTS.length)]);
    if (random.nextInt(3) > 0) {
      sb.append(' ').append(QUALIFIERS[random.nextInt(QUALIFIERS.length)]);
    }
    return sb.append('.').toString();
  }

  private static List<String> topics(String prompt, SplittableRandom random) {
    List<String> candidates = new ArrayList<>();
    for (String raw : prompt.split("[^\\p{L}\\p{N}'-]+")) {
      String word = raw.toLowerCase(Locale.ROOT);
      if (word.length() >= 5 && !STOPWORDS.contains(word) && !candidates.contains(word)) {
        candidates.add(word);
      }
    }
    List<String> topics = new ArrayList<>();
    while (!candidates.isEmpty() && topics.size() < 3) {
      topics.add(candidates.remove(random.nextInt(candidates.size())));
    }
    return topics;
  }
}
