package io.careloop.analytics;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one SLA event adds to its day's rollup, as a MongoDB {@code $inc}: responses per group (all, agent, brand,
 * priority, source, hour of day) in calendar and business seconds, breaches, new cases by hour, and the change in
 * backlog (clocks running). Days and hours are UTC. Plain Java.
 */
public final class Rollup {
  private Rollup() {}

  public static String day(Instant t) { return LocalDate.ofInstant(t, ZoneOffset.UTC).toString(); }

  /** What a stored fact adds to its day (recomputed from the fact, so facts stay small). */
  public static JsonObject of(JsonObject fact) {
    return switch (fact.getString("kind")) {
      case "fulfilled" -> response(ResponseFact.fromJson(fact));
      case "breached" -> breach(fact.getString("brand"), fact.getString("priority"), fact.getString("source"),
        io.careloop.store.Dates.instant(fact.getValue("startedAt")));
      case "applied" -> started(fact.getBoolean("newCase", false), io.careloop.store.Dates.instant(fact.getValue("at")));
      default -> stopped();
    };
  }

  /**
   * Splits a day's additions by the document they go to: first-response figures in calendar time of group
   * "agent=abe" go to {@code day|agent|first}, of "all" to {@code day|all|first}, everything else (backlog, new
   * cases, breaches) to {@code day|meta}; so a dashboard reads three small documents a day, not every histogram.
   */
  public static Map<String, JsonObject> split(JsonObject inc) {
    Map<String, JsonObject> parts = new LinkedHashMap<>();
    inc.forEach(e -> {
      String key = e.getKey();
      String dim = "meta";
      if (key.startsWith("r.")) {
        int groupEnd = key.indexOf('.', 2);
        String group = key.substring(2, groupEnd);
        int metricEnd = key.indexOf('.', groupEnd + 1);
        String metric = key.substring(groupEnd + 1, metricEnd < 0 ? key.length() : metricEnd);
        int eq = group.indexOf('=');
        dim = (eq < 0 ? group : group.substring(0, eq)) + "|" + metric;
      }
      parts.computeIfAbsent(dim, d -> new JsonObject()).put(key, e.getValue());
    });
    return parts;
  }

  /** The groups a response or breach counts in. */
  static Map<String, String> groups(String agent, String brand, String priority, String source, Instant startedAt) {
    Map<String, String> g = new LinkedHashMap<>();
    g.put("all", "all");
    if (agent != null) g.put("agent", "agent=" + agent);
    if (brand != null) g.put("brand", "brand=" + brand);
    if (priority != null) g.put("priority", "priority=" + priority);
    if (source != null) g.put("source", "source=" + source);
    g.put("hour", "hour=" + startedAt.atZone(ZoneOffset.UTC).getHour());
    return g;
  }

  /** A response: {@code metric} is "first" or "next". */
  public static JsonObject response(ResponseFact f) {
    JsonObject inc = new JsonObject();
    String metric = f.metric().startsWith("first") ? "first" : "next";
    for (String g : groups(f.agent(), f.brand(), f.priority(), f.source(), f.startedAt()).values()) {
      String key = "r." + field(g) + ".";
      add(inc, key + metric, f.seconds(), f.met());
      add(inc, key + metric + "B", f.businessSeconds(), f.met());
    }
    inc.put("backlog", -1);
    return inc;
  }

  public static JsonObject breach(String brand, String priority, String source, Instant startedAt) {
    JsonObject inc = new JsonObject();
    for (String g : groups(null, brand, priority, source, startedAt).values()) inc.put("breaches." + field(g), 1);
    return inc;
  }

  /** A clock started: a new case (first response) counts in the volume; every start adds to the backlog. */
  public static JsonObject started(boolean newCase, Instant at) {
    JsonObject inc = new JsonObject().put("backlog", 1);
    if (newCase) inc.put("volume", 1).put("hours." + at.atZone(ZoneOffset.UTC).getHour(), 1);
    return inc;
  }

  public static JsonObject stopped() {
    return new JsonObject().put("backlog", -1);
  }

  private static void add(JsonObject inc, String prefix, long seconds, boolean met) {
    inc.put(prefix + ".n", 1).put(prefix + ".met", met ? 1 : 0).put(prefix + ".sum", seconds)
      .put(prefix + ".h." + ResponseTimes.bucket(seconds), 1);
  }

  /** Field names may not contain dots or start with '$' (user names and source ids may contain dots). */
  static String field(String group) {
    return group.replace(".", "\uFF0E").replace("$", "\uFF04");
  }

  static String group(String field) {
    return field.replace("\uFF0E", ".").replace("\uFF04", "$");
  }
}
