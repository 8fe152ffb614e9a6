package io.careloop.analytics;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The response-time report as a plain function of daily rollups: totals, per-group figures, a daily series
 * (responses, median, attainment, breaches, new cases, backlog) and new cases by hour of day and day of week.
 * Plain Java.
 */
public final class ResponseReport {
  private ResponseReport() {}

  /**
   * One day's rollup as stored.
   *
   * @param backlog   the change in clocks running that day
   * @param volume    new cases
   * @param hours     new cases by UTC hour
   * @param breaches  breaches by group field ({@code all}, {@code brand=AcmeCloud}; see {@link Rollup#group})
   * @param responses group field → clock ({@code first}, {@code nextB}) → histogram
   */
  public record Day(long backlog, long volume, Map<Integer, Long> hours, Map<String, Long> breaches,
                    Map<String, Map<String, ResponseTimes.Stored>> responses) {
    static final Day EMPTY = new Day(0, 0, Map.of(), Map.of(), Map.of());
  }

  public record Group(String key, ResponseTimes.Summary figures, long breaches) {}

  public record DayFigures(LocalDate day, ResponseTimes.Summary figures, long breaches, long newCases, long backlog) {}

  /** @param newCasesByWeekday Monday first */
  public record Report(LocalDate from, LocalDate to, String metric, boolean business, String groupBy, ResponseTimes.Summary totals,
                       long breaches, List<Group> groups, List<DayFigures> series, long[] newCasesByHour, long[] newCasesByWeekday) {}

  /**
   * The report from {@code from} to {@code to} (inclusive) for a clock ("first" or "next"), in calendar or business
   * seconds, grouped by {@code groupBy} (null for none); {@code backlogBefore} is the backlog at the start of the range.
   */
  public static Report of(LocalDate from, LocalDate to, String groupBy, String metric, boolean business, Map<LocalDate, Day> days,
                          long backlogBefore) {
    String key = metric + (business ? "B" : "");
    long backlog = backlogBefore;
    ResponseTimes total = new ResponseTimes();
    Map<String, ResponseTimes> groups = new TreeMap<>();
    Map<String, Long> groupBreaches = new HashMap<>();
    long breaches = 0;
    long[] byHour = new long[24];
    long[] byWeekday = new long[7];
    List<DayFigures> series = new ArrayList<>();
    for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
      Day d = days.getOrDefault(day, Day.EMPTY);
      ResponseTimes dayAll = new ResponseTimes();
      ResponseTimes.Stored all = d.responses().getOrDefault("all", Map.of()).get(key);
      dayAll.add(all);
      total.add(all);
      for (Map.Entry<String, Map<String, ResponseTimes.Stored>> field : d.responses().entrySet()) {
        String g = Rollup.group(field.getKey());
        if (groupBy != null && g.startsWith(groupBy + "=")) {
          groups.computeIfAbsent(g.substring(groupBy.length() + 1), k -> new ResponseTimes()).add(field.getValue().get(key));
        }
      }
      for (Map.Entry<String, Long> field : d.breaches().entrySet()) {
        String g = Rollup.group(field.getKey());
        if (groupBy != null && g.startsWith(groupBy + "=")) groupBreaches.merge(g.substring(groupBy.length() + 1), field.getValue(), Long::sum);
      }
      long dayBreaches = d.breaches().getOrDefault("all", 0L);
      breaches += dayBreaches;
      byWeekday[day.getDayOfWeek().getValue() - 1] += d.volume();
      d.hours().forEach((h, n) -> byHour[h] += n);
      backlog += d.backlog();
      series.add(new DayFigures(day, dayAll.summary(), dayBreaches, d.volume(), backlog));
    }
    List<Group> groupList = new ArrayList<>();
    groups.forEach((g, rt) -> groupList.add(new Group(g, rt.summary(), groupBreaches.getOrDefault(g, 0L))));
    groupBreaches.forEach((g, n) -> {
      if (!groups.containsKey(g)) groupList.add(new Group(g, new ResponseTimes().summary(), n));
    });
    return new Report(from, to, metric, business, groupBy, total.summary(), breaches, groupList, series, byHour, byWeekday);
  }

  /** The weekdays in the order of {@link Report#newCasesByWeekday}. */
  public static DayOfWeek[] weekdays() { return DayOfWeek.values(); }
}
