package io.careloop.web;

import io.careloop.queue.BusinessHours;
import io.careloop.queue.BusinessHours.Window;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("The public response-time figures read right in words")
class StatusWordsTest {
  static final Window NINE_TO_FIVE = new Window(LocalTime.of(9, 0), LocalTime.of(17, 0));

  @Test
  @DisplayName("under a minute, then whole minutes rounded up, singular for one, never zero")
  void minutes() {
    assertEquals("under a minute", StatusWords.duration(0));
    assertEquals("under a minute", StatusWords.duration(59));
    assertEquals("1 minute", StatusWords.duration(60));
    assertEquals("2 minutes", StatusWords.duration(61), "61 s did not come within 1 minute");
    assertEquals("2 minutes", StatusWords.duration(120));
    assertEquals("90 minutes", StatusWords.duration(90 * 60 - 1));
  }

  @Test
  @DisplayName("from 90 minutes in hours, from 36 hours in days, rounded and said to be about")
  void hoursAndDays() {
    assertEquals("about 2 hours", StatusWords.duration(90 * 60));
    assertEquals("about 2 hours", StatusWords.duration(6192), "the median the dashboard showed");
    assertEquals("about 3 hours", StatusWords.duration(3 * 3600 + 1200));
    assertEquals("about 36 hours", StatusWords.duration(36 * 3600 - 1));
    assertEquals("about 2 days", StatusWords.duration(36 * 3600));
    assertEquals("about 5 days", StatusWords.duration(5 * 86400));
  }

  @Test
  @DisplayName("after a verb: in under a minute, within 1 minute, within about 2 hours")
  void within() {
    assertEquals("in under a minute", StatusWords.within(30));
    assertEquals("within 1 minute", StatusWords.within(60));
    assertEquals("within 6 minutes", StatusWords.within(331));
    assertEquals("within about 2 hours", StatusWords.within(6192));
  }

  @Test
  @DisplayName("the badge is short: under 1 min, within 3 min, within ~2 h, within ~2 days")
  void badge() {
    assertEquals("under 1 min", StatusWords.badge(12));
    assertEquals("within 1 min", StatusWords.badge(60));
    assertEquals("within 3 min", StatusWords.badge(150));
    assertEquals("within ~2 h", StatusWords.badge(6192));
    assertEquals("within ~2 days", StatusWords.badge(40 * 3600));
  }

  @Test
  @DisplayName("shares are whole percent, but a miss is never rounded to 100% and a hit never to 0%")
  void percent() {
    assertEquals("100%", StatusWords.percent(1.0));
    assertEquals("0%", StatusWords.percent(0.0));
    assertEquals("50%", StatusWords.percent(0.5));
    assertEquals("92%", StatusWords.percent(0.9166));
    assertEquals("99%", StatusWords.percent(0.9949));
    assertEquals("99.5%", StatusWords.percent(0.995));
    assertEquals("99.9%", StatusWords.percent(0.99999));
    assertEquals("1%", StatusWords.percent(0.005));
    assertEquals("under 1%", StatusWords.percent(0.001));
  }

  static BusinessHours hours(ZoneId zone, Map<DayOfWeek, List<Window>> weekly, Set<LocalDate> holidays) {
    return new BusinessHours(zone, weekly, holidays);
  }

  static Map<DayOfWeek, List<Window>> days(List<Window> windows, DayOfWeek... days) {
    Map<DayOfWeek, List<Window>> m = new EnumMap<>(DayOfWeek.class);
    for (DayOfWeek d : days) m.put(d, windows);
    return m;
  }

  @Test
  @DisplayName("opening hours read as the week they describe, with their zone")
  void openingHours() {
    assertEquals("Monday to Friday 09:00–17:00 (UTC)", StatusWords.openingHours(hours(ZoneId.of("UTC"),
      days(List.of(NINE_TO_FIVE), DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY, DayOfWeek.FRIDAY), Set.of())));
    assertEquals("Every day 00:00–24:00 (UTC)", StatusWords.openingHours(BusinessHours.always(ZoneOffset.UTC)), "Z is UTC to a reader");
    Map<DayOfWeek, List<Window>> week = days(List.of(NINE_TO_FIVE), DayOfWeek.MONDAY, DayOfWeek.TUESDAY, DayOfWeek.WEDNESDAY, DayOfWeek.THURSDAY);
    week.put(DayOfWeek.FRIDAY, List.of(new Window(LocalTime.of(9, 0), LocalTime.of(13, 0))));
    week.put(DayOfWeek.SUNDAY, List.of(new Window(LocalTime.of(13, 0), LocalTime.of(17, 0)), new Window(LocalTime.of(8, 30), LocalTime.of(12, 0))));
    assertEquals("Monday to Thursday 09:00–17:00; Friday 09:00–13:00; Sunday 08:30–12:00 and 13:00–17:00 (Europe/Berlin)",
      StatusWords.openingHours(hours(ZoneId.of("Europe/Berlin"), week, Set.of())));
    assertEquals("Monday, Wednesday and Friday to Sunday 10:00–14:00 (UTC+05:00)", StatusWords.openingHours(hours(ZoneId.of("UTC+05:00"),
      days(List.of(new Window(LocalTime.of(10, 0), LocalTime.of(14, 0))), DayOfWeek.MONDAY, DayOfWeek.WEDNESDAY,
        DayOfWeek.FRIDAY, DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), Set.of())));
    assertEquals("Saturday and Sunday 10:00–14:00 (UTC)", StatusWords.openingHours(hours(ZoneId.of("UTC"),
      days(List.of(new Window(LocalTime.of(10, 0), LocalTime.of(14, 0))), DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), Set.of())));
  }

  @Test
  @DisplayName("holidays are named when they fall in the days shown, and counted when they do not")
  void holidays() {
    Map<DayOfWeek, List<Window>> weekdays = days(List.of(NINE_TO_FIVE), DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
    LocalDate from = LocalDate.of(2026, 12, 21);
    LocalDate to = LocalDate.of(2026, 12, 27);
    assertNull(StatusWords.holidays(hours(ZoneId.of("UTC"), weekdays, Set.of()), from, to));
    BusinessHours christmas = hours(ZoneId.of("UTC"), weekdays, Set.of(LocalDate.of(2026, 12, 25), LocalDate.of(2026, 12, 26), LocalDate.of(2027, 1, 1)));
    assertEquals("We are closed on holidays; in these days: 25 December 2026 and 26 December 2026.", StatusWords.holidays(christmas, from, to));
    assertEquals("We are also closed on the 3 holidays in our calendar (none in these days).",
      StatusWords.holidays(christmas, LocalDate.of(2026, 11, 1), LocalDate.of(2026, 11, 7)));
    assertEquals("We are also closed on the holiday in our calendar (none in these days).",
      StatusWords.holidays(hours(ZoneId.of("UTC"), weekdays, Set.of(LocalDate.of(2027, 1, 1))), from, to));
  }
}
