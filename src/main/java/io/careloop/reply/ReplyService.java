package io.careloop.reply;

import io.careloop.errors.NotFound;
import io.careloop.errors.Conflict;
import io.careloop.errors.Invalid;
import io.careloop.queue.Case;
import io.careloop.queue.QueueService;
import io.careloop.scaleout.PostingClaims;
import io.careloop.store.Collections;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.careloop.brands.BrandService;
import io.careloop.brands.PostingAccounts;
import io.careloop.x.Post;
import io.careloop.x.XFailure;
import io.careloop.x.XService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Posting replies at most once. The reply intent is stored (durably) before anything is sent, keyed by the case and
 * the idempotency key, so a double click or a retried request finds the same reply. Before a post is sent its
 * attempt is recorded; if an earlier attempt may have reached X (a crash, a timeout, a lost answer), X is asked
 * first whether the brand already posted that reply, and the found post is adopted instead of posting again.
 */
public final class ReplyService {
  private static final Logger log = LoggerFactory.getLogger(ReplyService.class);

  private final MongoClient mongo;
  private final Database database;
  private final QueueService queue;
  private final Clock clock;
  private final PostingAccounts accounts;
  private final BrandService brands;
  private final List<Consumer<JsonObject>> postedListeners = new CopyOnWriteArrayList<>();
  private final PostingClaims claims;

  public ReplyService(Database database, QueueService queue, PostingAccounts accounts, BrandService brands, Clock clock, PostingClaims claims) {
    this.claims = claims;
    this.mongo = database.mongo();
    this.database = database;
    this.queue = queue;
    this.clock = clock;
    this.accounts = accounts;
    this.brands = brands;
  }

  /**
   * Replies on the case; completes with the stored reply (state {@code posted} with its X id, or {@code failed}
   * with the error, which can be retried).
   */
  public Future<JsonObject> reply(String caseId, String agent, String text, String kbArticleId, String idempotencyKey) {
    ReplyLength length = ReplyLength.of(text);
    if (text == null || text.isBlank()) return Future.failedFuture(new Invalid("empty-reply", "reply text is empty"));
    if (!length.valid()) {
      return Future.failedFuture(new Invalid("reply-too-long",
        "reply is " + length.weightedLength() + " characters as X counts them; the limit is " + length.limit(),
        Map.of("weightedLength", length.weightedLength(), "limit", length.limit())));
    }
    String key = idempotencyKey != null ? idempotencyKey : "text:" + text;
    String replyId = caseId + "-" + sha256(key).substring(0, 24);
    return mongo.findOne(Collections.REPLIES, new JsonObject().put("_id", replyId), null).compose(existing -> {
      if (existing != null) return again(existing, text, agent);
      // A brand that cannot post is refused before anything changes: no claim, no stored intent.
      return queue.get(caseId)
        .compose(found -> accounts.connected(found.brand()) ? queue.claimForReply(caseId, agent)
          : Future.failedFuture(new Conflict("brand-not-connected", "CareLoop cannot post as @" + found.brand()
            + " yet: an admin sets its X posting token (CARELOOP_X_BRAND_" + found.brand().toUpperCase(java.util.Locale.ROOT) + "_ACCESS_TOKEN)")))
        .compose(doc -> storeIntent(replyId, doc, agent, text, kbArticleId))
        .compose(inserted -> mongo.findOne(Collections.REPLIES, new JsonObject().put("_id", replyId), null)
          .compose(stored -> inserted ? send(stored) : again(stored, text, agent)));
    });
  }

  /** Called with each reply once X confirmed it (the cluster review learns from answers this way). */
  public void onPosted(Consumer<JsonObject> listener) {
    postedListeners.add(listener);
  }

  /** Retries a failed reply. */
  public Future<JsonObject> retry(String caseId, String replyId, String agent) {
    return mongo.findOne(Collections.REPLIES, new JsonObject().put("_id", replyId).put("caseId", caseId), null).compose(r -> {
      if (r == null) return Future.failedFuture(new NotFound("reply " + replyId));
      if (!"failed".equals(r.getString("state"))) return Future.succeededFuture(publicView(r));
      return queue.claimForReply(caseId, agent).compose(c -> send(r));
    });
  }

  public Future<List<JsonObject>> forCase(String caseId) {
    return mongo.findWithOptions(Collections.REPLIES, new JsonObject().put("caseId", caseId),
      new FindOptions().setSort(new JsonObject().put("createdAt", 1))).map(list -> list.stream().map(ReplyService::publicView).toList());
  }

  /**
   * Finishes replies that were stored or under way when their sender stopped: at start this node's own previous
   * process's, and (at start and then periodically) those of any node whose claim ran out (it died or hung).
   */
  public Future<Integer> recoverUnfinished(boolean atStart) {
    JsonObject query = claims.takeable("", atStart).put("state", new JsonObject().put("$in", new JsonArray().add("pending").add("posting")));
    return mongo.find(Collections.REPLIES, query).compose(list -> {
      Future<Integer> chain = Future.succeededFuture(0);
      for (JsonObject r : list) {
        log.info("Recovering reply {} of case {} (was {})", r.getString("_id"), r.getString("caseId"), r.getString("state"));
        // One reply that cannot be finished now must not hold up the others; the sweep takes it again.
        chain = chain.compose(n -> send(r)
          .onFailure(e -> log.warn("Reply {} of case {} not recovered yet (the sweep tries again)", r.getString("_id"), r.getString("caseId"), e))
          .transform(ar -> Future.succeededFuture(n + 1)));
      }
      return chain;
    });
  }

  private Future<JsonObject> again(JsonObject existing, String text, String agent) {
    if (!existing.getString("text").equals(text)) {
      return Future.failedFuture(new Conflict("idempotency-key-reused", "this Idempotency-Key was used for a different reply"));
    }
    if ("failed".equals(existing.getString("state"))) return retry(existing.getString("caseId"), existing.getString("_id"), agent);
    return Future.succeededFuture(publicView(existing));
  }

  /** Completes with true when this call stored the intent, false when a simultaneous request already had. */
  private Future<Boolean> storeIntent(String replyId, Case answered, String agent, String text, String kbArticleId) {
    Instant now = clock.instant();
    JsonObject doc = new JsonObject()
      .put("_id", replyId).put("caseId", answered.id()).put("brand", answered.brand())
      .put("inReplyToTweetId", answered.lastCustomerTweetId())
      .put("text", text).put("kbArticleId", kbArticleId).put("agent", agent)
      .put("state", "pending").put("attempts", 0)
      .put("createdAt", Dates.bson(now)).put("updatedAt", Dates.bson(now))
      .mergeIn(claims.stamp(""));
    // Upsert with $setOnInsert: two simultaneous clicks store one intent; the loser sees the winner's document.
    return mongo.updateCollectionWithOptions(Collections.REPLIES, new JsonObject().put("_id", replyId),
        new JsonObject().put("$setOnInsert", doc), new UpdateOptions().setUpsert(true))
      .compose(result -> database.durable().map(v -> result.getDocUpsertedId() != null));
  }

  private Future<JsonObject> send(JsonObject reply) {
    String id = reply.getString("_id");
    Instant now = clock.instant();
    // Only one sender may take this attempt (optimistic on state and attempt count); the attempt is on disk
    // before the request leaves, so after a crash we know X may have seen it.
    JsonObject claim = new JsonObject().put("_id", id).put("state", reply.getString("state"))
      .put("attempts", reply.getInteger("attempts", 0));
    return updateReply(claim,
        new JsonObject().put("$set", new JsonObject().put("state", "posting").put("updatedAt", Dates.bson(now)).put("lastAttemptAt", Dates.bson(now))
            .mergeIn(claims.stamp("")))
          .put("$inc", new JsonObject().put("attempts", 1)))
      .compose(claimed -> {
        if (claimed == null) {
          return mongo.findOne(Collections.REPLIES, new JsonObject().put("_id", id), null).map(ReplyService::publicView);
        }
        return database.durable().compose(v -> post(claimed));
      });
  }

  private Future<JsonObject> post(JsonObject reply) {
    String target = reply.getString("inReplyToTweetId");
    String text = reply.getString("text");
    boolean mayHaveReachedX = reply.getInteger("attempts", 1) > 1;
    // Replies stored before brands were managed have none: they were the configured brand's.
    String brand = reply.getString("brand");
    XService x = accounts.forBrand(brand).orElse(null);
    var account = brand == null ? brands.all().stream().findFirst() : brands.find(brand);
    if (x == null || account.isEmpty()) {
      return fail(reply, new IllegalStateException("no X posting token for @" + brand));
    }
    String brandUserId = account.get().userId();
    Future<Post> posted = mayHaveReachedX
      ? x.findReply(brandUserId, target, text).compose(found -> found.map(Future::succeededFuture).orElseGet(() -> x.reply(target, text)))
      : x.reply(target, text);
    return posted.compose(p -> confirm(reply, p), failure -> fail(reply, failure));
  }

  private Future<JsonObject> confirm(JsonObject reply, Post post) {
    Instant confirmedAt = Optional.ofNullable(post.createdAt()).orElse(clock.instant());
    JsonObject set = new JsonObject().put("state", "posted").put("xTweetId", post.id())
      .put("postedAt", Dates.bson(confirmedAt)).put("error", (Object) null).put("updatedAt", Dates.bson(clock.instant()));
    return updateReply(new JsonObject().put("_id", reply.getString("_id")), new JsonObject().put("$set", set))
      .compose(updated -> queue.recordReply(reply.getString("caseId"), reply.getString("_id"), post.id(), reply.getString("text"),
        reply.getString("agent"), confirmedAt).map(c -> {
          JsonObject view = publicView(updated);
          postedListeners.forEach(l -> l.accept(view));
          return view;
        }));
  }

  private Future<JsonObject> fail(JsonObject reply, Throwable failure) {
    String error = failure instanceof XFailure xf ? xf.toString() : "could not post: " + failure.getMessage();
    log.warn("Reply {} failed: {}", reply.getString("_id"), error);
    // Only this attempt's failure: if another node has since taken a later attempt (this one hung past its claim),
    // the outcome is that node's to record.
    JsonObject thisAttempt = new JsonObject().put("_id", reply.getString("_id")).put("state", "posting").put("attempts", reply.getInteger("attempts"));
    return updateReply(thisAttempt,
        new JsonObject().put("$set", new JsonObject().put("state", "failed").put("error", error).put("updatedAt", Dates.bson(clock.instant()))))
      .compose(updated -> updated != null ? database.durable().map(v -> publicView(updated))
        : mongo.findOne(Collections.REPLIES, new JsonObject().put("_id", reply.getString("_id")), null).map(ReplyService::publicView));
  }

  /** Updates one reply if it matches {@code query}; the new document, or null when it did not match. */
  private Future<JsonObject> updateReply(JsonObject query, JsonObject update) {
    return mongo.findOneAndUpdateWithOptions(Collections.REPLIES, query, update, new FindOptions(),
      new UpdateOptions().setReturningNewDocument(true));
  }

  static JsonObject publicView(JsonObject r) {
    return new JsonObject()
      .put("id", r.getString("_id")).put("caseId", r.getString("caseId")).put("text", r.getString("text"))
      .put("state", r.getString("state")).put("xTweetId", r.getString("xTweetId"))
      .put("inReplyToTweetId", r.getString("inReplyToTweetId")).put("agent", r.getString("agent"))
      .put("kbArticleId", r.getString("kbArticleId")).put("attempts", r.getInteger("attempts", 0))
      .put("error", r.getString("error"))
      .put("createdAt", iso(r.getValue("createdAt"))).put("postedAt", iso(r.getValue("postedAt")));
  }

  private static String iso(Object bsonDate) {
    Instant i = Dates.instant(bsonDate);
    return i == null ? null : i.toString();
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The replies that carried an article, oldest first (the knowledge base lists them when the article changes). */
  public Future<List<JsonObject>> carrying(String articleId) {
    return mongo.findWithOptions(Collections.REPLIES, new JsonObject().put("kbArticleId", articleId),
      new FindOptions().setSort(new JsonObject().put("createdAt", 1)).setFields(new JsonObject().put("caseId", 1).put("state", 1)))
      .map(list -> list.stream().map(r -> new JsonObject().put("replyId", r.getString("_id")).put("caseId", r.getString("caseId"))
        .put("state", r.getString("state"))).toList());
  }

  /**
   * The reply as {@link #publicView} shows it, if X confirmed it; null when there is none or it is not posted. Other
   * features (the question clusters) learn of answers through this, not by reading the replies.
   */
  public Future<JsonObject> postedReply(String replyId) {
    return mongo.findOne(Collections.REPLIES, new JsonObject().put("_id", replyId).put("state", "posted"), null)
      .map(r -> r == null ? null : publicView(r));
  }

  /** The ids of every reply X confirmed (the question clusters' catch-up looks among them for answers it missed). */
  public Future<List<String>> postedReplyIds() {
    return mongo.findWithOptions(Collections.REPLIES, new JsonObject().put("state", "posted"),
      new FindOptions().setFields(new JsonObject().put("_id", 1))).map(list -> list.stream().map(r -> r.getString("_id")).toList());
  }
}
