package io.careloop.scaleout;

import io.careloop.store.Dates;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;

/**
 * Who is sending an outgoing post (a reply, a proactive tweet) and until when. Whoever stores the intent or takes an
 * attempt stamps its node and a deadline; another node finishes the post only once that deadline has passed (its
 * sender died or hung), and a node at start finishes those of its own previous process at once. The attempt itself is
 * still taken with an atomic update, so two nodes never send the same attempt.
 */
public record PostingClaims(String nodeId, Duration hold, Clock clock) {

  /** Fields to {@code $set} (under {@code prefix}) when storing an intent or taking an attempt. */
  public JsonObject stamp(String prefix) {
    return new JsonObject().put(prefix + "node", nodeId).put(prefix + "claimUntil", Dates.bson(clock.instant().plus(hold)));
  }

  /**
   * The part of a query that selects unfinished posts this node may take over: those whose sender's deadline has
   * passed or that predate claims; at start also its own (the process that stored them is gone).
   */
  public JsonObject takeable(String prefix, boolean atStart) {
    JsonArray or = new JsonArray()
      .add(new JsonObject().put(prefix + "claimUntil", new JsonObject().put("$lte", Dates.bson(clock.instant()))))
      .add(new JsonObject().put(prefix + "claimUntil", new JsonObject().put("$exists", false)));
    if (atStart) or.add(new JsonObject().put(prefix + "node", nodeId));
    return new JsonObject().put("$or", or);
  }
}
