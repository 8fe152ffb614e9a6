package io.careloop.analytics;

import io.careloop.queue.Case;
import io.careloop.queue.SlaEvent;
import io.careloop.queue.SlaEvents;
import io.careloop.queue.SlaService;
import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;

/**
 * Turns an SLA event into the fact it adds to the analytics, once: a response (timed from its clock's start), a
 * breach, a clock applied or stopped. What it needs of the case comes from the queue (the owner of cases), when the
 * clock started from the SLA event log.
 */
final class ResponseCounter {
  static final Set<SlaEvent.Kind> COUNTED = EnumSet.of(SlaEvent.Kind.fulfilled, SlaEvent.Kind.breached, SlaEvent.Kind.applied,
    SlaEvent.Kind.stopped, SlaEvent.Kind.restored);

  private final MongoFactRepository facts;
  private final MongoRollupRepository days;
  private final SlaEvents events;
  private final Function<String, Future<Case>> caseById;
  private final SlaService sla;

  ResponseCounter(MongoFactRepository facts, MongoRollupRepository days, SlaEvents events, Function<String, Future<Case>> caseById,
                  SlaService sla) {
    this.facts = facts;
    this.days = days;
    this.events = events;
    this.caseById = caseById;
    this.sla = sla;
  }

  /** Counts one SLA event ({@code at} and {@code dueAt} as ISO instants), once. */
  Future<Void> count(JsonObject event) {
    SlaEvent.Kind kind = kind(event.getString("kind"));
    if (kind == null || !COUNTED.contains(kind)) return Future.succeededFuture();
    String caseId = event.getString("caseId");
    String metric = event.getString("metric");
    Instant at = Instant.parse(event.getString("at"));
    Instant dueAt = event.getString("dueAt") == null ? null : Instant.parse(event.getString("dueAt"));
    // A clock stopped again after an undo has its round in the id, so it counts again (SlaEvents.id).
    String id = SlaEvents.id(event, dueAt);
    return facts.exists(id).compose(existing -> {
      if (existing) return Future.succeededFuture();
      // A clock applied needs nothing from the case: two reads fewer for every new case.
      if (kind == SlaEvent.Kind.applied) return store(FactDocuments.applied(id, caseId, at, metric.startsWith("first")));
      // An undone close: the stop it cancels took one from the backlog, this puts it back (no new case, no volume).
      if (kind == SlaEvent.Kind.restored) return store(FactDocuments.restored(id, caseId, at));
      return caseById.apply(caseId).compose(c -> {
        if (c == null) return Future.succeededFuture();
        return clockStart(c, metric, dueAt).compose(start -> store(switch (kind) {
          case fulfilled -> FactDocuments.response(ResponseFact.of(id, caseId, metric, c.brand(), c.sourceId(),
              c.priority().name(), event.getString("agent"), start, at, dueAt, event.getBoolean("met", true), sla.book().hours()),
            c.text(), c.customer().handle());
          case breached -> FactDocuments.breach(id, caseId, at, c.brand(), c.priority().name(), c.sourceId(), start);
          default -> FactDocuments.stopped(id, caseId, at);
        }));
      });
    });
  }

  private static SlaEvent.Kind kind(String s) {
    for (SlaEvent.Kind k : SlaEvent.Kind.values()) if (k.name().equals(s)) return k;
    return null;
  }

  /** The fact, then the day's $inc ({@link io.careloop.store.CountedRollup}: a crash in between is repaired at start). */
  private Future<Void> store(JsonObject fact) {
    var inc = FactDocuments.rollup(fact);
    String day = fact.getString("day");
    return facts.add(fact, () -> days.add(day, inc));
  }

  /** When the clock that this event belongs to started: its "applied" event, else the customer's post. */
  private Future<Instant> clockStart(Case c, String metric, Instant dueAt) {
    Instant created = c.createdAt();
    if (dueAt == null) return Future.succeededFuture(created);
    return events.find(SlaEvents.id(c.id(), metric, SlaEvent.Kind.applied.name(), dueAt))
      .map(applied -> applied == null ? created : Dates.instant(applied.getValue("at")));
  }
}
