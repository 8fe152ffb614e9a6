package io.careloop.analytics;

import io.careloop.queue.BusinessHours;
import io.careloop.queue.Priority;
import io.careloop.queue.SlaBook;
import io.careloop.queue.SlaPolicy;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("The public figures count the clock the brand's targets count")
class PublicClockTest {
  static final BusinessHours OFFICE = new BusinessHours(ZoneId.of("Europe/Berlin"),
    Map.of(DayOfWeek.MONDAY, List.of(new BusinessHours.Window(LocalTime.of(9, 0), LocalTime.of(17, 0)))), Set.of());

  static SlaPolicy policy(String id, boolean businessHours) {
    Map<Priority, Duration> targets = new EnumMap<>(Priority.class);
    for (Priority p : Priority.values()) targets.put(p, Duration.ofMinutes(60));
    return new SlaPolicy(id, id, SlaPolicy.Conditions.ALWAYS, targets, targets, businessHours, 0.75, false);
  }

  @Test
  @DisplayName("a book of calendar-time policies is counted in calendar time, with no hours")
  void calendar() {
    PublicClock c = PublicClock.of(new SlaBook(List.of(policy("default", false)), OFFICE));
    assertFalse(c.business());
    assertNull(c.hours());
    assertEquals("calendar", c.time());
  }

  @Test
  @DisplayName("a book whose every policy counts business hours is counted in its opening hours")
  void business() {
    PublicClock c = PublicClock.of(new SlaBook(List.of(policy("vip", true), policy("default", true)), OFFICE));
    assertTrue(c.business());
    assertEquals(OFFICE, c.hours());
    assertEquals("business", c.time());
  }

  @Test
  @DisplayName("one calendar-time policy among business-hours ones makes the public figures calendar time")
  void mixed() {
    assertEquals(PublicClock.CALENDAR, PublicClock.of(new SlaBook(List.of(policy("vip", false), policy("default", true)), OFFICE)));
    assertEquals(PublicClock.CALENDAR, PublicClock.of(new SlaBook(List.of(policy("vip", true), policy("default", false)), OFFICE)));
  }

  @Test
  @DisplayName("before the book is loaded the figures are calendar time")
  void noBook() {
    assertEquals(PublicClock.CALENDAR, PublicClock.of(null));
  }

  @Test
  @DisplayName("a change of opening hours is a different clock, so a cached figure is not reused")
  void hoursChange() {
    BusinessHours later = new BusinessHours(ZoneId.of("Europe/Berlin"),
      Map.of(DayOfWeek.MONDAY, List.of(new BusinessHours.Window(LocalTime.of(10, 0), LocalTime.of(17, 0)))), Set.of());
    assertNotEquals(PublicClock.of(new SlaBook(List.of(policy("default", true)), OFFICE)),
      PublicClock.of(new SlaBook(List.of(policy("default", true)), later)));
    assertEquals(PublicClock.of(new SlaBook(List.of(policy("default", true)), OFFICE)),
      PublicClock.of(new SlaBook(List.of(policy("other", true)), OFFICE)), "same clock, same figures");
  }
}
