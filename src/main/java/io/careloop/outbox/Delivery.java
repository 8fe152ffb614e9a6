package io.careloop.outbox;

import io.vertx.core.json.JsonObject;

/**
 * What one call to {@link Outbox#send} did, with the owner's document as it stands after it.
 *
 * @param posted the network's post when this attempt posted (or adopted) it, else null
 */
public record Delivery(Outcome outcome, JsonObject document, JsonObject entry, Posted posted) {

  public enum Outcome {
    /** This attempt posted, or found and adopted an earlier attempt's post: the owner's follow-ups are due. */
    POSTED,
    /** This attempt failed and its failure is recorded; asking again retries. */
    FAILED,
    /** Another sender holds the entry (it took this attempt first, or a later one): the outcome is theirs to record. */
    SUPERSEDED
  }
}
