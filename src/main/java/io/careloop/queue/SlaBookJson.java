package io.careloop.queue;

import io.careloop.errors.Invalid;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The service-level book as JSON (API and database), with validation that names what is wrong. */
public final class SlaBookJson {
  private SlaBookJson() {}

  public static SlaBook parse(JsonObject json) {
    try {
      JsonArray policies = json.getJsonArray("policies");
      if (policies == null || policies.isEmpty()) throw invalid("policies: at least one policy");
      List<SlaPolicy> parsed = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < policies.size(); i++) {
        SlaPolicy p = policy(policies.getJsonObject(i), "policies[" + i + "]");
        if (!ids.add(p.id())) throw invalid("policies[" + i + "].id: duplicate id " + p.id());
        parsed.add(p);
      }
      return new SlaBook(parsed, hours(json.getJsonObject("hours")));
    } catch (ClassCastException e) {
      throw invalid("a field has the wrong type: " + e.getMessage(), e);
    }
  }

  /**
   * The book stored at first start, from the {@code sla} section of the settings: one policy for every case with the
   * configured first- and next-response targets (calendar time), and the configured opening hours for the policies
   * that count business hours. A bad section is named by its keys, like a book sent to the API.
   */
  public static SlaBook configured(JsonObject sla) {
    JsonObject policy = new JsonObject().put("id", "default").put("name", "Every case")
      .put("firstResponseMinutes", sla.getValue("firstResponseMinutes"))
      .put("nextResponseMinutes", sla.getValue("nextResponseMinutes"))
      .put("businessHours", false)
      .put("warnShare", sla.getValue("warnShare"))
      .put("escalateOnBreach", sla.getValue("escalateOnBreach"));
    return parse(new JsonObject().put("policies", new JsonArray().add(policy)).put("hours", sla.getValue("hours")));
  }

  private static SlaPolicy policy(JsonObject p, String at) {
    JsonObject when = p.getJsonObject("when", new JsonObject());
    Set<Priority> priorities = new LinkedHashSet<>();
    for (Object o : when.getJsonArray("priorities", new JsonArray())) priorities.add(priority(String.valueOf(o), at + ".when.priorities"));
    Set<String> sources = new LinkedHashSet<>();
    when.getJsonArray("sources", new JsonArray()).forEach(o -> sources.add(String.valueOf(o)));
    List<String> keywords = when.getJsonArray("keywords", new JsonArray()).stream().map(String::valueOf).toList();
    long minFollowers = when.getLong("minFollowers", 0L);
    try {
      return new SlaPolicy(p.getString("id"), p.getString("name", p.getString("id")),
        new SlaPolicy.Conditions(priorities, sources, keywords, minFollowers),
        targets(p.getJsonObject("firstResponseMinutes"), at + ".firstResponseMinutes"),
        targets(p.getJsonObject("nextResponseMinutes"), at + ".nextResponseMinutes"),
        p.getBoolean("businessHours", false), p.getDouble("warnShare", 0.75), p.getBoolean("escalateOnBreach", false));
    } catch (IllegalArgumentException e) {
      throw invalid(at + ": " + e.getMessage(), e);
    }
  }

  private static Map<Priority, Duration> targets(JsonObject minutes, String at) {
    if (minutes == null) throw invalid(at + ": missing");
    Map<Priority, Duration> m = new EnumMap<>(Priority.class);
    for (Priority p : Priority.values()) {
      Integer v = minutes.getInteger(p.name());
      if (v == null || v <= 0) throw invalid(at + "." + p.name() + ": a positive number of minutes");
      m.put(p, Duration.ofMinutes(v));
    }
    return m;
  }

  private static BusinessHours hours(JsonObject h) {
    if (h == null) throw invalid("hours: missing");
    try {
      ZoneId zone = ZoneId.of(h.getString("zone", "UTC"));
      Map<DayOfWeek, List<BusinessHours.Window>> weekly = new EnumMap<>(DayOfWeek.class);
      JsonObject days = h.getJsonObject("weekly", new JsonObject());
      for (String day : days.fieldNames()) {
        DayOfWeek d = DayOfWeek.valueOf(day.toUpperCase(Locale.ROOT));
        List<BusinessHours.Window> windows = new ArrayList<>();
        for (Object w : days.getJsonArray(day)) {
          JsonArray pair = (JsonArray) w;
          String close = pair.getString(1);
          windows.add(new BusinessHours.Window(LocalTime.parse(pair.getString(0)),
            close.equals("24:00") ? BusinessHours.Window.END_OF_DAY : LocalTime.parse(close)));
        }
        weekly.put(d, windows);
      }
      Set<LocalDate> holidays = new LinkedHashSet<>();
      h.getJsonArray("holidays", new JsonArray()).forEach(o -> holidays.add(LocalDate.parse(String.valueOf(o))));
      return new BusinessHours(zone, weekly, holidays);
    } catch (DateTimeException | IllegalArgumentException | IndexOutOfBoundsException | ClassCastException e) {
      throw invalid("hours: " + e.getMessage(), e);
    }
  }

  private static Priority priority(String s, String at) {
    try {
      return Priority.valueOf(s);
    } catch (IllegalArgumentException e) {
      throw invalid(at + ": unknown priority " + s);
    }
  }

  public static JsonObject write(SlaBook book) {
    JsonArray policies = new JsonArray();
    for (SlaPolicy p : book.policies()) {
      policies.add(new JsonObject().put("id", p.id()).put("name", p.name())
        .put("when", new JsonObject()
          .put("priorities", new JsonArray(p.when().priorities().stream().map(Enum::name).sorted().toList()))
          .put("sources", new JsonArray(p.when().sources().stream().sorted().toList()))
          .put("keywords", new JsonArray(p.when().keywords()))
          .put("minFollowers", p.when().minFollowers()))
        .put("firstResponseMinutes", minutes(p.firstResponse()))
        .put("nextResponseMinutes", minutes(p.nextResponse()))
        .put("businessHours", p.businessHours()).put("warnShare", p.warnShare()).put("escalateOnBreach", p.escalateOnBreach()));
    }
    JsonObject weekly = new JsonObject();
    for (DayOfWeek d : DayOfWeek.values()) {
      List<BusinessHours.Window> windows = book.hours().weekly().get(d);
      if (windows == null || windows.isEmpty()) continue;
      JsonArray w = new JsonArray();
      windows.forEach(x -> w.add(new JsonArray().add(x.open().toString())
        .add(x.close().equals(BusinessHours.Window.END_OF_DAY) ? "24:00" : x.close().toString())));
      weekly.put(d.name(), w);
    }
    return new JsonObject().put("policies", policies).put("hours", new JsonObject()
      .put("zone", book.hours().zone().getId()).put("weekly", weekly)
      .put("holidays", new JsonArray(book.hours().holidays().stream().sorted().map(LocalDate::toString).toList())));
  }

  private static JsonObject minutes(Map<Priority, Duration> targets) {
    JsonObject o = new JsonObject();
    for (Priority p : Priority.values()) o.put(p.name(), targets.get(p).toMinutes());
    return o;
  }

  private static Invalid invalid(String message) { return new Invalid("invalid-sla", message); }

  private static Invalid invalid(String message, Throwable cause) { return new Invalid("invalid-sla", message, null, cause); }
}
