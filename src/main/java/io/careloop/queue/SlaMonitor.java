package io.careloop.queue;

import io.careloop.scaleout.LeaseKeeper;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static io.careloop.store.InOrder.each;

/**
 * The server-side SLA scan. It works only from what is stored (each waiting case's {@code warnAt}, {@code dueAt}
 * and its {@code warned}/{@code breached} flags), so a restart or a second node changes nothing: a flag is flipped by
 * a conditional update that only one scanner can win, and the event it records has a deterministic id.
 * A breach under an escalating policy raises the priority one step and notifies leads. With several nodes only the
 * holder of the {@code sla-scan} lease scans (the conditional updates keep it correct during a handover, when two
 * may briefly both scan).
 */
public final class SlaMonitor {
  private static final Logger log = LoggerFactory.getLogger(SlaMonitor.class);
  /** Leads are told of escalations here: {@code {"caseId","priority"}}. */
  public static final String ESCALATED = "careloop.sla.escalated";
  private static final int BATCH = 200;

  private final Vertx vertx;
  private final MongoClient mongo;
  private final Database database;
  private final SlaEvents events;
  private final Clock clock;
  private final OpenQueueSync openQueue;
  private final LeaseKeeper keeper;
  private io.vertx.core.Context context;
  static final String LEASE = "sla-scan";

  public SlaMonitor(Vertx vertx, Database database, OpenQueueSync openQueue, SlaEvents events, Clock clock, Duration every,
                    io.careloop.scaleout.Leases leases) {
    this.openQueue = openQueue;
    this.vertx = vertx;
    this.mongo = database.mongo();
    this.database = database;
    this.events = events;
    this.clock = clock;
    // The holder scans at every tick, the one that took the lease over too.
    this.keeper = new LeaseKeeper(vertx, leases, LEASE, every, "SLA scan", new LeaseKeeper.Duty() {
      @Override public Future<?> took(long token) { return scan(); }
      @Override public Future<?> kept(long token) { return scan(); }
    });
  }

  public void start() {
    context = vertx.getOrCreateContext();
    keeper.start();
  }

  public Future<Void> stop() {
    return keeper.stop();
  }

  /**
   * Test seam: one scan now, on the monitor's context and after the scan under way if any, so that when it completes
   * every warning and breach due at the clock's present time is recorded. Tests call it instead of waiting for the
   * timer; it does not ask for the lease (one node).
   */
  public Future<Void> scanNow() {
    io.vertx.core.Promise<Void> done = io.vertx.core.Promise.promise();
    context.runOnContext(v -> keeper.afterCurrent(this::scan).onComplete(done));
    return done.future();
  }

  /** One pass: every due warning, then every due breach (the candidates are re-checked by {@link SlaRules}). */
  public Future<Void> scan() {
    Instant now = clock.instant();
    return due("warnAt", "warned", now).compose(list -> each(list, c -> decide(c, now, SlaEvent.Kind.warning) ? warn(c, now) : Future.succeededFuture()))
      .compose(v -> due("dueAt", "breached", now))
      .compose(list -> each(list, c -> decide(c, now, SlaEvent.Kind.breached) ? breach(c, now) : Future.succeededFuture()))
      .compose(v -> database.durable());
  }

  private static boolean decide(JsonObject c, Instant now, SlaEvent.Kind kind) {
    return SlaRules.onScan(clockOf(c), now).contains(kind);
  }

  static SlaRules.Clock clockOf(JsonObject c) {
    return new SlaRules.Clock(CaseState.fromWire(c.getString("state")).claimable(), Dates.instant(c.getValue("warnAt")),
      Dates.instant(c.getValue("dueAt")), c.getBoolean("warned", false), c.getBoolean("breached", false));
  }

  /**
   * The cases whose warning or deadline has come. Once the open queue is in memory the candidates come from it (no
   * scan of every case each second) and are read again by key, so what is decided on is what is stored.
   */
  private Future<List<JsonObject>> due(String when, String flag, Instant now) {
    if (openQueue.loaded()) {
      List<String> ids = openQueue.queue().due(when.equals("dueAt"), now, BATCH);
      return Future.all(ids.stream().map(id -> mongo.findOne(MongoCaseRepository.CASES, new JsonObject().put("_id", id), null)).toList())
        .map(all -> all.<JsonObject>list().stream().filter(java.util.Objects::nonNull).toList());
    }
    // The embedded server answers this query by scanning every case: not while the load does the same (seconds).
    if (openQueue.loading()) return Future.succeededFuture(List.of());
    JsonObject query = MongoCaseRepository.stateIn(CaseState.WAITING_ON_US)
      .put(flag, false).put(when, new JsonObject().put("$lte", Dates.bson(now)));
    return mongo.findWithOptions(MongoCaseRepository.CASES, query, new FindOptions().setLimit(BATCH).setSort(new JsonObject().put(when, 1)));
  }

  private Future<Void> warn(JsonObject c, Instant now) {
    return flip(c, "warned", new JsonObject()).compose(won -> !won ? Future.succeededFuture()
      : events.record(c.getString("_id"), metric(c), SlaEvent.Kind.warning, Dates.instant(c.getValue("dueAt")), now,
        new JsonObject().put("warnAt", Dates.instant(c.getValue("warnAt")).toString())).mapEmpty());
  }

  private Future<Void> breach(JsonObject c, Instant now) {
    boolean escalate = c.getBoolean("slaEscalate", false) && !c.getBoolean("escalated", false);
    Priority before = Priority.valueOf(c.getString("priority"));
    JsonObject extra = new JsonObject();
    if (escalate) extra.put("priority", before.raised().name()).put("escalated", true);
    return flip(c, "breached", extra).compose(won -> {
      if (!won) return Future.succeededFuture();
      JsonObject details = new JsonObject().put("escalated", escalate);
      if (escalate) details.put("priorityBefore", before.name()).put("priorityAfter", before.raised().name());
      return events.record(c.getString("_id"), metric(c), SlaEvent.Kind.breached, Dates.instant(c.getValue("dueAt")), now, details)
        .onSuccess(recorded -> {
          if (recorded && escalate) {
            vertx.eventBus().publish(ESCALATED, new JsonObject().put("caseId", c.getString("_id")).put("priority", before.raised().name()));
          }
        }).mapEmpty();
    });
  }

  /** Sets the flag only if it is still unset for this very deadline; true when this scanner won. */
  private Future<Boolean> flip(JsonObject c, String flag, JsonObject extra) {
    JsonObject query = new JsonObject().put("_id", c.getString("_id")).put(flag, false).put("dueAt", c.getValue("dueAt"));
    JsonObject set = extra.copy().put(flag, true);
    return mongo.updateCollection(MongoCaseRepository.CASES, query, new JsonObject().put("$set", set)).map(r -> r.getDocModified() > 0)
      .onSuccess(won -> {
        if (won) vertx.eventBus().publish(CaseEvents.CASE_UPDATED, new JsonObject().put("id", c.getString("_id")).put("reason", "sla-" + flag));
      });
  }

  private static SlaMetric metric(JsonObject c) { return SlaMetric.fromWire(c.getString("slaMetric", "first-response")); }
}
