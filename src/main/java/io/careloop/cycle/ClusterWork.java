package io.careloop.cycle;

import io.careloop.errors.CareLoopException;
import io.careloop.errors.Invalid;
import io.careloop.errors.Unavailable;
import io.careloop.store.MongoErrors;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

/**
 * Changes to the question clusters travel to the one node keeping them over the event bus, as
 * {@code {"op": "answered"|"merge"|"split", ...}}; this class is both ends of that conversation. A refusal (the
 * change is invalid, a {@link CareLoopException}) comes back as itself; anything else (the keeper changed hands, the
 * database is down) as {@link Unavailable}, after a few tries a second apart while the lease changes hands.
 */
final class ClusterWork {
  private static final Logger log = LoggerFactory.getLogger(ClusterWork.class);
  static final String ADDRESS = "careloop.clusters.work";
  /** Failure codes of a reply (not HTTP statuses): refused as asked (the body says why), not the keeper, or failed. */
  static final int REFUSED = 1, NOT_KEEPING = 2, FAILED = 3;

  /** What a node asks the keeper to do. */
  sealed interface Request permits Answered, Merge, Split {}

  /** A reply was confirmed by X: its case joins (or founds) a cluster. */
  record Answered(String replyId) implements Request {}

  record Merge(String from, String into, String by) implements Request {}

  record Split(String id, List<String> caseIds, String by) implements Request {}

  private final Vertx vertx;

  ClusterWork(Vertx vertx) {
    this.vertx = vertx;
  }

  static JsonObject encode(Request r) {
    if (r instanceof Answered a) return new JsonObject().put("op", "answered").put("replyId", a.replyId());
    if (r instanceof Merge m) return new JsonObject().put("op", "merge").put("from", m.from()).put("into", m.into()).put("by", m.by());
    Split s = (Split) r;
    return new JsonObject().put("op", "split").put("id", s.id()).put("caseIds", new JsonArray(s.caseIds())).put("by", s.by());
  }

  static Request decode(JsonObject b) {
    return switch (b.getString("op", "")) {
      case "answered" -> new Answered(b.getString("replyId"));
      case "merge" -> new Merge(b.getString("from"), b.getString("into"), b.getString("by"));
      case "split" -> new Split(b.getString("id"), b.getJsonArray("caseIds").stream().map(String::valueOf).toList(), b.getString("by"));
      default -> throw new Invalid("unknown-op", "unknown clusters operation");
    };
  }

  // ---- the sending side ----

  /** Sends a change to the node keeping the clusters; while it changes hands (a few seconds), tries again. */
  <T> Future<T> send(Request request, int tries) {
    return send(encode(request), tries);
  }

  private <T> Future<T> send(JsonObject request, int triesLeft) {
    return vertx.eventBus().<T>request(ADDRESS, request, new DeliveryOptions().setSendTimeout(10_000)).map(Message::body).recover(e -> {
      boolean handover = !(e instanceof ReplyException re) || re.failureType() != ReplyFailure.RECIPIENT_FAILURE || re.failureCode() != REFUSED;
      if (handover && triesLeft > 1) {
        Promise<T> later = Promise.promise();
        vertx.setTimer(1_000, t -> this.<T>send(request, triesLeft - 1).onComplete(later));
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

  // ---- the keeper's side ----

  /** Takes requests and does them with {@code work}, refusing them while {@code keeping} says this node does not keep the clusters. */
  MessageConsumer<JsonObject> serve(BooleanSupplier keeping, Function<Request, Future<?>> work) {
    return vertx.eventBus().consumer(ADDRESS, m -> answer(m, keeping, work));
  }

  private static void answer(Message<JsonObject> m, BooleanSupplier keeping, Function<Request, Future<?>> work) {
    if (!keeping.getAsBoolean()) {
      m.fail(NOT_KEEPING, new JsonObject().put("error", "not-keeping-clusters").put("message", "this node no longer keeps the question clusters").encode());
      return;
    }
    String op = m.body().getString("op");
    Future<?> done;
    try {
      done = work.apply(decode(m.body()));
    } catch (RuntimeException e) {
      done = Future.failedFuture(e);
    }
    done.onSuccess(m::reply).onFailure(e -> {
      if (e instanceof CareLoopException refusal) {
        m.fail(REFUSED, new JsonObject().put("kind", refusal.kind()).put("error", refusal.code()).put("message", refusal.getMessage())
          .put("details", new JsonObject(new HashMap<>(refusal.details()))).encode());
        return;
      }
      // The cause stays here, in this node's log; the sender learns only that it may try again.
      log.warn("Question clusters: {} not done", op, e);
      JsonObject body = MongoErrors.isUnavailable(e)
        ? new JsonObject().put("error", "database-unavailable").put("message", "the database cannot be reached; nothing was changed, try again shortly")
        : new JsonObject().put("error", "clusters-unavailable").put("message", "the question clusters could not be changed; try again shortly");
      m.fail(FAILED, body.encode());
    });
  }
}
