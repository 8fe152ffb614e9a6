package io.careloop.cycle;

import io.careloop.queue.Case;
import io.careloop.audit.AuditLog;
import io.careloop.config.Settings;
import io.careloop.errors.Conflict;
import io.careloop.errors.Invalid;
import io.careloop.errors.NotFound;
import io.careloop.meaning.MentionVectors;
import io.careloop.queue.QueueService;
import io.careloop.reply.ReplyService;
import io.careloop.scaleout.LeaseKeeper;
import io.careloop.scaleout.Leases;
import io.careloop.store.Database;
import io.careloop.store.InOrder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Frequent-question clusters, kept up to date as replies are posted. Each answered case becomes a member assigned by
 * {@link ClusterIndex}; each cluster carries running counts (per day, per KB article) so the review ranks clusters
 * over any window without touching the members ({@link MongoClusterRepository} owns the collections).
 *
 * <p>The database is the truth: the in-memory index is rebuilt from the members at start, and answers that a crash
 * left unclustered (reply posted, member missing or its counts not yet added) are caught up then. Assignments are
 * serialised, so two replies posted at once cannot found two clusters for one question. Answers come from the
 * replies feature ({@link ReplyService#postedReply}), the asked question from the queue ({@link QueueService#find}), its
 * sentence vector from {@link MentionVectors} (kept in the member, so a restart reads one collection). A question
 * whose vector is not computed yet is placed by its words, and its member stored without one.
 *
 * <p>With several nodes, one of them keeps the index: the holder of the {@code question-clusters} lease
 * ({@link LeaseKeeper}). Every change to the clusters (an answer to place, a merge, a split) is sent to it over the
 * event bus ({@link ClusterWork}) and done there in order; a node that takes the lease over rebuilds the index from
 * the database first. An answer whose message is lost is placed by the holder's next catch-up (every 30 s), since
 * the posted reply is the record of it.
 */
public final class ClusterService {
  private static final Logger log = LoggerFactory.getLogger(ClusterService.class);
  public static final String CLUSTERS = MongoClusterRepository.CLUSTERS;
  public static final String MEMBERS = MongoClusterRepository.MEMBERS;
  /** Requests to the node keeping the index (see {@link ClusterWork}). */
  public static final String WORK = ClusterWork.ADDRESS;
  static final String LEASE = "question-clusters";
  private static final Duration CATCH_UP_EVERY = Duration.ofSeconds(30);
  private static final int RESTORE_PAGE = 500;

  private final MongoClusterRepository store;
  private final Database database;
  private final AuditLog audit;
  private final Clock clock;
  private final Settings.CycleSettings settings;
  private final ReplyService replies;
  private final QueueService queue;
  private final MentionVectors vectors;
  private final ClusterWork work;
  private final LeaseKeeper keeper;

  private ClusterIndex index;
  private final InOrder inOrder = new InOrder();
  private final Vertx vertx;
  private MessageConsumer<JsonObject> worker;
  private long lastCatchUp;

  public ClusterService(Vertx vertx, Database database, AuditLog audit, Clock clock, Settings.CycleSettings settings, Leases leases,
                        ReplyService replies, QueueService queue, MentionVectors vectors) {
    this.vertx = vertx;
    this.store = new MongoClusterRepository(database.mongo());
    this.database = database;
    this.audit = audit;
    this.clock = clock;
    this.settings = settings;
    this.replies = replies;
    this.queue = queue;
    this.vectors = vectors;
    this.work = new ClusterWork(vertx);
    this.keeper = new LeaseKeeper(vertx, leases, LEASE, Duration.ofSeconds(2), "Question clusters", keeping());
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
          if (worker == null) worker = work.serve(keeper::holding, ClusterService.this::doHere);
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
    index = new ClusterIndex(thresholds(settings));
    return restoreMembers()
      .compose(n -> store.splitOnes())
      .compose(split -> {
        split.forEach(c -> c.apartFrom().forEach(other -> index.keepApart(c.id(), other)));
        return store.seedAnswersFromMembers(clock.instant());
      })
      .compose(seeded -> {
        if (seeded > 0) log.info("Recorded {} answers as clustered from their members (the replies' old clustered flag)", seeded);
        return catchUp();
      });
  }

  /**
   * Puts every stored member back in the index. Members placed before their vector was computed (or before vectors
   * existed) are looked up in {@link MentionVectors} afterwards, a page at a time, and given the vector there is, so
   * the next start reads it from the member; one still without a vector is restored by its words.
   */
  private Future<Integer> restoreMembers() {
    List<MongoClusterRepository.StoredMember> without = new ArrayList<>();
    return store.forEachMember(m -> {
      if (m.mention().vector() != null || m.tweetId() == null) index.restore(m.mention(), m.clusterId());
      else without.add(m);
    }).compose(n -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (int from = 0; from < without.size(); from += RESTORE_PAGE) {
        List<MongoClusterRepository.StoredMember> page = without.subList(from, Math.min(without.size(), from + RESTORE_PAGE));
        chain = chain.compose(found -> vectors.get(page.stream().map(MongoClusterRepository.StoredMember::tweetId).toList()).compose(byPost -> {
          Map<String, float[]> byCase = new HashMap<>();
          for (MongoClusterRepository.StoredMember m : page) {
            ClusterIndex.Mention words = m.mention();
            float[] v = byPost.get(m.tweetId());
            if (v != null) byCase.put(words.id(), v);
            index.restore(new ClusterIndex.Mention(words.id(), words.tokens(), words.kbArticleId(), v), m.clusterId());
          }
          return store.addVectors(byCase).map(x -> found + byCase.size());
        }));
      }
      return chain.onSuccess(found -> { if (found > 0) log.info("Gave {} cluster members their question's vector", found); });
    });
  }

  /** The index's bars from the settings: cosines of meaning, and word overlaps for mentions without a vector. */
  public static ClusterIndex.Thresholds thresholds(Settings.CycleSettings s) {
    return new ClusterIndex.Thresholds(new ClusterIndex.Bar(s.meaningSimilarity(), s.sameArticleMeaning(), s.otherArticleMeaning()),
      new ClusterIndex.Bar(s.textSimilarity(), s.sameArticleSimilarity(), s.otherArticleSimilarity()));
  }

  /** Does a change sent to this node, the one keeping the index. */
  private Future<?> doHere(ClusterWork.Request r) {
    if (r instanceof ClusterWork.Answered a) return inOrder.run(() -> cluster(a.replyId()));
    if (r instanceof ClusterWork.Merge m) return mergeHere(m.from(), m.into(), m.by());
    ClusterWork.Split s = (ClusterWork.Split) r;
    return splitHere(s.id(), s.caseIds(), s.by());
  }

  /** A reply was confirmed by X: its case joins (or founds) the cluster of its question (on the node keeping them). */
  public Future<Void> answered(String replyId) {
    return work.send(new ClusterWork.Answered(replyId), 3).mapEmpty();
  }

  /** Repairs half-counted clusters, then places every posted answer not yet looked at. */
  private Future<Integer> catchUp() {
    return store.repairHalfCounted(clock.instant())
      .compose(v -> Future.all(replies.postedReplyIds(), store.answersSeen()))
      .compose(both -> {
        List<String> posted = both.resultAt(0);
        Set<String> seen = both.resultAt(1);
        Future<Integer> chain = Future.succeededFuture(0);
        for (String replyId : posted) {
          if (!seen.contains(replyId)) chain = chain.compose(n -> cluster(replyId).map(x -> n + 1));
        }
        return chain;
      })
      .onSuccess(n -> { if (n > 0) log.info("Clustered {} answers that were not yet", n); });
  }

  private Future<Void> cluster(String replyId) {
    return replies.postedReply(replyId).compose(reply -> {
      if (reply == null) return Future.succeededFuture();
      String caseId = reply.getString("caseId");
      return store.hasMember(caseId).compose(member -> {
        if (member) return Future.succeededFuture();
        return queue.find(caseId).compose(c -> c == null ? Future.succeededFuture() : join(c, reply));
      }).compose(v -> store.answerSeen(replyId, clock.instant()));
    });
  }

  /** The case's question (its opening post) joins a cluster: by meaning when its vector is there, else by words. */
  private Future<Void> join(Case asked, JsonObject reply) {
    return vectors.get(asked.tweetId()).compose(vector -> join(asked, reply, vector));
  }

  private Future<Void> join(Case asked, JsonObject reply, float[] vector) {
    Set<String> tokens = QuestionText.tokens(asked.text() == null ? "" : asked.text());
    String kb = reply.getString("kbArticleId");
    ClusterIndex.Assignment a = index.assign(new ClusterIndex.Mention(asked.id(), tokens, kb, vector));
    Instant askedAt = asked.createdAt();
    Instant answeredAt = reply.getString("postedAt") == null ? clock.instant() : Instant.parse(reply.getString("postedAt"));
    JsonObject member = MongoClusterRepository.member(a.clusterId(), asked, tokens, vector, kb, reply.getString("text"), reply.getString("id"),
      answeredAt);
    return store.addMember(member, () -> store.count(a.clusterId(), member, askedAt, clock.instant())
        .compose(v -> absorb(a.absorbed(), a.clusterId(), "auto")))
      .compose(v -> database.durable());
  }

  /** Moves every member of {@code from} into {@code into} and recounts {@code into} from its members. */
  private Future<Void> absorb(List<String> from, String into, String by) {
    Future<Void> chain = Future.succeededFuture();
    for (String other : from) {
      chain = chain.compose(v -> store.moveAll(other, into, clock.instant()))
        .compose(v -> audit.record(by, "cluster.merged", other, null, new JsonObject().put("into", into)));
    }
    return from.isEmpty() ? chain : chain.compose(v -> store.recount(into, clock.instant()));
  }

  /** Clusters ranked by how often their question was asked in the last {@code days}, busiest first. */
  public Future<List<JsonObject>> ranked(int days, int minSize) {
    Instant now = clock.instant();
    return store.reviewed(minSize).map(list -> list.stream()
      .map(c -> view(c, days, now))
      .filter(v -> v.getInteger("asked") > 0)
      .sorted(Comparator.<JsonObject>comparingInt(v -> -v.getInteger("asked")).thenComparing(v -> -v.getInteger("size")).thenComparing(v -> v.getString("id")))
      .limit(100).toList());
  }

  public Future<JsonObject> get(String id) {
    return find(id).map(c -> view(c, 30, clock.instant()));
  }

  /** The cluster, or 404. */
  public Future<Cluster> find(String id) {
    return store.find(id).compose(c -> c == null ? Future.failedFuture(new NotFound("cluster " + id)) : Future.succeededFuture(c));
  }

  /** Its members, newest first (the examples a post may quote). */
  public Future<List<JsonObject>> members(String id, int limit) {
    return store.members(id, limit);
  }

  /**
   * As {@link #members(String, int)}, each with its question's vector {@code v} when it has one (base64, see
   * {@code meaning.Vectors#decode}): a blog draft picks quotes that differ in meaning.
   */
  public Future<List<JsonObject>> membersWithVectors(String id, int limit) {
    return store.members(id, limit, true);
  }

  public Future<JsonObject> merge(String from, String into, String by) {
    if (from.equals(into)) return Future.failedFuture(new Invalid("same-cluster", "a cluster cannot be merged into itself"));
    return work.send(new ClusterWork.Merge(from, into, by), 5);
  }

  private Future<JsonObject> mergeHere(String from, String into, String by) {
    return inOrder.run(() -> open(from).compose(a -> open(into)).compose(b -> {
      index.merge(from, into);
      return absorb(List.of(from), into, by);
    }).compose(v -> database.durable()).compose(v -> get(into)));
  }

  /** Moves the named cases out into a new cluster; the two are never joined again automatically. */
  public Future<JsonObject> split(String id, List<String> caseIds, String by) {
    return work.send(new ClusterWork.Split(id, caseIds, by), 5);
  }

  private Future<JsonObject> splitHere(String id, List<String> caseIds, String by) {
    String newId = "q" + caseIds.get(0) + "-" + Long.toString(clock.millis(), 36);
    return inOrder.run(() -> open(id).compose(c -> store.membersAmong(id, caseIds)).compose(moved -> {
      if (moved.size() != caseIds.size()) {
        return Future.failedFuture(new Invalid("not-in-cluster", "every case to split off must be in cluster " + id));
      }
      index.split(id, newId, moved);
      return store.moveCases(caseIds, newId)
        .compose(v -> store.recount(id, clock.instant())).compose(v -> store.recount(newId, clock.instant()))
        .compose(v -> store.keepApart(id, newId))
        .compose(v -> audit.record(by, "cluster.split", id, null, new JsonObject().put("newCluster", newId).put("cases", new JsonArray(caseIds))))
        .compose(v -> database.durable())
        .compose(v -> get(newId));
    }));
  }

  public Future<JsonObject> dismiss(String id, String by) {
    return open(id).compose(c -> store.setStatus(id, Cluster.Status.DISMISSED, clock.instant()))
      .compose(v -> audit.record(by, "cluster.dismissed", id, null, null))
      .compose(v -> database.durable()).compose(v -> get(id));
  }

  /** Marks the cluster promoted to this blog post. */
  public Future<Void> promoted(String id, String postId) {
    return store.promoted(id, postId, clock.instant());
  }

  private Future<Cluster> open(String id) {
    return find(id).compose(c -> c.status() == Cluster.Status.MERGED
      ? Future.failedFuture(new Conflict("cluster-merged", "cluster " + id + " was merged into " + c.mergedInto()))
      : Future.succeededFuture(c));
  }

  /** What the review shows: counts over the window and the one before it, the question, examples, the answer. */
  JsonObject view(Cluster c, int days, Instant now) {
    return ClusterViews.review(c, days, now, settings.suggestPromotionAt());
  }

  public ClusterIndex index() { return index; }
}
