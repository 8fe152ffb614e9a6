package io.careloop.queue;

import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who has a case open right now, from the consoles' heartbeats. Deliberately in memory: it is a courtesy signal
 * (avoid two agents drafting at once), not state; a claim is what actually holds a case. Each heartbeat is shared
 * with the other nodes of a cluster, so agents see each other whichever node their console talks to.
 */
public final class Presence {
  /** {@code {"caseId", "viewers": [names]}} whenever the viewers of a case change. */
  public static final String ADDRESS = "careloop.queue.viewers-changed";
  public static final Duration TTL = Duration.ofSeconds(30);
  /** {@code {"caseId", "user"}}: one console's heartbeat, to every node. */
  static final String HEARTBEAT = "careloop.queue.viewing";

  private final Map<String, Map<String, Instant>> viewers = new ConcurrentHashMap<>();
  private final EventBus events;
  private final Clock clock;

  public Presence(EventBus events, Clock clock) {
    this.events = events;
    this.clock = clock;
    events.<JsonObject>consumer(HEARTBEAT, m -> seen(m.body().getString("caseId"), m.body().getString("user")));
  }

  public List<String> viewing(String caseId, String user) {
    boolean isNew = seen(caseId, user);
    events.publish(HEARTBEAT, new JsonObject().put("caseId", caseId).put("user", user));
    List<String> now = viewers(caseId);
    if (isNew) events.publish(ADDRESS, new JsonObject().put("caseId", caseId).put("viewers", new JsonArray(now)));
    return now;
  }

  private boolean seen(String caseId, String user) {
    return viewers.computeIfAbsent(caseId, k -> new ConcurrentHashMap<>()).put(user, clock.instant()) == null;
  }

  public List<String> viewers(String caseId) {
    Map<String, Instant> seen = viewers.getOrDefault(caseId, Map.of());
    Instant cutoff = clock.instant().minus(TTL);
    return seen.entrySet().stream().filter(e -> e.getValue().isAfter(cutoff)).map(Map.Entry::getKey).sorted().toList();
  }
}
