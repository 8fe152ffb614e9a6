package io.careloop.queue;

import io.careloop.queue.SlaEvent.Kind;
import io.careloop.store.Bulk;
import io.careloop.store.Dates;
import io.careloop.store.MongoErrors;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.Instant;
import java.util.List;

/**
 * The SLA event log of each case, after Zendesk's ticket metric events: applied, warning, breached, fulfilled, paused,
 * resumed, stopped. An event's id is made of the case, the metric, the kind and the deadline it concerns, so it is
 * recorded once however often (or on however many nodes) the step that records it runs.
 */
public final class SlaEvents {
  public static final String COLLECTION = "sla_events";
  /** Published once per recorded event: {@code {"caseId","metric","kind","at","dueAt",...}}. */
  public static final String ADDRESS = "careloop.sla.event";

  private final MongoClient mongo;
  private final EventBus events;
  /** Orders events recorded at the same instant (a follow-up resumes the clock, then applies the next target). */
  private final java.util.concurrent.atomic.AtomicLong sequence = new java.util.concurrent.atomic.AtomicLong(System.currentTimeMillis() * 1000);

  public SlaEvents(MongoClient mongo, EventBus events) {
    this.mongo = mongo;
    this.events = events;
  }

  /** Records the event unless it is already recorded; completes with whether this call recorded it. */
  public Future<Boolean> record(String caseId, SlaMetric metric, Kind kind, Instant dueAt, Instant at, JsonObject details) {
    JsonObject doc = document(caseId, metric, kind, dueAt, at, details);
    return mongo.insert(COLLECTION, doc).map(r -> {
      events.publish(ADDRESS, announced(doc));
      return true;
    }).recover(e -> MongoErrors.isDuplicateKey(e) ? Future.succeededFuture(false) : Future.failedFuture(e));
  }

  /** Records, in one bulk write, the events not recorded yet, and announces those. */
  public Future<Void> recordAll(List<SlaEvent> batch) {
    if (batch.isEmpty()) return Future.succeededFuture();
    List<JsonObject> docs = batch.stream().map(e -> document(e.caseId(), e.metric(), e.kind(), e.dueAt(), e.at(), e.details().isEmpty() ? null : new JsonObject(new java.util.LinkedHashMap<>(e.details())))).toList();
    return Bulk.insertNew(mongo, COLLECTION, docs).map(inserted -> {
      inserted.stream().forEach(i -> events.publish(ADDRESS, announced(docs.get(i))));
      return null;
    });
  }

  private JsonObject document(String caseId, SlaMetric metric, Kind kind, Instant dueAt, Instant at, JsonObject details) {
    int round = details == null ? 0 : details.getInteger("round", 0);
    JsonObject doc = new JsonObject().put("_id", id(caseId, metric.wire(), kind.name(), dueAt) + Reopening.round(round)).put("caseId", caseId).put("metric", metric.wire())
      .put("kind", kind.name()).put("at", Dates.bson(at)).put("dueAt", dueAt == null ? null : Dates.bson(dueAt)).put("seq", sequence.incrementAndGet());
    if (details != null) doc.mergeIn(details);
    return doc;
  }

  /** The event's id: the same step recorded twice (or on two nodes) has the same id. */
  public static String id(String caseId, String metric, String kind, Instant dueAt) {
    return caseId + "|" + metric + "|" + kind + "|" + (dueAt == null ? "-" : dueAt.toEpochMilli());
  }

  /**
   * The id of an event as stored or announced: {@link #id} and, for a clock stopped again after an undo, its round
   * ({@link Reopening#round}).
   */
  public static String id(JsonObject event, Instant dueAt) {
    return id(event.getString("caseId"), event.getString("metric"), event.getString("kind"), dueAt) + Reopening.round(event.getInteger("round", 0));
  }

  public Future<List<JsonObject>> forCase(String caseId) {
    return mongo.findWithOptions(COLLECTION, new JsonObject().put("caseId", caseId),
      new FindOptions().setSort(new JsonObject().put("at", 1).put("seq", 1))).map(l -> l.stream().map(SlaEvents::view).toList());
  }

  /** The event as announced: its view and its {@code seq}, which analytics uses as its checkpoint. */
  private static JsonObject announced(JsonObject doc) {
    return view(doc).put("seq", doc.getLong("seq"));
  }

  static JsonObject view(JsonObject doc) {
    JsonObject v = doc.copy();
    v.remove("_id");
    v.remove("seq");
    v.put("at", Dates.instant(doc.getValue("at")).toString());
    Instant due = Dates.instant(doc.getValue("dueAt"));
    v.put("dueAt", due == null ? null : due.toString());
    return v;
  }

  /** The stored event with this id ({@link #id}), or null (analytics looks up when a clock started). */
  public Future<JsonObject> find(String id) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", id), null);
  }

  /**
   * Every stored event of these kinds with a {@code seq} above {@code afterSeq} (all of them when null), as stored:
   * analytics catches up from its checkpoint this way at start.
   */
  public Future<Long> forEachSince(Long afterSeq, List<Kind> kinds, java.util.function.Consumer<JsonObject> each) {
    JsonObject q = new JsonObject().put("kind", new JsonObject().put("$in",
      new io.vertx.core.json.JsonArray(kinds.stream().map(Kind::name).toList())));
    if (afterSeq != null) q.put("seq", new JsonObject().put("$gt", afterSeq));
    return io.careloop.store.Paged.forEach(mongo, COLLECTION, q, null, each);
  }
}
