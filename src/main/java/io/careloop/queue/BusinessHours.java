package io.careloop.queue;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A brand's opening hours: weekly windows in its time zone, minus holidays. Business-hours targets count only time
 * inside a window, measured in real elapsed time, so on a daylight-saving day a 09:00–17:00 window that spans the
 * change counts the 7 or 9 hours that actually passed. A window may end at 24:00 ({@link Window#END_OF_DAY}).
 */
public record BusinessHours(ZoneId zone, Map<DayOfWeek, List<Window>> weekly, Set<LocalDate> holidays) {

  /** Open from {@code open} (inclusive) to {@code close} (exclusive) local time; close 00:00 means midnight at the end. */
  public record Window(LocalTime open, LocalTime close) {
    public static final LocalTime END_OF_DAY = LocalTime.MIDNIGHT;

    public Window {
      if (!close.equals(END_OF_DAY) && !close.isAfter(open)) throw new IllegalArgumentException("window closes before it opens: " + open + "–" + close);
    }
  }

  /** Guards against a calendar with no open time at all. */
  private static final int MAX_DAYS = 3 * 366;

  public BusinessHours {
    weekly = Map.copyOf(new EnumMap<>(weekly));
    holidays = Set.copyOf(holidays);
    if (weekly.values().stream().allMatch(List::isEmpty)) throw new IllegalArgumentException("a calendar needs at least one open window");
  }

  /** Always open: calendar time. */
  public static BusinessHours always(ZoneId zone) {
    Map<DayOfWeek, List<Window>> all = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek d : DayOfWeek.values()) all.put(d, List.of(new Window(LocalTime.MIDNIGHT, Window.END_OF_DAY)));
    return new BusinessHours(zone, all, Set.of());
  }

  /** The moment when {@code target} of open time has passed since {@code start}. */
  public Instant add(Instant start, Duration target) {
    if (target.isNegative()) throw new IllegalArgumentException("negative target");
    Duration remaining = target;
    LocalDate day = start.atZone(zone).toLocalDate().minusDays(1);
    for (int i = 0; i < MAX_DAYS; i++, day = day.plusDays(1)) {
      for (Interval open : openIntervals(day)) {
        if (!open.end.isAfter(start)) continue;
        Instant from = open.start.isAfter(start) ? open.start : start;
        Duration available = Duration.between(from, open.end);
        if (remaining.compareTo(available) <= 0) return from.plus(remaining);
        remaining = remaining.minus(available);
      }
    }
    throw new IllegalStateException("no open time within " + MAX_DAYS + " days");
  }

  /** Open time between two moments (zero when {@code to} is not after {@code from}). */
  public Duration between(Instant from, Instant to) {
    if (!to.isAfter(from)) return Duration.ZERO;
    Duration total = Duration.ZERO;
    LocalDate last = to.atZone(zone).toLocalDate();
    for (LocalDate day = from.atZone(zone).toLocalDate().minusDays(1); !day.isAfter(last); day = day.plusDays(1)) {
      for (Interval open : openIntervals(day)) {
        Instant s = open.start.isAfter(from) ? open.start : from;
        Instant e = open.end.isBefore(to) ? open.end : to;
        if (e.isAfter(s)) total = total.plus(Duration.between(s, e));
      }
    }
    return total;
  }

  public boolean isOpen(Instant t) {
    LocalDate day = t.atZone(zone).toLocalDate();
    for (LocalDate d = day.minusDays(1); !d.isAfter(day); d = d.plusDays(1)) {
      for (Interval open : openIntervals(d)) {
        if (!t.isBefore(open.start) && t.isBefore(open.end)) return true;
      }
    }
    return false;
  }

  private record Interval(Instant start, Instant end) {}

  private List<Interval> openIntervals(LocalDate day) {
    if (holidays.contains(day)) return List.of();
    return weekly.getOrDefault(day.getDayOfWeek(), List.of()).stream().map(w -> {
      // atZone moves a time inside a spring-forward gap to after it, and takes the earlier offset in an overlap.
      ZonedDateTime open = day.atTime(w.open()).atZone(zone);
      ZonedDateTime close = w.close().equals(Window.END_OF_DAY) ? day.plusDays(1).atStartOfDay(zone) : day.atTime(w.close()).atZone(zone);
      return new Interval(open.toInstant(), close.toInstant());
    }).filter(i -> i.end.isAfter(i.start)).toList();
  }
}
