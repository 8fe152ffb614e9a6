package io.careloop.links;

import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Short tracked links {@code /l/{code}}: one per target (a KB article in a case, a blog post's proactive tweet), each
 * click counted with a timestamp and the referrer's host and nothing personal, at most once per visitor and window.
 * A link's target is stored here, never taken from the request, so following one can only lead to our own pages.
 */
public final class TrackedLinks {
  public static final String LINKS = "kb_links";
  public static final String CLICKS = "kb_clicks";
  private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

  private final MongoClient mongo;
  private final Database database;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final ClickWindow window;

  public TrackedLinks(Database database, Clock clock) {
    this.mongo = database.mongo();
    this.database = database;
    this.clock = clock;
    this.window = new ClickWindow(clock);
  }

  /** The link for this target (the same one when asked again), durable before it is handed out. */
  public Future<JsonObject> linkFor(JsonObject target) {
    return mongo.findOne(LINKS, target, null).compose(found -> {
      if (found != null) return Future.succeededFuture(found);
      JsonObject doc = target.copy().put("_id", code()).put("clicks", 0).put("createdAt", Dates.bson(clock.instant()));
      return mongo.insert(LINKS, doc).compose(r -> database.durable()).map(doc);
    });
  }

  /** The link (with its target), or empty for an unknown code. Counts nothing: see {@link #click}. */
  public Future<Optional<JsonObject>> find(String code) {
    return mongo.findOne(LINKS, new JsonObject().put("_id", code), null).map(Optional::ofNullable);
  }

  /**
   * Counts a click on a link that leads somewhere public, unless this visitor's click on it was counted within the
   * window ({@link ClickWindow}); true when counted. The address and user agent only feed the window's keyed hash:
   * what is stored is, as before, the time and the referrer's host.
   */
  public Future<Boolean> click(String code, String clientAddress, String userAgent, String referrerHost) {
    if (!window.firstInWindow(clientAddress, userAgent, code)) return Future.succeededFuture(false);
    return mongo.updateCollection(LINKS, new JsonObject().put("_id", code), new JsonObject().put("$inc", new JsonObject().put("clicks", 1)))
      .compose(r -> mongo.insert(CLICKS, new JsonObject().put("code", code).put("at", Dates.bson(clock.instant())).put("referrerHost", referrerHost)))
      .map(true);
  }

  /** Clicks counted since {@code since}, on any link. */
  public Future<Long> clicksSince(Instant since) {
    return mongo.count(CLICKS, new JsonObject().put("at", new JsonObject().put("$gte", Dates.bson(since))));
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
