package io.careloop.scaleout;

import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The nodes sharing this database, each with a heartbeat in {@code nodes}: what health shows, and how a node learns
 * at start that another live process already uses its id (two nodes under one id would take each other's leases).
 */
public final class NodeRegistry {
  private static final Logger log = LoggerFactory.getLogger(NodeRegistry.class);
  public static final String COLLECTION = "nodes";

  private final Vertx vertx;
  private final MongoClient mongo;
  private final Clock clock;
  private final String nodeId;
  private final String instance = UUID.randomUUID().toString();
  private final Duration beatEvery;
  private final Duration deadAfter;
  private long timer = -1;
  private Instant startedAt;
  private final JsonObject about = new JsonObject();

  public NodeRegistry(Vertx vertx, MongoClient mongo, Clock clock, String nodeId, Duration leaseTtl) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.clock = clock;
    this.nodeId = nodeId;
    this.beatEvery = leaseTtl.dividedBy(3);
    this.deadAfter = leaseTtl.multipliedBy(2);
  }

  /**
   * Joins: when another process still beats under this id, waits for its heartbeat to go stale (a node restarted
   * after a crash) and refuses to start if it keeps beating (a second node given the same id).
   */
  public Future<Void> start(boolean clustered) {
    startedAt = clock.instant();
    about.put("clustered", clustered).put("startedAt", Dates.bson(startedAt));
    Promise<Void> free = Promise.promise();
    // Alone, the id's previous holder can only be this node's own crashed process: no wait.
    if (clustered) awaitFree(clock.instant().plus(deadAfter).plus(beatEvery), free); else free.complete();
    return free.future().compose(v -> beat()).onSuccess(v -> timer = vertx.setPeriodic(beatEvery.toMillis(), t -> beat()));
  }

  /** Adds what health should show about this node (its HTTP port once listening). */
  public void about(String key, Object value) {
    about.put(key, value);
  }

  private void awaitFree(Instant giveUpAt, Promise<Void> free) {
    mongo.findOne(COLLECTION, new JsonObject().put("_id", nodeId), null).onComplete(ar -> {
      if (ar.failed()) {
        free.fail(ar.cause());
        return;
      }
      JsonObject other = ar.result();
      if (other == null || !alive(other, clock.instant())) {
        free.complete();
      } else if (clock.instant().isAfter(giveUpAt)) {
        free.fail(new IllegalStateException("another CareLoop node is running with node id " + nodeId
          + " (last seen " + Dates.instant(other.getValue("seenAt")) + "): give each node its own CARELOOP_NODE_ID"));
      } else {
        log.info("Node id {} was in use until {}; waiting for that process's heartbeat to stop", nodeId, Dates.instant(other.getValue("seenAt")));
        vertx.setTimer(beatEvery.toMillis(), t -> awaitFree(giveUpAt, free));
      }
    });
  }

  private boolean alive(JsonObject node, Instant now) {
    Instant seen = Dates.instant(node.getValue("seenAt"));
    return node.getValue("stoppedAt") == null && seen != null && seen.plus(deadAfter).isAfter(now);
  }

  private Future<Void> beat() {
    Instant now = clock.instant();
    JsonObject set = about.copy().put("instance", instance).put("seenAt", Dates.bson(now)).put("stoppedAt", (Object) null);
    return mongo.updateCollectionWithOptions(COLLECTION, new JsonObject().put("_id", nodeId), new JsonObject().put("$set", set),
        new UpdateOptions().setUpsert(true)).<Void>mapEmpty()
      .onFailure(e -> log.debug("Heartbeat not written (next in {} ms)", beatEvery.toMillis(), e));
  }

  /** Graceful stop: marked stopped at once, so health does not show it as alive until the heartbeat goes stale. */
  public Future<Void> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    return mongo.updateCollection(COLLECTION, new JsonObject().put("_id", nodeId).put("instance", instance),
      new JsonObject().put("$set", new JsonObject().put("stoppedAt", Dates.bson(clock.instant())))).<Void>mapEmpty().otherwiseEmpty();
  }

  /** Every node that ever joined, alive or not, with how long ago it was last heard of. */
  public Future<List<JsonObject>> describe() {
    Instant now = clock.instant();
    return mongo.findWithOptions(COLLECTION, new JsonObject(), new FindOptions().setSort(new JsonObject().put("_id", 1))).map(docs -> docs.stream().map(d -> {
      Instant seen = Dates.instant(d.getValue("seenAt"));
      String id = d.getString("_id");
      return new JsonObject().put("id", id).put("self", nodeId.equals(id)).put("alive", alive(d, now))
        .put("seenAgoMs", seen == null ? null : Duration.between(seen, now).toMillis())
        .put("startedAt", d.getValue("startedAt") == null ? null : Dates.instant(d.getValue("startedAt")).toString())
        .put("clustered", d.getBoolean("clustered", false)).put("httpPort", d.getInteger("httpPort"));
    }).toList());
  }
}
