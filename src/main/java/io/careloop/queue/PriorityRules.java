package io.careloop.queue;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * First-guess priority of a new case from its text and the customer's reach. Deliberately simple and explainable:
 * security words are urgent, complaints are high, questions normal, the rest (praise, chatter) low; a customer
 * with a large audience raises it one step, because a public complaint there costs more.
 */
public final class PriorityRules {
  public static final long LARGE_AUDIENCE = 10_000;

  private static final List<String> URGENT = List.of("hacked", "fraud", "security", "breach", "stolen", "leak",
    "emergency", "unauthori", "phishing", "locked out");
  private static final List<String> NEGATIVE = List.of("down", "outage", "broken", "not working", "doesn't work",
    "does not work", "isn't working", "can't", "cannot", "error", "fail", "refund", "charged", "cancel", "angry",
    "worst", "terrible", "awful", "hate", "unacceptable", "disappointed", "ridiculous", "scam", "still waiting", "lost");
  private static final Pattern QUESTION_START = Pattern.compile(
    "^(how|what|why|when|where|who|which|can|could|is|are|does|do|did|will|would|should|any ?one|anybody)\\b");

  public Priority classify(String text, long followers) {
    String t = normalise(text);
    Priority p;
    if (URGENT.stream().anyMatch(t::contains)) p = Priority.urgent;
    else if (NEGATIVE.stream().anyMatch(t::contains)) p = Priority.high;
    else if (isQuestion(t)) p = Priority.normal;
    else p = Priority.low;
    return followers >= LARGE_AUDIENCE ? p.raised() : p;
  }

  static boolean isQuestion(String normalised) {
    return normalised.contains("?") || QUESTION_START.matcher(normalised).find();
  }

  /** Lower case, without leading @handles (replies start with them) and URLs. */
  static String normalise(String text) {
    String t = text == null ? "" : text.toLowerCase(Locale.ROOT).replace('\u2019', '\'');
    t = t.replaceAll("https?://\\S+", " ");
    t = t.replaceAll("^(\\s*@\\w+)+\\s*", "");
    return t.trim();
  }
}
