package io.careloop.blog;

import io.careloop.cycle.QuestionText;
import io.careloop.meaning.Vectors;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The customers a draft quotes: up to three, each a different public customer, chosen so that together they show the
 * question asked in different words. Plain Java.
 *
 * <p>Picked greedily by maximal marginal relevance: the first is the asking most like the others (the cluster's
 * centre), each next one the best balance of still being about the question and being unlike those already picked.
 * Likeness is the cosine of the stored sentence vectors; a member without one is compared by the overlap of its
 * question words. Repeats (the same words, or a cosine of {@value #REPEAT_COSINE} and above) are never quoted twice,
 * whoever wrote them.
 */
public final class DraftQuotes {
  static final int MAX = 3;
  /** Above this, two sentences say the same thing in barely different words (the model's near-copy range). */
  static final double REPEAT_COSINE = 0.9;
  /** Share of the same words (all words, not just question words) above which two texts are the same text. */
  static final double REPEAT_WORDS = 0.8;
  /** Weight of being central against being new; even, so neither an outlier nor a repeat wins. */
  private static final double RELEVANCE = 0.5;
  private static final int MIN_WORDS = 3;

  private DraftQuotes() {}

  /** A member as a quote candidate, with what it is compared by. */
  private record Candidate(int order, Draft.Member member, String text, Set<String> tokens, Set<String> words, float[] vector) {}

  /** Up to {@link #MAX} quotes from {@code members} (newest first), anonymised when asked. */
  public static List<Draft.Quote> pick(List<Draft.Member> members, boolean anonymise) {
    List<Candidate> all = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      Draft.Member m = members.get(i);
      String text = quotable(m.text());
      all.add(new Candidate(i, m, text, QuestionText.tokens(text), words(text), m.vector() == null ? null : Vectors.normalised(m.vector())));
    }
    double[] centrality = new double[all.size()];
    for (Candidate c : all) {
      double sum = 0;
      for (Candidate o : all) if (o != c) sum += similarity(c, o);
      centrality[c.order()] = all.size() > 1 ? sum / (all.size() - 1) : 0;
    }
    // Protected accounts inform what the question is (above) but are never quoted; neither is "help?" or an emoji.
    List<Candidate> open = new ArrayList<>(all.stream().filter(c -> !c.member().isProtected() && quotable(c)).toList());
    List<Candidate> picked = new ArrayList<>();
    Set<String> customers = new HashSet<>();
    while (picked.size() < MAX) {
      Candidate best = null;
      double bestScore = Double.NEGATIVE_INFINITY;
      for (Candidate c : open) {
        if (customers.contains(customer(c)) || picked.stream().anyMatch(p -> repeats(c, p))) continue;
        double closest = picked.stream().mapToDouble(p -> similarity(c, p)).max().orElse(0);
        double score = RELEVANCE * centrality[c.order()] - (1 - RELEVANCE) * closest;
        // Words that name no question (all markup, say) are quoted as written, but only when no asking is left.
        if (c.tokens().isEmpty()) score -= 10;
        if (score > bestScore) {
          bestScore = score;
          best = c;
        }
      }
      if (best == null) break;
      picked.add(best);
      customers.add(customer(best));
      open.remove(best);
    }
    return picked.stream().map(c -> quote(c, members, anonymise)).toList();
  }

  /**
   * Worth quoting: it names the question, or says at least {@value #MIN_WORDS} words of something ("help?", "pls" and
   * emoji say nothing a reader can use).
   */
  private static boolean quotable(Candidate c) {
    return !c.tokens().isEmpty() || c.words().stream().filter(w -> w.chars().anyMatch(Character::isLetter)).count() >= MIN_WORDS;
  }

  /** The member's words as a quote: without the handles a reply starts with (X does not show them) or invisible controls. */
  static String quotable(String text) {
    return ReplyText.withoutControls(text).replaceFirst("^(\\s*@\\w{1,15}\\b[,:]?)+\\s*", "").strip();
  }

  private static Draft.Quote quote(Candidate c, List<Draft.Member> members, boolean anonymise) {
    Draft.Member m = c.member();
    if (!anonymise) return new Draft.Quote(c.text(), "@" + m.handle(), m.handle(), m.tweetId());
    String text = Anonymiser.text(c.text(), m.handle(), m.name());
    // Customers name each other too ("like @vic said"): every asker's name leaves an anonymised quote.
    return new Draft.Quote(Draft.scrub(text, members, true, null), Anonymiser.attribution(), null, null);
  }

  private static String customer(Candidate c) {
    String handle = c.member().handle();
    return handle == null ? "#" + c.order() : handle.toLowerCase(Locale.ROOT);
  }

  static double similarity(Candidate a, Candidate b) {
    if (a.vector() != null && b.vector() != null && a.vector().length == b.vector().length) return Vectors.cosine(a.vector(), b.vector());
    return jaccard(a.tokens(), b.tokens());
  }

  private static boolean repeats(Candidate a, Candidate b) {
    if (ReplyText.normalised(a.text()).equals(ReplyText.normalised(b.text()))) return true;
    if (a.vector() != null && b.vector() != null && a.vector().length == b.vector().length
      && Vectors.cosine(a.vector(), b.vector()) >= REPEAT_COSINE) return true;
    return jaccard(a.words(), b.words()) >= REPEAT_WORDS;
  }

  /** Shared over all: 1 for the same set, 0 for nothing in common (or nothing at all). */
  static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() || b.isEmpty()) return 0;
    int common = 0;
    for (String x : a) if (b.contains(x)) common++;
    return common / (double) (a.size() + b.size() - common);
  }

  private static Set<String> words(String text) {
    Set<String> out = new java.util.LinkedHashSet<>();
    for (String w : ReplyText.normalised(QuestionText.withoutHandlesAndLinks(text)).split(" ")) if (!w.isEmpty()) out.add(w);
    return out;
  }
}
