package io.careloop.outbox;

import io.careloop.scaleout.PostingClaims;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.careloop.store.InOrder;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * Posting to a network at most once, for everything CareLoop posts (replies, proactive tweets). The intent is stored
 * durably before anything is sent. Each attempt is taken with one atomic update on the entry's state and attempt
 * count (so two senders, on one node or two, never send the same attempt), stamped with the sender's claim
 * ({@link PostingClaims}) and made durable before its request leaves: after a crash, a timeout or a lost answer we
 * know the network may have seen it, so a later attempt first looks for the post there and adopts it rather than
 * posting again. A failure is recorded only for the attempt that failed; a sender that hung past its claim leaves
 * the outcome to whoever took the entry over. Unfinished entries are finished at start and, once their sender's
 * claim ran out, by any node.
 *
 * <p>The entry's fields, under the slot's prefix: {@code state}, {@code attempts}, {@code text}, {@code node},
 * {@code claimUntil}, {@code lastAttemptAt}, {@code xTweetId}, {@code postedAt}, {@code error}.
 */
public final class Outbox {
  private static final Logger log = LoggerFactory.getLogger(Outbox.class);
  /** The network's id of the post. The name predates other networks; a second network gets slots of its own. */
  public static final String POST_ID = "xTweetId";

  private final MongoClient mongo;
  private final Database database;
  private final PostingClaims claims;
  private final Clock clock;

  public Outbox(Database database, PostingClaims claims, Clock clock) {
    this.mongo = database.mongo();
    this.database = database;
    this.claims = claims;
    this.clock = clock;
  }

  /**
   * Stores the intent once, durably: the owner's {@code fields} (at least {@code text}) as a pending entry with no
   * attempts, stamped with this node's claim. Completes with true when this call stored it, false when a simultaneous
   * request (or an earlier one) already had; then the stored entry is the answer, and nothing is posted twice.
   */
  public Future<Boolean> store(Slot slot, String id, JsonObject fields) {
    JsonObject entry = fields.copy().put("state", PostState.PENDING.stored()).put("attempts", 0).mergeIn(claims.stamp(""));
    Future<Boolean> stored;
    if (slot.field() == null) {
      // Upsert with $setOnInsert: two simultaneous requests store one intent; the loser finds the winner's.
      stored = mongo.updateCollectionWithOptions(slot.collection(), new JsonObject().put("_id", id),
          new JsonObject().put("$setOnInsert", entry.put("_id", id)), new UpdateOptions().setUpsert(true))
        .map(r -> r.getDocUpsertedId() != null);
    } else {
      stored = mongo.updateCollection(slot.collection(), new JsonObject().put("_id", id).put(slot.field(), new JsonObject().put("$exists", false)),
          new JsonObject().put("$set", new JsonObject().put(slot.field(), entry)))
        .map(r -> r.getDocModified() == 1);
    }
    return stored.compose(mine -> database.durable().map(mine));
  }

  /**
   * Takes the next attempt of entry {@code id}, as its sender last read it ({@code seen}, {@code seenAttempts}), and
   * posts through {@code network}: after an earlier attempt, only if the network does not have the post already.
   */
  public Future<Delivery> send(Slot slot, String id, PostState seen, int seenAttempts, Network network) {
    String p = slot.prefix();
    Instant now = clock.instant();
    JsonObject thisAttempt = new JsonObject().put("_id", id).put(p + "state", seen.stored()).put(p + "attempts", seenAttempts);
    JsonObject set = touch(slot, new JsonObject().put(p + "state", PostState.POSTING.stored()).put(p + "lastAttemptAt", Dates.bson(now)), now)
      .mergeIn(claims.stamp(p));
    return update(slot, thisAttempt, new JsonObject().put("$set", set).put("$inc", new JsonObject().put(p + "attempts", 1)))
      .compose(claimed -> {
        if (claimed == null) return superseded(slot, id);
        JsonObject entry = slot.entryOf(claimed);
        int attempt = entry.getInteger("attempts");
        // On disk before the request leaves: after a crash we know the network may have seen this attempt.
        return database.durable().compose(v -> attempt(slot, id, attempt, entry.getString("text"), network));
      });
  }

  /**
   * Finishes the slot's entries that were stored or under way when their sender stopped: at start this node's own
   * previous process's, and (at start and then periodically) those of any node whose claim ran out. {@code finish}
   * sends one (the owner maps its document and calls {@link #send}); one that cannot be finished now does not hold up
   * the others, and the next sweep takes it again. Completes with how many were tried.
   */
  public Future<Integer> recoverUnfinished(Slot slot, boolean atStart, Function<JsonObject, Future<?>> finish) {
    String p = slot.prefix();
    JsonObject query = claims.takeable(p, atStart)
      .put(p + "state", new JsonObject().put("$in", new JsonArray().add(PostState.PENDING.stored()).add(PostState.POSTING.stored())));
    return mongo.find(slot.collection(), query).compose(list -> InOrder.each(list, doc -> {
      String id = doc.getString("_id");
      log.info("Recovering {} {} (was {})", slot.what(), id, slot.entryOf(doc).getString("state"));
      return finish.apply(doc)
        .onFailure(e -> log.warn("The {} {} not recovered yet (the sweep tries again)", slot.what(), id, e))
        .transform(ar -> Future.succeededFuture());
    }).map(v -> list.size()));
  }

  /** The owner's document holding entry {@code id}, or null. */
  public Future<JsonObject> read(Slot slot, String id) {
    return mongo.findOne(slot.collection(), new JsonObject().put("_id", id), null);
  }

  private Future<Delivery> attempt(Slot slot, String id, int attempt, String text, Network network) {
    Future<Posted> posted;
    try {
      // An earlier attempt may have reached the network (crash, timeout, lost answer): look before posting again.
      posted = attempt > 1
        ? network.find(text).compose(found -> found.map(Future::succeededFuture).orElseGet(() -> network.post(text)))
        : network.post(text);
    } catch (RuntimeException e) {
      posted = Future.failedFuture(e);
    }
    return posted.compose(post -> posted(slot, id, post), failure -> failed(slot, id, attempt, network.describe(failure)));
  }

  private Future<Delivery> posted(Slot slot, String id, Posted post) {
    String p = slot.prefix();
    Instant now = clock.instant();
    Instant at = Optional.ofNullable(post.at()).orElse(now);
    JsonObject set = touch(slot, new JsonObject().put(p + "state", PostState.POSTED.stored()).put(p + POST_ID, post.id())
      .put(p + "postedAt", Dates.bson(at)).put(p + "error", (Object) null), now);
    // Whichever attempt's answer arrives, the post is on the network: recorded whoever holds the claim now.
    return update(slot, new JsonObject().put("_id", id), new JsonObject().put("$set", set))
      .compose(doc -> database.durable().map(v -> new Delivery(Delivery.Outcome.POSTED, doc, slot.entryOf(doc), new Posted(post.id(), at))));
  }

  private Future<Delivery> failed(Slot slot, String id, int attempt, String error) {
    log.warn("The {} {} failed: {}", slot.what(), id, error);
    String p = slot.prefix();
    Instant now = clock.instant();
    // Only this attempt's failure: if another node has since taken a later attempt (this one hung past its claim),
    // the outcome is that node's to record.
    JsonObject thisAttempt = new JsonObject().put("_id", id).put(p + "state", PostState.POSTING.stored()).put(p + "attempts", attempt);
    JsonObject set = touch(slot, new JsonObject().put(p + "state", PostState.FAILED.stored()).put(p + "error", error), now);
    return update(slot, thisAttempt, new JsonObject().put("$set", set)).compose(doc -> doc == null ? superseded(slot, id)
      : database.durable().map(v -> new Delivery(Delivery.Outcome.FAILED, doc, slot.entryOf(doc), null)));
  }

  private Future<Delivery> superseded(Slot slot, String id) {
    return read(slot, id).map(doc -> new Delivery(Delivery.Outcome.SUPERSEDED, doc, slot.entryOf(doc), null));
  }

  private static JsonObject touch(Slot slot, JsonObject set, Instant now) {
    return slot.touched() == null ? set : set.put(slot.touched(), Dates.bson(now));
  }

  /** Updates the document if it matches {@code query}; the new document, or null when it did not match. */
  private Future<JsonObject> update(Slot slot, JsonObject query, JsonObject update) {
    return mongo.findOneAndUpdateWithOptions(slot.collection(), query, update, new FindOptions(),
      new UpdateOptions().setReturningNewDocument(true));
  }
}
