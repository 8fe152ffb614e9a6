package io.careloop.analytics;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The report as a plain function of daily rollups: no database, no Vert.x. */
@DisplayName("The response-time report from daily rollups")
class ResponseReportTest {
  static ResponseTimes.Stored times(long... seconds) {
    ResponseTimes t = new ResponseTimes();
    for (long s : seconds) t.add(s, s <= 600);
    return t.stored();
  }

  @Test
  @DisplayName("totals, groups, the daily series with its running backlog, and new cases by hour and weekday")
  void twoDays() {
    LocalDate mon = LocalDate.parse("2026-11-23");
    LocalDate tue = mon.plusDays(1);
    LocalDate wed = tue.plusDays(1);
    var monday = new ResponseReport.Day(2, 3, Map.of(9, 2L, 14, 1L), Map.of("all", 1L, "agent=abe", 1L),
      Map.of("all", Map.of("first", times(60, 900)), "agent=abe", Map.of("first", times(60, 900))));
    var tuesday = new ResponseReport.Day(-1, 1, Map.of(9, 1L), Map.of(),
      Map.of("all", Map.of("first", times(120), "next", times(5)), "agent=bo\uFF0Eb", Map.of("first", times(120))));
    ResponseReport.Report r = ResponseReport.of(mon, wed, "agent", "first", false, Map.of(mon, monday, tue, tuesday), 4);

    assertEquals(3, r.totals().replies(), "only first-response times count");
    assertEquals(2, r.totals().met());
    assertEquals(120L, r.totals().medianSeconds());
    assertEquals(1, r.breaches());
    assertEquals(2, r.groups().size());
    assertEquals("abe", r.groups().get(0).key());
    assertEquals(1, r.groups().get(0).breaches());
    assertEquals("bo.b", r.groups().get(1).key(), "a dot stored as a full-width dot is shown as a dot");
    assertEquals(3, r.series().size(), "a day without rollups is in the series, empty");
    assertEquals(6, r.series().get(0).backlog(), "4 before the range, +2 on Monday");
    assertEquals(5, r.series().get(1).backlog());
    assertEquals(5, r.series().get(2).backlog());
    assertEquals(0, r.series().get(2).figures().replies());
    assertNull(r.series().get(2).figures().medianSeconds());
    assertEquals(3, r.newCasesByHour()[9]);
    assertEquals(1, r.newCasesByHour()[14]);
    assertArrayEquals(new long[] {3, 1, 0, 0, 0, 0, 0}, r.newCasesByWeekday());
  }

  @Test
  @DisplayName("a group with breaches but no responses is listed with empty figures")
  void breachesOnly() {
    LocalDate mon = LocalDate.parse("2026-11-23");
    var day = new ResponseReport.Day(1, 1, Map.of(), Map.of("all", 2L, "brand=AcmeCloud", 2L), Map.of());
    ResponseReport.Report r = ResponseReport.of(mon, mon, "brand", "first", true, Map.of(mon, day), 0);
    assertEquals(1, r.groups().size());
    assertEquals("AcmeCloud", r.groups().get(0).key());
    assertEquals(2, r.groups().get(0).breaches());
    assertEquals(0, r.groups().get(0).figures().replies());
  }
}
