package io.careloop.queue;

import io.careloop.store.Dates;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** The queue views agents work from, as database queries. */
public enum CaseView {
  /** Open cases I hold. */
  MINE,
  /** Waiting on us and held by nobody (or by a lapsed claim). */
  UNASSIGNED,
  /** Every open case. */
  OPEN,
  /** Waiting on us and due within {@link #SOON} (or already late). */
  BREACHING,
  /** Spam, noise and praise that was dismissed: kept, never deleted. */
  DISMISSED;

  public static final Duration SOON = Duration.ofMinutes(15);

  public static CaseView fromWire(String s) { return valueOf(s.toUpperCase(Locale.ROOT)); }

  public String wire() { return name().toLowerCase(Locale.ROOT); }

  /** The states the view shows unless the agent names others. */
  public List<CaseState> states() {
    return switch (this) {
      case MINE, OPEN -> CaseState.OPEN;
      case UNASSIGNED, BREACHING -> CaseState.WAITING_ON_US;
      case DISMISSED -> List.of(CaseState.DISMISSED);
    };
  }

  public JsonObject query(String agent, Instant now) {
    return switch (this) {
      case MINE -> MongoCaseRepository.stateIn(states()).put("assignee", agent);
      case UNASSIGNED -> MongoCaseRepository.stateIn(states()).put("$or", new JsonArray()
        .add(new JsonObject().put("assignee", (Object) null))
        .add(new JsonObject().put("claimExpiresAt", new JsonObject().put("$lt", Dates.bson(now)))));
      case OPEN -> MongoCaseRepository.stateIn(states());
      case BREACHING -> MongoCaseRepository.stateIn(states())
        .put("dueAt", new JsonObject().put("$lte", Dates.bson(now.plus(SOON))));
      case DISMISSED -> MongoCaseRepository.stateIn(states());
    };
  }
}
