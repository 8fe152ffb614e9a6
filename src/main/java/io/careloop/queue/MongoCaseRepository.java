package io.careloop.queue;

import io.careloop.store.Collections;
import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Instant;
import java.util.List;

/**
 * Cases and the mentions behind them. Every write is a single-document atomic update (no transactions: the embedded
 * server has none), written so that doing it twice has the effect of doing it once.
 */
public final class MongoCaseRepository {
  private final MongoClient mongo;

  public MongoCaseRepository(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** Stores the mention if it is new; returns the stored document either way (with its caseId once routed). */
  public Future<JsonObject> storeMention(JsonObject mention) {
    return mongo.findOneAndUpdateWithOptions(Collections.MENTIONS,
      new JsonObject().put("_id", mention.getString("_id")),
      new JsonObject().put("$setOnInsert", mention),
      new io.vertx.ext.mongo.FindOptions(),
      new UpdateOptions().setUpsert(true).setReturningNewDocument(true));
  }

  public Future<Void> markMentionRouted(String tweetId, String caseId) {
    return mongo.updateCollection(Collections.MENTIONS, new JsonObject().put("_id", tweetId),
      new JsonObject().put("$set", new JsonObject().put("caseId", caseId))).mapEmpty();
  }

  /** The open case a follow-up belongs to: same conversation, or a reply to a post already in a case. */
  public Future<JsonObject> findOpenCase(String conversationId, String inReplyToId) {
    JsonArray or = new JsonArray();
    if (conversationId != null) or.add(new JsonObject().put("conversationId", conversationId));
    if (inReplyToId != null) or.add(new JsonObject().put("messages.tweetId", inReplyToId));
    if (or.isEmpty()) return Future.succeededFuture();
    JsonObject query = new JsonObject()
      .put("state", new JsonObject().put("$in", new JsonArray(CaseState.wire(CaseState.OPEN))))
      .put("$or", or);
    return mongo.findWithOptions(Collections.CASES, query, new FindOptions().setLimit(1).setSort(new JsonObject().put("createdAt", -1)))
      .map(list -> list.isEmpty() ? null : list.get(0));
  }

  /** Creates the case unless it exists (its id derives from the opening mention, so a retry finds the same case). */
  public Future<Void> createCase(JsonObject caseDoc) {
    return mongo.updateCollectionWithOptions(Collections.CASES,
      new JsonObject().put("_id", caseDoc.getString("_id")),
      new JsonObject().put("$setOnInsert", caseDoc),
      new UpdateOptions().setUpsert(true)).mapEmpty();
  }

  /** Appends a message unless a message with that post id is already there; extra fields are set in the same update. */
  public Future<Boolean> appendMessage(String caseId, JsonObject message, JsonObject alsoSet) {
    JsonObject query = new JsonObject().put("_id", caseId)
      .put("messages.tweetId", new JsonObject().put("$ne", message.getString("tweetId")));
    JsonObject update = new JsonObject().put("$push", new JsonObject().put("messages", message));
    if (alsoSet != null && !alsoSet.isEmpty()) update.put("$set", alsoSet);
    return mongo.updateCollection(Collections.CASES, query, update).map(r -> r.getDocModified() > 0);
  }

  public Future<JsonObject> get(String caseId) {
    return mongo.findOne(Collections.CASES, new JsonObject().put("_id", caseId), null);
  }

  /** One page of the queue in {@link QueueOrder}, after the cursor (the order key of the last case seen). */
  public Future<List<JsonObject>> page(JsonObject filter, int limit, String cursor) {
    JsonObject query = filter.copy();
    if (cursor != null) query.put("order", new JsonObject().put("$gt", cursor));
    return mongo.findWithOptions(Collections.CASES, query,
      new FindOptions().setSort(new JsonObject().put("order", 1)).setLimit(limit));
  }

  public Future<Long> count(JsonObject filter) {
    return mongo.count(Collections.CASES, filter);
  }

  /** The customer's other cases, newest first. */
  public Future<List<JsonObject>> byCustomer(String userId, String exceptCaseId, int limit) {
    JsonObject query = new JsonObject().put("customer.userId", userId).put("_id", new JsonObject().put("$ne", exceptCaseId));
    return mongo.findWithOptions(Collections.CASES, query, new FindOptions().setSort(new JsonObject().put("createdAt", -1)).setLimit(limit)
      .setFields(new JsonObject().put("text", 1).put("state", 1).put("createdAt", 1).put("priority", 1)));
  }

  /**
   * Atomically updates the case only if it still matches {@code precondition}; returns the new document, or null
   * when the precondition no longer held (another agent got there first).
   */
  public Future<JsonObject> updateIf(String caseId, JsonObject precondition, JsonObject update) {
    JsonObject query = precondition.copy().put("_id", caseId);
    return mongo.findOneAndUpdateWithOptions(Collections.CASES, query, update, new FindOptions(),
      new UpdateOptions().setReturningNewDocument(true));
  }

  public static JsonObject stateIn(List<CaseState> states) {
    return new JsonObject().put("state", new JsonObject().put("$in", new JsonArray(CaseState.wire(states))));
  }

  /** Claimable by {@code agent}: unheld, held by them, or held by someone whose claim expired. */
  public static JsonObject claimableBy(String agent, Instant now) {
    return stateIn(List.of(CaseState.NEW, CaseState.CLAIMED)).put("$or", new JsonArray()
      .add(new JsonObject().put("assignee", (Object) null))
      .add(new JsonObject().put("assignee", agent))
      .add(new JsonObject().put("claimExpiresAt", new JsonObject().put("$lt", Dates.bson(now)))));
  }
}
