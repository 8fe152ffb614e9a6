package io.careloop.cycle;

import io.careloop.store.Bulk;
import io.careloop.store.CountedRollup;
import io.careloop.store.Dates;
import io.careloop.meaning.Vectors;
import io.careloop.store.Paged;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The collections the question clusters own, and the one place their documents become {@link Cluster}s:
 * {@code clusters} (running counts per cluster), {@code cluster_members} (one per answered case, id = case id; the
 * facts the counts sum, kept exactly once by {@link CountedRollup}) and {@code cluster_answers} (one per posted
 * reply already looked at, id = reply id: the catch-up's memory of what it has seen, which used to be a
 * {@code clustered} flag written into the replies).
 */
public final class MongoClusterRepository {
  public static final String CLUSTERS = "clusters";
  public static final String MEMBERS = "cluster_members";
  public static final String ANSWERS = "cluster_answers";
  static final int EXAMPLES = 5;
  /** A member's vector (2 KB) is for the index alone: counts and examples read the rest. */
  private static final JsonObject WITHOUT_VECTOR = new JsonObject().put("v", 0);

  private final MongoClient mongo;
  private final CountedRollup counted;

  public MongoClusterRepository(MongoClient mongo) {
    this.mongo = mongo;
    this.counted = new CountedRollup(mongo, MEMBERS, "clusterId");
  }

  // ---- clusters ----

  /** The cluster, or null. */
  public Future<Cluster> find(String id) {
    return mongo.findOne(CLUSTERS, new JsonObject().put("_id", id), null).map(d -> d == null ? null : cluster(d));
  }

  /** Clusters in the review (open or promoted) with at least this many members. */
  public Future<List<Cluster>> reviewed(int minSize) {
    JsonObject q = new JsonObject().put("status", new JsonObject().put("$in", new JsonArray()
        .add(Cluster.Status.OPEN.wire()).add(Cluster.Status.PROMOTED.wire())))
      .put("size", new JsonObject().put("$gte", minSize));
    return mongo.find(CLUSTERS, q).map(list -> list.stream().map(MongoClusterRepository::cluster).toList());
  }

  /** Clusters a person split from others (their {@code apartFrom}), for the index at start. */
  public Future<List<Cluster>> splitOnes() {
    return mongo.find(CLUSTERS, new JsonObject().put("apartFrom", new JsonObject().put("$exists", true)))
      .map(list -> list.stream().map(MongoClusterRepository::cluster).toList());
  }

  public Future<Void> setStatus(String id, Cluster.Status status, Instant now) {
    return mongo.updateCollection(CLUSTERS, new JsonObject().put("_id", id),
      new JsonObject().put("$set", new JsonObject().put("status", status.wire()).put("updatedAt", Dates.bson(now)))).mapEmpty();
  }

  public Future<Void> promoted(String id, String postId, Instant now) {
    return mongo.updateCollection(CLUSTERS, new JsonObject().put("_id", id), new JsonObject().put("$set", new JsonObject()
      .put("status", Cluster.Status.PROMOTED.wire()).put("postId", postId).put("updatedAt", Dates.bson(now)))).mapEmpty();
  }

  /** Two clusters a person split: never joined again automatically. */
  public Future<Void> keepApart(String a, String b) {
    return mongo.updateCollection(CLUSTERS, new JsonObject().put("_id", a), new JsonObject().put("$addToSet", new JsonObject().put("apartFrom", b)))
      .compose(v -> mongo.updateCollection(CLUSTERS, new JsonObject().put("_id", b), new JsonObject().put("$addToSet", new JsonObject().put("apartFrom", a))))
      .mapEmpty();
  }

  // ---- members ----

  /** A member as the index knows it, with its cluster and the post it asked in (whose vector it may lack). */
  public record StoredMember(ClusterIndex.Mention mention, String clusterId, String tweetId) {}

  /** Every stored member, in case-id order (roughly the order asked). */
  public Future<Long> forEachMember(Consumer<StoredMember> each) {
    JsonObject fields = new JsonObject().put("clusterId", 1).put("tokens", 1).put("kbArticleId", 1).put("tweetId", 1).put("v", 1);
    return Paged.forEach(mongo, MEMBERS, new JsonObject(), fields, new JsonObject().put("_id", 1),
      m -> each.accept(new StoredMember(mention(m), m.getString("clusterId"), m.getString("tweetId"))));
  }

  /** Stores the vectors of members that were placed before theirs was computed (by case id), so the next start reads them here. */
  public Future<Void> addVectors(Map<String, float[]> byCaseId) {
    if (byCaseId.isEmpty()) return Future.succeededFuture();
    List<BulkOperation> ops = new ArrayList<>();
    byCaseId.forEach((id, v) -> ops.add(BulkOperation.createUpdate(new JsonObject().put("_id", id),
      new JsonObject().put("$set", new JsonObject().put("v", Vectors.encode(v))))));
    return mongo.bulkWrite(MEMBERS, ops).mapEmpty();
  }

  public Future<Boolean> hasMember(String caseId) {
    return mongo.findOne(MEMBERS, new JsonObject().put("_id", caseId), new JsonObject().put("_id", 1)).map(m -> m != null);
  }

  /** A cluster's members, newest answer first (the examples a post may quote), as stored. */
  public Future<List<JsonObject>> members(String clusterId, int limit) {
    return members(clusterId, limit, false);
  }

  /** As {@link #members(String, int)}; with {@code withVectors}, each keeps its question's stored vector {@code v} (base64). */
  public Future<List<JsonObject>> members(String clusterId, int limit, boolean withVectors) {
    FindOptions options = new FindOptions().setSort(new JsonObject().put("answeredAt", -1)).setLimit(limit);
    if (!withVectors) options.setFields(WITHOUT_VECTOR);
    return mongo.findWithOptions(MEMBERS, new JsonObject().put("clusterId", clusterId), options);
  }

  /** The index's view of those of these cases that are members of the cluster. */
  public Future<List<ClusterIndex.Mention>> membersAmong(String clusterId, List<String> caseIds) {
    return mongo.find(MEMBERS, new JsonObject().put("clusterId", clusterId).put("_id", new JsonObject().put("$in", new JsonArray(caseIds))))
      .map(list -> list.stream().map(MongoClusterRepository::mention).toList());
  }

  /**
   * A new member, then its cluster's counts ({@code thenCount}), exactly once: a crash between the two is repaired
   * by {@link #repairHalfCounted}.
   */
  public Future<Void> addMember(JsonObject member, Supplier<Future<?>> thenCount) {
    return counted.add(member, thenCount);
  }

  /** Recounts every cluster a crash left with a member not yet counted. */
  public Future<Integer> repairHalfCounted(Instant now) {
    return counted.repair(clusterId -> recount(clusterId, now));
  }

  /** Adds one member to its cluster's counts and examples (the cluster is created open if it is new). */
  public Future<Void> count(String clusterId, JsonObject member, Instant askedAt, Instant now) {
    JsonObject inc = new JsonObject().put("size", 1).put("days." + day(askedAt), 1);
    if (member.getString("kbArticleId") != null) inc.put("kbLinked", 1).put("articles." + member.getString("kbArticleId"), 1);
    JsonObject update = new JsonObject()
      .put("$setOnInsert", new JsonObject().put("status", Cluster.Status.OPEN.wire()).put("createdAt", Dates.bson(now)))
      .put("$inc", inc)
      .put("$push", new JsonObject().put("examples", new JsonObject().put("$each", new JsonArray().add(exampleOf(member))).put("$slice", -EXAMPLES)))
      .put("$set", new JsonObject().put("answer", member.getString("answer")).put("updatedAt", Dates.bson(now))
        .put("lastAskedAt", Dates.bson(askedAt)));
    return mongo.updateCollectionWithOptions(CLUSTERS, new JsonObject().put("_id", clusterId), update, new UpdateOptions().setUpsert(true)).mapEmpty();
  }

  /** Moves every member of {@code from} into {@code into} and marks {@code from} merged (empty). */
  public Future<Void> moveAll(String from, String into, Instant now) {
    return mongo.updateCollectionWithOptions(MEMBERS, new JsonObject().put("clusterId", from),
        new JsonObject().put("$set", new JsonObject().put("clusterId", into)), new UpdateOptions().setMulti(true))
      .compose(v -> mongo.updateCollection(CLUSTERS, new JsonObject().put("_id", from),
        new JsonObject().put("$set", new JsonObject().put("status", Cluster.Status.MERGED.wire()).put("mergedInto", into).put("size", 0)
          .put("updatedAt", Dates.bson(now)))))
      .mapEmpty();
  }

  /** Moves the named cases into the cluster {@code to}. */
  public Future<Void> moveCases(List<String> caseIds, String to) {
    return mongo.updateCollectionWithOptions(MEMBERS, new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(caseIds))),
      new JsonObject().put("$set", new JsonObject().put("clusterId", to)), new UpdateOptions().setMulti(true)).mapEmpty();
  }

  /** Recomputes a cluster's counts and examples from its members: the repair for anything a crash or a merge left. */
  public Future<Void> recount(String clusterId, Instant now) {
    return mongo.findWithOptions(MEMBERS, new JsonObject().put("clusterId", clusterId),
        new FindOptions().setFields(WITHOUT_VECTOR).setSort(new JsonObject().put("answeredAt", 1)))
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
        members.subList(Math.max(0, members.size() - EXAMPLES), members.size()).forEach(m -> examples.add(exampleOf(m)));
        JsonObject set = new JsonObject().put("size", members.size()).put("kbLinked", kbLinked).put("days", days)
          .put("articles", articles).put("examples", examples).put("updatedAt", Dates.bson(now));
        if (!members.isEmpty()) {
          JsonObject last = members.get(members.size() - 1);
          set.put("answer", last.getString("answer")).put("lastAskedAt", last.getValue("askedAt"));
        }
        return mongo.updateCollectionWithOptions(CLUSTERS, new JsonObject().put("_id", clusterId),
          new JsonObject().put("$set", set).put("$setOnInsert", new JsonObject().put("status", Cluster.Status.OPEN.wire()).put("createdAt", Dates.bson(now))),
          new UpdateOptions().setUpsert(true)).mapEmpty();
      });
  }

  // ---- answers looked at ----

  /** This posted reply has been looked at (clustered, or nothing to cluster): the catch-up passes it by. */
  public Future<Void> answerSeen(String replyId, Instant now) {
    return mongo.updateCollectionWithOptions(ANSWERS, new JsonObject().put("_id", replyId),
      new JsonObject().put("$setOnInsert", new JsonObject().put("at", Dates.bson(now))), new UpdateOptions().setUpsert(true)).mapEmpty();
  }

  public Future<Set<String>> answersSeen() {
    Set<String> seen = new HashSet<>();
    return Paged.forEach(mongo, ANSWERS, new JsonObject(), new JsonObject().put("_id", 1), d -> seen.add(d.getString("_id"))).map(n -> seen);
  }

  /**
   * Before {@code cluster_answers} the replies carried a {@code clustered} flag. A database from then has members but
   * no answers seen: every member's reply is recorded as seen, so the first catch-up does not look at every answer
   * ever posted again (it would change nothing, members being unique per case, but would read them all). Replies
   * that were flagged without founding a member (a second reply on a case) are looked at once more, harmlessly.
   * Does nothing once any answer is recorded, so it runs at every start.
   */
  public Future<Integer> seedAnswersFromMembers(Instant now) {
    return mongo.findOne(ANSWERS, new JsonObject(), new JsonObject().put("_id", 1)).compose(any -> {
      if (any != null) return Future.succeededFuture(0);
      List<JsonObject> seen = new ArrayList<>();
      return Paged.forEach(mongo, MEMBERS, new JsonObject(), new JsonObject().put("replyId", 1), m -> {
          if (m.getString("replyId") != null) seen.add(new JsonObject().put("_id", m.getString("replyId")).put("at", Dates.bson(now)));
        })
        .compose(n -> seen.isEmpty() ? Future.succeededFuture(0) : Bulk.insertNew(mongo, ANSWERS, seen).map(b -> seen.size()));
    });
  }

  // ---- mapping ----

  /**
   * A member's document: the case as asked (with its question's vector {@code v}, when it had one), the answer that
   * placed it, and where it went.
   */
  static JsonObject member(String clusterId, io.careloop.queue.Case asked, Set<String> tokens, float[] vector, String kbArticleId, String answer,
                           String replyId, Instant answeredAt) {
    var customer = asked.customer();
    JsonObject member = new JsonObject().put("_id", asked.id()).put("clusterId", clusterId);
    if (vector != null) member.put("v", Vectors.encode(vector));
    return member
      .put("tweetId", asked.tweetId()).put("text", asked.text() == null ? "" : asked.text()).put("tokens", new JsonArray(List.copyOf(tokens)))
      .put("handle", customer.handle()).put("name", customer.name())
      .put("protected", customer.isProtected())
      .put("kbArticleId", kbArticleId).put("answer", answer).put("replyId", replyId)
      .put("askedAt", asked.createdAt() == null ? null : Dates.bson(asked.createdAt())).put("answeredAt", Dates.bson(answeredAt));
  }

  static Cluster cluster(JsonObject d) {
    List<Cluster.Example> examples = new ArrayList<>();
    d.getJsonArray("examples", new JsonArray()).forEach(o -> examples.add(example((JsonObject) o)));
    List<String> apart = new ArrayList<>();
    d.getJsonArray("apartFrom", new JsonArray()).forEach(o -> apart.add(String.valueOf(o)));
    return new Cluster(d.getString("_id"), Cluster.Status.fromWire(d.getString("status", Cluster.Status.OPEN.wire())), d.getInteger("size", 0),
      d.getInteger("kbLinked", 0), counts(d.getJsonObject("days")), counts(d.getJsonObject("articles")), List.copyOf(examples),
      d.getString("answer"), d.getString("postId"), d.getString("mergedInto"), List.copyOf(apart), Dates.instant(d.getValue("lastAskedAt")));
  }

  private static Map<String, Integer> counts(JsonObject o) {
    Map<String, Integer> out = new LinkedHashMap<>();
    if (o != null) o.forEach(e -> out.put(e.getKey(), ((Number) e.getValue()).intValue()));
    return out;
  }

  static Cluster.Example example(JsonObject e) {
    return new Cluster.Example(e.getString("caseId"), e.getString("tweetId"), e.getString("text"), e.getString("handle"),
      e.getBoolean("protected", false), e.getString("askedAt") == null ? null : Instant.parse(e.getString("askedAt")));
  }

  /** An example as stored in the cluster and shown by the API (the same shape). */
  static JsonObject json(Cluster.Example e) {
    return new JsonObject().put("caseId", e.caseId()).put("tweetId", e.tweetId()).put("text", e.text()).put("handle", e.handle())
      .put("protected", e.isProtected()).put("askedAt", e.askedAt() == null ? null : e.askedAt().toString());
  }

  /** A member's example, from its stored document. */
  private static JsonObject exampleOf(JsonObject member) {
    return new JsonObject().put("caseId", member.getString("_id")).put("tweetId", member.getString("tweetId"))
      .put("text", member.getString("text")).put("handle", member.getString("handle"))
      .put("protected", member.getBoolean("protected", false))
      .put("askedAt", Dates.instant(member.getValue("askedAt")).toString());
  }

  static ClusterIndex.Mention mention(JsonObject member) {
    Set<String> tokens = new LinkedHashSet<>();
    member.getJsonArray("tokens", new JsonArray()).forEach(t -> tokens.add(String.valueOf(t)));
    String v = member.getString("v");
    return new ClusterIndex.Mention(member.getString("_id"), tokens, member.getString("kbArticleId"), v == null ? null : Vectors.decode(v));
  }

  static String day(Instant t) {
    return LocalDate.ofInstant(t, ZoneOffset.UTC).toString();
  }
}
