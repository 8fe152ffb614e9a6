package io.careloop.analytics;

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

  /** Additions to a day: dotted field path → amount ({@code r.all.first.n} → 1). */
  public static Map<String, Number> inc() { return new LinkedHashMap<>(); }

  /**
   * Splits a day's additions by the document they go to: first-response figures in calendar time of group
   * "agent=abe" go to {@code day|agent|first}, of "all" to {@code day|all|first}, everything else (backlog, new
   * cases, breaches) to {@code day|meta}; so a dashboard reads three small documents a day, not every histogram.
   */
  public static Map<String, Map<String, Number>> split(Map<String, Number> inc) {
    Map<String, Map<String, Number>> parts = new LinkedHashMap<>();
    inc.entrySet().forEach(e -> {
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
      parts.computeIfAbsent(dim, d -> new LinkedHashMap<>()).put(key, e.getValue());
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
  public static Map<String, Number> response(ResponseFact f) {
    Map<String, Number> inc = inc();
    String metric = f.metric().startsWith("first") ? "first" : "next";
    for (String g : groups(f.agent(), f.brand(), f.priority(), f.source(), f.startedAt()).values()) {
      String key = "r." + field(g) + ".";
      add(inc, key + metric, f.seconds(), f.met());
      add(inc, key + metric + "B", f.businessSeconds(), f.met());
    }
    inc.put("backlog", -1);
    return inc;
  }

  public static Map<String, Number> breach(String brand, String priority, String source, Instant startedAt) {
    Map<String, Number> inc = inc();
    for (String g : groups(null, brand, priority, source, startedAt).values()) inc.put("breaches." + field(g), 1);
    return inc;
  }

  /** A clock started: a new case (first response) counts in the volume; every start adds to the backlog. */
  public static Map<String, Number> started(boolean newCase, Instant at) {
    Map<String, Number> inc = inc();
    inc.put("backlog", 1);
    if (newCase) {
      inc.put("volume", 1);
      inc.put("hours." + at.atZone(ZoneOffset.UTC).getHour(), 1);
    }
    return inc;
  }

  public static Map<String, Number> stopped() {
    Map<String, Number> inc = inc();
    inc.put("backlog", -1);
    return inc;
  }

  /** A stopped clock restored by an undo: back in the backlog, as if it had never left. */
  public static Map<String, Number> restored() {
    Map<String, Number> inc = inc();
    inc.put("backlog", 1);
    return inc;
  }

  /** Adds one map of additions into another (a day's sum being rebuilt). */
  public static void addAll(Map<String, Number> sum, Map<String, Number> inc) {
    inc.forEach((k, v) -> sum.merge(k, v, Rollup::add));
  }

  private static Number add(Number a, Number b) {
    if (a instanceof Double || b instanceof Double) return a.doubleValue() + b.doubleValue();
    return a.longValue() + b.longValue();
  }

  private static void add(Map<String, Number> inc, String prefix, long seconds, boolean met) {
    inc.put(prefix + ".n", 1);
    inc.put(prefix + ".met", met ? 1 : 0);
    inc.put(prefix + ".sum", seconds);
    inc.put(prefix + ".h." + ResponseTimes.bucket(seconds), 1);
  }

  /** Field names may not contain dots or start with '$' (user names and source ids may contain dots). */
  static String field(String group) {
    return group.replace(".", "\uFF0E").replace("$", "\uFF04");
  }

  static String group(String field) {
    return field.replace("\uFF0E", ".").replace("\uFF04", "$");
  }
}
