package io.careloop.cycle;

import io.careloop.audit.AuditLog;
import io.careloop.config.Settings;
import io.careloop.errors.NotFound;
import io.careloop.errors.Conflict;
import io.careloop.errors.Invalid;
import io.careloop.errors.CareLoopException;
import io.careloop.errors.Unavailable;
import io.careloop.store.Collections;
import io.careloop.store.CountedRollup;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.careloop.store.InOrder;
import io.careloop.store.MongoErrors;
import io.careloop.scaleout.LeaseKeeper;
import io.careloop.scaleout.Leases;
import io.careloop.store.Paged;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Frequent-question clusters, kept up to date as replies are posted. Each answered case becomes a member
 * ({@code cluster_members}, id = case id) assigned by {@link ClusterIndex}; each cluster document carries running
 * counts (per day, per KB article) so the review ranks clusters over any window without touching the members.
 *
 * <p>The database is the truth: the in-memory index is rebuilt from the members at start, and answers that a crash
 * left unclustered (reply posted, member missing or its counts not yet added) are caught up then. Assignments are
 * serialised, so two replies posted at once cannot found two clusters for one question.
 *
 * <p>With several nodes, one of them keeps the index: the holder of the {@code question-clusters} lease. Every change
 * to the clusters (an answer to place, a merge, a split) is sent to it over the event bus and done there in order; a
 * node that takes the lease over rebuilds the index from the database first. An answer whose message is lost is
 * placed by the holder's next catch-up (every 30 s), since the posted reply is the record of it.
 */
public final class ClusterService {
  private static final Logger log = LoggerFactory.getLogger(ClusterService.class);
  public static final String CLUSTERS = "clusters";
  public static final String MEMBERS = "cluster_members";
  private static final int EXAMPLES = 5;

  private final MongoClient mongo;
  private final CountedRollup counted;
  private final Database database;
  private final AuditLog audit;
  private final Clock clock;
  private final Settings.CycleSettings settings;
  /** Requests to the node keeping the index: {@code {"op": "answered"|"merge"|"split", ...}}. */
  public static final String WORK = "careloop.clusters.work";
  /** Failure codes of a {@link #WORK} reply (not HTTP statuses): refused as asked (the body says why), or try again. */
  static final int REFUSED = 1, NOT_KEEPING = 2, FAILED = 3;
  static final String LEASE = "question-clusters";
  private static final Duration CATCH_UP_EVERY = Duration.ofSeconds(30);

  private ClusterIndex index;
  private final InOrder inOrder = new InOrder();
  private final Vertx vertx;
  private final LeaseKeeper keeper;
  private MessageConsumer<JsonObject> worker;
  private long lastCatchUp;

  public ClusterService(Vertx vertx, Database database, AuditLog audit, Clock clock, Settings.CycleSettings settings, Leases leases) {
    this.vertx = vertx;
    this.keeper = new LeaseKeeper(vertx, leases, LEASE, Duration.ofSeconds(2), "Question clusters", keeping());
    this.mongo = database.mongo();
    this.counted = new CountedRollup(mongo, MEMBERS, "clusterId");
    this.database = database;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
  }

  /** Start-up: keeps the index if this node gets the lease, and from then on looks every two seconds whether it should. */
  public Future<Void> start() {
    keeper.start();
    return keeper.check();
  }

  public void stop() {
    keeper.stop();
    if (worker != null) worker.unregister();
  }

  /** Keeping the index: taken over (rebuilt from the database), kept (a catch-up now and then), or let go. */
  private LeaseKeeper.Duty keeping() {
    return new LeaseKeeper.Duty() {
      @Override public Future<?> took(long token) {
        lastCatchUp = clock.millis();
        return inOrder.run(ClusterService.this::restore).compose(n -> {
          if (worker == null) worker = vertx.eventBus().consumer(WORK, ClusterService.this::work);
          return worker.completion();
        });
      }

      @Override public Future<?> kept(long token) {
        // Alone, an answer's message cannot be lost short of a crash, which the start's catch-up covers.
        if (!vertx.isClustered() || clock.millis() - lastCatchUp < CATCH_UP_EVERY.toMillis()) return Future.succeededFuture();
        lastCatchUp = clock.millis();
        return inOrder.run(ClusterService.this::catchUp);
      }

      @Override public void lost() {
        log.info("Another node keeps the question clusters now");
        index = null;
        if (worker != null) worker.unregister();
        worker = null;
      }
    };
  }

  /** The index from the stored members, then whatever a crash (or a node's death) left half done. */
  private Future<Integer> restore() {
    index = new ClusterIndex(new ClusterIndex.Thresholds(settings.textSimilarity(), settings.sameArticleSimilarity(),
      settings.otherArticleSimilarity()));
    // Member ids are case ids ("c" + the mention's snowflake id), so _id order is roughly the order they were asked.
    return Paged.forEach(mongo, MEMBERS, new JsonObject(), new JsonObject().put("clusterId", 1).put("tokens", 1).put("kbArticleId", 1),
        new JsonObject().put("_id", 1), m -> index.restore(mention(m), m.getString("clusterId")))
      .compose(n -> mongo.find(CLUSTERS, new JsonObject().put("apartFrom", new JsonObject().put("$exists", true))))
      .compose(split -> {
        split.forEach(c -> c.getJsonArray("apartFrom").forEach(o -> index.keepApart(c.getString("_id"), String.valueOf(o))));
        return catchUp();
      });
  }

  /** Does a change sent to the node keeping the index; refuses when this node no longer keeps it (the sender retries). */
  private void work(Message<JsonObject> m) {
    if (!keeper.holding()) {
      m.fail(NOT_KEEPING, new JsonObject().put("error", "not-keeping-clusters").put("message", "this node no longer keeps the question clusters").encode());
      return;
    }
    JsonObject b = m.body();
    Future<?> done = switch (b.getString("op")) {
      case "answered" -> inOrder.run(() -> cluster(b.getString("replyId")));
      case "merge" -> mergeHere(b.getString("from"), b.getString("into"), b.getString("by"));
      case "split" -> splitHere(b.getString("id"), b.getJsonArray("caseIds").stream().map(String::valueOf).toList(), b.getString("by"));
      default -> Future.failedFuture(new Invalid("unknown-op", "unknown clusters operation"));
    };
    done.onSuccess(m::reply).onFailure(e -> {
      if (e instanceof CareLoopException refusal) {
        m.fail(REFUSED, new JsonObject().put("kind", refusal.kind()).put("error", refusal.code()).put("message", refusal.getMessage())
          .put("details", new JsonObject(new HashMap<>(refusal.details()))).encode());
        return;
      }
      // The cause stays here, in this node's log; the sender learns only that it may try again.
      log.warn("Question clusters: {} not done", b.getString("op"), e);
      JsonObject body = MongoErrors.isUnavailable(e)
        ? new JsonObject().put("error", "database-unavailable").put("message", "the database cannot be reached; nothing was changed, try again shortly")
        : new JsonObject().put("error", "clusters-unavailable").put("message", "the question clusters could not be changed; try again shortly");
      m.fail(FAILED, body.encode());
    });
  }

  /** Sends a change to the node keeping the index; while it changes hands (a few seconds), tries again. */
  private <T> Future<T> toKeeper(JsonObject request, int triesLeft) {
    return vertx.eventBus().<T>request(WORK, request, new DeliveryOptions().setSendTimeout(10_000)).map(Message::body).recover(e -> {
      boolean handover = !(e instanceof ReplyException re) || re.failureType() != ReplyFailure.RECIPIENT_FAILURE || re.failureCode() != REFUSED;
      if (handover && triesLeft > 1) {
        Promise<T> later = Promise.promise();
        vertx.setTimer(1_000, t -> this.<T>toKeeper(request, triesLeft - 1).onComplete(later));
        return later.future();
      }
      if (e instanceof ReplyException re && re.failureType() == ReplyFailure.RECIPIENT_FAILURE) {
        JsonObject body = new JsonObject(re.getMessage());
        if (re.failureCode() == REFUSED) {
          return Future.failedFuture(CareLoopException.of(body.getString("kind"), body.getString("error"), body.getString("message"),
            body.getJsonObject("details", new JsonObject()).getMap()));
        }
        return Future.failedFuture(new Unavailable(body.getString("error"), body.getString("message"), null, e));
      }
      return Future.failedFuture(new Unavailable("clusters-unavailable", "no node keeps the question clusters right now; try again shortly", null, e));
    });
  }

  /** A reply was confirmed by X: its case joins (or founds) the cluster of its question (on the node keeping them). */
  public Future<Void> answered(String replyId) {
    return this.<Object>toKeeper(new JsonObject().put("op", "answered").put("replyId", replyId), 3).mapEmpty();
  }


  private Future<Integer> catchUp() {
    JsonObject unclustered = new JsonObject().put("state", "posted").put("clustered", new JsonObject().put("$ne", true));
    return counted.repair(this::recount)
      .compose(v -> mongo.find(Collections.REPLIES, unclustered))
      .compose(replies -> {
        Future<Integer> chain = Future.succeededFuture(0);
        for (JsonObject r : replies) chain = chain.compose(n -> cluster(r.getString("_id")).map(x -> n + 1));
        return chain;
      })
      .onSuccess(n -> { if (n > 0) log.info("Clustered {} answers that were not yet", n); });
  }

  private Future<Void> cluster(String replyId) {
    return mongo.findOne(Collections.REPLIES, new JsonObject().put("_id", replyId), null).compose(reply -> {
      if (reply == null || !"posted".equals(reply.getString("state"))) return Future.succeededFuture();
      String caseId = reply.getString("caseId");
      return mongo.findOne(MEMBERS, new JsonObject().put("_id", caseId), null).compose(existing -> {
        if (existing != null) return Future.succeededFuture();
        return mongo.findOne(Collections.CASES, new JsonObject().put("_id", caseId), null).compose(c -> {
          if (c == null) return Future.succeededFuture();
          return join(c, reply);
        });
      }).compose(v -> mongo.updateCollection(Collections.REPLIES, new JsonObject().put("_id", replyId),
        new JsonObject().put("$set", new JsonObject().put("clustered", true)))).mapEmpty();
    });
  }

  private Future<Void> join(JsonObject caseDoc, JsonObject reply) {
    JsonObject customer = caseDoc.getJsonObject("customer", new JsonObject());
    String text = caseDoc.getString("text", "");
    Set<String> tokens = QuestionText.tokens(text);
    String kb = reply.getString("kbArticleId");
    ClusterIndex.Assignment a = index.assign(new ClusterIndex.Mention(caseDoc.getString("_id"), tokens, kb));
    Instant askedAt = Dates.instant(caseDoc.getValue("createdAt"));
    JsonObject member = new JsonObject().put("_id", caseDoc.getString("_id")).put("clusterId", a.clusterId())
      .put("tweetId", caseDoc.getString("tweetId")).put("text", text).put("tokens", new JsonArray(List.copyOf(tokens)))
      .put("handle", customer.getString("handle")).put("name", customer.getString("name"))
      .put("protected", customer.getBoolean("protected", false))
      .put("kbArticleId", kb).put("answer", reply.getString("text")).put("replyId", reply.getString("_id"))
      .put("askedAt", caseDoc.getValue("createdAt")).put("answeredAt", reply.getValue("postedAt", Dates.bson(clock.instant())));
    // Member first, then the cluster's counts ({@link CountedRollup}: a crash in between is repaired at start by
    // recounting that cluster from its members).
    return counted.add(member, () -> count(a.clusterId(), member, askedAt).compose(v -> absorb(a.absorbed(), a.clusterId(), "auto")))
      .compose(v -> database.durable());
  }

  private Future<Void> count(String clusterId, JsonObject member, Instant askedAt) {
    JsonObject inc = new JsonObject().put("size", 1).put("days." + day(askedAt), 1);
    if (member.getString("kbArticleId") != null) inc.put("kbLinked", 1).put("articles." + member.getString("kbArticleId"), 1);
    JsonObject update = new JsonObject()
      .put("$setOnInsert", new JsonObject().put("status", "open").put("createdAt", Dates.bson(clock.instant())))
      .put("$inc", inc)
      .put("$push", new JsonObject().put("examples", new JsonObject().put("$each", new JsonArray().add(example(member))).put("$slice", -EXAMPLES)))
      .put("$set", new JsonObject().put("answer", member.getString("answer")).put("updatedAt", Dates.bson(clock.instant()))
        .put("lastAskedAt", Dates.bson(askedAt)));
    return mongo.updateCollectionWithOptions(CLUSTERS, new JsonObject().put("_id", clusterId), update, new UpdateOptions().setUpsert(true)).mapEmpty();
  }

  /** Moves every member of {@code from} into {@code into} and recounts both from their members. */
  private Future<Void> absorb(List<String> from, String into, String by) {
    Future<Void> chain = Future.succeededFuture();
    for (String other : from) {
      chain = chain
        .compose(v -> mongo.updateCollectionWithOptions(MEMBERS, new JsonObject().put("clusterId", other),
          new JsonObject().put("$set", new JsonObject().put("clusterId", into)), new UpdateOptions().setMulti(true)))
        .compose(v -> mongo.updateCollection(CLUSTERS, new JsonObject().put("_id", other),
          new JsonObject().put("$set", new JsonObject().put("status", "merged").put("mergedInto", into).put("size", 0)
            .put("updatedAt", Dates.bson(clock.instant())))))
        .compose(v -> audit.record(by, "cluster.merged", other, null, new JsonObject().put("into", into)));
    }
    return from.isEmpty() ? chain : chain.compose(v -> recount(into));
  }

  /** Recomputes a cluster's counts and examples from its members: the repair for anything a crash or a merge left. */
  private Future<Void> recount(String clusterId) {
    return mongo.findWithOptions(MEMBERS, new JsonObject().put("clusterId", clusterId),
        new FindOptions().setSort(new JsonObject().put("answeredAt", 1)))
      .compose(members -> {
        JsonObject days = new JsonObject();
        JsonObject articles = new JsonObject();
        int kbLinked = 0;
        for (JsonObject m : members) {
          String d = day(Dates.instant(m.getValue("askedAt")));
          days.put(d, days.getInteger(d, 0) + 1);
          String kb = m.getString("kbArticleId");
          if (kb != null) {
            kbLinked++;
            articles.put(kb, articles.getInteger(kb, 0) + 1);
          }
        }
        JsonArray examples = new JsonArray();
        members.subList(Math.max(0, members.size() - EXAMPLES), members.size()).forEach(m -> examples.add(example(m)));
        JsonObject set = new JsonObject().put("size", members.size()).put("kbLinked", kbLinked).put("days", days)
          .put("articles", articles).put("examples", examples).put("updatedAt", Dates.bson(clock.instant()));
        if (!members.isEmpty()) {
          JsonObject last = members.get(members.size() - 1);
          set.put("answer", last.getString("answer")).put("lastAskedAt", last.getValue("askedAt"));
        }
        return mongo.updateCollectionWithOptions(CLUSTERS, new JsonObject().put("_id", clusterId),
          new JsonObject().put("$set", set).put("$setOnInsert", new JsonObject().put("status", "open").put("createdAt", Dates.bson(clock.instant()))),
          new UpdateOptions().setUpsert(true)).mapEmpty();
      });
  }

  /** Clusters ranked by how often their question was asked in the last {@code days}, busiest first. */
  public Future<List<JsonObject>> ranked(int days, int minSize) {
    JsonObject q = new JsonObject().put("status", new JsonObject().put("$in", new JsonArray().add("open").add("promoted")))
      .put("size", new JsonObject().put("$gte", minSize));
    Instant now = clock.instant();
    return mongo.find(CLUSTERS, q).map(list -> list.stream()
      .map(c -> view(c, days, now))
      .filter(v -> v.getInteger("asked") > 0)
      .sorted(Comparator.<JsonObject>comparingInt(v -> -v.getInteger("asked")).thenComparing(v -> -v.getInteger("size")).thenComparing(v -> v.getString("id")))
      .limit(100).toList());
  }

  public Future<JsonObject> get(String id) {
    return raw(id).map(c -> view(c, 30, clock.instant()));
  }

  /** The stored cluster, or 404. */
  public Future<JsonObject> raw(String id) {
    return mongo.findOne(CLUSTERS, new JsonObject().put("_id", id), null)
      .compose(c -> c == null ? Future.failedFuture(new NotFound("cluster " + id)) : Future.succeededFuture(c));
  }

  /** Its members, newest first (the examples a post may quote). */
  public Future<List<JsonObject>> members(String id, int limit) {
    return mongo.findWithOptions(MEMBERS, new JsonObject().put("clusterId", id),
      new FindOptions().setSort(new JsonObject().put("answeredAt", -1)).setLimit(limit));
  }

  public Future<JsonObject> merge(String from, String into, String by) {
    if (from.equals(into)) return Future.failedFuture(new Invalid("same-cluster", "a cluster cannot be merged into itself"));
    return toKeeper(new JsonObject().put("op", "merge").put("from", from).put("into", into).put("by", by), 5);
  }

  private Future<JsonObject> mergeHere(String from, String into, String by) {
    return inOrder.run(() -> open(from).compose(a -> open(into)).compose(b -> {
      index.merge(from, into);
      return absorb(List.of(from), into, by);
    }).compose(v -> database.durable()).compose(v -> get(into)));
  }

  /** Moves the named cases out into a new cluster; the two are never joined again automatically. */
  public Future<JsonObject> split(String id, List<String> caseIds, String by) {
    return toKeeper(new JsonObject().put("op", "split").put("id", id).put("caseIds", new JsonArray(caseIds)).put("by", by), 5);
  }

  private Future<JsonObject> splitHere(String id, List<String> caseIds, String by) {
    String newId = "q" + caseIds.get(0) + "-" + Long.toString(clock.millis(), 36);
    return inOrder.run(() -> open(id).compose(c -> mongo.find(MEMBERS, new JsonObject().put("clusterId", id)
        .put("_id", new JsonObject().put("$in", new JsonArray(caseIds))))).compose(moved -> {
      if (moved.size() != caseIds.size()) {
        return Future.failedFuture(new Invalid("not-in-cluster", "every case to split off must be in cluster " + id));
      }
      index.split(id, newId, moved.stream().map(ClusterService::mention).toList());
      return mongo.updateCollectionWithOptions(MEMBERS, new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(caseIds))),
          new JsonObject().put("$set", new JsonObject().put("clusterId", newId)), new UpdateOptions().setMulti(true))
        .compose(v -> recount(id)).compose(v -> recount(newId))
        .compose(v -> mongo.updateCollection(CLUSTERS, new JsonObject().put("_id", id), new JsonObject().put("$addToSet", new JsonObject().put("apartFrom", newId))))
        .compose(v -> mongo.updateCollection(CLUSTERS, new JsonObject().put("_id", newId), new JsonObject().put("$addToSet", new JsonObject().put("apartFrom", id))))
        .compose(v -> audit.record(by, "cluster.split", id, null, new JsonObject().put("newCluster", newId).put("cases", new JsonArray(caseIds))))
        .compose(v -> database.durable())
        .compose(v -> get(newId));
    }));
  }

  public Future<JsonObject> dismiss(String id, String by) {
    return open(id).compose(c -> mongo.updateCollection(CLUSTERS, new JsonObject().put("_id", id),
        new JsonObject().put("$set", new JsonObject().put("status", "dismissed").put("updatedAt", Dates.bson(clock.instant())))))
      .compose(v -> audit.record(by, "cluster.dismissed", id, null, null))
      .compose(v -> database.durable()).compose(v -> get(id));
  }

  /** Marks the cluster promoted to this blog post. */
  public Future<Void> promoted(String id, String postId) {
    return mongo.updateCollection(CLUSTERS, new JsonObject().put("_id", id),
      new JsonObject().put("$set", new JsonObject().put("status", "promoted").put("postId", postId).put("updatedAt", Dates.bson(clock.instant()))))
      .mapEmpty();
  }

  private Future<JsonObject> open(String id) {
    return raw(id).compose(c -> "merged".equals(c.getString("status"))
      ? Future.failedFuture(new Conflict("cluster-merged", "cluster " + id + " was merged into " + c.getString("mergedInto")))
      : Future.succeededFuture(c));
  }

  /** What the review shows: counts over the window and the one before it, the question, examples, the answer. */
  JsonObject view(JsonObject c, int days, Instant now) {
    JsonObject perDay = c.getJsonObject("days", new JsonObject());
    int asked = CycleMath.askedBetween(perDay, now.minus(Duration.ofDays(days)), now);
    int before = CycleMath.askedBetween(perDay, now.minus(Duration.ofDays(2L * days)), now.minus(Duration.ofDays(days)));
    JsonArray examples = c.getJsonArray("examples", new JsonArray());
    String kb = CycleMath.dominant(c.getJsonObject("articles", new JsonObject()));
    int kbLinked = c.getInteger("kbLinked", 0);
    return new JsonObject().put("id", c.getString("_id")).put("status", c.getString("status")).put("size", c.getInteger("size", 0))
      .put("asked", asked).put("askedBefore", before).put("trend", CycleMath.trend(asked, before))
      .put("question", CycleMath.representative(examples)).put("examples", examples)
      .put("answer", c.getString("answer")).put("kbArticleId", kb).put("kbLinked", kbLinked)
      .put("suggested", "open".equals(c.getString("status")) && kbLinked >= settings.suggestPromotionAt())
      .put("postId", c.getString("postId")).put("mergedInto", c.getString("mergedInto"))
      .put("perDay", perDay);
  }

  private static JsonObject example(JsonObject member) {
    return new JsonObject().put("caseId", member.getString("_id")).put("tweetId", member.getString("tweetId"))
      .put("text", member.getString("text")).put("handle", member.getString("handle"))
      .put("protected", member.getBoolean("protected", false))
      .put("askedAt", Dates.instant(member.getValue("askedAt")).toString());
  }

  static ClusterIndex.Mention mention(JsonObject member) {
    Set<String> tokens = new java.util.LinkedHashSet<>();
    member.getJsonArray("tokens", new JsonArray()).forEach(t -> tokens.add(String.valueOf(t)));
    return new ClusterIndex.Mention(member.getString("_id"), tokens, member.getString("kbArticleId"));
  }

  static String day(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC).toString();
  }

  public ClusterIndex index() { return index; }
}
