package io.careloop.scaleout;

import io.careloop.store.Dates;
import io.careloop.store.MongoErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Work that one node at a time may do (polling a source), held through a lease document in MongoDB: the holder, an
 * expiry the holder keeps pushing forward, and a fencing token raised at every change of holder. The database is
 * the only judge: a node that stopped renewing (dead, frozen, cut off) loses the lease once it expires, and the
 * resources the work writes to remember the highest token they have seen, so a late write of the old holder is
 * refused there (see {@code MongoSourceRepository#advanceCheckpoint}). Node clocks are assumed to agree within a
 * fraction of the lease time (NTP); a larger skew delays a takeover or lets one happen early, and the fencing keeps
 * even an early takeover from doing harm.
 */
public final class Leases {
  private static final Logger log = LoggerFactory.getLogger(Leases.class);
  public static final String COLLECTION = "leases";

  /** A lease this node holds: its token, and until when it is ours unless renewed. */
  public record Held(String name, long token, Instant expiresAt) {}

  private final Vertx vertx;
  private final MongoClient mongo;
  private final Clock clock;
  private final String nodeId;
  private final Duration ttl;
  private final Map<String, Held> held = new ConcurrentHashMap<>();
  /** Leases whose document is known to exist: a node waiting for one does not try to create it every second. */
  private final java.util.Set<String> existing = ConcurrentHashMap.newKeySet();
  private final AtomicLong fencedWrites = new AtomicLong();
  private long renewTimer = -1;
  private Future<Void> renewing = Future.succeededFuture();

  public Leases(Vertx vertx, MongoClient mongo, Clock clock, String nodeId, Duration ttl) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.clock = clock;
    this.nodeId = nodeId;
    this.ttl = ttl;
  }

  /** Renews what this node holds three times per lease time, so one missed renewal costs nothing. */
  public void start() {
    renewTimer = vertx.setPeriodic(renewEvery().toMillis(), t -> {
      if (renewing.isComplete()) renewing = renewAll();
    });
  }

  public String nodeId() { return nodeId; }

  public Duration ttl() { return ttl; }

  public Duration renewEvery() { return ttl.dividedBy(3); }

  /** How often a node without the lease looks whether it has become free: a dead holder is replaced within ttl + this. */
  public Duration checkEvery() { return Duration.ofMillis(Math.min(1_000, ttl.toMillis() / 3)); }

  /**
   * This node's fencing token for the lease, taking the lease when it is free (or held by this node's previous
   * process); empty while another node holds it.
   */
  public Future<Optional<Long>> hold(String name) {
    Instant now = clock.instant();
    Held mine = held.get(name);
    if (mine != null && mine.expiresAt().isAfter(now)) return Future.succeededFuture(Optional.of(mine.token()));
    if (mine != null) held.remove(name, mine);
    return take(name, now).map(h -> h.map(Held::token));
  }

  /** Whether this node still believes it holds the lease with this token (the database may already know better). */
  public boolean holds(String name, long token) {
    Held mine = held.get(name);
    return mine != null && mine.token() == token && mine.expiresAt().isAfter(clock.instant());
  }

  /** A write of the resource was refused because a newer token had been there: this node lost the lease. */
  public void fenced(String name, long token) {
    fencedWrites.incrementAndGet();
    held.computeIfPresent(name, (n, h) -> h.token() == token ? null : h);
  }

  /** Leases this node holds now (metrics). */
  public int heldCount() { return held.size(); }

  /** Writes refused by fencing since this node started (health). */
  public long fencedWrites() { return fencedWrites.get(); }

  private Future<Optional<Held>> take(String name, Instant now) {
    Instant expires = now.plus(ttl);
    // Free when expired; a lease under this node's own id was held by its previous process (ids are unique among
    // running nodes, see NodeRegistry), so a restart takes it back at once instead of waiting out the lease.
    JsonObject free = new JsonObject().put("_id", name).put("$or", new JsonArray()
      .add(new JsonObject().put("expiresAt", new JsonObject().put("$lte", Dates.bson(now))))
      .add(new JsonObject().put("holder", nodeId)));
    JsonObject update = new JsonObject()
      .put("$set", new JsonObject().put("holder", nodeId).put("expiresAt", Dates.bson(expires))
        .put("acquiredAt", Dates.bson(now)).put("renewedAt", Dates.bson(now)))
      .put("$inc", new JsonObject().put("token", 1L));
    return mongo.findOneAndUpdateWithOptions(COLLECTION, free, update, new FindOptions(), new UpdateOptions().setReturningNewDocument(true))
      .compose(doc -> {
        if (doc != null) return Future.succeededFuture(Optional.of(took(name, doc)));
        if (existing.contains(name)) return Future.succeededFuture(Optional.<Held>empty());
        JsonObject first = new JsonObject().put("_id", name).put("holder", nodeId).put("token", 1L)
          .put("expiresAt", Dates.bson(expires)).put("acquiredAt", Dates.bson(now)).put("renewedAt", Dates.bson(now));
        // No document yet, or held by another node: only the first of several nodes inserting wins.
        return mongo.insert(COLLECTION, first).map(id -> Optional.of(took(name, first)))
          .recover(e -> {
            if (!MongoErrors.isDuplicateKey(e)) return Future.failedFuture(e);
            existing.add(name);
            return Future.succeededFuture(Optional.empty());
          });
      });
  }

  private Held took(String name, JsonObject doc) {
    Held h = new Held(name, doc.getLong("token"), Dates.instant(doc.getValue("expiresAt")));
    existing.add(name);
    held.put(name, h);
    log.info("Node {} holds lease {} with token {}", nodeId, name, h.token());
    return h;
  }

  /** Pushes the expiry of every lease held; one that another node took meanwhile is dropped. */
  Future<Void> renewAll() {
    Instant now = clock.instant();
    List<Future<Void>> all = held.values().stream().map(h -> renew(h, now)).toList();
    return Future.join(all).<Void>mapEmpty().otherwiseEmpty();
  }

  private Future<Void> renew(Held h, Instant now) {
    Instant expires = now.plus(ttl);
    JsonObject mine = new JsonObject().put("_id", h.name()).put("holder", nodeId).put("token", h.token());
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("expiresAt", Dates.bson(expires)).put("renewedAt", Dates.bson(now)));
    // A failed renewal keeps the old expiry: past it, hold() no longer trusts the lease.
    return mongo.updateCollection(COLLECTION, mine, update).map(r -> {
      if (r.getDocMatched() > 0) {
        held.replace(h.name(), h, new Held(h.name(), h.token(), expires));
      } else if (held.remove(h.name(), h)) {
        log.warn("Node {} lost lease {} (token {}): another node took it", nodeId, h.name(), h.token());
      }
      return (Void) null;
    }).onFailure(e -> log.warn("Lease {} not renewed (retried in {} ms)", h.name(), renewEvery().toMillis(), e));
  }

  /** Graceful stop: gives up every lease at once, so another node takes over without waiting for the expiry. */
  public Future<Void> release() {
    if (renewTimer >= 0) vertx.cancelTimer(renewTimer);
    Instant now = clock.instant();
    List<Future<Void>> all = held.values().stream().map(h -> mongo.updateCollection(COLLECTION,
        new JsonObject().put("_id", h.name()).put("holder", nodeId).put("token", h.token()),
        new JsonObject().put("$set", new JsonObject().put("expiresAt", Dates.bson(now)).put("releasedAt", Dates.bson(now))))
      .<Void>mapEmpty()).toList();
    held.clear();
    return Future.join(all).<Void>mapEmpty().otherwiseEmpty();
  }

  /** Every lease as stored, for health: who holds it, its token and how old it is. */
  public Future<List<JsonObject>> describe() {
    Instant now = clock.instant();
    return mongo.findWithOptions(COLLECTION, new JsonObject(), new FindOptions().setSort(new JsonObject().put("_id", 1))).map(docs -> docs.stream().map(d -> {
      Instant acquired = Dates.instant(d.getValue("acquiredAt"));
      Instant renewed = Dates.instant(d.getValue("renewedAt"));
      Instant expires = Dates.instant(d.getValue("expiresAt"));
      boolean live = expires != null && expires.isAfter(now);
      return new JsonObject().put("name", d.getString("_id")).put("holder", live ? d.getString("holder") : null)
        .put("lastHolder", d.getString("holder")).put("token", d.getLong("token"))
        .put("heldForMs", live && acquired != null ? Duration.between(acquired, now).toMillis() : null)
        .put("renewedAgoMs", renewed == null ? null : Duration.between(renewed, now).toMillis())
        .put("expiresInMs", expires == null ? null : Duration.between(now, expires).toMillis());
    }).toList());
  }
}
