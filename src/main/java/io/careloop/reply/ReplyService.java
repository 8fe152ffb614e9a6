package io.careloop.reply;

import io.careloop.errors.NotFound;
import io.careloop.errors.Conflict;
import io.careloop.errors.Invalid;
import io.careloop.outbox.Delivery;
import io.careloop.outbox.Network;
import io.careloop.outbox.Outbox;
import io.careloop.outbox.PostState;
import io.careloop.queue.QueueService;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.careloop.brands.BrandService;
import io.careloop.brands.PostingAccounts;
import io.careloop.text.Hashes;
import io.careloop.x.XNetwork;
import io.careloop.x.XService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Replies on cases, posted at most once through the {@link Outbox}. The reply intent is stored (durably) before
 * anything is sent, keyed by the case and the idempotency key, so a double click or a retried request finds the same
 * reply; the outbox records each attempt before it leaves and, if an earlier one may have reached X, adopts the post
 * found there instead of posting again.
 */
public final class ReplyService {
  private final MongoReplyRepository replies;
  private final Outbox outbox;
  private final QueueService queue;
  private final Clock clock;
  private final PostingAccounts accounts;
  private final BrandService brands;
  private final List<Consumer<JsonObject>> postedListeners = new CopyOnWriteArrayList<>();

  public ReplyService(Database database, QueueService queue, PostingAccounts accounts, BrandService brands, Clock clock, Outbox outbox) {
    this.replies = new MongoReplyRepository(database.mongo());
    this.outbox = outbox;
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
    String replyId = caseId + "-" + Hashes.sha256Hex(key).substring(0, 24);
    return replies.find(replyId).compose(existing -> {
      if (existing != null) return again(existing, text, agent);
      // A brand that cannot post is refused before anything changes: no claim, no stored intent.
      return queue.get(caseId)
        .compose(found -> accounts.connected(found.brand()) ? queue.claimForReply(caseId, agent)
          : Future.failedFuture(new Conflict("brand-not-connected", "CareLoop cannot post as @" + found.brand()
            + " yet: an admin sets its X posting token (CARELOOP_X_BRAND_" + found.brand().toUpperCase(java.util.Locale.ROOT) + "_ACCESS_TOKEN)")))
        .compose(answered -> outbox.store(MongoReplyRepository.OUTBOX, replyId, MongoReplyRepository.intent(answered.id(), answered.brand(),
          answered.lastCustomerTweetId(), text, kbArticleId, agent, clock.instant())))
        .compose(inserted -> replies.find(replyId).compose(stored -> inserted ? send(stored) : again(stored, text, agent)));
    });
  }

  /** Called with each reply once X confirmed it (the cluster review learns from answers this way). */
  public void onPosted(Consumer<JsonObject> listener) {
    postedListeners.add(listener);
  }

  /** Retries a failed reply. */
  public Future<JsonObject> retry(String caseId, String replyId, String agent) {
    return replies.find(caseId, replyId).compose(r -> {
      if (r == null) return Future.failedFuture(new NotFound("reply " + replyId));
      if (r.state() != PostState.FAILED) return Future.succeededFuture(publicView(r));
      return queue.claimForReply(caseId, agent).compose(c -> send(r));
    });
  }

  public Future<List<JsonObject>> forCase(String caseId) {
    return replies.forCase(caseId).map(list -> list.stream().map(ReplyService::publicView).toList());
  }

  /** Replies posted since {@code since} that carried a knowledge-base link (the cycle's funnel). */
  public Future<Long> postedWithArticleSince(Instant since) {
    return replies.countPostedWithArticleSince(since);
  }

  /**
   * Finishes replies that were stored or under way when their sender stopped: at start this node's own previous
   * process's, and (at start and then periodically) those of any node whose claim ran out (it died or hung).
   */
  public Future<Integer> recoverUnfinished(boolean atStart) {
    return outbox.recoverUnfinished(MongoReplyRepository.OUTBOX, atStart, doc -> send(MongoReplyRepository.reply(doc)));
  }

  private Future<JsonObject> again(Reply existing, String text, String agent) {
    if (!existing.text().equals(text)) {
      return Future.failedFuture(new Conflict("idempotency-key-reused", "this Idempotency-Key was used for a different reply"));
    }
    if (existing.state() == PostState.FAILED) return retry(existing.caseId(), existing.id(), agent);
    return Future.succeededFuture(publicView(existing));
  }

  private Future<JsonObject> send(Reply reply) {
    return outbox.send(MongoReplyRepository.OUTBOX, reply.id(), reply.state(), reply.attempts(), networkFor(reply)).compose(d -> {
      Reply now = MongoReplyRepository.reply(d.document());
      if (d.outcome() != Delivery.Outcome.POSTED) return Future.succeededFuture(publicView(now));
      return queue.recordReply(now.caseId(), now.id(), d.posted().id(), now.text(), now.agent(), d.posted().at()).map(c -> {
        JsonObject view = publicView(now);
        postedListeners.forEach(l -> l.accept(view));
        return view;
      });
    });
  }

  /** X as the reply's brand, answering the customer's post. */
  private Network networkFor(Reply reply) {
    // Replies stored before brands were managed have none: they were the configured brand's.
    String brand = reply.brand();
    XService x = accounts.forBrand(brand).orElse(null);
    var account = brand == null ? brands.all().stream().findFirst() : brands.find(brand);
    if (x == null || account.isEmpty()) return XNetwork.unavailable("no X posting token for @" + brand);
    return XNetwork.replyTo(x, account.get().userId(), reply.inReplyToTweetId());
  }

  static JsonObject publicView(Reply r) {
    return new JsonObject()
      .put("id", r.id()).put("caseId", r.caseId()).put("text", r.text())
      .put("state", r.state() == null ? null : r.state().stored()).put("xTweetId", r.xTweetId())
      .put("inReplyToTweetId", r.inReplyToTweetId()).put("agent", r.agent())
      .put("kbArticleId", r.kbArticleId()).put("attempts", r.attempts())
      .put("error", r.error())
      .put("createdAt", Dates.iso(r.createdAt())).put("postedAt", Dates.iso(r.postedAt()));
  }

  /** The replies that carried an article, oldest first (the knowledge base lists them when the article changes). */
  public Future<List<JsonObject>> carrying(String articleId) {
    return replies.carrying(articleId).map(list -> list.stream().map(r -> new JsonObject().put("replyId", r.id()).put("caseId", r.caseId())
      .put("state", r.state() == null ? null : r.state().stored())).toList());
  }

  /**
   * The reply as {@link #publicView} shows it, if X confirmed it; null when there is none or it is not posted. Other
   * features (the question clusters) learn of answers through this, not by reading the replies.
   */
  public Future<JsonObject> postedReply(String replyId) {
    return replies.find(replyId).map(r -> r == null || r.state() != PostState.POSTED ? null : publicView(r));
  }

  /** The ids of every reply X confirmed (the question clusters' catch-up looks among them for answers it missed). */
  public Future<List<String>> postedReplyIds() {
    return replies.postedIds();
  }

  /** The indexes the reply feature's queries need on a real MongoDB. */
  public Future<Void> createIndexes() {
    return replies.createIndexes();
  }
}
