package io.careloop.blog;

import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Template;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;

/**
 * The tweet that points customers to a new post: "Wondering how to …? So was one of our customers: <link>", from a
 * Handlebars template in the configuration ({@code {{question}}}, {{link}}). A tweet is plain text, so nothing is
 * HTML-escaped here; X shows it as text.
 */
public final class ProactiveTweet {
  private final Template template;

  public ProactiveTweet(String template) {
    try {
      this.template = new Handlebars().with(EscapingStrategy.NOOP).compileInline(template);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public String compose(String title, String link) {
    try {
      return template.apply(Map.of("question", wondering(title), "link", link)).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** "How do I reset my password?" → "how to reset your password?"; anything else → "about “…”?". */
  static String wondering(String title) {
    String t = title.trim().replaceAll("[?.!]+$", "");
    String lower = t.toLowerCase(Locale.ROOT);
    for (String opening : new String[] {"how do i ", "how can i ", "how do you ", "how to ", "how do we ", "how can we "}) {
      if (lower.startsWith(opening)) {
        String rest = t.substring(opening.length()).replaceAll("(?i)\\bmy\\b", "your").replaceAll("(?i)\\bI\\b", "you");
        return "how to " + rest + "?";
      }
    }
    return "about \u201C" + t + "\u201D?";
  }
}
