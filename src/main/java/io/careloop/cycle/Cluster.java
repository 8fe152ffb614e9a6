package io.careloop.cycle;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A frequent question: the answered cases that asked it, counted per day (UTC dates) and per KB article their answer
 * linked, with the latest few as examples. Plain Java; {@link MongoClusterRepository} maps it to and from its
 * document.
 *
 * @param days      askings per UTC date ({@code 2026-11-23} → 3)
 * @param articles  answers per KB article they linked
 * @param apartFrom clusters a person split this one from: never joined again automatically
 */
public record Cluster(String id, Status status, int size, int kbLinked, Map<String, Integer> days, Map<String, Integer> articles,
                      List<Example> examples, String answer, String postId, String mergedInto, List<String> apartFrom,
                      Instant lastAskedAt) {

  /** Where a cluster is in the review. */
  public enum Status {
    /** In the review, collecting answers. */
    OPEN("open"),
    /** Turned into a blog post; still collecting answers. */
    PROMOTED("promoted"),
    /** Its members moved into another cluster ({@link Cluster#mergedInto}); out of the review. */
    MERGED("merged"),
    /** Taken out of the review by a person; answers still join it. */
    DISMISSED("dismissed");

    private final String wire;

    Status(String wire) { this.wire = wire; }

    /** As stored and as the API shows it. */
    public String wire() { return wire; }

    public static Status fromWire(String s) {
      for (Status st : values()) if (st.wire.equals(s)) return st;
      throw new IllegalArgumentException("unknown cluster status: " + s);
    }

    /** Shown in the review's ranking. */
    public boolean reviewed() { return this == OPEN || this == PROMOTED; }
  }

  /** One asking shown with the cluster (the latest few): the customer's words and who asked. */
  public record Example(String caseId, String tweetId, String text, String handle, boolean isProtected, Instant askedAt) {}

  /** The KB article most answers linked, or null. */
  public String dominantArticle() { return CycleMath.dominant(articles); }
}
