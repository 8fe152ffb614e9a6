package io.careloop.queue;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * First-guess priority of a new case from its text and the customer's reach. Deliberately simple and explainable:
 * security words are urgent, complaints are high, questions normal, the rest (praise, chatter) low; a customer
 * with a large audience raises it one step, because a public complaint there costs more.
 */
public final class PriorityRules {
  public static final long LARGE_AUDIENCE = 10_000;

  // Whole words (with their endings where listed), so "download" is not "down" and "onerror" is not "error".
  private static final Pattern URGENT = words("hack(ed|ing)?", "fraud\\w*", "security", "breach(ed)?", "stolen", "leak(ed|s)?",
    "emergency", "unauthori[sz]ed", "phishing", "locked out");
  private static final Pattern NEGATIVE = words("down", "outages?", "broken", "not working", "doesn't work",
    "does not work", "isn't working", "can't", "cannot", "errors?", "fail(s|ed|ing|ure)?", "refund(ed)?", "charged",
    "cancel\\w*", "angry", "worst", "terrible", "awful", "hate", "unacceptable", "disappointed", "ridiculous", "scam",
    "still waiting", "lost");
  private static final Pattern QUESTION_START = Pattern.compile(
    "^(how|what|why|when|where|who|which|can|could|is|are|does|do|did|will|would|should|any ?one|anybody)\\b");

  /** A priority and the reason a care team reads on the case ("keywords: 'refund'", "a question; large audience"). */
  public record Ranked(Priority priority, String reason) {}

  public Priority classify(String text, long followers) {
    return rank(text, followers).priority();
  }

  public Ranked rank(String text, long followers) {
    String t = normalise(text);
    Ranked r;
    Matcher urgent = URGENT.matcher(t);
    Matcher negative = NEGATIVE.matcher(t);
    if (urgent.find()) r = new Ranked(Priority.urgent, "keywords: '" + urgent.group(1) + "'");
    else if (negative.find()) r = new Ranked(Priority.high, "keywords: '" + negative.group(1) + "'");
    else if (isQuestion(t)) r = new Ranked(Priority.normal, "a question");
    else r = new Ranked(Priority.low, "no listed words, not a question");
    return followers >= LARGE_AUDIENCE ? withLargeAudience(r) : r;
  }

  /** One step up for a customer whose public complaint many people read. */
  static Ranked withLargeAudience(Ranked r) {
    return new Ranked(r.priority().raised(), r.reason() + "; large audience");
  }

  private static Pattern words(String... alternatives) {
    return Pattern.compile("(?<![\\w'])(" + String.join("|", alternatives) + ")(?![\\w'])");
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
