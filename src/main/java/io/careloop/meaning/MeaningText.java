package io.careloop.meaning;

import java.util.regex.Pattern;

/**
 * What of a post the model reads: handles, links and markup say nothing about what the customer means (and the same
 * question from two customers must not differ by their handles). Never empty: the model needs a token.
 */
public final class MeaningText {
  private static final Pattern LINKS = Pattern.compile("https?://\\S+|www\\.\\S+");
  private static final Pattern HANDLES = Pattern.compile("(?<![\\w])@\\w+");
  private static final Pattern MARKUP = Pattern.compile("(?is)<script\\b.*?</script\\s*>|<[^>]{0,500}>|\\{\\{.{0,200}?\\}\\}");
  private static final Pattern SPACES = Pattern.compile("\\s+");
  /** Sentences past this say little more about the question and only cost time (the model reads 256 tokens at most). */
  static final int MAX_CHARS = 600;

  private MeaningText() {}

  public static String of(String text) {
    String t = text == null ? "" : text;
    if (t.length() > 4 * MAX_CHARS) t = t.substring(0, 4 * MAX_CHARS);
    t = MARKUP.matcher(t).replaceAll(" ");
    t = LINKS.matcher(t).replaceAll(" ");
    t = HANDLES.matcher(t).replaceAll(" ");
    t = SPACES.matcher(t).replaceAll(" ").trim();
    if (t.length() > MAX_CHARS) t = t.substring(0, MAX_CHARS);
    return t.isEmpty() ? "." : t;
  }
}
