package io.careloop.analytics;

import io.careloop.queue.SlaEvents;
import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a stop left undone, repaired at start: facts not yet added to their day (recounted), rollups missing altogether
 * (rebuilt from the facts), and SLA events recorded but never counted. Only events since the last start are read
 * (the lowest checkpoint of all nodes, less a margin for nodes whose clocks differ), so a start does not grow slower
 * with history.
 */
final class AnalyticsRepair {
  private static final Logger log = LoggerFactory.getLogger(AnalyticsRepair.class);
  /** Ten minutes of event sequence numbers (milliseconds × 1000): room for nodes whose clocks differ. */
  private static final long CHECKPOINT_MARGIN = 10 * 60 * 1000 * 1000L;
  /** Up to this many events since the checkpoint, their facts are looked up by key; above, all fact ids are read once. */
  private static final int BY_KEY_UP_TO = 2_000;

  private final MongoFactRepository facts;
  private final MongoRollupRepository days;
  private final SlaEvents events;
  private final ResponseCounter counter;
  private final String checkpointId;

  AnalyticsRepair(MongoFactRepository facts, MongoRollupRepository days, SlaEvents events, ResponseCounter counter, String checkpointId) {
    this.facts = facts;
    this.days = days;
    this.events = events;
    this.counter = counter;
    this.checkpointId = checkpointId;
  }

  Future<Void> catchUp() {
    List<JsonObject> recent = new ArrayList<>();
    long[] newest = {Long.MIN_VALUE};
    return facts.repair(this::recount)
      .compose(v -> Future.all(days.any(), facts.any()))
      .compose(found -> !found.<Boolean>resultAt(0) && found.<Boolean>resultAt(1) ? rebuildAll() : Future.succeededFuture())
      .compose(v -> facts.lowestCheckpoint())
      .compose(lowest -> events.forEachSince(lowest == null ? null : lowest - CHECKPOINT_MARGIN, List.copyOf(ResponseCounter.COUNTED), e -> {
        recent.add(e);
        newest[0] = Math.max(newest[0], e.getLong("seq", Long.MIN_VALUE));
      }))
      .compose(n -> uncounted(recent))
      .compose(missing -> {
        if (!missing.isEmpty()) log.info("Counting {} SLA events not yet in the analytics", missing.size());
        return MongoRollupRepository.each(missing, e -> counter.count(eventView(e)));
      })
      // Everything recorded up to the newest event read is counted now, whichever node recorded it: every
      // checkpoint (a dead node's too) moves up to it, so the next start reads from here.
      .compose(v -> newest[0] == Long.MIN_VALUE ? Future.succeededFuture()
        : facts.raise(checkpointId, newest[0]).compose(r -> facts.raiseAll(newest[0])));
  }

  /** The events among these that have no fact yet (looked up by id, in chunks). */
  private Future<List<JsonObject>> uncounted(List<JsonObject> events) {
    if (events.size() > BY_KEY_UP_TO) {
      // Many events (a start after a burst): one read of every fact's id beats a query per chunk, each of which the
      // embedded server answers by reading every fact.
      return facts.allIds().map(known -> events.stream().filter(e -> !known.contains(e.getString("_id"))).toList());
    }
    List<JsonObject> missing = new ArrayList<>();
    List<List<JsonObject>> chunks = new ArrayList<>();
    for (int i = 0; i < events.size(); i += 500) chunks.add(events.subList(i, Math.min(events.size(), i + 500)));
    return MongoRollupRepository.each(chunks, chunk -> facts.idsAmong(chunk.stream().map(e -> e.getString("_id")).toList()).map(known -> {
        chunk.stream().filter(e -> !known.contains(e.getString("_id"))).forEach(missing::add);
        return null;
      }))
      .map(v -> missing);
  }

  /** A day's rollups recomputed from its facts. */
  private Future<Void> recount(String day) {
    return facts.ofDay(day).compose(list -> {
      Map<String, Number> sum = Rollup.inc();
      list.forEach(f -> Rollup.addAll(sum, FactDocuments.rollup(f)));
      return days.replace(day, sum);
    });
  }

  /** Rebuilds every day from the facts (the rollups were missing). */
  Future<Void> rebuildAll() {
    Map<String, Map<String, Number>> sums = new TreeMap<>();
    return facts.forEach(f -> fold(sums, f)).compose(n -> {
      log.info("Rebuilt the analytics of {} days from {} facts", sums.size(), n);
      return MongoRollupRepository.each(new ArrayList<>(sums.entrySet()), e -> days.replace(e.getKey(), e.getValue()));
    });
  }

  /** Adds a stored fact to the day sums being rebuilt. */
  static void fold(Map<String, Map<String, Number>> sums, JsonObject fact) {
    Rollup.addAll(sums.computeIfAbsent(fact.getString("day"), d -> Rollup.inc()), FactDocuments.rollup(fact));
  }

  private static JsonObject eventView(JsonObject doc) {
    JsonObject v = doc.copy();
    v.put("at", Dates.instant(doc.getValue("at")).toString());
    Instant due = Dates.instant(doc.getValue("dueAt"));
    v.put("dueAt", due == null ? null : due.toString());
    return v;
  }

}
