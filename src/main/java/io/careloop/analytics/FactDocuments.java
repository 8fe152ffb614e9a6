package io.careloop.analytics;

import io.careloop.queue.SlaEvent;
import io.careloop.queue.SlaEvents;
import io.careloop.store.Dates;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.Map;

/**
 * Analytics facts as stored in {@code analytics_facts} (id = the SLA event's id, so an event counts once), and what
 * each adds to its day ({@link Rollup}): the one place a fact's document is written or read.
 */
public final class FactDocuments {
  private FactDocuments() {}

  /** A response, with the customer's words and handle for the CSV export. */
  static JsonObject response(ResponseFact f, String text, String handle) {
    return toJson(f).put("text", text).put("handle", handle);
  }

  public static JsonObject toJson(ResponseFact f) {
    return new JsonObject().put("_id", f.id()).put("kind", SlaEvent.Kind.fulfilled.name()).put("caseId", f.caseId()).put("metric", f.metric())
      .put("brand", f.brand()).put("source", f.source()).put("priority", f.priority()).put("agent", f.agent())
      .put("startedAt", date(f.startedAt())).put("respondedAt", date(f.respondedAt()))
      .put("dueAt", f.dueAt() == null ? null : date(f.dueAt()))
      .put("seconds", f.seconds()).put("businessSeconds", f.businessSeconds()).put("met", f.met()).put("day", f.day());
  }

  static ResponseFact responseFact(JsonObject d) {
    return new ResponseFact(d.getString("_id"), d.getString("caseId"), d.getString("metric"), d.getString("brand"), d.getString("source"),
      d.getString("priority"), d.getString("agent"), Dates.instant(d.getValue("startedAt")), Dates.instant(d.getValue("respondedAt")),
      Dates.instant(d.getValue("dueAt")), d.getLong("seconds"), d.getLong("businessSeconds"), d.getBoolean("met"));
  }

  /** A breach, counted per group from when its clock started. */
  static JsonObject breach(String id, String caseId, Instant at, String brand, String priority, String source, Instant startedAt) {
    return new JsonObject().put("_id", id).put("kind", SlaEvent.Kind.breached.name()).put("caseId", caseId).put("day", Rollup.day(at))
      .put("brand", brand).put("priority", priority).put("source", source).put("startedAt", date(startedAt));
  }

  /** A clock applied; {@code newCase} when it is a first response's (a new case). */
  static JsonObject applied(String id, String caseId, Instant at, boolean newCase) {
    return new JsonObject().put("_id", id).put("kind", SlaEvent.Kind.applied.name()).put("caseId", caseId).put("day", Rollup.day(at))
      .put("newCase", newCase).put("at", date(at));
  }

  /** A clock stopped (the case closed while it ran). */
  static JsonObject stopped(String id, String caseId, Instant at) {
    return new JsonObject().put("_id", id).put("kind", SlaEvent.Kind.stopped.name()).put("caseId", caseId).put("day", Rollup.day(at));
  }

  /** A stop undone: the clock runs again. */
  static JsonObject restored(String id, String caseId, Instant at) {
    return new JsonObject().put("_id", id).put("kind", SlaEvent.Kind.restored.name()).put("caseId", caseId).put("day", Rollup.day(at));
  }

  /** What a stored fact adds to its day (recomputed from the fact, so facts stay small). */
  static Map<String, Number> rollup(JsonObject fact) {
    return switch (SlaEvent.Kind.valueOf(fact.getString("kind"))) {
      case fulfilled -> Rollup.response(responseFact(fact));
      case breached -> Rollup.breach(fact.getString("brand"), fact.getString("priority"), fact.getString("source"),
        Dates.instant(fact.getValue("startedAt")));
      case applied -> Rollup.started(fact.getBoolean("newCase", false), Dates.instant(fact.getValue("at")));
      case restored -> Rollup.restored();
      default -> Rollup.stopped();
    };
  }

  private static JsonObject date(Instant t) {
    return new JsonObject().put("$date", t.toString());
  }
}
