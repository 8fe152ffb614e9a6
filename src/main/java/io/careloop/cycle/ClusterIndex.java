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
 * Groups answered mentions that ask the same question, one mention at a time, by meaning: the similarity of two
 * mentions is the cosine of their sentence vectors. A new mention is compared only with the clusters it meets in a
 * random-hyperplane LSH bucket ({@link Hyperplanes}), a MinHash bucket of its words (kept for the word fallback:
 * mentions whose vector is not there yet meet clusters by their words), or that were answered with the same KB
 * article, and only with a bounded number of representatives of each, so adding a mention costs the same
 * whether a thousand or a million came before: clustering stays near-linear in volume.
 *
 * <p>The KB article an agent linked is strong evidence: mentions answered with the same article join at a lower
 * similarity, mentions answered with different articles need a higher one. A mention whose vector is not there yet
 * (or a representative stored without one) is compared by words instead: the Jaccard similarity of question stems,
 * with thresholds of its own. Plain Java with no I/O; one writer at a time (the caller serialises).
 */
public final class ClusterIndex {
  /**
   * The similarity needed to join a cluster, by what the KB articles say: neither answer linked one ({@code none}),
   * both the same, or different ones.
   */
  public record Bar(double none, double sameArticle, double otherArticle) {
    public Bar {
      for (double t : new double[] {none, sameArticle, otherArticle}) {
        if (t <= 0 || t > 1) throw new IllegalArgumentException("cluster thresholds are similarities in (0, 1]");
      }
    }

    double of(boolean linked, boolean same) {
      return !linked ? none : same ? sameArticle : otherArticle;
    }
  }

  /** Bars for the cosine of sentence vectors ({@code meaning}) and for the Jaccard of question words (the fallback). */
  public record Thresholds(Bar meaning, Bar words) {}

  /**
   * An answered mention: its id (the case), its question words, the KB article used in the answer, if any, and the
   * unit sentence vector of the question, or null when it is not computed yet (then it is compared by words).
   */
  public record Mention(String id, Set<String> tokens, String kbArticleId, float[] vector) {
    /** A mention known by its words only. */
    public Mention(String id, Set<String> tokens, String kbArticleId) {
      this(id, tokens, kbArticleId, null);
    }
  }

  /** Where the mention went; {@code absorbed} are clusters it showed to be the same question, now merged into it. */
  public record Assignment(String clusterId, boolean created, List<String> absorbed) {}

  private static final int REPRESENTATIVES = 12;
  private static final int FOUNDERS = 4;
  private static final int BUCKET_CAP = 8;
  private static final int ARTICLE_CAP = 8;
  private static final int CANDIDATES = 16;
  /** A full cluster takes a new representative only if it says the question differently from all it has. */
  private static final double DIVERSE_BELOW = 0.5;
  /**
   * Hyperplane LSH: 8 tables of 6 bits, each probed twice: two vectors at a cosine of 0.45 share a bucket about 7
   * times in 10, at 0.6 about 9 in 10; a busy cluster has many members to be met by. 48 planes cost 40% of the 120
   * of 12 tables of 10 bits; on the calibrate split text alone went from 0.203 to 0.211, linked from 0.667 to 0.638.
   */
  private static final int TABLES = 8;
  private static final int BITS = 6;
  /** Vector buckets are refreshed by every answer, so they follow the busy clusters and can hold a few more. */
  private static final int VECTOR_BUCKET_CAP = 12;

  /** A representative's words, and whether it had a vector (then it counts in the centre, not by its words). */
  private record Rep(String id, Set<String> tokens, boolean hasVector) {}

  private static final class Cluster {
    final String id;
    final List<Rep> reps = new ArrayList<>();
    final Map<String, Integer> articles = new HashMap<>();
    int size;
    int nextSlot = FOUNDERS;
    /** The sum of its members' vectors: its direction is the question the members share, clearer as they grow. */
    float[] sum;
    /** The length of {@link #sum}, kept as it changes: every candidate comparison needs it. */
    double norm;
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
  private final Map<Long, ArrayDeque<String>> vectorBuckets = new HashMap<>();
  private Hyperplanes hyperplanes;
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
    double bestScore = Double.NEGATIVE_INFINITY;
    List<String> matching = new ArrayList<>();
    Keys keys = keys(m);
    for (String candidate : candidates(m, keys)) {
      Cluster c = clusters.get(candidate);
      String article = c.article();
      boolean linked = m.kbArticleId() != null && article != null;
      boolean same = linked && m.kbArticleId().equals(article);
      Evidence e = evidence(m, c, thresholds.meaning().of(linked, same), thresholds.words().of(linked, same));
      if (e.margin() < 0) continue;
      // Joining two clusters needs stronger evidence than joining one: an agent answered both with this article.
      // Similarity alone would chain near questions ("disable" vs "import team member") into one.
      if (same) {
        matching.add(candidate);
      }
      double score = e.similarity() + (same ? 0.5 : 0);
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

  /** A mention's bucket keys: MinHash bands of its words, hyperplane keys of its vector (either may be empty). */
  private record Keys(long[] words, long[] vector) {}

  private Keys keys(Mention m) {
    long[] words = m.tokens().isEmpty() ? new long[0] : minHash.bandKeys(minHash.signature(m.tokens()));
    if (m.vector() == null) return new Keys(words, new long[0]);
    if (hyperplanes == null) hyperplanes = new Hyperplanes(m.vector().length, TABLES, BITS);
    return new Keys(words, hyperplanes.keys(m.vector()));
  }

  /** A person split these apart: never join them again on the evidence of one mention. */
  private boolean keptApart(String a, String b) {
    return apart.contains(a + " " + b) || apart.contains(b + " " + a);
  }

  /** Puts a mention back where the database says it belongs (rebuilding the index at start). */
  public void restore(Mention m, String clusterId) {
    add(m, clusterId, keys(m));
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
    if (a.sum != null) addTo(b, a.sum, 1);
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
      if (m.vector() != null && from.sum != null) addTo(from, m.vector(), -1);
      add(m, newId, keys(m));
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
   * The clusters worth comparing: those sharing the most LSH buckets with the mention (the more buckets, the likelier
   * a high similarity), at most {@link #CANDIDATES} by vector and as many by words, plus the latest clusters answered
   * with the same KB article.
   */
  private Set<String> candidates(Mention m, Keys keys) {
    Set<String> out = new LinkedHashSet<>();
    mostHit(vectorBuckets, keys.vector(), out);
    mostHit(buckets, keys.words(), out);
    if (m.kbArticleId() != null) {
      ArrayDeque<String> same = byArticle.get(m.kbArticleId());
      if (same != null) same.forEach(c -> {
        String id = resolve(c);
        if (clusters.containsKey(id)) out.add(id);
      });
    }
    return out;
  }

  private void mostHit(Map<Long, ArrayDeque<String>> index, long[] keys, Set<String> out) {
    Map<String, Integer> hits = new HashMap<>();
    for (long key : keys) {
      ArrayDeque<String> bucket = index.get(key);
      if (bucket != null) bucket.forEach(c -> hits.merge(resolve(c), 1, Integer::sum));
    }
    hits.entrySet().stream().filter(e -> clusters.containsKey(e.getKey()))
      .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
      .limit(CANDIDATES).forEach(e -> out.add(e.getKey()));
  }

  private void add(Mention m, String clusterId, Keys keys) {
    String id = resolve(clusterId);
    Cluster c = clusters.computeIfAbsent(id, Cluster::new);
    c.size++;
    if (m.kbArticleId() != null) {
      c.countArticle(m.kbArticleId(), 1);
      remember(byArticle.computeIfAbsent(m.kbArticleId(), k -> new ArrayDeque<>()), id, ARTICLE_CAP);
    }
    if (m.vector() != null) addTo(c, m.vector(), 1);
    // Every answer refreshes its cluster in its vector buckets: recency there follows how often a question is asked,
    // so a busy cluster is not pushed out by one-off remarks.
    for (long key : keys.vector()) {
      remember(vectorBuckets.computeIfAbsent(key, k -> new ArrayDeque<>(2)), id, VECTOR_BUCKET_CAP);
    }
    if (m.tokens().isEmpty() && m.vector() == null) return;
    Rep rep = new Rep(m.id(), Set.copyOf(m.tokens()), m.vector() != null);
    if (c.reps.size() < REPRESENTATIVES) {
      c.reps.add(rep);
    } else if (closestWords(m.tokens(), c) < DIVERSE_BELOW) {
      // Keep the founders; rotate the other slots so the cluster keeps up with new ways of asking.
      c.reps.set(c.nextSlot, rep);
      c.nextSlot = c.nextSlot + 1 >= REPRESENTATIVES ? FOUNDERS : c.nextSlot + 1;
    } else {
      return;
    }
    for (long key : keys.words()) {
      remember(buckets.computeIfAbsent(key, k -> new ArrayDeque<>(2)), id, BUCKET_CAP);
    }
  }

  private static void addTo(Cluster c, float[] v, int sign) {
    if (c.sum == null) c.sum = new float[v.length];
    for (int i = 0; i < v.length; i++) c.sum[i] += sign * v[i];
    c.norm = Math.sqrt(dot(c.sum, c.sum));
  }

  private static double closestWords(Set<String> tokens, Cluster c) {
    double closest = 0;
    for (Rep r : c.reps) closest = Math.max(closest, jaccard(tokens, r.tokens()));
    return closest;
  }

  /** Most recent first, bounded: a bucket that everyone falls into must not make every insert slow. */
  private static void remember(ArrayDeque<String> list, String id, int cap) {
    if (id.equals(list.peekFirst())) return;
    list.remove(id);
    list.addFirst(id);
    if (list.size() > cap) list.removeLast();
  }

  /**
   * How alike the mention and the cluster are, and how far above its bar (negative: below it). With a vector it is compared with the
   * cluster's centre, the direction of its members' vectors, against {@code meaningBar}: on the labelled set that
   * scores as well as the best of its representatives or both (mean ARI 0.197, 0.192 and 0.196 on the calibrate split), without
   * chaining through one odd member, and costs one product instead of twelve. Without a vector, or against
   * representatives that had none, it is compared by words against {@code wordsBar}.
   */
  private static Evidence evidence(Mention m, Cluster c, double meaningBar, double wordsBar) {
    double meaning = m.vector() != null && c.norm > 0 ? dot(m.vector(), c.sum) / c.norm : Double.NEGATIVE_INFINITY;
    double words = Double.NEGATIVE_INFINITY;
    for (Rep r : c.reps) {
      if (m.vector() == null || !r.hasVector()) words = Math.max(words, jaccard(m.tokens(), r.tokens()));
    }
    // Cosines and word overlaps are not on one scale: the evidence that counts is the one further above its bar.
    return meaning - meaningBar >= words - wordsBar ? new Evidence(meaning, meaning - meaningBar) : new Evidence(words, words - wordsBar);
  }

  /** The similarity that decided, and how far above its bar it is. */
  private record Evidence(double similarity, double margin) {}


  /** The cosine of two unit vectors; four sums so the JIT can keep several multiplications in flight. */
  static double dot(float[] a, float[] b) {
    if (a.length != b.length) throw new IllegalArgumentException("vectors of different models: " + a.length + " and " + b.length);
    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
    int i = 0;
    for (int n = a.length - 3; i < n; i += 4) {
      s0 += a[i] * b[i];
      s1 += a[i + 1] * b[i + 1];
      s2 += a[i + 2] * b[i + 2];
      s3 += a[i + 3] * b[i + 3];
    }
    for (; i < a.length; i++) s0 += a[i] * b[i];
    return s0 + s1 + s2 + s3;
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
