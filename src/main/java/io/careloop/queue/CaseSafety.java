package io.careloop.queue;

import io.careloop.errors.Conflict;
import io.careloop.errors.NotFound;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;

/**
 * Taking a close back: an undo within seconds of a dismiss or resolve puts the case back untouched (its stopped clock
 * restored, not a new one); a reopen puts any closed case back in the queue with a next-response clock from now.
 * The decisions are {@link Reopening}'s; this class reads, writes conditionally and records the SLA events.
 */
public final class CaseSafety {
  private final MongoCaseRepository cases;
  private final SlaService sla;
  private final SlaEvents slaEvents;
  private final Database database;
  private final EventBus events;
  private final Clock clock;

  public CaseSafety(MongoCaseRepository cases, SlaService sla, SlaEvents slaEvents, Database database, EventBus events, Clock clock) {
    this.cases = cases;
    this.sla = sla;
    this.slaEvents = slaEvents;
    this.database = database;
    this.events = events;
    this.clock = clock;
  }

  /**
   * Undoes the close that handed out {@code token}, if the case was not changed since: 404 for a token that is not
   * the case's, 409 for one used, expired, another agent's, or a case changed since.
   */
  public Future<Case> undo(String caseId, String token, String agent) {
    Instant now = clock.instant();
    return cases.document(caseId).compose(doc -> {
      if (doc == null) return Future.failedFuture(new NotFound("case " + caseId));
      Case current = CaseDocuments.fromDocument(doc);
      Reopening.Snapshot s = CaseDocuments.undo(doc);
      Reopening.Verdict verdict = Reopening.undo(s, token, agent, now, current.state(), current.updatedAt());
      if (verdict != Reopening.Verdict.OK) return Future.failedFuture(refusal(verdict));
      // Only the version the close left, with this token unused: a racing write or a second click finds nothing.
      JsonObject precondition = new JsonObject().put("state", s.closedAs().wire()).put("updatedAt", Dates.bson(s.closedAt()))
        .put("undo.token", token).put("undo.usedAt", (Object) null);
      JsonObject update = new JsonObject().put("$set", CaseDocuments.restored(s, now));
      if (s.stoppedClock()) update.put("$inc", new JsonObject().put("slaRestores", 1));
      return cases.updateIf(caseId, precondition, update).compose(restored -> {
        if (restored == null) return Future.failedFuture(refusal(Reopening.Verdict.CHANGED_SINCE));
        if (!s.stoppedClock()) return Future.succeededFuture(restored);
        // The stop is cancelled by an event of its own (the log stays append-only): analytics puts the case back in
        // the backlog, and the clock's deadline is the one it had.
        JsonObject details = new JsonObject().put("round", s.round()).put("agent", agent);
        return slaEvents.record(caseId, restored.clock().metric(), SlaEvent.Kind.restored, s.dueAt(), now, details).map(restored);
      }).compose(c -> announce(c, "undone"));
    });
  }

  /**
   * Puts a dismissed or resolved case back in the queue, waiting on us, with a next-response clock from now (never a
   * deadline in the past); 409 for a case that is open.
   */
  public Future<Case> reopen(String caseId, String agent) {
    Instant now = clock.instant();
    return cases.get(caseId).compose(c -> {
      if (c == null) return Future.failedFuture(new NotFound("case " + caseId));
      if (!Reopening.reopenable(c.state())) {
        return Future.failedFuture(new Conflict("case-" + c.state().wire(), "only a dismissed or resolved case reopens; this one is " + c.state().wire()));
      }
      // As a customer's follow-up reopens a case (CaseIntake): the same next-response target, from the reopening.
      var facts = new SlaPolicy.CaseFacts(c.priority(), c.sourceId(), c.text(), c.customer().followers());
      SlaBook.Deadline next = sla.book().deadline(SlaMetric.NEXT_RESPONSE, facts, now);
      JsonObject set = CaseIntake.reopened(c, next, now, now).put("updatedAt", Dates.bson(now)).put("dismissReason", (Object) null)
        .put("reopenedBy", agent).put("reopenedAt", Dates.bson(now)).put("undo", (Object) null);
      JsonObject precondition = new JsonObject().put("state", c.state().wire())
        .put("updatedAt", c.updatedAt() == null ? null : Dates.bson(c.updatedAt()));
      return cases.updateIf(caseId, precondition, new JsonObject().put("$set", set)).compose(reopened -> reopened == null
        ? Future.failedFuture(new Conflict("changed-since", "the case changed while reopening it; look again"))
        : CaseIntake.recordReopened(slaEvents, caseId, next, now).map(reopened));
    }).compose(c -> announce(c, "reopened"));
  }

  private static RuntimeException refusal(Reopening.Verdict verdict) {
    if (verdict == Reopening.Verdict.UNKNOWN) return new NotFound(verdict.code(), "no such undo for this case (only its latest close can be undone)", null);
    return new Conflict(verdict.code(), switch (verdict) {
      case USED -> "this close was already undone";
      case EXPIRED -> "the undo window (" + Reopening.UNDO_WINDOW.toSeconds() + " s) has passed; reopen the case instead";
      case NOT_YOURS -> "only the agent who closed the case can undo it; reopen it instead";
      case CHANGED_SINCE -> "the case changed since it was closed; reopen it instead";
      default -> "no such undo for this case";
    });
  }

  private Future<Case> announce(Case c, String reason) {
    return database.durable().map(v -> {
      events.publish(CaseEvents.CASE_UPDATED, new JsonObject().put("id", c.id()).put("state", c.state().wire()).put("reason", reason));
      return c;
    });
  }
}
