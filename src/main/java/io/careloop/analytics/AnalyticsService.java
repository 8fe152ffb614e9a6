package io.careloop.analytics;

import io.careloop.queue.SlaEvents;
import io.careloop.queue.SlaService;
import io.careloop.store.Collections;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.careloop.store.InOrder;
import io.careloop.store.Paged;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.careloop.store.InOrder.each;

/**
 * Response-time analytics from the SLA event log. Each counted event becomes a fact ({@code analytics_facts}, id =
 * the event's id, so it counts once) carrying what it adds to its day; the day's rollup ({@code analytics_days})
 * is the sum of its facts' additions, kept up to date with {@code $inc} and recomputed from the facts when a crash
 * left one half counted or the rollups are missing. Dashboards read a few day documents, never the raw cases.
 */
public final class AnalyticsService {
  private static final Logger log = LoggerFactory.getLogger(AnalyticsService.class);
  public static final String FACTS = "analytics_facts";
  public static final String DAYS = "analytics_days";
  public static final String STATE = "analytics_state";
  /** Ten minutes of event sequence numbers (milliseconds × 1000): room for nodes whose clocks differ. */
  private static final long CHECKPOINT_MARGIN = 10 * 60 * 1000 * 1000L;
  private static final String CHECKPOINTS = "sla-events";
  private static final Set<String> COUNTED = Set.of("fulfilled", "breached", "applied", "stopped");

  private final Vertx vertx;
  private final MongoClient mongo;
  private final SlaService sla;
  private final Clock clock;
  private MessageConsumer<JsonObject> consumer;
  /**
   * Rollup documents of past days, as read: they change only when a late event or a repair touches them, and this
   * node drops its copy whenever it does so. Entries expire after five minutes, which bounds what another node's
   * late change can leave unseen here. Read and written on the verticle's one event loop only: no lock.
   */
  private final Map<String, Cached> pastDays = new java.util.LinkedHashMap<>(1024, 0.75f, true) {
    @Override protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) { return size() > 50_000; }
  };
  private static final java.time.Duration CACHE_FOR = java.time.Duration.ofMinutes(5);

  private record Cached(JsonObject doc, Instant at) {}

  private String earliestDay;
  private final InOrder inOrder = new InOrder();

  /**
   * Each node counts the events it records itself and keeps its own checkpoint ({@code sla-events@<node>}): one
   * node's progress says nothing of the events another node recorded but had not counted when it died. A start
   * catches up from the lowest checkpoint of all.
   */
  private final String checkpointId;

  public AnalyticsService(Vertx vertx, Database database, SlaService sla, Clock clock, String nodeId) {
    this.checkpointId = CHECKPOINTS + "@" + nodeId;
    this.vertx = vertx;
    this.mongo = database.mongo();
    this.sla = sla;
    this.clock = clock;
  }

  private volatile boolean stopping;
  /** Up to this many events since the checkpoint, their facts are looked up by key; above, all fact ids are read once. */
  private static final int BY_KEY_UP_TO = 2_000;
  private static final java.time.Duration CHECKPOINT_EVERY = java.time.Duration.ofSeconds(30);
  /** The highest {@code seq} counted live, and whether any live count failed since this start. */
  private long countedUpTo = Long.MIN_VALUE;
  private boolean countFailed;
  private long savedCheckpoint = Long.MIN_VALUE;
  private long checkpointTimer = -1;
  private Future<Void> caughtUp = Future.succeededFuture();

  /** Start-up: repair what a crash left, count what was never counted, then follow the live event log. */
  public Future<Void> start() {
    stopping = false;
    consumer = vertx.eventBus().localConsumer(SlaEvents.ADDRESS, m -> inOrder.run(() -> stopping ? Future.<Void>succeededFuture() : count(m.body()))
      .onSuccess(v -> countedUpTo = Math.max(countedUpTo, m.body().getLong("seq", Long.MIN_VALUE)))
      .onFailure(e -> {
        countFailed = true;
        log.warn("Could not count SLA event of case {} yet (done at next start)", m.body().getString("caseId"), e);
      }));
    checkpointTimer = vertx.setPeriodic(CHECKPOINT_EVERY.toMillis(), t -> saveCheckpoint());
    // Catching up reads the events since the last start, which on the embedded server means a scan of them all:
    // it runs after ready, and figures asked for meanwhile wait for it rather than come from half-counted days.
    caughtUp = inOrder.run(this::catchUp).<Void>mapEmpty()
      .onFailure(e -> log.warn("Analytics could not catch up at start (figures may lag until the next start)", e));
    return Future.succeededFuture();
  }

  /** Whether the start-up catch-up is over (done or given up). */
  public boolean caughtUpDone() {
    return caughtUp.isComplete();
  }

  /** Completes once the start-up catch-up is done (or gave up): figures are computed after it. */
  private Future<Void> caughtUp() {
    return caughtUp.otherwiseEmpty();
  }

  /**
   * Finishes the event being counted and leaves the backlog: counting is derived work, and the next start counts
   * every event recorded since this one started (so a stop under a burst is quick and quiet).
   */
  public Future<Void> stop() {
    stopping = true;
    if (checkpointTimer >= 0) vertx.cancelTimer(checkpointTimer);
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered.compose(v -> settled());
  }


  /**
   * Moves the start-up checkpoint up to the events counted live, so the next start re-reads minutes of events rather
   * than everything since this start. Not before this start's catch-up has finished, and never past an event whose
   * counting failed (the next start counts it). Events are counted in the order they are announced, which can differ
   * from their order by {@code seq} by the time two writes overlap: the catch-up's margin covers that.
   */
  Future<Void> saveCheckpoint() {
    long upTo = countedUpTo;
    if (countFailed || upTo <= savedCheckpoint || !caughtUp.succeeded()) return Future.succeededFuture();
    return mongo.updateCollectionWithOptions(STATE, new JsonObject().put("_id", checkpointId), new JsonObject().put("$max", new JsonObject().put("seq", upTo)),
        new UpdateOptions().setUpsert(true))
      .onSuccess(r -> savedCheckpoint = upTo)
      .onFailure(e -> log.debug("Analytics checkpoint not saved (next time)", e))
      .<Void>mapEmpty().otherwiseEmpty();
  }

  /** Waits for events already handed over (tests and the benchmark use it). */
  public Future<Void> settled() {
    return inOrder.run(Future::succeededFuture).mapEmpty();
  }

  /**
   * What a stop left undone: facts not yet added to their day, rollups missing altogether, and SLA events recorded
   * but never counted. Only events since the last start are read (its checkpoint, less a margin for nodes whose
   * clocks differ), so a start does not grow slower with history.
   */
  private Future<Void> catchUp() {
    List<JsonObject> recent = new ArrayList<>();
    long[] newest = {Long.MIN_VALUE};
    return mongo.find(FACTS, new JsonObject().put("counted", false))
      .compose(half -> each(half.stream().map(f -> f.getString("day")).distinct().toList(), this::recount))
      // Whether any exists, not how many: counting reads every document on the embedded server.
      .compose(v -> Future.all(mongo.findOne(DAYS, new JsonObject(), new JsonObject().put("_id", 1)),
        mongo.findOne(FACTS, new JsonObject(), new JsonObject().put("_id", 1))))
      .compose(found -> found.resultAt(0) == null && found.resultAt(1) != null ? rebuildAll() : Future.succeededFuture())
      .compose(v -> mongo.find(STATE, everyCheckpoint()))
      .compose(checkpoints -> {
        JsonObject q = new JsonObject().put("kind", new JsonObject().put("$in", new JsonArray(List.copyOf(COUNTED))));
        long lowest = checkpoints.stream().mapToLong(c -> c.getLong("seq", Long.MIN_VALUE)).min().orElse(Long.MIN_VALUE);
        if (lowest != Long.MIN_VALUE) q.put("seq", new JsonObject().put("$gt", lowest - CHECKPOINT_MARGIN));
        return Paged.forEach(mongo, SlaEvents.COLLECTION, q, null, e -> {
          recent.add(e);
          newest[0] = Math.max(newest[0], e.getLong("seq", Long.MIN_VALUE));
        });
      })
      .compose(n -> uncounted(recent))
      .compose(missing -> {
        if (!missing.isEmpty()) log.info("Counting {} SLA events not yet in the analytics", missing.size());
        return each(missing, e -> count(eventView(e)));
      })
      // Everything recorded up to the newest event read is counted now, whichever node recorded it: every
      // checkpoint (a dead node's too) moves up to it, so the next start reads from here.
      .compose(v -> newest[0] == Long.MIN_VALUE ? Future.succeededFuture() : mongo.updateCollectionWithOptions(STATE,
          new JsonObject().put("_id", checkpointId), new JsonObject().put("$max", new JsonObject().put("seq", newest[0])), new UpdateOptions().setUpsert(true))
        .compose(r -> mongo.updateCollectionWithOptions(STATE, everyCheckpoint(), new JsonObject().put("$max", new JsonObject().put("seq", newest[0])),
          new UpdateOptions().setMulti(true))).mapEmpty());
  }

  /** The checkpoints of every node, and the single one kept before there were several. */
  private static JsonObject everyCheckpoint() {
    return new JsonObject().put("_id", new JsonObject().put("$regex", "^" + CHECKPOINTS + "($|@)"));
  }

  /** The events among these that have no fact yet (looked up by id, in chunks). */
  private Future<List<JsonObject>> uncounted(List<JsonObject> events) {
    if (events.size() > BY_KEY_UP_TO) {
      // Many events (a start after a burst): one read of every fact's id beats a query per chunk, each of which the
      // embedded server answers by reading every fact.
      Set<String> known = new HashSet<>();
      return Paged.forEach(mongo, FACTS, new JsonObject(), new JsonObject().put("_id", 1), f -> known.add(f.getString("_id")))
        .map(n -> events.stream().filter(e -> !known.contains(e.getString("_id"))).toList());
    }
    List<JsonObject> missing = new ArrayList<>();
    List<List<JsonObject>> chunks = new ArrayList<>();
    for (int i = 0; i < events.size(); i += 500) chunks.add(events.subList(i, Math.min(events.size(), i + 500)));
    return each(chunks, chunk -> mongo.findWithOptions(FACTS, new JsonObject().put("_id", new JsonObject().put("$in",
          new JsonArray(chunk.stream().map(e -> e.getString("_id")).toList()))), new FindOptions().setFields(new JsonObject().put("_id", 1)))
        .map(found -> {
          Set<String> known = new HashSet<>();
          found.forEach(f -> known.add(f.getString("_id")));
          chunk.stream().filter(e -> !known.contains(e.getString("_id"))).forEach(missing::add);
          return null;
        }))
      .map(v -> missing);
  }


  /** Counts one SLA event, once. */
  Future<Void> count(JsonObject event) {
    String kind = event.getString("kind");
    if (!COUNTED.contains(kind)) return Future.succeededFuture();
    String caseId = event.getString("caseId");
    String metric = event.getString("metric");
    Instant at = Instant.parse(event.getString("at"));
    Instant dueAt = event.getString("dueAt") == null ? null : Instant.parse(event.getString("dueAt"));
    String id = SlaEvents.id(caseId, metric, kind, dueAt);
    return mongo.findOne(FACTS, new JsonObject().put("_id", id), new JsonObject().put("_id", 1)).compose(existing -> {
      if (existing != null) return Future.succeededFuture();
      if ("applied".equals(kind)) {
        // A clock applied needs nothing from the case: two reads fewer for every new case.
        return store(id, new JsonObject().put("_id", id).put("kind", kind).put("caseId", caseId).put("day", Rollup.day(at))
          .put("newCase", metric.startsWith("first")).put("at", new JsonObject().put("$date", at.toString())));
      }
      return mongo.findOne(Collections.CASES, new JsonObject().put("_id", caseId), null).compose(c -> {
        if (c == null) return Future.succeededFuture();
        return clockStart(c, metric, dueAt).compose(start -> {
          JsonObject fact;
          switch (kind) {
            case "fulfilled" -> {
              ResponseFact f = ResponseFact.of(id, caseId, metric, c.getString("brand"), c.getString("sourceId"), c.getString("priority"),
                event.getString("agent"), start, at, dueAt, event.getBoolean("met", true), sla.book().hours());
              fact = f.toJson().put("text", c.getString("text")).put("handle", c.getJsonObject("customer", new JsonObject()).getString("handle"));
            }
            case "breached" -> fact = new JsonObject().put("_id", id).put("kind", kind).put("caseId", caseId).put("day", Rollup.day(at))
              .put("brand", c.getString("brand")).put("priority", c.getString("priority")).put("source", c.getString("sourceId"))
              .put("startedAt", new JsonObject().put("$date", start.toString()));
            default -> fact = new JsonObject().put("_id", id).put("kind", kind).put("caseId", caseId).put("day", Rollup.day(at));
          }
          return store(id, fact);
        });
      });
    });
  }

  /** The fact first (not yet counted), then the day's $inc, then counted: a crash in between is repaired at start. */
  private Future<Void> store(String id, JsonObject fact) {
    JsonObject inc = Rollup.of(fact);
    fact.put("counted", false);
    String day = fact.getString("day");
    return mongo.insert(FACTS, fact)
      .compose(r -> each(new ArrayList<>(Rollup.split(inc).entrySet()), part -> {
        forget(day + "|" + part.getKey());
        return mongo.updateCollectionWithOptions(DAYS, new JsonObject().put("_id", day + "|" + part.getKey()),
          new JsonObject().put("$inc", part.getValue()), new UpdateOptions().setUpsert(true));
      }))
      .compose(r -> mongo.updateCollection(FACTS, new JsonObject().put("_id", id), new JsonObject().put("$set", new JsonObject().put("counted", true))))
      .mapEmpty();
  }

  /** When the clock that this event belongs to started: its "applied" event, else the customer's post. */
  private Future<Instant> clockStart(JsonObject caseDoc, String metric, Instant dueAt) {
    Instant created = Dates.instant(caseDoc.getValue("createdAt"));
    if (dueAt == null) return Future.succeededFuture(created);
    return mongo.findOne(SlaEvents.COLLECTION, new JsonObject().put("_id", SlaEvents.id(caseDoc.getString("_id"), metric, "applied", dueAt)), null)
      .map(applied -> applied == null ? created : Dates.instant(applied.getValue("at")));
  }

  private Future<Void> recount(String day) {
    return mongo.find(FACTS, new JsonObject().put("day", day)).compose(facts -> {
      JsonObject sum = new JsonObject();
      facts.forEach(f -> addAll(sum, Rollup.of(f)));
      return replaceDay(day, sum)
        .compose(v -> mongo.updateCollectionWithOptions(FACTS, new JsonObject().put("day", day),
          new JsonObject().put("$set", new JsonObject().put("counted", true)), new UpdateOptions().setMulti(true)))
        .mapEmpty();
    });
  }

  /** Rebuilds every day from the facts (the rollups were missing). */
  public Future<Void> rebuildAll() {
    Map<String, JsonObject> days = new TreeMap<>();
    return Paged.forEach(mongo, FACTS, new JsonObject(), null, f -> fold(days, f))
      .compose(n -> {
        log.info("Rebuilt the analytics of {} days from {} facts", days.size(), n);
        return writeDays(days);
      });
  }

  /** Adds a fact to the day sums being rebuilt. */
  public static void fold(Map<String, JsonObject> days, JsonObject fact) {
    addAll(days.computeIfAbsent(fact.getString("day"), d -> new JsonObject()), Rollup.of(fact));
  }

  /** Replaces the rollups of these days with the given sums. */
  public Future<Void> writeDays(Map<String, JsonObject> days) {
    return each(new ArrayList<>(days.entrySet()), e -> replaceDay(e.getKey(), e.getValue()));
  }

  private Future<Void> replaceDay(String day, JsonObject flat) {
    return each(new ArrayList<>(Rollup.split(flat).entrySet()), part -> {
      String id = day + "|" + part.getKey();
      forget(id);
      JsonObject doc = new JsonObject().put("_id", id);
      part.getValue().forEach(e -> put(doc, e.getKey(), e.getValue()));
      return mongo.findOneAndReplaceWithOptions(DAYS, new JsonObject().put("_id", id), doc, new FindOptions(), new UpdateOptions().setUpsert(true));
    });
  }

  // ---- queries ----

  /**
   * Response times between two UTC dates (inclusive) for a metric ("first" or "next"), in calendar or business
   * seconds, with totals, per-group figures, a daily series (responses, median, attainment, breaches, new cases,
   * backlog) and new cases by hour of day and day of week.
   */
  public Future<JsonObject> responseTimes(LocalDate from, LocalDate to, String groupBy, String metric, boolean business) {
    return caughtUp().compose(v -> figures(from, to, groupBy, metric, business));
  }

  private Future<JsonObject> figures(LocalDate from, LocalDate to, String groupBy, String metric, boolean business) {
    String key = metric + (business ? "B" : "");
    JsonArray ids = new JsonArray();
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      ids.add(day + "|all|" + key).add(day + "|meta");
      if (groupBy != null) ids.add(day + "|" + groupBy + "|" + key);
    }
    Future<List<JsonObject>> days = rollups(ids);
    // The backlog at the start of the range: the changes of every earlier day (their meta documents, mostly held here).
    Future<Long> before = earliest().compose(first -> {
      JsonArray earlier = new JsonArray();
      for (LocalDate day = LocalDate.parse(first); day.isBefore(from); day = day.plusDays(1)) earlier.add(day + "|meta");
      return rollups(earlier).map(list -> list.stream().mapToLong(d -> d.getLong("backlog", 0L)).sum());
    });
    return Future.all(days, before).map(all -> {
      List<JsonObject> docs = all.resultAt(0);
      long backlog = all.<Long>resultAt(1);
      ResponseTimes total = new ResponseTimes();
      Map<String, ResponseTimes> groups = new TreeMap<>();
      Map<String, Long> groupBreaches = new HashMap<>();
      long breaches = 0;
      long[] byHour = new long[24];
      long[] byWeekday = new long[7];
      // A day is its documents (all, meta, the grouping), which hold disjoint fields; read, never changed (cached).
      Map<String, JsonObject> rByDay = new HashMap<>();
      Map<String, JsonObject> metaByDay = new HashMap<>();
      docs.forEach(d -> {
        String id = d.getString("_id");
        String day = id.substring(0, id.indexOf('|'));
        if (id.endsWith("|meta")) metaByDay.put(day, d);
        else rByDay.computeIfAbsent(day, k -> new JsonObject()).getMap().putAll(d.getJsonObject("r", new JsonObject()).getMap());
      });
      JsonArray series = new JsonArray();
      for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
        JsonObject d = metaByDay.getOrDefault(day.toString(), new JsonObject());
        JsonObject r = rByDay.getOrDefault(day.toString(), new JsonObject());
        JsonObject b = d.getJsonObject("breaches", new JsonObject());
        ResponseTimes dayAll = new ResponseTimes();
        dayAll.add(r.getJsonObject("all", new JsonObject()).getJsonObject(key));
        total.add(r.getJsonObject("all", new JsonObject()).getJsonObject(key));
        for (String field : r.fieldNames()) {
          String g = Rollup.group(field);
          if (groupBy != null && g.startsWith(groupBy + "=")) {
            groups.computeIfAbsent(g.substring(groupBy.length() + 1), k -> new ResponseTimes()).add(r.getJsonObject(field).getJsonObject(key));
          }
        }
        for (String field : b.fieldNames()) {
          String g = Rollup.group(field);
          if (groupBy != null && g.startsWith(groupBy + "=")) groupBreaches.merge(g.substring(groupBy.length() + 1), b.getLong(field), Long::sum);
        }
        long dayBreaches = b.getLong("all", 0L);
        breaches += dayBreaches;
        long volume = d.getLong("volume", 0L);
        byWeekday[day.getDayOfWeek().getValue() - 1] += volume;
        JsonObject hours = d.getJsonObject("hours", new JsonObject());
        for (String h : hours.fieldNames()) byHour[Integer.parseInt(h)] += hours.getLong(h);
        backlog += d.getLong("backlog", 0L);
        series.add(dayAll.summary().put("day", day.toString()).put("breaches", dayBreaches).put("newCases", volume).put("backlog", backlog));
      }
      JsonArray groupList = new JsonArray();
      groups.forEach((g, rt) -> groupList.add(rt.summary().put("key", g).put("breaches", groupBreaches.getOrDefault(g, 0L))));
      groupBreaches.forEach((g, n) -> {
        if (!groups.containsKey(g)) groupList.add(new ResponseTimes().summary().put("key", g).put("breaches", n));
      });
      JsonArray weekdays = new JsonArray();
      for (DayOfWeek w : DayOfWeek.values()) weekdays.add(new JsonObject().put("day", w.name()).put("newCases", byWeekday[w.getValue() - 1]));
      JsonArray hoursOut = new JsonArray();
      for (long h : byHour) hoursOut.add(h);
      return new JsonObject().put("from", from.toString()).put("to", to.toString()).put("metric", metric)
        .put("time", business ? "business" : "calendar").put("groupBy", groupBy)
        .put("totals", total.summary().put("breaches", breaches)).put("groups", groupList).put("series", series)
        .put("newCasesByHour", hoursOut).put("newCasesByWeekday", weekdays);
    });
  }

  /** The rollup documents with these ids: past days from this node's copy when it has one, the rest from the database. */
  private Future<List<JsonObject>> rollups(JsonArray ids) {
    Instant now = clock.instant();
    String today = today().toString();
    List<JsonObject> found = new ArrayList<>();
    JsonArray wanted = new JsonArray();
    for (Object o : ids) {
      Cached c = pastDays.get((String) o);
      if (c != null && c.at().plus(CACHE_FOR).isAfter(now)) found.add(c.doc());
      else wanted.add(o);
    }
    if (wanted.isEmpty()) return Future.succeededFuture(found);
    return mongo.find(DAYS, new JsonObject().put("_id", new JsonObject().put("$in", wanted))).map(docs -> {
      for (JsonObject d : docs) {
        if (d.getString("_id").compareTo(today) < 0) pastDays.put(d.getString("_id"), new Cached(d, now));
      }
      found.addAll(docs);
      return found;
    });
  }

  private void forget(String id) {
    pastDays.remove(id);
    if (earliestDay != null && id.compareTo(earliestDay) < 0) earliestDay = null;
  }

  /** The first day with a rollup (today when there is none), kept until a change reaches an earlier day. */
  private Future<String> earliest() {
    String known = earliestDay;
    if (known != null) return Future.succeededFuture(known);
    return mongo.findWithOptions(DAYS, new JsonObject(), new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(1)
        .setFields(new JsonObject().put("_id", 1)))
      .map(first -> {
        String day = first.isEmpty() ? today().toString() : first.get(0).getString("_id").substring(0, 10);
        earliestDay = day;
        return day;
      });
  }

  /** Every counted response between two UTC dates, oldest first (the CSV export). */
  public Future<List<JsonObject>> responses(LocalDate from, LocalDate to) {
    return caughtUp().compose(v -> mongo.findWithOptions(FACTS, new JsonObject().put("kind", "fulfilled")
        .put("day", new JsonObject().put("$gte", from.toString()).put("$lte", to.toString())),
      new FindOptions().setSort(new JsonObject().put("respondedAt", 1))));
  }

  public LocalDate today() { return LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC); }

  // ---- helpers ----

  private static void addAll(JsonObject sum, JsonObject inc) {
    inc.forEach(e -> {
      Object old = sum.getValue(e.getKey());
      sum.put(e.getKey(), old == null ? e.getValue() : add((Number) old, (Number) e.getValue()));
    });
  }

  private static Number add(Number a, Number b) {
    if (a instanceof Double || b instanceof Double) return a.doubleValue() + b.doubleValue();
    return a.longValue() + b.longValue();
  }

  /** Sets a dotted path in a nested document. */
  private static void put(JsonObject doc, String path, Object value) {
    String[] parts = path.split("\\.");
    JsonObject at = doc;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject next = at.getJsonObject(parts[i]);
      if (next == null) {
        next = new JsonObject();
        at.put(parts[i], next);
      }
      at = next;
    }
    at.put(parts[parts.length - 1], value);
  }

  private static JsonObject eventView(JsonObject doc) {
    JsonObject v = doc.copy();
    v.put("at", Dates.instant(doc.getValue("at")).toString());
    Instant due = Dates.instant(doc.getValue("dueAt"));
    v.put("dueAt", due == null ? null : due.toString());
    return v;
  }
}
