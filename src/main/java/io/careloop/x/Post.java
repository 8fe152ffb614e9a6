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
  boolean authorProtected,
  String authorAvatarUrl,
  Parent parent) {

  /**
   * The post this one replies to, as X sent it beside the page ({@code includes.tweets}); null when X sent none.
   * Its text is hostile input like any post's.
   */
  public record Parent(String id, String text, String authorHandle, String authorName, Instant createdAt) {}

  /** Without avatar or parent (v1.1 search, our own posts). */
  public Post(String id, String authorId, String authorHandle, String authorName, long authorFollowers, String text,
              Instant createdAt, String conversationId, String inReplyToPostId, boolean retweet, boolean authorProtected) {
    this(id, authorId, authorHandle, authorName, authorFollowers, text, createdAt, conversationId, inReplyToPostId, retweet,
      authorProtected, null, null);
  }

  /** Without the author's privacy (as posts of our own come back): treated as public. */
  public Post(String id, String authorId, String authorHandle, String authorName, long authorFollowers, String text,
              Instant createdAt, String conversationId, String inReplyToPostId, boolean retweet) {
    this(id, authorId, authorHandle, authorName, authorFollowers, text, createdAt, conversationId, inReplyToPostId, retweet, false);
  }
}
