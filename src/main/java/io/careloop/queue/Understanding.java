package io.careloop.queue;

import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the meaning of a post changes on its case, once intake has made the post durable and its vector exists:
 * behind ingestion, never in its way. An opening post may rank higher ({@link PriorityByMeaning}); a follow-up the
 * words read one way may be read the other ({@link TurnClassifier#byMeaning}): a reopened thanks settles back, a
 * settled question reopens with its next-response clock from the follow-up's time.
 *
 * <p>Every revision is a single conditional update keyed by the post: it applies only while the case is as the words
 * left it (the turn still this post's and still the rules', no agent reply or close since), so a repeat, a restart or
 * a race with an agent changes nothing.
 */
public final class Understanding {
  /** Who closed a case that a thanks-only follow-up resolved. */
  public static final String CLOSED_BY = "careloop";

  private final MongoCaseRepository cases;
  private final Database database;
  private final EventBus events;
  private final SlaService sla;
  private final SlaEvents slaEvents;
  private final Clock clock;
  private final TurnClassifier turns;
  private final PriorityByMeaning priorities;
  private final ThanksOnly thanksOnly;

  public Understanding(MongoCaseRepository cases, Database database, EventBus events, SlaService sla, SlaEvents slaEvents, Clock clock,
                       TurnClassifier turns, PriorityByMeaning priorities, ThanksOnly thanksOnly) {
    this.cases = cases;
    this.database = database;
    this.events = events;
    this.sla = sla;
    this.slaEvents = slaEvents;
    this.clock = clock;
    this.turns = turns;
    this.priorities = priorities;
    this.thanksOnly = thanksOnly;
  }

  /** Reads the posts of one durable page with their vectors (posts without one are left to their words), in order. */
  public Future<Void> review(List<CaseIntake.Routed> routed, Map<String, float[]> vectors) {
    List<JsonObject> changed = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (CaseIntake.Routed r : routed) {
      float[] v = vectors.get(r.postId());
      if (v == null) continue;
      chain = chain.compose(x -> r.opened() ? rank(r, v) : reread(r, v)).map(event -> {
        if (event != null) changed.add(event);
        return null;
      });
    }
    // Told only once durable, as every other case write is.
    return chain.compose(x -> changed.isEmpty() ? Future.succeededFuture() : database.durable()
      .onSuccess(d -> changed.forEach(e -> events.publish(CaseEvents.CASE_UPDATED, e)))).mapEmpty();
  }

  /** A new case's priority from its meaning: raised (never lowered) while nobody has answered it yet. */
  private Future<JsonObject> rank(CaseIntake.Routed r, float[] v) {
    return cases.get(r.caseId()).compose(c -> {
      if (c == null || !c.state().claimable() || c.firstResponseAt() != null || c.escalated()) return Future.succeededFuture(null);
      var byKeywords = new PriorityRules.Ranked(c.priority(), c.priorityReason());
      var ranked = priorities.rank(byKeywords, v, c.customer().followers());
      if (ranked == byKeywords) return Future.succeededFuture(null);
      Instant now = clock.instant();
      // A higher priority has a shorter first-response target, from the same start: the customer's post.
      var facts = new SlaPolicy.CaseFacts(ranked.priority(), c.sourceId(), c.text(), c.customer().followers());
      SlaBook.Deadline deadline = sla.book().deadline(SlaMetric.FIRST_RESPONSE, facts, c.createdAt());
      JsonObject precondition = MongoCaseRepository.stateIn(CaseState.WAITING_ON_US).put("priority", c.priority().name())
        .put("firstResponseAt", (Object) null).put("breached", new JsonObject().put("$ne", true)).put("escalated", new JsonObject().put("$ne", true));
      JsonObject set = new JsonObject().put("priority", ranked.priority().name()).put("priorityReason", ranked.reason())
        .put("firstResponseDueAt", Dates.bson(deadline.dueAt())).put("updatedAt", Dates.bson(now))
        .put("order", QueueOrder.key(c.state(), deadline.dueAt(), now, c.id()))
        .mergeIn(CaseDocuments.clockFields(CaseIntake.running(deadline)));
      return cases.updateIf(c.id(), precondition, new JsonObject().put("$set", set)).map(updated -> announced(updated, "priority-by-meaning"));
    });
  }

  /** A follow-up on a replied case, read again with its meaning; only a changed reading writes. */
  private Future<JsonObject> reread(CaseIntake.Routed r, float[] v) {
    return cases.get(r.caseId()).compose(c -> {
      Case.Turn turn = c == null ? null : c.turn();
      if (turn == null || !r.postId().equals(turn.postId()) || !"rules".equals(turn.by()) || !r.postId().equals(c.lastCustomerTweetId())) {
        return Future.succeededFuture(null);
      }
      var verdict = turns.byMeaning(r.text(), v);
      if (verdict.thanks() == turn.thanks()) return Future.succeededFuture(null);
      JsonObject revised = CaseDocuments.turnFields(new Case.Turn(r.postId(), verdict.thanks(), "meaning", verdict.reason()));
      JsonObject asLeft = new JsonObject().put("turn.postId", r.postId()).put("turn.by", "rules").put("lastCustomerTweetId", r.postId());
      return verdict.thanks() ? settle(c, asLeft, revised) : reopen(c, r, asLeft, revised);
    });
  }

  /**
   * The words reopened it, the meaning reads thanks: back to replied (or resolved), and the next-response clock the
   * words started is stopped, so it counts neither as a response nor as a breach.
   */
  private Future<JsonObject> settle(Case c, JsonObject asLeft, JsonObject revised) {
    Instant now = clock.instant();
    JsonObject precondition = MongoCaseRepository.stateIn(CaseState.WAITING_ON_US).mergeIn(asLeft);
    JsonObject set = CaseIntake.settled(thanksOnly, c.id(), now).mergeIn(revised).put("updatedAt", Dates.bson(now));
    Instant due = c.clock().dueAt();
    return cases.updateIf(c.id(), precondition, new JsonObject().put("$set", set)).compose(updated -> {
      if (updated == null || due == null) return Future.succeededFuture(announced(updated, "customer-confirmed"));
      return slaEvents.record(c.id(), SlaMetric.NEXT_RESPONSE, SlaEvent.Kind.stopped, due, now, new JsonObject().put("reason", "customer-confirmed"))
        .map(recorded -> announced(updated, "customer-confirmed"));
    });
  }

  /** The words read thanks, the meaning reads more work: reopened as intake would have, the clock from the follow-up. */
  private Future<JsonObject> reopen(Case c, CaseIntake.Routed r, JsonObject asLeft, JsonObject revised) {
    Instant now = clock.instant();
    Instant from = c.messages().stream().filter(m -> r.postId().equals(m.tweetId())).map(Case.Message::at).findFirst().orElse(now);
    var facts = new SlaPolicy.CaseFacts(c.priority(), c.sourceId(), r.text(), c.customer().followers());
    SlaBook.Deadline deadline = sla.book().deadline(SlaMetric.NEXT_RESPONSE, facts, from);
    // As the words left it: replied, or resolved by CareLoop; an agent's reply since (lastReplyAt) or close keeps it as is.
    JsonObject precondition = new JsonObject().put("$or", new JsonArray()
        .add(new JsonObject().put("state", CaseState.REPLIED.wire()))
        .add(new JsonObject().put("state", CaseState.RESOLVED.wire()).put("closedBy", CLOSED_BY)))
      .put("lastReplyAt", c.lastReplyAt() == null ? null : Dates.bson(c.lastReplyAt())).mergeIn(asLeft);
    JsonObject set = CaseIntake.reopened(c, deadline, from, now).mergeIn(revised).put("updatedAt", Dates.bson(now));
    return cases.updateIf(c.id(), precondition, new JsonObject().put("$set", set)).compose(updated -> updated == null
      ? Future.succeededFuture(null)
      : CaseIntake.recordReopened(slaEvents, c.id(), deadline, from).map(v -> announced(updated, "customer-wrote")));
  }

  /** The event telling consoles of the change, or null when the precondition no longer held (nothing changed). */
  private static JsonObject announced(Case updated, String reason) {
    return updated == null ? null : new JsonObject().put("id", updated.id()).put("state", updated.state().wire()).put("reason", reason);
  }
}
