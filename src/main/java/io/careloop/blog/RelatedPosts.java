package io.careloop.blog;

import io.careloop.meaning.Vectors;

import java.util.Comparator;
import java.util.List;

/**
 * The published posts that mean closest to a post: what its public page offers next ("Related answers"), so a reader
 * whose question is a neighbour of this one finds it without asking. Plain Java.
 */
public final class RelatedPosts {
  /**
   * Below this cosine two support posts are about different things. Measured on the 20 Fernway articles (title,
   * question and steps; 190 pairs, `src/test/resources/meaning`): median 0.28, p90 0.46, and the closest pairs are
   * neighbouring questions (missing vs damaged item 0.69, delivery slot vs address 0.67, late vs never arrived 0.58).
   * At 0.45 a page offers about the closest tenth of the blog: neighbours, not noise.
   */
  public static final double FLOOR = 0.45;

  /** A published post with its vector. */
  public record Candidate(String id, float[] vector) {}

  private RelatedPosts() {}

  /** At most {@code n} posts other than {@code selfId}, closest first, each at or above {@link #FLOOR}. */
  public static List<String> pick(float[] of, String selfId, List<Candidate> published, int n) {
    if (of == null) return List.of();
    record Scored(String id, double cosine) {}
    return published.stream().filter(c -> !c.id().equals(selfId) && c.vector() != null && c.vector().length == of.length)
      .map(c -> new Scored(c.id(), Vectors.cosine(of, c.vector())))
      .filter(s -> s.cosine() >= FLOOR)
      .sorted(Comparator.comparingDouble(Scored::cosine).reversed().thenComparing(Scored::id))
      .limit(n).map(Scored::id).toList();
  }
}
