package io.careloop.kb;

import io.careloop.config.Settings.KbSettings;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * How sure a suggestion is, as one number in [0, 1] the console shows as its confidence: a calibrated linear mix of
 * the article's meaning (the cosine of its vector with the customer's) and its words (BM25, saturated so a long
 * question cannot outscore a close one). A linear mix, not reciprocal-rank fusion: ranks say which article is first,
 * never whether any is good enough, and the floor needs a score that means the same for every question. An article
 * without vectors yet is scored by its words alone.
 */
public final class Relevance {
  private Relevance() {}

  /** What made an article a suggestion, for the agent deciding whether to trust it. */
  public enum Why {
    WORDS, MEANING, BOTH;

    public String json() { return name().toLowerCase(Locale.ROOT); }
  }

  public record Scored(String id, double score, Why why) {}

  /** The candidates at or above the floor, best first, at most {@code limit}. */
  public static List<Scored> rank(List<KbIndex.Candidate> candidates, KbSettings rules, int limit) {
    return candidates.stream().map(c -> score(c, rules)).filter(s -> s.score() >= rules.floor())
      .sorted(Comparator.comparingDouble(Scored::score).reversed()).limit(limit).toList();
  }

  static Scored score(KbIndex.Candidate c, KbSettings rules) {
    double words = c.words() / (c.words() + rules.wordsHalf());
    if (!c.hasMeaning()) return new Scored(c.id(), words, Why.WORDS);
    double byWords = (1 - rules.meaningWeight()) * words;
    double byMeaning = rules.meaningWeight() * Math.max(0, c.meaning());
    double score = byWords + byMeaning;
    // Either part giving at least two thirds of the score is the reason; otherwise it took both.
    Why why = c.words() == 0 || byWords <= score / 3 ? Why.MEANING : byMeaning <= score / 3 ? Why.WORDS : Why.BOTH;
    return new Scored(c.id(), score, why);
  }

  /**
   * Whether two questions ask the same: their meanings are close, and the words they do not share mean the same too.
   * Questions that share most words and differ in the one that matters ("cancel an order", "cancel my Pass") are
   * close as wholes, while what tells them apart is not.
   */
  public static boolean nearCopy(double questions, double residual, KbSettings rules) {
    // Nearly the same sentence: the few words apart ("turn on" / "enable") are too short for their own vectors to say
    // they mean the same, so the whole decides.
    if (questions >= rules.nearCopySame()) return true;
    return questions >= rules.nearCopyMeaning() && residual >= rules.nearCopyResidual() * questions;
  }
}
