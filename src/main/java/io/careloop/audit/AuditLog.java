package io.careloop.audit;

import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;
import java.util.List;
import java.util.UUID;

/** Who did what, when, with the state before and after: replies, dismissals, policy and user changes. */
public final class AuditLog {
  public static final String COLLECTION = "audit";

  private final MongoClient mongo;
  private final Clock clock;

  public AuditLog(MongoClient mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  public Future<Void> record(String actor, String action, String target, Object before, Object after) {
    JsonObject entry = new JsonObject().put("_id", UUID.randomUUID().toString()).put("at", Dates.bson(clock.instant()))
      .put("actor", actor).put("action", action).put("target", target).put("before", before).put("after", after);
    return mongo.insert(COLLECTION, entry).mapEmpty();
  }

  /** Newest first, optionally filtered by action and actor. */
  public Future<List<JsonObject>> find(String action, String actor, int limit) {
    JsonObject query = new JsonObject();
    if (action != null) query.put("action", action);
    if (actor != null) query.put("actor", actor);
    return mongo.findWithOptions(COLLECTION, query, new FindOptions().setSort(new JsonObject().put("at", -1)).setLimit(limit))
      .map(list -> list.stream().map(e -> new JsonObject().put("id", e.getString("_id"))
        .put("at", Dates.instant(e.getValue("at")).toString()).put("actor", e.getString("actor"))
        .put("action", e.getString("action")).put("target", e.getString("target"))
        .put("before", e.getValue("before")).put("after", e.getValue("after"))).toList());
  }

  public static JsonArray array(List<JsonObject> entries) { return new JsonArray(entries); }
}
