package io.careloop.listening;

import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Instant;
import java.util.List;

/** Listening sources, their {@code since_id} checkpoints and their health. */
public final class MongoSourceRepository {
  public static final String SOURCES = "sources";
  private final MongoClient mongo;

  public MongoSourceRepository(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** Creates the source unless it exists; an existing source keeps its checkpoint and health. */
  public Future<Void> ensure(Source source) {
    JsonObject doc = new JsonObject()
      .put("_id", source.id()).put("kind", source.kind().name()).put("brand", source.brand())
      .put("userId", source.userId()).put("query", source.query()).put("paused", false)
      .put("sinceId", (Object) null).put("sinceIdValue", (Object) null)
      .put("health", new JsonObject().put("requests", 0).put("postsRead", 0).put("consecutiveFailures", 0));
    return mongo.updateCollectionWithOptions(SOURCES, new JsonObject().put("_id", source.id()),
      new JsonObject().put("$setOnInsert", doc), new UpdateOptions().setUpsert(true)).mapEmpty();
  }

  /** Pauses or resumes; completes with the stored source, or null when there is none. */
  public Future<JsonObject> setPaused(String id, boolean paused) {
    return mongo.findOneAndUpdateWithOptions(SOURCES, new JsonObject().put("_id", id),
      new JsonObject().put("$set", new JsonObject().put("paused", paused)), new io.vertx.ext.mongo.FindOptions(),
      new UpdateOptions().setReturningNewDocument(true));
  }

  public Future<List<JsonObject>> all() {
    return mongo.findWithOptions(SOURCES, new JsonObject(), new FindOptions().setSort(new JsonObject().put("_id", 1)));
  }

  public Future<JsonObject> get(String id) {
    return mongo.findOne(SOURCES, new JsonObject().put("_id", id), null);
  }

  /**
   * Makes the source remember a node's new lease token: from now on a checkpoint written under an older token is
   * refused, so a node that lost the lease (frozen, cut off) cannot write after its successor started.
   */
  public Future<Void> fence(String id, long token) {
    return mongo.updateCollection(SOURCES, new JsonObject().put("_id", id),
      new JsonObject().put("$max", new JsonObject().put("fence", token))).mapEmpty();
  }

  /** A checkpoint write refused because another node has polled the source under a newer lease token since. */
  public static final class Fenced extends RuntimeException {
    public final long token;
    public final long newer;

    Fenced(String id, long token, long newer) {
      super("checkpoint of " + id + " refused: written under lease token " + token + ", but token " + newer + " has taken over", null, false, false);
      this.token = token;
      this.newer = newer;
    }
  }

  /**
   * Moves the checkpoint forward to {@code newestId} under lease token {@code token}; never backwards, so a late or
   * repeated save cannot make the next poll skip posts or the checkpoint regress; and never under a superseded token
   * (fails with {@link Fenced}).
   */
  public Future<Void> advanceCheckpoint(String id, String newestId, long token) {
    long value = Long.parseLong(newestId);
    JsonObject query = new JsonObject().put("_id", id).put("fence", token).put("$or", new JsonArray()
      .add(new JsonObject().put("sinceIdValue", (Object) null))
      .add(new JsonObject().put("sinceIdValue", new JsonObject().put("$lt", value))));
    return mongo.updateCollection(SOURCES, query, new JsonObject().put("$set",
      new JsonObject().put("sinceId", newestId).put("sinceIdValue", value))).compose(r -> {
        if (r.getDocMatched() > 0) return Future.succeededFuture();
        // Not moved: either it is already at or past this post (fine), or a newer lease holder fenced us out.
        return get(id).compose(doc -> {
          long fence = doc == null ? Long.MIN_VALUE : doc.getLong("fence", Long.MIN_VALUE);
          return fence > token ? Future.failedFuture(new Fenced(id, token, fence)) : Future.<Void>succeededFuture();
        });
      });
  }

  public Future<Void> recordSuccess(String id, Instant at, int requests, int postsRead, Instant newestPostAt, Instant nextPollAt) {
    JsonObject set = new JsonObject()
      .put("health.lastPollAt", Dates.bson(at)).put("health.lastSuccessAt", Dates.bson(at))
      .put("health.consecutiveFailures", 0).put("health.capReached", false).put("health.nextPollAt", Dates.bson(nextPollAt))
      .put("health.month", monthOf(at));
    if (newestPostAt != null) set.put("health.newestPostAt", Dates.bson(newestPostAt));
    return mongo.updateCollection(SOURCES, new JsonObject().put("_id", id), new JsonObject()
      .put("$set", set)
      .put("$inc", new JsonObject().put("health.requests", requests).put("health.postsRead", postsRead)
        .put("health.reads." + monthOf(at), postsRead))).mapEmpty();
  }

  public Future<Void> recordFailure(String id, Instant at, int requests, int postsRead, String error, int consecutiveFailures, Instant nextPollAt) {
    return mongo.updateCollection(SOURCES, new JsonObject().put("_id", id), new JsonObject()
      .put("$set", new JsonObject()
        .put("health.lastPollAt", Dates.bson(at)).put("health.lastErrorAt", Dates.bson(at))
        .put("health.lastError", error).put("health.consecutiveFailures", consecutiveFailures)
        .put("health.nextPollAt", Dates.bson(nextPollAt)))
      .put("$inc", new JsonObject().put("health.requests", requests).put("health.postsRead", postsRead)
        .put("health.reads." + monthOf(at), postsRead))).mapEmpty();
  }

  /** Polling holds back because the month's read cap is reached: shown as the source's current error, no failure count. */
  public Future<Void> recordCapReached(String id, Instant at, int requests, int postsRead, String why, Instant nextPollAt) {
    return mongo.updateCollection(SOURCES, new JsonObject().put("_id", id), new JsonObject()
      .put("$set", new JsonObject()
        .put("health.lastPollAt", Dates.bson(at)).put("health.lastError", why).put("health.lastErrorAt", Dates.bson(at))
        .put("health.capReached", true).put("health.nextPollAt", Dates.bson(nextPollAt)))
      .put("$inc", new JsonObject().put("health.requests", requests).put("health.postsRead", postsRead)
        .put("health.reads." + monthOf(at), postsRead))).mapEmpty();
  }

  static String monthOf(Instant at) {
    return at.toString().substring(0, 7);
  }
}
