package io.careloop.queue;

import io.careloop.audit.AuditLog;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Clock;

/**
 * The brand's service-level book, stored as one document (so a change is one atomic write) and kept in memory for
 * computing deadlines. A change applies to deadlines set after it, and is audited.
 */
public final class SlaService {
  public static final String COLLECTION = "sla";

  private final MongoClient mongo;
  private final Database database;
  private final AuditLog audit;
  private final Clock clock;
  private final String brand;
  private volatile SlaBook book;

  public SlaService(Database database, AuditLog audit, Clock clock, String brand) {
    this.mongo = database.mongo();
    this.database = database;
    this.audit = audit;
    this.clock = clock;
    this.brand = brand;
  }

  /** Loads the stored book, or stores {@code defaults} when the brand has none yet. */
  public Future<SlaBook> load(SlaBook defaults) {
    JsonObject doc = new JsonObject().put("_id", brand).put("book", SlaBookJson.write(defaults)).put("updatedAt", Dates.bson(clock.instant()));
    return mongo.updateCollectionWithOptions(COLLECTION, new JsonObject().put("_id", brand),
        new JsonObject().put("$setOnInsert", doc), new UpdateOptions().setUpsert(true))
      .compose(r -> mongo.findOne(COLLECTION, new JsonObject().put("_id", brand), null))
      .map(stored -> book = SlaBookJson.parse(stored.getJsonObject("book")));
  }

  public SlaBook book() { return book; }

  public JsonObject current() { return SlaBookJson.write(book); }

  /** Replaces the book (validated first: a bad book is refused whole and nothing changes). */
  public Future<JsonObject> replace(JsonObject proposed, String actor) {
    SlaBook parsed = SlaBookJson.parse(proposed);
    JsonObject before = SlaBookJson.write(book);
    JsonObject after = SlaBookJson.write(parsed);
    return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", brand), new JsonObject().put("$set",
        new JsonObject().put("book", after).put("updatedAt", Dates.bson(clock.instant())).put("updatedBy", actor)))
      .compose(r -> audit.record(actor, "sla.changed", brand, before, after))
      .compose(v -> database.durable())
      .map(v -> {
        book = parsed;
        return after;
      });
  }
}
