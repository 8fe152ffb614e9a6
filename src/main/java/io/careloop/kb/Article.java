package io.careloop.kb;

import java.time.Instant;
import java.util.List;

/**
 * A knowledge-base article, written from the template: the title, the question as customers ask it, the answer as
 * steps, the product and tags, and whether it is published.
 */
public record Article(String id, String slug, String title, String question, List<String> steps, String product,
                      List<String> tags, String status, String owner, Instant updatedAt, int revision) {

  public boolean published() { return "published".equals(status); }

  /** Everything a search should see, for the body field. */
  public String body() { return String.join("\n", steps); }
}
