package io.careloop.queue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

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

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("Business-hours deadlines")
class BusinessHoursTest {
  // Shared with SlaPolicyTest.
  static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

  static BusinessHours weekdays(ZoneId zone, String open, String close, LocalDate... holidays) {
    Map<DayOfWeek, List<BusinessHours.Window>> weekly = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek d : List.of(DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY)) {
      weekly.put(d, List.of(new BusinessHours.Window(LocalTime.parse(open), LocalTime.parse(close))));
    }
    return new BusinessHours(zone, weekly, Set.of(holidays));
  }

  static Instant at(String local, ZoneId zone) { return java.time.LocalDateTime.parse(local).atZone(zone).toInstant(); }

  static ZonedDateTime local(Instant i, ZoneId zone) { return i.atZone(zone); }

  final BusinessHours office = weekdays(BERLIN, "09:00", "17:00");

  @Test
  @DisplayName("inside a window the deadline is plain addition")
  void sameDay() {
    assertEquals(at("2026-11-23T11:00", BERLIN), office.add(at("2026-11-23T10:00", BERLIN), Duration.ofHours(1)));
  }

  @Test
  @DisplayName("overnight: an hour asked at 16:30 is due at 09:30 the next morning")
  void overnight() {
    assertEquals(at("2026-11-24T09:30", BERLIN), office.add(at("2026-11-23T16:30", BERLIN), Duration.ofHours(1)));
  }

  @Test
  @DisplayName("asked before opening, the clock starts at opening")
  void beforeOpening() {
    assertEquals(at("2026-11-23T09:15", BERLIN), office.add(at("2026-11-23T06:00", BERLIN), Duration.ofMinutes(15)));
  }

  @Test
  @DisplayName("weekend: an hour asked on Friday at 16:45 is due Monday at 09:45; asked on Saturday, Monday at 10:00")
  void weekend() {
    assertEquals(at("2026-11-30T09:45", BERLIN), office.add(at("2026-11-27T16:45", BERLIN), Duration.ofHours(1)));
    assertEquals(at("2026-11-30T10:00", BERLIN), office.add(at("2026-11-28T12:00", BERLIN), Duration.ofHours(1)));
  }

  @Test
  @DisplayName("holidays are skipped like weekends")
  void holiday() {
    BusinessHours xmas = weekdays(BERLIN, "09:00", "17:00", LocalDate.parse("2026-12-24"), LocalDate.parse("2026-12-25"));
    assertEquals(at("2026-12-28T09:30", BERLIN), xmas.add(at("2026-12-23T16:30", BERLIN), Duration.ofHours(1)));
  }

  @Test
  @DisplayName("a target longer than a day spans several working days (20 h of 8-hour days)")
  void longTarget() {
    // Mon 09:00 + 20 h open time: Mon 8 h, Tue 8 h, Wed 4 h -> Wed 13:00.
    assertEquals(at("2026-11-25T13:00", BERLIN), office.add(at("2026-11-23T09:00", BERLIN), Duration.ofHours(20)));
    assertEquals(Duration.ofHours(20), office.between(at("2026-11-23T09:00", BERLIN), at("2026-11-25T13:00", BERLIN)));
  }

  @Test
  @DisplayName("DST forward: a night window 00:00–04:00 on the spring-forward night is 3 real hours long")
  void dstForward() {
    // 2026-03-29 in Berlin: 02:00 -> 03:00.
    Map<DayOfWeek, List<BusinessHours.Window>> nights = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek d : DayOfWeek.values()) nights.put(d, List.of(new BusinessHours.Window(LocalTime.MIDNIGHT, LocalTime.of(4, 0))));
    BusinessHours nightShift = new BusinessHours(BERLIN, nights, Set.of());
    Instant start = at("2026-03-29T00:00", BERLIN);
    assertEquals(Duration.ofHours(3), nightShift.between(start, at("2026-03-29T12:00", BERLIN)));
    assertEquals(at("2026-03-29T03:30", BERLIN), nightShift.add(start, Duration.ofMinutes(150)));
    assertEquals(at("2026-03-30T00:30", BERLIN), nightShift.add(start, Duration.ofMinutes(210)));
  }

  @Test
  @DisplayName("DST back: a night window 00:00–04:00 on the fall-back night is 5 real hours long")
  void dstBack() {
    // 2026-10-25 in Berlin: 03:00 -> 02:00.
    Map<DayOfWeek, List<BusinessHours.Window>> nights = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek d : DayOfWeek.values()) nights.put(d, List.of(new BusinessHours.Window(LocalTime.MIDNIGHT, LocalTime.of(4, 0))));
    BusinessHours nightShift = new BusinessHours(BERLIN, nights, Set.of());
    assertEquals(Duration.ofHours(5), nightShift.between(at("2026-10-25T00:00", BERLIN), at("2026-10-25T12:00", BERLIN)));
  }

  @Test
  @DisplayName("DST across a weekday deadline: 9-to-5 in New York keeps local opening times after the change")
  void dstOfficeHours() {
    BusinessHours ny = weekdays(NEW_YORK, "09:00", "17:00");
    // Friday 2026-03-06 16:00 + 2 h -> Monday 2026-03-09 10:00 local (clocks went forward on Sunday the 8th).
    Instant due = ny.add(at("2026-03-06T16:00", NEW_YORK), Duration.ofHours(2));
    assertEquals(at("2026-03-09T10:00", NEW_YORK), due);
    assertEquals(10, local(due, NEW_YORK).getHour());
  }

  @Test
  @DisplayName("a window may run to midnight, and is-open honours it")
  void toMidnight() {
    BusinessHours late = weekdays(BERLIN, "18:00", "00:00");
    assertTrue(late.isOpen(at("2026-11-23T23:59", BERLIN)));
    assertFalse(late.isOpen(at("2026-11-24T00:00", BERLIN)));
    assertEquals(at("2026-11-24T18:30", BERLIN), late.add(at("2026-11-23T23:30", BERLIN), Duration.ofHours(1)));
  }

  @Test
  @DisplayName("calendar time is a calendar that is always open")
  void always() {
    BusinessHours always = BusinessHours.always(BERLIN);
    Instant t = at("2026-03-29T01:30", BERLIN);
    assertEquals(t.plus(Duration.ofHours(5)), always.add(t, Duration.ofHours(5)));
    assertEquals(Duration.ofHours(49), always.between(t, t.plus(Duration.ofHours(49))));
  }

  @Test
  @DisplayName("a calendar with no open window, or a window that closes before it opens, is refused")
  void invalid() {
    assertThrows(IllegalArgumentException.class, () -> new BusinessHours(BERLIN, Map.of(), Set.of()));
    assertThrows(IllegalArgumentException.class, () -> new BusinessHours.Window(LocalTime.of(17, 0), LocalTime.of(9, 0)));
  }
}
