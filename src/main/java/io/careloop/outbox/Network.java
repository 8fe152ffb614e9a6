package io.careloop.outbox;

import io.vertx.core.Future;

import java.util.Optional;

/**
 * How the outbox reaches one network for one entry (X today; Bluesky or Mastodon later): post the text, or look
 * for a post an earlier attempt may have made. The target (the post replied to, the account posting) is the
 * owner's business and is bound when the owner builds the network for its entry.
 */
public interface Network {

  /** Posts {@code text}; completes with the network's post. */
  Future<Posted> post(String text);

  /** The post with {@code text} that an earlier attempt may have made, if the network has it. */
  Future<Optional<Posted>> find(String text);

  /** What a failed attempt is recorded as (the entry's {@code error}, shown to the agent). */
  default String describe(Throwable failure) {
    return "could not post: " + failure.getMessage();
  }
}
