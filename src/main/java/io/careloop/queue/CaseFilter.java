package io.careloop.queue;

import io.careloop.errors.Invalid;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A search of the cases as the console and the API write it: query-string parameters ({@code q}, {@code state},
 * {@code priority}, {@code assignee}, {@code tag}, {@code brand}, {@code source}, {@code from}, {@code to}), read into
 * an index query. A bad value is the caller's mistake and says which parameter it was. Plain Java.
 */
public final class CaseFilter {
  /** The parameters a filter (and so a saved view) is made of, in the order they are written back. */
  public static final List<String> PARAMETERS = List.of("q", "state", "priority", "assignee", "tag", "brand", "source", "from", "to");
  private static final Set<String> STATE_WORDS = Set.of("new", "claimed", "replied", "resolved", "dismissed", "open", "waiting", "closed");

  private CaseFilter() {}

  /** Reads the parameters ({@code me} as assignee is {@code agent}, {@code none} is nobody). */
  public static CaseIndex.Query parse(Map<String, String> p, String agent) {
    String q = value(p, "q");
    if (q != null && q.length() > 200) throw bad("q", "q is at most 200 characters");
    List<CaseState> states = new ArrayList<>();
    for (String s : list(p, "state")) {
      if (!STATE_WORDS.contains(s)) throw bad("state", "state must be one of new, claimed, replied, resolved, dismissed, open, waiting, closed (comma-separated), not '" + s + "'");
      switch (s) {
        case "open" -> states.addAll(CaseState.OPEN);
        case "waiting" -> states.addAll(CaseState.WAITING_ON_US);
        case "closed" -> states.addAll(List.of(CaseState.RESOLVED, CaseState.DISMISSED));
        default -> states.add(CaseState.fromWire(s));
      }
    }
    List<Priority> priorities = new ArrayList<>();
    for (String s : list(p, "priority")) {
      try {
        priorities.add(Priority.valueOf(s));
      } catch (IllegalArgumentException e) {
        throw bad("priority", "priority must be one of urgent, high, normal, low (comma-separated), not '" + s + "'");
      }
    }
    String assignee = value(p, "assignee");
    boolean unassigned = "none".equals(assignee);
    if (assignee != null && !assignee.matches("[A-Za-z0-9_.-]{1,64}")) throw bad("assignee", "assignee is a user name, 'me' or 'none'");
    if ("me".equals(assignee)) assignee = agent;
    if (unassigned) assignee = null;
    String tag = value(p, "tag");
    if (tag != null && tag.length() > 64) throw bad("tag", "tag is at most 64 characters");
    String brand = value(p, "brand");
    if (brand != null && !brand.matches("[A-Za-z0-9_]{1,64}")) throw bad("brand", "brand is a handle without @ (letters, digits, _)");
    String source = value(p, "source");
    if (source != null && !source.matches("[a-z0-9-]{1,80}")) throw bad("source", "source is a source id (a-z, 0-9, -)");
    Long from = time(p, "from", false);
    Long to = time(p, "to", true);
    if (from != null && to != null && from >= to) throw bad("to", "to must be after from");
    return new CaseIndex.Query(q, List.copyOf(new java.util.LinkedHashSet<>(states)), priorities, assignee, unassigned, tag, brand, source, from, to);
  }

  /** The filter written back as a query string, parameters in a fixed order, empty ones left out (what a saved view stores). */
  public static String queryString(Map<String, String> p) {
    Map<String, String> kept = new LinkedHashMap<>();
    for (String name : PARAMETERS) {
      String v = value(p, name);
      if (v != null) kept.put(name, v);
    }
    StringBuilder out = new StringBuilder();
    kept.forEach((k, v) -> out.append(out.length() == 0 ? "" : "&").append(k).append('=')
      .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20")));
    return out.toString();
  }

  /** A query string (as {@link #queryString} writes it) read back into parameters. */
  public static Map<String, String> fromQueryString(String qs) {
    Map<String, String> p = new LinkedHashMap<>();
    if (qs == null || qs.isBlank()) return p;
    for (String pair : qs.replaceFirst("^[?#]", "").split("&")) {
      if (pair.isEmpty()) continue;
      int eq = pair.indexOf('=');
      String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
      String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
      if (!PARAMETERS.contains(k)) throw bad("filter", "a view's filter has only " + String.join(", ", PARAMETERS) + ", not '" + k + "'");
      p.put(k, v);
    }
    return p;
  }

  private static String value(Map<String, String> p, String name) {
    String v = p.get(name);
    return v == null || v.isBlank() ? null : v.trim();
  }

  private static List<String> list(Map<String, String> p, String name) {
    String v = value(p, name);
    if (v == null) return List.of();
    return java.util.Arrays.stream(v.toLowerCase(Locale.ROOT).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }

  /** A date ({@code 2026-12-01}, a whole UTC day: {@code to} includes it) or an instant ({@code 2026-12-01T09:30:00Z}). */
  private static Long time(Map<String, String> p, String name, boolean end) {
    String v = value(p, name);
    if (v == null) return null;
    try {
      if (v.length() == 10) {
        LocalDate day = LocalDate.parse(v);
        return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      }
      return Instant.parse(v).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw bad(name, name + " must be a date (2026-12-01) or an instant (2026-12-01T09:30:00Z), not '" + v + "'");
    }
  }

  private static Invalid bad(String parameter, String message) {
    return new Invalid("bad-" + parameter, message, Map.of("parameter", parameter));
  }
}
