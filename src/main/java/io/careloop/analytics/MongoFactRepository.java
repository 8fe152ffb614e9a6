package io.careloop.analytics;

import io.careloop.store.CountedRollup;
import io.careloop.store.Paged;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.LocalDate;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The analytics facts ({@code analytics_facts}, one per counted SLA event, summed into the days exactly once by
 * {@link CountedRollup}) and each node's start-up checkpoint in the SLA event log ({@code analytics_state}).
 */
final class MongoFactRepository {
  static final String FACTS = "analytics_facts";
  static final String STATE = "analytics_state";
  private static final String CHECKPOINTS = "sla-events";

  private final MongoClient mongo;
  private final CountedRollup counted;

  MongoFactRepository(MongoClient mongo) {
    this.mongo = mongo;
    this.counted = new CountedRollup(mongo, FACTS, "day");
  }

  Future<Boolean> exists(String id) {
    return mongo.findOne(FACTS, new JsonObject().put("_id", id), new JsonObject().put("_id", 1)).map(f -> f != null);
  }

  /** The fact, then its day's additions ({@code addToDay}), exactly once across crashes. */
  Future<Void> add(JsonObject fact, Supplier<Future<?>> addToDay) {
    return counted.add(fact, addToDay);
  }

  /** Recounts (with {@code recountDay}) every day a crash left with a fact not yet added. */
  Future<Integer> repair(Function<String, Future<?>> recountDay) {
    return counted.repair(recountDay);
  }

  Future<List<JsonObject>> ofDay(String day) {
    return mongo.find(FACTS, new JsonObject().put("day", day));
  }

  Future<Long> forEach(Consumer<JsonObject> each) {
    return Paged.forEach(mongo, FACTS, new JsonObject(), null, each);
  }

  Future<Boolean> any() {
    return mongo.findOne(FACTS, new JsonObject(), new JsonObject().put("_id", 1)).map(f -> f != null);
  }

  /** The ids of every fact, read once (cheaper than many look-ups on the embedded server). */
  Future<Set<String>> allIds() {
    Set<String> known = new HashSet<>();
    return Paged.forEach(mongo, FACTS, new JsonObject(), new JsonObject().put("_id", 1), f -> known.add(f.getString("_id"))).map(n -> known);
  }

  /** Those of these ids that have a fact. */
  Future<Set<String>> idsAmong(List<String> ids) {
    return mongo.findWithOptions(FACTS, new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(ids))),
        new FindOptions().setFields(new JsonObject().put("_id", 1)))
      .map(found -> {
        Set<String> known = new HashSet<>();
        found.forEach(f -> known.add(f.getString("_id")));
        return known;
      });
  }

  /** Every counted response between two UTC dates, oldest first (the CSV export). */
  Future<List<JsonObject>> responses(LocalDate from, LocalDate to) {
    return mongo.findWithOptions(FACTS, new JsonObject().put("kind", "fulfilled")
        .put("day", new JsonObject().put("$gte", from.toString()).put("$lte", to.toString())),
      new FindOptions().setSort(new JsonObject().put("respondedAt", 1)));
  }

  // ---- checkpoints ----

  /** The checkpoint id of a node ({@code sla-events@<node>}). */
  static String checkpointOf(String nodeId) {
    return CHECKPOINTS + "@" + nodeId;
  }

  /** The lowest checkpoint of every node (and of the single one kept before there were several), or null with none. */
  Future<Long> lowestCheckpoint() {
    return mongo.find(STATE, everyCheckpoint()).map(checkpoints -> {
      long lowest = checkpoints.stream().mapToLong(c -> c.getLong("seq", Long.MIN_VALUE)).min().orElse(Long.MIN_VALUE);
      return lowest == Long.MIN_VALUE ? null : lowest;
    });
  }

  /** Moves one checkpoint up to {@code seq} (never down). */
  Future<Void> raise(String checkpointId, long seq) {
    return mongo.updateCollectionWithOptions(STATE, new JsonObject().put("_id", checkpointId),
      new JsonObject().put("$max", new JsonObject().put("seq", seq)), new UpdateOptions().setUpsert(true)).mapEmpty();
  }

  /** Moves every node's checkpoint up to {@code seq} (never down). */
  Future<Void> raiseAll(long seq) {
    return mongo.updateCollectionWithOptions(STATE, everyCheckpoint(), new JsonObject().put("$max", new JsonObject().put("seq", seq)),
      new UpdateOptions().setMulti(true)).mapEmpty();
  }

  private static JsonObject everyCheckpoint() {
    return new JsonObject().put("_id", new JsonObject().put("$regex", "^" + CHECKPOINTS + "($|@)"));
  }
}
