package io.careloop.cycle;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;

/** A {@link Cluster} as the review's API shows it (the JSON edge of the cycle feature). */
final class ClusterViews {
  private ClusterViews() {}

  /** Counts over the window and the one before it, the question, examples, the answer; promotion suggested at {@code suggestAt} KB links. */
  static JsonObject review(Cluster c, int days, Instant now, int suggestAt) {
    int asked = CycleMath.askedBetween(c.days(), now.minus(Duration.ofDays(days)), now);
    int before = CycleMath.askedBetween(c.days(), now.minus(Duration.ofDays(2L * days)), now.minus(Duration.ofDays(days)));
    JsonArray examples = new JsonArray();
    c.examples().forEach(e -> examples.add(MongoClusterRepository.json(e)));
    return new JsonObject().put("id", c.id()).put("status", c.status().wire()).put("size", c.size())
      .put("asked", asked).put("askedBefore", before).put("trend", CycleMath.trend(asked, before).wire())
      .put("question", CycleMath.representative(c.examples().stream().map(Cluster.Example::text).toList())).put("examples", examples)
      .put("answer", c.answer()).put("kbArticleId", c.dominantArticle()).put("kbLinked", c.kbLinked())
      .put("suggested", c.status() == Cluster.Status.OPEN && c.kbLinked() >= suggestAt)
      .put("postId", c.postId()).put("mergedInto", c.mergedInto())
      .put("perDay", new JsonObject(new java.util.LinkedHashMap<>(c.days())));
  }
}
