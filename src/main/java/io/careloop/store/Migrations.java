package io.careloop.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * One-off changes to stored data (a database from before a feature), each run once: its marker goes into
 * {@code migrations} only after the work, so a crash half-way runs it again. The work must therefore be idempotent.
 * The store owns the markers; each feature owns its migration and the data it changes.
 */
public final class Migrations {
  public static final String MIGRATIONS = "migrations";

  private final MongoClient mongo;
  private final Clock clock;

  public Migrations(MongoClient mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  /** Runs {@code work} unless a migration of this name has finished before. */
  public Future<Void> once(String name, Supplier<Future<?>> work) {
    JsonObject marker = new JsonObject().put("_id", name);
    return mongo.findOne(MIGRATIONS, marker, null).compose(done -> done != null ? Future.succeededFuture()
      : work.get().compose(v -> mongo.insert(MIGRATIONS, marker.copy().put("at", Dates.bson(clock.instant())))).mapEmpty());
  }
}
