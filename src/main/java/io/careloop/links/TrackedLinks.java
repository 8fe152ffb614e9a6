package io.careloop.links;

import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Optional;

/**
 * Short tracked links {@code /l/{code}}: one per target (a KB article in a case, a blog post's proactive tweet), each
 * click counted with a timestamp and the referrer's host and nothing personal. A link's target is stored here, never
 * taken from the request, so following one can only lead to our own pages.
 */
public final class TrackedLinks {
  public static final String LINKS = "kb_links";
  public static final String CLICKS = "kb_clicks";
  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private final MongoClient mongo;
  private final Database database;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public TrackedLinks(Database database, Clock clock) {
    this.mongo = database.mongo();
    this.database = database;
    this.clock = clock;
  }

  /** The link for this target (the same one when asked again), durable before it is handed out. */
  public Future<JsonObject> linkFor(JsonObject target) {
    return mongo.findOne(LINKS, target, null).compose(found -> {
      if (found != null) return Future.succeededFuture(found);
      JsonObject doc = target.copy().put("_id", code()).put("clicks", 0).put("createdAt", Dates.bson(clock.instant()));
      return mongo.insert(LINKS, doc).compose(r -> database.durable()).map(doc);
    });
  }

  /** Counts a click and answers the link (with its target), or empty for an unknown code. */
  public Future<Optional<JsonObject>> follow(String code, String referrerHost) {
    return mongo.findOneAndUpdate(LINKS, new JsonObject().put("_id", code), new JsonObject().put("$inc", new JsonObject().put("clicks", 1)))
      .compose(link -> link == null ? Future.succeededFuture(Optional.<JsonObject>empty())
        : mongo.insert(CLICKS, new JsonObject().put("code", code).put("at", Dates.bson(clock.instant())).put("referrerHost", referrerHost))
          .map(r -> Optional.of(link)));
  }

  /** Clicks on every link whose target matches. */
  public Future<Long> clicks(JsonObject targetQuery) {
    return mongo.find(LINKS, targetQuery).map(l -> l.stream().mapToLong(d -> d.getLong("clicks", 0L)).sum());
  }

  private String code() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 8; i++) b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    return b.toString();
  }
}
