package io.careloop.queue;

import java.time.Instant;

/**
 * A post read from X, stored once by its id whatever became of it: queued into a case, or skipped as the brand's own
 * post or a retweet. {@code caseId} stays null until it is routed (a crash in between leaves it for the next read).
 * {@code avatarUrl} is the author's profile image as X gave it (only an allowed URL, else null) and {@code parent} the
 * post it replied to when X included it; mentions stored before these were kept have neither.
 */
public record Mention(String id, String sourceId, String authorId, String handle, String text, Instant createdAt,
                      String conversationId, String inReplyToId, Disposition disposition, String caseId, Instant receivedAt,
                      String avatarUrl, Case.Parent parent) {

  /** What intake did with the post. */
  public enum Disposition {
    QUEUED("queued"), OWN_POST("own-post"), RETWEET("retweet");

    private final String wire;

    Disposition(String wire) { this.wire = wire; }

    public String wire() { return wire; }
  }
}
