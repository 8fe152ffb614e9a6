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
 * (avoid two agents drafting at once), not state; a claim is what actually holds a case.
 */
public final class Presence {
  /** {@code {"caseId", "viewers": [names]}} whenever the viewers of a case change. */
  public static final String ADDRESS = "careloop.queue.viewers-changed";
  public static final Duration TTL = Duration.ofSeconds(30);

  private final Map<String, Map<String, Instant>> viewers = new ConcurrentHashMap<>();
  private final EventBus events;
  private final Clock clock;

  public Presence(EventBus events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  public List<String> viewing(String caseId, String user) {
    Map<String, Instant> seen = viewers.computeIfAbsent(caseId, k -> new ConcurrentHashMap<>());
    boolean isNew = seen.put(user, clock.instant()) == null;
    List<String> now = viewers(caseId);
    if (isNew) events.publish(ADDRESS, new JsonObject().put("caseId", caseId).put("viewers", new JsonArray(now)));
    return now;
  }

  public List<String> viewers(String caseId) {
    Map<String, Instant> seen = viewers.getOrDefault(caseId, Map.of());
    Instant cutoff = clock.instant().minus(TTL);
    return seen.entrySet().stream().filter(e -> e.getValue().isAfter(cutoff)).map(Map.Entry::getKey).sorted().toList();
  }
}
