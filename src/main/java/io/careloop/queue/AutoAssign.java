package io.careloop.queue;

import io.careloop.audit.AuditLog;
import io.careloop.errors.Invalid;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.careloop.store.MongoErrors;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Round-robin auto-assignment of new cases to the agents marked available (a lead's setting, off by default). It runs
 * behind intake: a case is stored and durable first, then handed out here, so a failure here never loses or delays a
 * case; it only leaves it unassigned in the queue, as without auto-assignment. Only a new case nobody holds is
 * assigned ({@link QueueService#assignUnheld}); a claim always wins.
 */
public final class AutoAssign {
  /** The setting ({@code _id} {@value #SETTING_ID}) and whose turn it is ({@code _id} {@value #TURN_ID}). */
  public static final String COLLECTION = "auto_assign";
  static final String SETTING_ID = "setting";
  static final String TURN_ID = "auto-assign";
  /** The audit log's actor for assignments made here (a lead's are audited under their name). */
  public static final String ACTOR = "auto-assign";
  public static final int MAX_OPEN_LIMIT = 500;
  /** How often a node tries again for the turn when another node took it first (each try is one case's turn). */
  private static final int TURN_ATTEMPTS = 8;
  private static final Logger log = LoggerFactory.getLogger(AutoAssign.class);

  /** The lead's setting: on or off, and how many open cases an agent may hold before they are skipped. */
  public record Setting(boolean enabled, int maxOpenPerAgent) {
    public static final Setting DEFAULT = new Setting(false, 20);

    public Setting {
      if (maxOpenPerAgent < 1 || maxOpenPerAgent > MAX_OPEN_LIMIT) {
        throw new Invalid("invalid-setting", "maxOpenPerAgent must be from 1 to " + MAX_OPEN_LIMIT + ", not " + maxOpenPerAgent,
          Map.of("field", "maxOpenPerAgent"));
      }
    }

  }

  /** The setting as stored, and as the audit log records it. */
  static JsonObject document(Setting s) {
    return new JsonObject().put("enabled", s.enabled()).put("maxOpenPerAgent", s.maxOpenPerAgent());
  }

  private static Setting setting(JsonObject doc) {
    return doc == null ? Setting.DEFAULT
      : new Setting(doc.getBoolean("enabled", false), doc.getInteger("maxOpenPerAgent", Setting.DEFAULT.maxOpenPerAgent()));
  }

  private final MongoClient mongo;
  private final Database database;
  private final AuditLog audit;
  private final QueueService queue;
  private final EventBus events;
  private final Supplier<Future<List<String>>> availableAgents;
  private final Comparator<String> order;
  private final Clock clock;
  /** This node's runs, one after another, so one page's assignments see the load the previous page's added. */
  private Future<?> tail = Future.succeededFuture();

  /**
   * @param availableAgents the enabled case workers marked available (the accounts feature's), in {@code order}
   * @param order the rotation's order of names (the accounts feature's roster order)
   */
  public AutoAssign(Database database, AuditLog audit, QueueService queue, EventBus events, Supplier<Future<List<String>>> availableAgents,
                    Comparator<String> order, Clock clock) {
    this.events = events;
    this.mongo = database.mongo();
    this.database = database;
    this.audit = audit;
    this.queue = queue;
    this.availableAgents = availableAgents;
    this.order = order;
    this.clock = clock;
  }

  /**
   * The setting as stored. Read from the database each time (one lookup by key per page of new cases), so a lead's
   * change on one node applies on every node at once, with no cache to keep in step.
   */
  public Future<Setting> setting() {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", SETTING_ID), null).map(AutoAssign::setting);
  }

  /** Replaces the setting (a lead's change); audited with before and after, durable before it answers. */
  public Future<Setting> change(Setting proposed, String actor) {
    return setting().compose(before -> mongo.updateCollectionWithOptions(COLLECTION, new JsonObject().put("_id", SETTING_ID),
          new JsonObject().put("$set", document(proposed).put("updatedAt", Dates.bson(clock.instant())).put("updatedBy", actor)),
          new UpdateOptions().setUpsert(true))
        .compose(r -> audit.record(actor, "auto-assign.changed", SETTING_ID, document(before), document(proposed)))
        .compose(v -> database.durable())
        .map(proposed));
  }

  /**
   * Hands each of these newly opened cases to the next available agent, when the setting is on. Never fails: an
   * error is logged with its cause and the cases it left unassigned stay in the queue. Completes with how many were
   * assigned (tests wait on it; intake does not).
   */
  public Future<Integer> assignOpened(List<String> caseIds) {
    if (caseIds.isEmpty()) return Future.succeededFuture(0);
    // The cases decided so far, and those assigned: on a failure half-way, the others are the ones left unassigned.
    Set<String> decided = new HashSet<>();
    Set<String> assigned = new HashSet<>();
    Future<Integer> run = tail.transform(ignored -> Future.<Integer>succeededFuture().compose(v -> assignAll(caseIds, decided, assigned)))
      .recover(e -> {
        List<String> left = caseIds.stream().filter(id -> !decided.contains(id)).toList();
        log.warn("Auto-assignment failed; new cases {} stay unassigned in the queue", left, e);
        left.forEach(id -> decided(id, null, "failed"));
        return Future.succeededFuture(assigned.size());
      });
    tail = run;
    return run;
  }

  private void decided(String caseId, String assignee, String reason) {
    events.publish(CaseEvents.AUTO_ASSIGN_DECIDED, new JsonObject().put("id", caseId).put("assignee", assignee).put("reason", reason));
  }

  private Future<Integer> assignAll(List<String> caseIds, Set<String> decided, Set<String> assigned) {
    return setting().compose(setting -> {
      if (!setting.enabled()) {
        caseIds.forEach(id -> decided(id, null, "disabled"));
        return Future.succeededFuture(0);
      }
      // Spam dismissed at intake, and anything claimed since, is not new any more: it takes nobody's turn.
      return queue.states(caseIds).compose(states -> availableAgents.get().compose(roster -> {
        Future<Integer> chain = Future.succeededFuture(0);
        for (String id : caseIds) {
          chain = chain.compose(n -> (states.get(id) == CaseState.NEW ? assignOne(id, roster, setting.maxOpenPerAgent())
              : Future.succeededFuture(Outcome.NOT_NEW))
            .map(outcome -> {
              decided.add(id);
              if (outcome.assignee() != null) assigned.add(id);
              decided(id, outcome.assignee(), outcome.reason());
              return outcome.assignee() != null ? n + 1 : n;
            }));
        }
        return chain;
      }));
    });
  }

  /** What became of one case: who it went to, or why it went to nobody. */
  private record Outcome(String assignee, String reason) {
    static final Outcome NOT_NEW = new Outcome(null, "not-new");
    static final Outcome NOBODY = new Outcome(null, "nobody-available");
  }

  private Future<Outcome> assignOne(String caseId, List<String> roster, int maxOpen) {
    return queue.loadByAssignee().compose(load -> {
      List<String> eligible = roster.stream().filter(u -> load.getOrDefault(u, 0L) < maxOpen).toList();
      if (eligible.isEmpty()) return Future.succeededFuture(Outcome.NOBODY);
      return takeTurn(eligible, 0).compose(agent -> queue.assignUnheld(caseId, agent).compose(assigned -> {
        // Claimed in the moment between: the claim stands, and the agent's turn is spent (they get the next one).
        if (assigned == null) return Future.succeededFuture(Outcome.NOT_NEW);
        return audit.record(ACTOR, "case.assigned", caseId, null, new JsonObject().put("assignee", agent)).map(new Outcome(agent, "assigned"));
      }));
    });
  }

  /**
   * Takes the next turn: the agent after the last one given a case. The turn is one document, and moving it is a
   * compare-and-set: {@code findOneAndUpdate} matches {@code last} as this node read it, so of two nodes that read
   * the same last agent exactly one moves it (the other matches nothing, reads the new last and takes the turn after
   * it), and the very first turn is an insert that a second node's insert loses on the duplicate key. No two nodes
   * ever hand out the same turn. What is not atomic is the turn with the case's assignment: a crash or a claim in
   * between spends a turn on nobody, which only shifts the rotation by one and never assigns a case twice.
   */
  private Future<String> takeTurn(List<String> eligible, int attempt) {
    return mongo.findOne(COLLECTION, new JsonObject().put("_id", TURN_ID), null).compose(doc -> {
      String last = doc == null ? null : doc.getString("last");
      String next = next(eligible, last, order);
      JsonObject at = Dates.bson(clock.instant());
      Future<Boolean> moved = doc == null
        ? mongo.insert(COLLECTION, new JsonObject().put("_id", TURN_ID).put("last", next).put("at", at)).map(true)
          .recover(e -> MongoErrors.isDuplicateKey(e) ? Future.succeededFuture(false) : Future.failedFuture(e))
        : mongo.findOneAndUpdate(COLLECTION, new JsonObject().put("_id", TURN_ID).put("last", last),
            new JsonObject().put("$set", new JsonObject().put("last", next).put("at", at))).map(found -> found != null);
      return moved.compose(won -> {
        if (won) return Future.succeededFuture(next);
        if (attempt + 1 < TURN_ATTEMPTS) return takeTurn(eligible, attempt + 1);
        return Future.failedFuture(new IllegalStateException("other nodes kept taking the turn (" + TURN_ATTEMPTS + " tries)"));
      });
    });
  }

  /** The agent after {@code last} in {@code order}, wrapping round; the first one when nobody had a turn yet. */
  static String next(List<String> eligible, String last, Comparator<String> order) {
    List<String> sorted = new ArrayList<>(eligible);
    sorted.sort(order);
    if (last == null) return sorted.get(0);
    Optional<String> after = sorted.stream().filter(u -> order.compare(u, last) > 0).findFirst();
    return after.orElse(sorted.get(0));
  }
}
