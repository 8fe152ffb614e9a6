package io.careloop.blog;

import io.careloop.outbox.PostState;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A support blog post drafted from a frequent-question cluster, and its proactive tweet once one was asked for.
 *
 * @param slug     fixed at first publication, never changed after (null while a draft)
 * @param quotes   the customers quoted, as stored ({@code text}, {@code by}, and when public {@code handle}, {@code tweetId})
 * @param revision counts edits, from 1
 */
public record BlogPost(String id, String clusterId, String slug, String title, String question, String body, String kbArticleId,
                       List<Object> tags, boolean anonymise, List<Map<String, Object>> quotes, Status status, int views,
                       int revision, String author, Instant createdAt, Instant updatedAt, Instant publishedAt, Tweet tweet) {

  public enum Status {
    DRAFT, PUBLISHED, UNPUBLISHED;

    public String stored() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Status of(String stored) {
      return stored == null ? null : valueOf(stored.toUpperCase(Locale.ROOT));
    }
  }

  /** The proactive tweet announcing the post: an outbox entry kept in the post's {@code tweet} field. */
  public record Tweet(String text, String link, PostState state, int attempts, String xTweetId, String error, Instant postedAt,
                      String author) {}
}
