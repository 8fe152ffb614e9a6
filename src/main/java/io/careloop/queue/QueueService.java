package io.careloop.queue;

import io.careloop.errors.NotFound;
import io.careloop.errors.Conflict;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The agent's workflow on cases: list the queue, claim, dismiss, resolve, and record a reply X confirmed.
 * Each step is one conditional update, so two agents racing for a case cannot both win.
 */
public final class QueueService {

  /** Cases in their API form, already encoded, and the cursor of the next page (null on the last). */
  public record Page(List<byte[]> items, String next) {}

  private final MongoCaseRepository cases;
  private final OpenQueueSync openQueue;
  private final Database database;
  private final EventBus events;
  private final SlaEvents slaEvents;
  private final Clock clock;
  private final Duration claimIdle;

  public QueueService(MongoCaseRepository cases, OpenQueueSync openQueue, Database database, EventBus events, SlaEvents slaEvents,
                      Clock clock, Duration claimIdle) {
    this.cases = cases;
    this.openQueue = openQueue;
    this.database = database;
    this.events = events;
    this.slaEvents = slaEvents;
    this.clock = clock;
    this.claimIdle = claimIdle;
  }

  /** What an agent asks the queue for: a view or explicit states, narrowed by brand and source. */
  public record Filter(CaseView view, List<CaseState> states, String brand, String sourceId) {
    JsonObject query(String agent, Instant now) {
      JsonObject q = view != null ? view.query(agent, now) : new JsonObject();
      if (states != null && !states.isEmpty()) q.put("state", new JsonObject().put("$in", new JsonArray(CaseState.wire(states))));
      if (brand != null) q.put("brand", brand);
      if (sourceId != null) q.put("sourceId", sourceId);
      return q;
    }

    /** The same filter on the open cases in memory; empty when it may match closed cases (those stay in the database). */
    Optional<Predicate<OpenQueue.Entry>> inMemory(String agent, Instant now) {
      List<CaseState> wanted = states != null && !states.isEmpty() ? states : view != null ? view.states() : List.of();
      if (wanted.isEmpty() || !CaseState.OPEN.containsAll(wanted)) return Optional.empty();
      Set<CaseState> inStates = EnumSet.copyOf(wanted);
      Predicate<OpenQueue.Entry> rest = view != null ? OpenQueue.view(view, agent, now) : e -> true;
      return Optional.of(e -> inStates.contains(e.state()) && (brand == null || brand.equals(e.brand()))
        && (sourceId == null || sourceId.equals(e.sourceId())) && rest.test(e));
    }
  }

  /** A page of the queue: from memory when the filter only asks for open cases, else from the database. */
  public Future<Page> list(Filter filter, String agent, int limit, String cursor) {
    return releaseLapsedClaims().compose(released -> listNow(filter, agent, limit, cursor));
  }

  private Future<Page> listNow(Filter filter, String agent, int limit, String cursor) {
    Instant now = clock.instant();
    var inMemory = openQueue.loaded() ? filter.inMemory(agent, now) : Optional.<Predicate<OpenQueue.Entry>>empty();
    if (inMemory.isPresent()) {
      OpenQueue.Page page = openQueue.queue().page(inMemory.get(), limit, cursor);
      return Future.succeededFuture(new Page(page.items(), page.next()));
    }
    return cases.page(filter.query(agent, now), limit + 1, cursor).map(docs -> {
      boolean more = docs.size() > limit;
      List<Case> items = more ? docs.subList(0, limit) : docs;
      return new Page(items.stream().map(openQueue.queue()::render).toList(), more ? items.get(items.size() - 1).order() : null);
    });
  }

  /** How many cases each view holds for this agent. */
  public Future<JsonObject> counts(String agent) {
    Instant now = clock.instant();
    JsonObject result = new JsonObject();
    Future<Void> chain = releaseLapsedClaims().mapEmpty();
    for (CaseView view : CaseView.values()) {
      var inMemory = openQueue.loaded() ? new Filter(view, null, null, null).inMemory(agent, now) : Optional.<Predicate<OpenQueue.Entry>>empty();
      chain = chain.compose(v -> (inMemory.isPresent() ? Future.succeededFuture(openQueue.queue().count(inMemory.get()))
        : cases.count(view.query(agent, now))).map(n -> {
        result.put(view.wire(), n);
        return null;
      }));
    }
    return chain.map(result);
  }

  /** The customer's ten latest other cases. */
  public Future<List<Case>> customerHistory(Case c) {
    String userId = c.customer().userId();
    if (userId == null) return Future.succeededFuture(List.of());
    return cases.byCustomer(userId, c.id(), 10);
  }

  /** A lead hands the case to an agent (or back to the queue with null). */
  public Future<Case> assign(String caseId, String assignee) {
    Instant now = clock.instant();
    JsonObject set = new JsonObject().put("assignee", assignee).put("updatedAt", Dates.bson(now))
      .put("claimExpiresAt", assignee == null ? null : Dates.bson(now.plus(claimIdle)));
    return get(caseId).compose(found -> {
      CaseState state = found.state();
      if (!state.open()) return Future.failedFuture(new Conflict("case-" + state.wire(), "cannot assign a case that is " + state.wire()));
      if (state.claimable()) set.put("state", (assignee == null ? CaseState.NEW : CaseState.CLAIMED).wire());
      return cases.updateIf(caseId, MongoCaseRepository.stateIn(CaseState.OPEN), new JsonObject().put("$set", set));
    }).compose(updated -> updated != null ? Future.succeededFuture(updated) : explainRefusal(caseId, assignee, "assign"))
      .compose(this::durableAndAnnounce);
  }

  /**
   * Auto-assignment hands a new case that nobody holds to {@code assignee}, with the state and claim a lead's
   * {@link #assign} gives (claimed, a claim of {@code claimIdle}). Only while the case is still new and unheld: one
   * claimed, assigned or closed in the meantime is left exactly as it is, and this completes with null.
   */
  public Future<Case> assignUnheld(String caseId, String assignee) {
    Instant now = clock.instant();
    JsonObject precondition = MongoCaseRepository.stateIn(List.of(CaseState.NEW)).put("assignee", (Object) null);
    JsonObject set = new JsonObject().put("state", CaseState.CLAIMED.wire()).put("assignee", assignee)
      .put("claimExpiresAt", Dates.bson(now.plus(claimIdle))).put("updatedAt", Dates.bson(now));
    return cases.updateIf(caseId, precondition, new JsonObject().put("$set", set))
      .compose(updated -> updated == null ? Future.<Case>succeededFuture(null) : fixOrder(updated).compose(this::durableAndAnnounce));
  }

  /** An internal note: never posted, visible to staff on the case. */
  public Future<Case> addNote(String caseId, String author, String text) {
    Instant now = clock.instant();
    Case.Note note = new Case.Note(java.util.UUID.randomUUID().toString(), author, text, now);
    return get(caseId).compose(found -> cases.updateIf(caseId, new JsonObject(), new JsonObject()
        .put("$push", new JsonObject().put("notes", CaseDocuments.note(note))).put("$set", new JsonObject().put("updatedAt", Dates.bson(now)))))
      .compose(this::durableAndAnnounce);
  }

  public Future<Case> setTags(String caseId, List<String> tags) {
    return get(caseId).compose(found -> cases.updateIf(caseId, new JsonObject(), new JsonObject()
        .put("$set", new JsonObject().put("tags", new JsonArray(tags.stream().distinct().sorted().toList())))))
      .compose(this::durableAndAnnounce);
  }

  /**
   * Cases opened in [{@code from}, {@code to}) whose customer, after our reply, only thanked or closed: the work that
   * ended with the customer saying it was sorted.
   */
  public Future<Long> customerConfirmed(Instant from, Instant to) {
    return cases.count(new JsonObject().put("customerConfirmed", true)
      .put("createdAt", new JsonObject().put("$gte", Dates.bson(from)).put("$lt", Dates.bson(to))));
  }

  /** Cases opened since {@code since} (one per conversation asking the brand: the cycle's mentions). */
  public Future<Long> openedSince(Instant since) {
    return cases.count(new JsonObject().put("createdAt", new JsonObject().put("$gte", Dates.bson(since))));
  }

  public Future<Case> get(String caseId) {
    return cases.get(caseId).compose(c -> c == null ? Future.failedFuture(new NotFound("case " + caseId)) : Future.succeededFuture(c));
  }

  /** Claims the case for the agent (or refreshes their claim); 409 when another agent holds it. */
  public Future<Case> claim(String caseId, String agent) {
    Instant now = clock.instant();
    JsonObject update = new JsonObject().put("$set", new JsonObject()
      .put("state", CaseState.CLAIMED.wire()).put("assignee", agent)
      .put("claimExpiresAt", Dates.bson(now.plus(claimIdle))).put("updatedAt", Dates.bson(now)));
    return cases.updateIf(caseId, MongoCaseRepository.claimableBy(agent, now), update)
      .compose(updated -> updated != null ? fixOrder(updated) : explainRefusal(caseId, agent, "claim"))
      .compose(this::durableAndAnnounce);
  }

  public Future<Case> dismiss(String caseId, String agent, String reason) {
    return dismissUndoably(caseId, agent, reason).map(Closed::after);
  }

  public Future<Case> resolve(String caseId, String agent) {
    return resolveUndoably(caseId, agent).map(Closed::after);
  }

  /** A case just closed, and the token that takes the close back until {@code undoExpiresAt} ({@link CaseSafety#undo}). */
  public record Closed(Case after, String undo, Instant undoExpiresAt) {}

  public Future<Closed> dismissUndoably(String caseId, String agent, String reason) {
    return close(caseId, agent, CaseState.DISMISSED, new JsonObject().put("dismissReason", reason), 0);
  }

  public Future<Closed> resolveUndoably(String caseId, String agent) {
    return close(caseId, agent, CaseState.RESOLVED, new JsonObject(), 0);
  }

  private Future<Closed> close(String caseId, String agent, CaseState target, JsonObject extra, int attempt) {
    Instant now = clock.instant();
    String action = target == CaseState.RESOLVED ? "resolve" : "dismiss";
    return cases.document(caseId).compose(doc -> {
      if (doc == null) return Future.failedFuture(new NotFound("case " + caseId));
      Case before = CaseDocuments.fromDocument(doc);
      if (!before.state().open()) return explainRefusal(caseId, agent, action);
      boolean stopsClock = !SlaRules.onClose(before.rulesClock()).isEmpty() && before.clock().dueAt() != null;
      int round = CaseDocuments.restores(doc);
      Reopening.Snapshot snapshot = Reopening.Snapshot.of(Reopening.newToken(), before, target, agent, now, stopsClock, round);
      // The snapshot is of the case as read: the close applies only to that version (a write in between is tried
      // again on the case as it is then), so an undo puts back exactly what this close changed.
      JsonObject precondition = new JsonObject().put("state", before.state().wire())
        .put("updatedAt", before.updatedAt() == null ? null : Dates.bson(before.updatedAt())).put("$or", new JsonArray()
        .add(new JsonObject().put("assignee", (Object) null))
        .add(new JsonObject().put("assignee", agent))
        .add(new JsonObject().put("claimExpiresAt", new JsonObject().put("$lt", Dates.bson(now)))));
      // Closing stops every clock: no deadline survives on a resolved or dismissed case.
      JsonObject set = extra.copy().put("state", target.wire()).put("closedBy", agent).put("closedAt", Dates.bson(now))
        .put("dueAt", (Object) null).put("updatedAt", Dates.bson(now))
        .put("order", QueueOrder.key(target, null, now, caseId)).put("undo", CaseDocuments.undo(snapshot));
      return cases.updateIf(caseId, precondition, new JsonObject().put("$set", set)).compose(updated -> {
        if (updated == null) return attempt < 2 ? close(caseId, agent, target, extra, attempt + 1) : explainRefusal(caseId, agent, action);
        return (stopsClock ? stopClock(before, now, round) : Future.<Void>succeededFuture())
          .compose(v -> durableAndAnnounce(updated))
          .map(c -> new Closed(c, snapshot.token(), snapshot.expiresAt()));
      });
    });
  }

  /** A case closed while its clock ran: the clock stops and says so (it never keeps counting after resolution). */
  private Future<Void> stopClock(Case before, Instant at, int round) {
    JsonObject details = round > 0 ? new JsonObject().put("round", round) : null;
    return slaEvents.record(before.id(), before.clock().metric(), SlaEvent.Kind.stopped, before.clock().dueAt(), at, details).mapEmpty();
  }

  /**
   * Checks that the agent may reply now, and claims the case for them: it is open and nobody else holds a live claim
   * on it, in every state that takes a reply. A replied case keeps its assignee; while their claim runs (10 idle
   * minutes from their last claim or reply) another agent gets 409 naming them, as at claim; once it lapsed, or with
   * nobody assigned, the replier takes the case. A lead's reassignment gives the new assignee a fresh claim.
   */
  public Future<Case> claimForReply(String caseId, String agent) {
    return get(caseId).compose(found -> {
      CaseState state = found.state();
      if (!state.replyable()) return Future.failedFuture(new Conflict("case-closed", "case is " + state.wire()));
      if (state != CaseState.REPLIED) return claim(caseId, agent);
      // The case stays replied (waiting on the customer, no clock): only who holds it, and until when, changes.
      Instant now = clock.instant();
      JsonObject precondition = MongoCaseRepository.notHeldByAnother(List.of(CaseState.REPLIED), agent, now);
      JsonObject update = new JsonObject().put("$set", new JsonObject().put("assignee", agent)
        .put("claimExpiresAt", Dates.bson(now.plus(claimIdle))).put("updatedAt", Dates.bson(now)));
      return cases.updateIf(caseId, precondition, update)
        .compose(updated -> updated != null ? Future.succeededFuture(updated) : explainRefusal(caseId, agent, "reply to"))
        .compose(this::durableAndAnnounce);
    });
  }

  /**
   * Records a reply X confirmed: the brand's message joins the conversation, the case waits on the customer (its
   * clock paused), and the first response is timed if this was it. Repeating it changes nothing.
   */
  public Future<Case> recordReply(String caseId, String replyId, String postId, String text, String agent, Instant confirmedAt) {
    return get(caseId).compose(before -> {
      Instant now = clock.instant();
      Case.Message message = new Case.Message(postId, Case.From.BRAND, before.brand(), text, confirmedAt, replyId, agent);
      CaseState state = before.state();
      JsonObject set = new JsonObject().put("updatedAt", Dates.bson(now)).put("lastReplyAt", Dates.bson(confirmedAt));
      if (state.claimable()) {
        set.put("state", CaseState.REPLIED.wire()).put("dueAt", (Object) null).put("warnAt", (Object) null)
          .put("order", QueueOrder.key(CaseState.REPLIED, null, now, caseId));
      }
      boolean answersClock = !SlaRules.onReply(before.rulesClock()).isEmpty();
      return cases.appendMessage(caseId, message, set).compose(appended -> appended && answersClock
        ? fulfil(before, confirmedAt, agent) : Future.succeededFuture());
    }).compose(v -> recordFirstResponse(caseId, confirmedAt))
      .compose(v -> get(caseId))
      .compose(this::durableAndAnnounce);
  }

  /** Our reply answers the running clock (met or late) and the case now waits on the customer: its clock pauses. */
  private Future<Void> fulfil(Case before, Instant confirmedAt, String agent) {
    String caseId = before.id();
    Instant due = before.clock().dueAt();
    SlaMetric metric = before.clock().metric();
    // Who answered goes with the event: response-time analytics per agent come from this log.
    JsonObject met = new JsonObject().put("met", SlaRules.met(before.rulesClock(), confirmedAt)).put("agent", agent);
    return slaEvents.record(caseId, metric, SlaEvent.Kind.fulfilled, due, confirmedAt, met)
      .compose(r -> slaEvents.record(caseId, metric, SlaEvent.Kind.paused, due, confirmedAt, null)).mapEmpty();
  }

  private Future<Void> recordFirstResponse(String caseId, Instant confirmedAt) {
    return get(caseId).compose(c -> {
      if (c.firstResponseAt() != null) return Future.succeededFuture();
      long seconds = Math.max(0, Duration.between(c.createdAt(), confirmedAt).toSeconds());
      Instant due = c.firstResponseDueAt();
      return cases.updateIf(caseId, new JsonObject().put("firstResponseAt", (Object) null), new JsonObject().put("$set", new JsonObject()
        .put("firstResponseAt", Dates.bson(confirmedAt)).put("firstResponseSeconds", seconds)
        .put("firstResponseMet", due == null || !confirmedAt.isAfter(due)))).mapEmpty();
    });
  }

  private Future<Case> fixOrder(Case updated) {
    String order = QueueOrder.key(updated.state(), updated.clock().dueAt(), updated.updatedAt(), updated.id());
    if (order.equals(updated.order())) return Future.succeededFuture(updated);
    return cases.updateIf(updated.id(), new JsonObject(), new JsonObject().put("$set", new JsonObject().put("order", order)));
  }

  private <T> Future<T> explainRefusal(String caseId, String agent, String action) {
    return get(caseId).compose(found -> {
      CaseState state = found.state();
      String holder = found.assignee();
      // A replied case is held too while its assignee's claim runs (a lapsed one on a replied case refuses a claim
      // for being replied, not for its holder).
      Instant expires = found.claimExpiresAt();
      boolean held = state.claimable() || (state == CaseState.REPLIED && expires != null && expires.isAfter(clock.instant()));
      if (held && holder != null && !holder.equals(agent)) {
        return Future.failedFuture(new Conflict("held-by-another",
          "case is held by " + holder, Map.of("assignee", holder)));
      }
      return Future.failedFuture(new Conflict("case-" + state.wire(), "cannot " + action + " a case that is " + state.wire()));
    });
  }

  private Future<Case> durableAndAnnounce(Case c) {
    return database.durable().map(v -> {
      events.publish(CaseEvents.CASE_UPDATED, new JsonObject().put("id", c.id()).put("state", c.state().wire()));
      return c;
    });
  }

  /**
   * The holder is working the case (viewing it, typing in the composer): their claim runs another idle period from
   * now. Someone else's activity changes nothing, and neither does a claim that already lapsed (it is gone: claim
   * again). Written at most once a minute per case, so a console's heartbeat every few seconds costs no more.
   * Completes with the case as stored.
   */
  public Future<Case> renewClaim(String caseId, String agent) {
    Instant now = clock.instant();
    JsonObject precondition = MongoCaseRepository.stateIn(CaseState.OPEN).put("assignee", agent)
      .put("claimExpiresAt", new JsonObject().put("$gt", Dates.bson(now))
        .put("$lt", Dates.bson(now.plus(claimIdle).minus(RENEW_EVERY))));
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("claimExpiresAt", Dates.bson(now.plus(claimIdle))));
    return get(caseId).compose(found -> cases.updateIf(caseId, precondition, update)
      .compose(updated -> updated == null ? Future.succeededFuture(found) : durableAndAnnounce(updated)));
  }

  /** How often at most a holder's activity moves their claim's end (see {@link #renewClaim}). */
  static final Duration RENEW_EVERY = Duration.ofMinutes(1);

  /**
   * Claims whose idle period ran out are released in the database (state new, nobody holds it), so the stored state,
   * every view and every count agree that the case is free. Each release is conditional on the claim still being
   * lapsed, so a holder renewing at the same moment, or another node releasing too, is harmless. Completes with how
   * many were released.
   */
  public Future<Integer> releaseLapsedClaims() {
    Instant now = clock.instant();
    if (!openQueue.loaded()) return Future.succeededFuture(0);
    List<OpenQueue.Entry> lapsed = openQueue.queue().matching(e -> e.state() == CaseState.CLAIMED
      && (e.claimExpiresAt() == null || e.claimExpiresAt().isBefore(now)));
    Future<Integer> chain = Future.succeededFuture(0);
    for (OpenQueue.Entry e : lapsed) {
      JsonObject precondition = new JsonObject().put("state", CaseState.CLAIMED.wire()).put("$or", new JsonArray()
        .add(new JsonObject().put("claimExpiresAt", (Object) null))
        .add(new JsonObject().put("claimExpiresAt", new JsonObject().put("$lt", Dates.bson(now)))));
      JsonObject set = new JsonObject().put("state", CaseState.NEW.wire()).put("assignee", (Object) null)
        .put("claimExpiresAt", (Object) null).put("updatedAt", Dates.bson(now))
        .put("order", QueueOrder.key(CaseState.NEW, e.dueAt(), now, e.id()));
      chain = chain.compose(n -> cases.updateIf(e.id(), precondition, new JsonObject().put("$set", set))
        .compose(updated -> updated == null ? Future.succeededFuture(n) : durableAndAnnounce(updated).map(c -> n + 1)));
    }
    return chain;
  }

  /**
   * Open load per agent: how many cases each holds that wait on us (new or claimed, with a claim that still runs).
   * From the open queue in memory when it is loaded, else from the database.
   */
  public Future<Map<String, Long>> loadByAssignee() {
    Instant now = clock.instant();
    Predicate<OpenQueue.Entry> held = e -> e.state().claimable() && e.assignee() != null
      && e.claimExpiresAt() != null && e.claimExpiresAt().isAfter(now);
    Future<List<String>> holders = openQueue.loaded()
      ? Future.succeededFuture(openQueue.queue().matching(held).stream().map(OpenQueue.Entry::assignee).toList())
      : cases.page(MongoCaseRepository.stateIn(CaseState.WAITING_ON_US).put("assignee", new JsonObject().put("$ne", null))
          .put("claimExpiresAt", new JsonObject().put("$gt", Dates.bson(now))), 100_000, null)
        .map(list -> list.stream().map(Case::assignee).toList());
    return holders.map(names -> {
      Map<String, Long> load = new java.util.TreeMap<>();
      for (String name : names) load.merge(name, 1L, Long::sum);
      return load;
    });
  }

  /** The states of these cases, by id (unknown ids are left out). */
  public Future<Map<String, CaseState>> states(Collection<String> caseIds) {
    return cases.states(caseIds);
  }

  /** The case as stored, or null when there is none (for features that learn about cases: clusters, analytics). */
  public Future<Case> find(String caseId) {
    return cases.get(caseId);
  }
}
