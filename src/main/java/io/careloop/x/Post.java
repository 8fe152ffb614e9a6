package io.careloop.x;

import java.time.Instant;

/**
 * One post as read from X, in the shape CareLoop needs whatever the API version.
 * {@code text} is exactly what the author wrote (X's HTML escaping undone), so it is hostile input.
 */
public record Post(
  String id,
  String authorId,
  String authorHandle,
  String authorName,
  long authorFollowers,
  String text,
  Instant createdAt,
  String conversationId,
  String inReplyToPostId,
  boolean retweet,
  boolean authorProtected) {

  /** Without the author's privacy (as posts of our own come back): treated as public. */
  public Post(String id, String authorId, String authorHandle, String authorName, long authorFollowers, String text,
              Instant createdAt, String conversationId, String inReplyToPostId, boolean retweet) {
    this(id, authorId, authorHandle, authorName, authorFollowers, text, createdAt, conversationId, inReplyToPostId, retweet, false);
  }
}
