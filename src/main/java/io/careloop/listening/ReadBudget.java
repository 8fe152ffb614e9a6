package io.careloop.listening;

import io.careloop.store.MongoErrors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Instant;

/**
 * The X account's monthly read cap, shared by all its sources (and all nodes, since it lives in the database). Before
 * a page is requested, the most posts it can hold are reserved with one conditional increment that fails when the
 * month would go over the cap; once the page is in, the reservation is settled to what it held. So the month's reads
 * never pass the cap, even with several sources polling at once. A crash between the two leaves the reservation
 * counted: the count errs high by at most one page, never low.
 */
public final class ReadBudget {
  /** Posts the X account read (or reserved) per month, against the monthly cap; one document per month. */
  public static final String READ_BUDGET = "read_budget";
  /** Posts reserved for one page in one month. */
  public record Reservation(String month, int posts) {}

  private final MongoClient mongo;
  private final long cap;

  public ReadBudget(MongoClient mongo, long cap) {
    this.mongo = mongo;
    this.cap = cap;
  }

  public long cap() {
    return cap;
  }

  /** Reserves {@code posts} reads this month; null when they would pass the cap. */
  public Future<Reservation> reserve(Instant at, int posts) {
    String month = MongoSourceRepository.monthOf(at);
    return tryReserve(month, posts).compose(done -> done != null ? Future.succeededFuture(done)
      : startMonth(month).compose(v -> tryReserve(month, posts)));
  }

  private Future<Reservation> tryReserve(String month, int posts) {
    JsonObject query = new JsonObject().put("_id", month).put("used", new JsonObject().put("$lte", cap - posts));
    return mongo.findOneAndUpdateWithOptions(READ_BUDGET, query,
        new JsonObject().put("$inc", new JsonObject().put("used", posts)), new FindOptions(), new UpdateOptions())
      .map(doc -> doc == null ? null : new Reservation(month, posts));
  }

  /** What the page held: the rest of the reservation is given back. */
  public Future<Void> settle(Reservation reservation, int postsRead) {
    int unused = reservation.posts() - postsRead;
    if (unused == 0) return Future.succeededFuture();
    return mongo.updateCollection(READ_BUDGET, new JsonObject().put("_id", reservation.month()),
      new JsonObject().put("$inc", new JsonObject().put("used", -unused))).mapEmpty();
  }

  /** Posts read (and reserved by reads under way) this month. */
  public Future<Long> used(Instant at) {
    return mongo.findOne(READ_BUDGET, new JsonObject().put("_id", MongoSourceRepository.monthOf(at)), null)
      .map(doc -> doc == null ? 0L : doc.getLong("used", 0L));
  }

  /**
   * The month's document, created once. It starts from the reads the sources recorded for the month, so that a
   * database from before the cap was enforced keeps counting what it already read. Two creators: one wins, the other
   * finds it there.
   */
  private Future<Void> startMonth(String month) {
    return mongo.find(MongoSourceRepository.SOURCES, new JsonObject()).compose(sources -> {
      long read = sources.stream().mapToLong(s -> s.getJsonObject("health", new JsonObject())
        .getJsonObject("reads", new JsonObject()).getLong(month, 0L)).sum();
      return mongo.insert(READ_BUDGET, new JsonObject().put("_id", month).put("used", read)).<Void>mapEmpty()
        .recover(e -> MongoErrors.isDuplicateKey(e) ? Future.succeededFuture() : Future.failedFuture(e));
    });
  }
}
