package io.careloop.web;

import io.careloop.queue.BusinessHours;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The public response-time figures in words a customer reads right: "under a minute", "1 minute", "6 minutes",
 * "about 2 hours"; shares as percentages that never round a miss away; opening hours as the week they describe.
 *
 * <p>Minutes are rounded up, because the page says replies came <em>within</em> them (a median of 61 s is "within
 * 2 minutes", not "within 1 minute"). From 90 minutes on the figure is in hours and from 36 hours in days, rounded to
 * the nearest and said to be "about", since minutes would claim a precision a customer does not care for.
 */
public final class StatusWords {
  private static final long MINUTE = 60;
  private static final long HOURS_FROM = 90 * MINUTE;
  private static final long DAYS_FROM = 36 * 3600;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM uuuu", Locale.ENGLISH);

  private StatusWords() {}

  /** A duration on its own: "under a minute", "1 minute", "6 minutes", "about 2 hours", "about 3 days". */
  public static String duration(long seconds) {
    if (seconds < MINUTE) return "under a minute";
    if (seconds < HOURS_FROM) return count(ceilDiv(seconds, MINUTE), "minute");
    if (seconds < DAYS_FROM) return "about " + count(Math.round(seconds / 3600.0), "hour");
    return "about " + count(Math.round(seconds / 86400.0), "day");
  }

  /** After a verb ("we typically reply …", "half came …"): "in under a minute", "within 6 minutes", "within about 2 hours". */
  public static String within(long seconds) {
    return (seconds < MINUTE ? "in " : "within ") + duration(seconds);
  }

  /** The badge's short form: "under 1 min", "within 6 min", "within ~2 h", "within ~3 days". */
  public static String badge(long seconds) {
    if (seconds < MINUTE) return "under 1 min";
    if (seconds < HOURS_FROM) return "within " + ceilDiv(seconds, MINUTE) + " min";
    if (seconds < DAYS_FROM) return "within ~" + Math.round(seconds / 3600.0) + " h";
    long days = Math.round(seconds / 86400.0);
    return "within ~" + count(days, "day");
  }

  /**
   * A share (0 to 1) as a percentage: whole percent, except that a share short of all is never shown as 100%
   * (99.95% is "99.9%") and a share above none never as 0% ("under 1%").
   */
  public static String percent(double share) {
    if (share >= 1) return "100%";
    if (share <= 0) return "0%";
    double p = share * 100;
    long whole = Math.round(p);
    if (whole >= 100) return (Math.floor(p * 10) / 10) + "%";
    if (whole == 0) return "under 1%";
    return whole + "%";
  }

  /**
   * The weekly opening hours and their zone: "Monday to Friday 09:00–17:00 (UTC)", "Every day 08:00–20:00
   * (Europe/Berlin)", "Monday to Thursday 09:00–17:00; Friday 09:00–13:00 (UTC)". Days with the same windows are
   * named together; holidays are told apart by {@link #holidays}.
   */
  public static String openingHours(BusinessHours hours) {
    Map<List<BusinessHours.Window>, List<DayOfWeek>> byWindows = new LinkedHashMap<>();
    for (DayOfWeek d : DayOfWeek.values()) {
      List<BusinessHours.Window> windows = hours.weekly().getOrDefault(d, List.of());
      if (windows.isEmpty()) continue;
      List<BusinessHours.Window> sorted = windows.stream().sorted(Comparator.comparing(BusinessHours.Window::open)).toList();
      byWindows.computeIfAbsent(sorted, k -> new ArrayList<>()).add(d);
    }
    List<String> parts = new ArrayList<>();
    byWindows.forEach((windows, days) -> parts.add(days(days) + " " + list(windows.stream().map(StatusWords::window).toList())));
    String text = String.join("; ", parts);
    return Character.toUpperCase(text.charAt(0)) + text.substring(1) + " (" + zone(hours) + ")";
  }

  /**
   * What the holidays of the calendar mean for the days shown, or null when it has none: "We are closed on holidays;
   * in these days: 25 December 2026 and 26 December 2026." or "We are also closed on the 3 holidays in our calendar
   * (none in these days)."
   */
  public static String holidays(BusinessHours hours, LocalDate from, LocalDate to) {
    if (hours.holidays().isEmpty()) return null;
    List<LocalDate> inRange = hours.holidays().stream().filter(d -> !d.isBefore(from) && !d.isAfter(to)).sorted().toList();
    if (inRange.isEmpty()) {
      return "We are also closed on the " + (hours.holidays().size() == 1 ? "holiday" : hours.holidays().size() + " holidays")
        + " in our calendar (none in these days).";
    }
    return "We are closed on holidays; in these days: " + list(inRange.stream().map(DAY::format).toList()) + ".";
  }

  private static String days(List<DayOfWeek> days) {
    if (days.size() == 7) return "every day";
    List<String> runs = new ArrayList<>();
    int i = 0;
    while (i < days.size()) {
      int j = i;
      while (j + 1 < days.size() && days.get(j + 1).getValue() == days.get(j).getValue() + 1) j++;
      if (j - i >= 2) {
        runs.add(name(days.get(i)) + " to " + name(days.get(j)));
      } else {
        for (int k = i; k <= j; k++) runs.add(name(days.get(k)));
      }
      i = j + 1;
    }
    return list(runs);
  }

  private static String window(BusinessHours.Window w) {
    return time(w.open()) + "–" + (w.close().equals(BusinessHours.Window.END_OF_DAY) ? "24:00" : time(w.close()));
  }

  private static String time(LocalTime t) { return String.format(Locale.ROOT, "%02d:%02d", t.getHour(), t.getMinute()); }

  private static String zone(BusinessHours hours) {
    String id = hours.zone().getId();
    return id.equals("Z") ? "UTC" : id;
  }

  private static String name(DayOfWeek d) { return d.getDisplayName(TextStyle.FULL, Locale.ENGLISH); }

  /** "a", "a and b", "a, b and c". */
  private static String list(List<String> items) {
    if (items.size() == 1) return items.get(0);
    return String.join(", ", items.subList(0, items.size() - 1)) + " and " + items.get(items.size() - 1);
  }

  private static String count(long n, String unit) { return n + " " + unit + (n == 1 ? "" : "s"); }

  private static long ceilDiv(long a, long b) { return (a + b - 1) / b; }
}
