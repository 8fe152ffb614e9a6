package io.careloop.queue;

import io.careloop.errors.Conflict;
import io.careloop.errors.NotFound;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * One undo for a bulk close: a token standing for the per-case undo tokens of the cases it closed. Stored in the
 * database, as the per-case tokens are (on the case, {@link CaseDocuments#undo}), so it survives a restart and works on
 * any node. It expires with the earliest of its per-case tokens (until then every one of them is still in its
 * window), is the closer's only, and is taken once: the take is one conditional update, so a double click undoes once.
 * Each case is then undone by {@link CaseSafety#undo}, which still refuses a case changed since.
 */
public final class BulkUndos {
  public static final String BULK_UNDOS = "bulk_undos";

  /** Spent and expired tokens are kept this long, so a late click hears "expired" or "used" rather than "unknown". */
  static final Duration KEPT = Duration.ofDays(1);

  /** A case a bulk close closed, and the token of that case's own close. */
  public record Pair(String caseId, String token) {}

  /** The bulk token handed out, and until when it works. */
  public record Issued(String token, Instant expiresAt) {}

  private final Database database;
  private final Clock clock;

  public BulkUndos(Database database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  /** Stores a token for these closes, by {@code user}, expiring at {@code expiresAt}; old ones are cleared on the way. */
  public Future<Issued> issue(String user, List<Pair> pairs, Instant expiresAt) {
    Instant now = clock.instant();
    String token = Reopening.newToken();
    JsonObject doc = new JsonObject().put("_id", token).put("user", user).put("createdAt", Dates.bson(now))
      .put("expiresAt", Dates.bson(expiresAt)).put("usedAt", (Object) null)
      .put("pairs", new JsonArray(pairs.stream().map(p -> new JsonObject().put("caseId", p.caseId()).put("token", p.token())).toList()));
    // The embedded server has no TTL indexes: tokens long past are removed here, where new ones are written.
    JsonObject old = new JsonObject().put("expiresAt", new JsonObject().put("$lt", Dates.bson(now.minus(KEPT))));
    return database.mongo().removeDocuments(BULK_UNDOS, old)
      .compose(r -> database.mongo().insert(BULK_UNDOS, doc))
      .compose(id -> database.durable())
      .map(v -> new Issued(token, expiresAt));
  }

  /**
   * Takes the token for {@code user}: its pairs, once. 404 {@code undo-unknown} for a token never issued (or long
   * gone); 409 {@code undo-used}, {@code undo-expired} or {@code undo-not-yours}, and then nothing is spent.
   */
  public Future<List<Pair>> take(String token, String user) {
    Instant now = clock.instant();
    JsonObject precondition = new JsonObject().put("_id", token).put("user", user).put("usedAt", (Object) null)
      .put("expiresAt", new JsonObject().put("$gte", Dates.bson(now)));
    JsonObject spend = new JsonObject().put("$set", new JsonObject().put("usedAt", Dates.bson(now)));
    return database.mongo().findOneAndUpdateWithOptions(BULK_UNDOS, precondition, spend, new FindOptions(),
        new UpdateOptions().setReturningNewDocument(true))
      .compose(taken -> taken != null ? database.durable().map(v -> pairs(taken)) : refusal(token, user, now));
  }

  /** Why a take found nothing, from the token as stored. */
  private Future<List<Pair>> refusal(String token, String user, Instant now) {
    return database.mongo().findOne(BULK_UNDOS, new JsonObject().put("_id", token), null).compose(doc -> {
      if (doc == null) return Future.failedFuture(new NotFound(Reopening.Verdict.UNKNOWN.code(), "no such bulk undo", null));
      if (doc.getValue("usedAt") != null) return Future.failedFuture(new Conflict(Reopening.Verdict.USED.code(), "this bulk close was already undone"));
      if (now.isAfter(Dates.instant(doc.getValue("expiresAt")))) {
        return Future.failedFuture(new Conflict(Reopening.Verdict.EXPIRED.code(),
          "the undo window (" + Reopening.UNDO_WINDOW.toSeconds() + " s) has passed; reopen the cases instead"));
      }
      if (!user.equals(doc.getString("user"))) {
        return Future.failedFuture(new Conflict(Reopening.Verdict.NOT_YOURS.code(), "only the agent who closed the cases can undo them; reopen them instead"));
      }
      // Spent between the two reads (a second click racing the first).
      return Future.failedFuture(new Conflict(Reopening.Verdict.USED.code(), "this bulk close was already undone"));
    });
  }

  private static List<Pair> pairs(JsonObject doc) {
    return doc.getJsonArray("pairs").stream().map(JsonObject.class::cast)
      .map(p -> new Pair(p.getString("caseId"), p.getString("token"))).toList();
  }
}
