package io.careloop.blog;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A customer's question as a post's title: the question sentence alone, without handles, links, hashtag signs,
 * emoji, markup or template syntax, capitalised, a question mark at the end when it asks something, and short enough
 * for a heading. Plain Java.
 */
public final class QuestionTitle {
  static final int MAX_LENGTH = 90;
  /** A title must say something: "help?" or a lone emoji is not a heading anyone would publish. */
  private static final int MIN_WORDS = 3;
  /** Anything in angle brackets, not only HTML tags ("<Dev>"): a heading has no use for it. */
  private static final Pattern TAGS = Pattern.compile("<[^<>]{0,500}>");
  private static final Pattern TEMPLATE = Pattern.compile("\\{\\{.{0,200}?}}+");
  private static final Pattern HASHTAG_SIGN = Pattern.compile("#(?=\\p{L})");
  private static final Pattern EMOJI = Pattern.compile("[\\p{So}\\p{Sk}\\p{Cs}\\p{Co}\\uFE0E\\uFE0F\\u200D\\u20E3]");
  private static final Pattern SENTENCES = Pattern.compile("(?<=[.!?\\u2026])\\s+");
  private static final Set<String> QUESTION_WORDS = Set.of("how", "what", "why", "where", "when", "who", "which", "whose", "can",
    "could", "do", "does", "did", "is", "are", "was", "will", "would", "should", "may", "might", "shall", "has", "have", "any", "anyone");

  private QuestionTitle() {}

  /** The title this text makes, or empty when too little of it is left to be one. */
  public static Optional<String> of(String text) {
    String t = cleaned(text);
    long words = t.isEmpty() ? 0 : List.of(t.split("\\s+")).stream().filter(ReplyText::hasWords).count();
    return words >= MIN_WORDS ? Optional.of(shortened(t)) : Optional.empty();
  }

  /** The question sentence, cleaned and punctuated as a title, however short ("" when nothing is left). */
  public static String cleaned(String text) {
    String t = ReplyText.withoutControls(text);
    t = t.replaceAll("(?is)<(script|style)\\b.*?(?:</\\1\\s*>|$)", " ");
    t = TAGS.matcher(t).replaceAll(" ");
    t = TEMPLATE.matcher(t).replaceAll(" ");
    t = EMOJI.matcher(t).replaceAll(" ");
    t = HASHTAG_SIGN.matcher(t).replaceAll("");
    t = ReplyText.clean(t.replaceAll("\\s+", " "));
    t = question(t);
    t = t.replaceAll("\\?[?!]*|!+\\?[?!]*", "?").replaceAll("!{2,}", "!").replaceAll("\\.{2,}|\\u2026", ".");
    t = t.replaceAll("(?<![\\p{L}'])i(?=$|[\\s,.!?]|'(?:m|ve|d|ll)\\b)", "I");
    t = ReplyText.tidy(t);
    if (t.isEmpty()) return t;
    String first = t.split("[\\s,]+", 2)[0].toLowerCase(Locale.ROOT);
    if (t.endsWith("?") || QUESTION_WORDS.contains(first)) t = t.replaceAll("[.!?,;:\\s]+$", "") + "?";
    else t = t.replaceAll("[.,;:\\s]+$", "");
    return Character.toUpperCase(t.charAt(0)) + t.substring(1);
  }

  /** The sentence that asks: the first with a question mark, else the first opening with a question word, else all. */
  private static String question(String t) {
    String[] sentences = SENTENCES.split(t);
    for (String s : sentences) if (s.contains("?")) return s;
    for (String s : sentences) {
      String first = s.strip().split("[\\s,]+", 2)[0].toLowerCase(Locale.ROOT);
      if (QUESTION_WORDS.contains(first)) return s;
    }
    return t;
  }

  private static String shortened(String t) {
    if (t.length() <= MAX_LENGTH) return t;
    String cut = t.substring(0, MAX_LENGTH - 1);
    int space = cut.lastIndexOf(' ');
    if (space > MAX_LENGTH / 2) cut = cut.substring(0, space);
    return cut.replaceAll("[\\s,;:.!?\\u2013\\u2014-]+$", "") + "\u2026";
  }
}
