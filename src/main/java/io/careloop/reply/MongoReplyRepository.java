package io.careloop.reply;

import io.careloop.outbox.PostState;
import io.careloop.outbox.Slot;
import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.Instant;
import java.util.List;

/** The replies collection, owned by the reply feature: documents to {@link Reply} and back in one place. */
public final class MongoReplyRepository {
  public static final String REPLIES = "replies";
  /** Each reply is its own outbox entry; its {@code updatedAt} follows every change of state. */
  static final Slot OUTBOX = Slot.document("reply", REPLIES, "updatedAt");

  private final MongoClient mongo;

  public MongoReplyRepository(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** The reply, or null. */
  public Future<Reply> find(String id) {
    return mongo.findOne(REPLIES, new JsonObject().put("_id", id), null).map(MongoReplyRepository::reply);
  }

  /** The reply if it is one of the case's, or null. */
  public Future<Reply> find(String caseId, String id) {
    return mongo.findOne(REPLIES, new JsonObject().put("_id", id).put("caseId", caseId), null).map(MongoReplyRepository::reply);
  }

  /** The case's replies, oldest first. */
  public Future<List<Reply>> forCase(String caseId) {
    return mongo.findWithOptions(REPLIES, new JsonObject().put("caseId", caseId),
      new FindOptions().setSort(new JsonObject().put("createdAt", 1))).map(list -> list.stream().map(MongoReplyRepository::reply).toList());
  }

  /** Replies posted since {@code since} that carried a knowledge-base link. */
  public Future<Long> countPostedWithArticleSince(Instant since) {
    return mongo.count(REPLIES, new JsonObject().put("state", PostState.POSTED.stored())
      .put("kbArticleId", new JsonObject().put("$ne", null)).put("postedAt", new JsonObject().put("$gte", Dates.bson(since))));
  }

  /** The replies that carried an article, oldest first. */
  public Future<List<Reply>> carrying(String articleId) {
    return mongo.findWithOptions(REPLIES, new JsonObject().put("kbArticleId", articleId),
      new FindOptions().setSort(new JsonObject().put("createdAt", 1))).map(list -> list.stream().map(MongoReplyRepository::reply).toList());
  }

  /** The ids of every posted reply. */
  public Future<List<String>> postedIds() {
    return mongo.findWithOptions(REPLIES, new JsonObject().put("state", PostState.POSTED.stored()),
      new FindOptions().setFields(new JsonObject().put("_id", 1))).map(list -> list.stream().map(r -> r.getString("_id")).toList());
  }

  /** By case (a case's replies) and by state (the outbox's recovery); the embedded server accepts and ignores them. */
  public Future<Void> createIndexes() {
    return createIndexes(mongo);
  }

  /** The same on any database CareLoop will run on (the import command prepares one with it). */
  public static Future<Void> createIndexes(MongoClient mongo) {
    return Future.all(List.of(
      mongo.createIndexWithOptions(REPLIES, new JsonObject().put("caseId", 1), new IndexOptions().name("case")),
      mongo.createIndexWithOptions(REPLIES, new JsonObject().put("state", 1), new IndexOptions().name("state")))).mapEmpty();
  }

  /** The fields a new reply's outbox entry is stored with (the outbox adds its state, attempts and claim). */
  static JsonObject intent(String caseId, String brand, String inReplyToTweetId, String text, String kbArticleId, String agent, Instant now) {
    return new JsonObject()
      .put("caseId", caseId).put("brand", brand).put("inReplyToTweetId", inReplyToTweetId)
      .put("text", text).put("kbArticleId", kbArticleId).put("agent", agent)
      .put("createdAt", Dates.bson(now)).put("updatedAt", Dates.bson(now));
  }

  static Reply reply(JsonObject r) {
    if (r == null) return null;
    return new Reply(r.getString("_id"), r.getString("caseId"), r.getString("brand"), r.getString("inReplyToTweetId"),
      r.getString("text"), r.getString("kbArticleId"), r.getString("agent"), PostState.of(r.getString("state")),
      r.getInteger("attempts", 0), r.getString("xTweetId"), r.getString("error"),
      Dates.instant(r.getValue("createdAt")), Dates.instant(r.getValue("postedAt")));
  }
}
