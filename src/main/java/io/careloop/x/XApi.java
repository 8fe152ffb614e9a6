package io.careloop.x;

import java.util.Optional;

/**
 * The X API as CareLoop uses it. Calls block (Twitter4J does HTTP on the calling thread): call them only through
 * {@link XService}, which keeps them off the event loop.
 */
public interface XApi {

  /** The most posts one page of mentions or search can hold: what a read reserves against the monthly cap. */
  int largestPage();

  /** Posts mentioning the user, newer than {@code sinceId} (null for the most recent), one page. */
  PostPage mentions(String userId, String sinceId, String pageToken) throws XFailure;

  /** Recent posts matching a keyword query, newer than {@code sinceId}, one page. */
  PostPage search(String query, String sinceId, String pageToken) throws XFailure;

  /** Posts {@code text} as the brand, in reply to {@code inReplyToPostId}. */
  Post reply(String inReplyToPostId, String text) throws XFailure;

  /** Posts {@code text} as the brand, on its own (a proactive tweet). */
  Post post(String text) throws XFailure;

  /** Finds a post of the brand's own (not a reply) with this text: confirms a proactive tweet of unknown outcome. */
  Optional<Post> findPost(String brandUserId, String text) throws XFailure;

  /**
   * Finds a reply the brand already posted to {@code inReplyToPostId} with this text: how a post whose outcome was
   * unknown (crash, timeout) is confirmed instead of being posted twice.
   */
  Optional<Post> findReply(String brandUserId, String inReplyToPostId, String text) throws XFailure;
}
