package io.careloop.outbox;

import java.util.Locale;

/** Where a post in the outbox stands; {@link #stored()} is the name kept in the database and shown by the API. */
public enum PostState {
  /** The intent is stored; no attempt has left yet. */
  PENDING,
  /** An attempt was taken (and made durable) before its request left: the network may have seen it. */
  POSTING,
  /** The network confirmed the post. */
  POSTED,
  /** The last attempt failed; asking again retries. */
  FAILED;

  public String stored() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Null for a missing state; an unknown one is a bug in the data, not something to guess about. */
  public static PostState of(String stored) {
    return stored == null ? null : valueOf(stored.toUpperCase(Locale.ROOT));
  }

  /** Stored or under way: what recovery at start (or after a sender's claim ran out) finishes. */
  public boolean unfinished() {
    return this == PENDING || this == POSTING;
  }
}
