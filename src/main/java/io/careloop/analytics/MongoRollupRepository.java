package io.careloop.analytics;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The daily rollups ({@code analytics_days}): per day, one document per grouping and clock ({@code day|agent|first})
 * and one of everything else ({@code day|meta}), so a dashboard reads a few small documents a day. Past days are
 * kept in memory as read, since they change only when a late event or a repair touches them.
 */
final class MongoRollupRepository {
  static final String DAYS = "analytics_days";
  private static final Duration CACHE_FOR = Duration.ofMinutes(5);

  private final MongoClient mongo;
  private final Clock clock;
  /**
   * Rollup documents of past days, as read: this node drops its copy whenever it changes one. Entries expire after
   * five minutes, which bounds what another node's late change can leave unseen here. Read and written on the
   * verticle's one event loop only: no lock.
   */
  private final Map<String, Cached> pastDays = new LinkedHashMap<>(1024, 0.75f, true) {
    @Override protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) { return size() > 50_000; }
  };
  private String earliestDay;

  private record Cached(JsonObject doc, Instant at) {}

  MongoRollupRepository(MongoClient mongo, Clock clock) {
    this.mongo = mongo;
    this.clock = clock;
  }

  /** Adds to a day's rollups ({@code $inc}: not to be repeated, see {@link io.careloop.store.CountedRollup}). */
  Future<Void> add(String day, Map<String, Number> inc) {
    return each(new ArrayList<>(Rollup.split(inc).entrySet()), part -> {
      forget(day + "|" + part.getKey());
      return mongo.updateCollectionWithOptions(DAYS, new JsonObject().put("_id", day + "|" + part.getKey()),
        new JsonObject().put("$inc", new JsonObject(new LinkedHashMap<>(part.getValue()))), new UpdateOptions().setUpsert(true));
    });
  }

  /** Replaces a day's rollups with these sums. */
  Future<Void> replace(String day, Map<String, Number> flat) {
    return each(new ArrayList<>(Rollup.split(flat).entrySet()), part -> {
      String id = day + "|" + part.getKey();
      forget(id);
      JsonObject doc = new JsonObject().put("_id", id);
      part.getValue().forEach((path, value) -> put(doc, path, value));
      return mongo.findOneAndReplaceWithOptions(DAYS, new JsonObject().put("_id", id), doc, new FindOptions(), new UpdateOptions().setUpsert(true));
    });
  }

  /** Whether any rollup exists (not how many: counting reads every document on the embedded server). */
  Future<Boolean> any() {
    return mongo.findOne(DAYS, new JsonObject(), new JsonObject().put("_id", 1)).map(d -> d != null);
  }

  /** The days from {@code from} to {@code to} with the figures of one clock ({@code first}, {@code nextB}) and grouping. */
  Future<Map<LocalDate, ResponseReport.Day>> range(LocalDate from, LocalDate to, String groupBy, String key) {
    JsonArray ids = new JsonArray();
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      ids.add(day + "|all|" + key).add(day + "|meta");
      if (groupBy != null) ids.add(day + "|" + groupBy + "|" + key);
    }
    return rollups(ids).map(MongoRollupRepository::days);
  }

  /** The backlog at the start of {@code from}: the changes of every earlier day (their meta documents, mostly held here). */
  Future<Long> backlogBefore(LocalDate from) {
    return earliest().compose(first -> {
      JsonArray earlier = new JsonArray();
      for (LocalDate day = LocalDate.parse(first); day.isBefore(from); day = day.plusDays(1)) earlier.add(day + "|meta");
      return rollups(earlier).map(list -> list.stream().mapToLong(d -> d.getLong("backlog", 0L)).sum());
    });
  }

  /** A day is its documents (all, meta, the grouping), which hold disjoint fields. */
  private static Map<LocalDate, ResponseReport.Day> days(List<JsonObject> docs) {
    Map<String, JsonObject> rByDay = new HashMap<>();
    Map<String, JsonObject> metaByDay = new HashMap<>();
    docs.forEach(d -> {
      String id = d.getString("_id");
      String day = id.substring(0, id.indexOf('|'));
      if (id.endsWith("|meta")) metaByDay.put(day, d);
      else rByDay.computeIfAbsent(day, k -> new JsonObject()).getMap().putAll(d.getJsonObject("r", new JsonObject()).getMap());
    });
    Map<LocalDate, ResponseReport.Day> out = new HashMap<>();
    java.util.Set<String> all = new java.util.HashSet<>(rByDay.keySet());
    all.addAll(metaByDay.keySet());
    for (String day : all) {
      JsonObject meta = metaByDay.getOrDefault(day, new JsonObject());
      JsonObject r = rByDay.getOrDefault(day, new JsonObject());
      Map<Integer, Long> hours = new LinkedHashMap<>();
      JsonObject h = meta.getJsonObject("hours", new JsonObject());
      for (String hour : h.fieldNames()) hours.put(Integer.parseInt(hour), h.getLong(hour));
      Map<String, Long> breaches = new LinkedHashMap<>();
      JsonObject b = meta.getJsonObject("breaches", new JsonObject());
      for (String field : b.fieldNames()) breaches.put(field, b.getLong(field));
      Map<String, Map<String, ResponseTimes.Stored>> responses = new LinkedHashMap<>();
      for (String field : r.fieldNames()) {
        Map<String, ResponseTimes.Stored> byClock = new LinkedHashMap<>();
        JsonObject clocks = r.getJsonObject(field);
        for (String clock : clocks.fieldNames()) byClock.put(clock, stored(clocks.getJsonObject(clock)));
        responses.put(field, byClock);
      }
      out.put(LocalDate.parse(day), new ResponseReport.Day(meta.getLong("backlog", 0L), meta.getLong("volume", 0L), hours, breaches, responses));
    }
    return out;
  }

  private static ResponseTimes.Stored stored(JsonObject s) {
    if (s == null) return null;
    Map<Integer, Long> buckets = new LinkedHashMap<>();
    JsonObject h = s.getJsonObject("h", new JsonObject());
    for (String b : h.fieldNames()) buckets.put(Integer.parseInt(b), h.getLong(b));
    return new ResponseTimes.Stored(s.getLong("n", 0L), s.getLong("met", 0L), s.getDouble("sum", 0.0), buckets);
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

  LocalDate today() { return LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC); }

  static <T> Future<Void> each(List<T> items, java.util.function.Function<T, Future<?>> work) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) chain = chain.compose(v -> work.apply(item).mapEmpty());
    return chain;
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
}
