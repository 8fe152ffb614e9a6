package io.careloop.blog;

import io.careloop.reply.ClosedTemplate;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The tweet that points customers to a new post: "Wondering how to …? So was one of our customers: <link>", from a
 * template in the configuration with {@code {{question}}} and {@code {{link}}} and nothing else (the closed language
 * of {@link ClosedTemplate}, like canned responses: a template is text to fill, not a program). A tweet is plain
 * text, so nothing is HTML-escaped here; X shows it as text.
 */
public final class ProactiveTweet {
  /** What the template may use besides plain text. */
  public static final Set<String> VARIABLES = Set.of("question", "link");

  private final ClosedTemplate template;

  /** Throws {@link IllegalArgumentException} naming the bad token when the template is not in the closed language. */
  public ProactiveTweet(String template) {
    this.template = parse(template);
  }

  /** Checks a configured template (the settings call this at start, so a bad one stops CareLoop with its reason). */
  public static ClosedTemplate parse(String template) {
    try {
      return ClosedTemplate.parse(template, VARIABLES);
    } catch (ClosedTemplate.Refused e) {
      throw new IllegalArgumentException("cycle.proactiveTweet: " + e.getMessage(), e);
    }
  }

  public String compose(String title, String link) {
    // Linear substitution into a bounded template: no blocking work, whatever the title holds.
    return template.render(Map.of("question", wondering(title), "link", link)).trim();
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
