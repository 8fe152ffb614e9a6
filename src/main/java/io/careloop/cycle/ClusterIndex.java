package io.careloop.cycle;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Groups answered mentions that ask the same question, one mention at a time. A new mention is compared only with
 * the clusters it meets in a MinHash/LSH bucket or that were answered with the same KB article, and only with a
 * bounded number of representatives of each, so adding a mention costs the same whether a thousand or a million came
 * before: clustering stays near-linear in volume.
 *
 * <p>The KB article an agent linked is strong evidence: mentions answered with the same article join at a lower word
 * overlap, mentions answered with different articles need a higher one. Plain Java with no I/O; one writer at a
 * time (the caller serialises).
 */
public final class ClusterIndex {
  /** Jaccard similarity of question words needed to join a cluster, by what the KB articles say. */
  public record Thresholds(double text, double sameArticle, double otherArticle) {
    public static final Thresholds DEFAULT = new Thresholds(0.5, 0.2, 0.75);

    public Thresholds {
      for (double t : new double[] {text, sameArticle, otherArticle}) {
        if (t <= 0 || t > 1) throw new IllegalArgumentException("cluster thresholds are similarities in (0, 1]");
      }
    }
  }

  /** An answered mention: its id (the case), its question words and the KB article used in the answer, if any. */
  public record Mention(String id, Set<String> tokens, String kbArticleId) {}

  /** Where the mention went; {@code absorbed} are clusters it showed to be the same question, now merged into it. */
  public record Assignment(String clusterId, boolean created, List<String> absorbed) {}

  private static final int REPRESENTATIVES = 12;
  private static final int FOUNDERS = 4;
  private static final int BUCKET_CAP = 8;
  private static final int ARTICLE_CAP = 8;
  private static final int CANDIDATES = 16;
  /** A full cluster takes a new representative only if it says the question differently from all it has. */
  private static final double DIVERSE_BELOW = 0.5;

  private record Rep(String id, Set<String> tokens) {}

  private static final class Cluster {
    final String id;
    final List<Rep> reps = new ArrayList<>();
    final Map<String, Integer> articles = new HashMap<>();
    int size;
    int nextSlot = FOUNDERS;
    private String article;

    Cluster(String id) { this.id = id; }

    /** The KB article most of its answers used (kept up to date as answers are counted). */
    String article() { return article; }

    void countArticle(String kb, int delta) {
      articles.merge(kb, delta, (a, b) -> a + b <= 0 ? null : a + b);
      article = articles.entrySet().stream().max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
        .map(Map.Entry::getKey).orElse(null);
    }
  }

  private final MinHash minHash = new MinHash(24, 2);
  private final Thresholds thresholds;
  private final Map<String, Cluster> clusters = new HashMap<>();
  private final Map<String, String> mergedInto = new HashMap<>();
  private final Map<Long, ArrayDeque<String>> buckets = new HashMap<>();
  private final Map<String, ArrayDeque<String>> byArticle = new HashMap<>();
  private final Set<String> apart = new java.util.HashSet<>();

  public ClusterIndex(Thresholds thresholds) {
    this.thresholds = thresholds;
  }

  /**
   * Puts the mention in the most similar cluster above the threshold, or founds a new one named after it. A mention
   * answered with the same KB article as several clusters it is close to shows they ask the same question: those are
   * absorbed into the best one (unless a person split them apart), so the result depends less on the order answers
   * arrive in.
   */
  public Assignment assign(Mention m) {
    String best = null;
    double bestScore = -1;
    List<String> matching = new ArrayList<>();
    long[] keys = m.tokens().isEmpty() ? new long[0] : minHash.bandKeys(minHash.signature(m.tokens()));
    for (String candidate : candidates(m, keys)) {
      Cluster c = clusters.get(candidate);
      String article = c.article();
      boolean same = m.kbArticleId() != null && m.kbArticleId().equals(article);
      double threshold = m.kbArticleId() == null || article == null ? thresholds.text()
        : same ? thresholds.sameArticle() : thresholds.otherArticle();
      double similarity = similarity(m.tokens(), c);
      if (similarity < threshold) continue;
      // Joining two clusters needs stronger evidence than joining one: an agent answered both with this article.
      // Word overlap alone would chain near questions ("disable" vs "import team member") into one.
      if (same) {
        matching.add(candidate);
      }
      double score = similarity + (same ? 0.5 : 0);
      if (score > bestScore) {
        bestScore = score;
        best = candidate;
      }
    }
    boolean created = best == null;
    String id = created ? "q" + m.id() : best;
    List<String> absorbed = new ArrayList<>();
    for (String other : matching) {
      if (other.equals(id) || keptApart(other, id)) continue;
      merge(other, id);
      absorbed.add(other);
    }
    add(m, id, keys);
    return new Assignment(id, created, absorbed);
  }

  /** A person split these apart: never join them again on the evidence of one mention. */
  private boolean keptApart(String a, String b) {
    return apart.contains(a + " " + b) || apart.contains(b + " " + a);
  }

  /** Puts a mention back where the database says it belongs (rebuilding the index at start). */
  public void restore(Mention m, String clusterId) {
    add(m, clusterId);
  }

  /** Remembers that a person split these two apart (restoring the index at start). */
  public void keepApart(String a, String b) {
    apart.add(a + " " + b);
  }

  /** Everything in {@code from} now belongs to {@code into}. */
  public void merge(String from, String into) {
    Cluster a = clusters.remove(resolve(from));
    Cluster b = clusters.get(resolve(into));
    if (a == null || b == null || a == b) return;
    mergedInto.put(a.id, b.id);
    a.articles.forEach((k, v) -> b.countArticle(k, v));
    b.size += a.size;
    for (Rep r : a.reps) {
      if (b.reps.size() >= REPRESENTATIVES) break;
      b.reps.add(r);
    }
  }

  /** Moves the given mentions out of their cluster into a new one ({@code newId}). */
  public void split(String clusterId, String newId, Collection<Mention> moved) {
    Cluster from = clusters.get(resolve(clusterId));
    if (from == null) return;
    apart.add(from.id + " " + newId);
    Set<String> ids = new java.util.HashSet<>();
    moved.forEach(m -> ids.add(m.id()));
    from.reps.removeIf(r -> ids.contains(r.id()));
    from.size -= moved.size();
    for (Mention m : moved) {
      if (m.kbArticleId() != null) from.countArticle(m.kbArticleId(), -1);
      add(m, newId);
    }
  }

  public String resolve(String clusterId) {
    String id = clusterId;
    for (String next = mergedInto.get(id); next != null; next = mergedInto.get(id)) id = next;
    // Path compression: every cluster on the way now points at the survivor, so chains of merges stay short.
    for (String at = clusterId, next; !at.equals(id); at = next) {
      next = mergedInto.get(at);
      mergedInto.put(at, id);
    }
    return id;
  }

  public int clusterCount() { return clusters.size(); }

  /**
   * The clusters worth comparing: those sharing the most LSH bands with the mention (the more bands, the likelier a
   * high similarity), at most {@link #CANDIDATES}, plus the latest clusters answered with the same KB article.
   */
  private Set<String> candidates(Mention m, long[] keys) {
    Map<String, Integer> hits = new HashMap<>();
    for (long key : keys) {
      ArrayDeque<String> bucket = buckets.get(key);
      if (bucket != null) bucket.forEach(c -> hits.merge(resolve(c), 1, Integer::sum));
    }
    Set<String> out = new LinkedHashSet<>();
    hits.entrySet().stream().filter(e -> clusters.containsKey(e.getKey()))
      .sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(CANDIDATES).forEach(e -> out.add(e.getKey()));
    if (m.kbArticleId() != null) {
      ArrayDeque<String> same = byArticle.get(m.kbArticleId());
      if (same != null) same.forEach(c -> {
        String id = resolve(c);
        if (clusters.containsKey(id)) out.add(id);
      });
    }
    return out;
  }

  private void add(Mention m, String clusterId) {
    add(m, clusterId, m.tokens().isEmpty() ? new long[0] : minHash.bandKeys(minHash.signature(m.tokens())));
  }

  private void add(Mention m, String clusterId, long[] keys) {
    String id = resolve(clusterId);
    Cluster c = clusters.computeIfAbsent(id, Cluster::new);
    c.size++;
    if (m.kbArticleId() != null) {
      c.countArticle(m.kbArticleId(), 1);
      remember(byArticle.computeIfAbsent(m.kbArticleId(), k -> new ArrayDeque<>()), id, ARTICLE_CAP);
    }
    if (m.tokens().isEmpty()) return;
    Rep rep = new Rep(m.id(), Set.copyOf(m.tokens()));
    if (c.reps.size() < REPRESENTATIVES) {
      c.reps.add(rep);
    } else if (similarity(m.tokens(), c) < DIVERSE_BELOW) {
      // Keep the founders; rotate the other slots so the cluster keeps up with new ways of asking.
      c.reps.set(c.nextSlot, rep);
      c.nextSlot = c.nextSlot + 1 >= REPRESENTATIVES ? FOUNDERS : c.nextSlot + 1;
    } else {
      return;
    }
    for (long key : keys) {
      remember(buckets.computeIfAbsent(key, k -> new ArrayDeque<>(2)), id, BUCKET_CAP);
    }
  }

  /** Most recent first, bounded: a bucket that everyone falls into must not make every insert slow. */
  private static void remember(ArrayDeque<String> list, String id, int cap) {
    if (id.equals(list.peekFirst())) return;
    list.remove(id);
    list.addFirst(id);
    if (list.size() > cap) list.removeLast();
  }

  private static double similarity(Set<String> tokens, Cluster c) {
    double best = 0;
    for (Rep r : c.reps) best = Math.max(best, jaccard(tokens, r.tokens()));
    return best;
  }

  static double jaccard(Set<String> a, Set<String> b) {
    if (a.isEmpty() || b.isEmpty()) return 0;
    Set<String> small = a.size() <= b.size() ? a : b;
    Set<String> large = small == a ? b : a;
    int both = 0;
    for (String t : small) if (large.contains(t)) both++;
    return (double) both / (a.size() + b.size() - both);
  }
}
