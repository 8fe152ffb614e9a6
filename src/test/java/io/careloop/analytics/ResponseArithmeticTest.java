package io.careloop.analytics;

import io.careloop.queue.BusinessHours;
import io.vertx.core.json.JsonObject;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("Response-time arithmetic against hand-computed figures")
class ResponseArithmeticTest {

  static ResponseTimes of(long... seconds) {
    ResponseTimes t = new ResponseTimes();
    for (long s : seconds) t.add(s, s <= 600);
    return t;
  }

  @Test
  @DisplayName("nearest-rank median, p90, p99, mean and attainment")
  void percentiles() {
    // 10 replies: 60 120 180 ... 600 s. Median = 5th = 300; p90 = 9th = 540; p99 = 10th = 600; mean = 330.
    ResponseTimes t = of(600, 60, 540, 120, 480, 180, 420, 240, 360, 300);
    assertEquals(300L, t.percentile(50));
    assertEquals(540L, t.percentile(90));
    assertEquals(600L, t.percentile(99));
    assertEquals(330.0, t.mean());
    assertEquals(1.0, t.attainment());
    // 4 replies, one late: 30, 45, 900 (late), 50 → sorted 30 45 50 900; median = 2nd = 45; p90 = 4th = 900; 3 of 4 met.
    ResponseTimes late = of(30, 45, 900, 50);
    assertEquals(45L, late.percentile(50));
    assertEquals(900L, late.percentile(90));
    assertEquals(0.75, late.attainment());
    assertNull(new ResponseTimes().percentile(50), "no replies, no figure");
    assertNull(new ResponseTimes().attainment());
  }

  @Test
  @DisplayName("days merge into the same figures as the raw values; above an hour within 1%")
  void mergedDays() {
    ResponseTimes monday = of(60, 120, 7200);
    ResponseTimes tuesday = of(180, 86_400, 240, 300);
    ResponseTimes merged = new ResponseTimes();
    merged.add(monday.stored());
    merged.add(tuesday.stored());
    ResponseTimes raw = of(60, 120, 7200, 180, 86_400, 240, 300);
    assertEquals(raw.summary(), merged.summary());
    // 7 values: 60 120 180 240 300 7200 86400 → median 4th = 240 (exact below an hour); p99 = 7th ≈ 86400 within 1%.
    assertEquals(240L, merged.percentile(50));
    assertEquals(86_400, merged.percentile(99), 864);
    assertEquals(86_400, merged.percentile(90), 864, "p90 = ceil(6.3) = 7th value");
    assertEquals(7200, merged.percentile(80), 72, "p80 = ceil(5.6) = 6th value, within 1%");
  }

  @Test
  @DisplayName("business time counts only open hours; a reply after a paused clock counts from the follow-up")
  void businessTime() {
    // Open Monday to Friday 09:00-17:00 UTC.
    var nineToFive = List.of(new BusinessHours.Window(LocalTime.of(9, 0), LocalTime.of(17, 0)));
    BusinessHours hours = new BusinessHours(ZoneId.of("UTC"), Map.of(DayOfWeek.MONDAY, nineToFive, DayOfWeek.TUESDAY, nineToFive,
      DayOfWeek.WEDNESDAY, nineToFive, DayOfWeek.THURSDAY, nineToFive, DayOfWeek.FRIDAY, nineToFive), Set.of());
    // Asked Friday 16:30, answered Monday 09:20 (2026-11-20 is a Friday): 30 + 20 = 50 open minutes, 64 h 50 min in all.
    ResponseFact weekend = ResponseFact.of("e1", "c1", "first-response", "b", "s", "normal", "abe",
      Instant.parse("2026-11-20T16:30:00Z"), Instant.parse("2026-11-23T09:20:00Z"), null, true, hours);
    assertEquals(50 * 60, weekend.businessSeconds());
    assertEquals((64 * 60 + 50) * 60, weekend.seconds());
    // Paused clock: we replied Tuesday 10:00, the customer wrote again at 15:00 (the next-response clock starts
    // then, not at the first post), we answered at 15:12: 12 minutes, in either time.
    ResponseFact next = ResponseFact.of("e2", "c1", "next-response", "b", "s", "normal", "abe",
      Instant.parse("2026-11-24T15:00:00Z"), Instant.parse("2026-11-24T15:12:00Z"), null, true, hours);
    assertEquals(720, next.seconds());
    assertEquals(720, next.businessSeconds());
    // Asked and answered outside opening hours: zero open time.
    assertEquals(0, ResponseFact.of("e3", "c2", "first-response", "b", "s", "normal", "abe",
      Instant.parse("2026-11-24T18:00:00Z"), Instant.parse("2026-11-24T18:30:00Z"), null, true, hours).businessSeconds());
  }

  @Test
  @DisplayName("a response adds to its groups in calendar and business seconds")
  void rollupOfOneResponse() {
    ResponseFact f = new ResponseFact("e", "c1", "first-response", "AcmeCloud", "mentions", "high", "ann.lee",
      Instant.parse("2026-11-23T13:05:00Z"), Instant.parse("2026-11-23T13:10:00Z"), null, 300, 300, true);
    Map<String, Number> inc = Rollup.response(f);
    assertEquals(1, inc.get("r.all.first.n"));
    assertEquals(300L, inc.get("r.all.first.sum"));
    assertEquals(1, inc.get("r.agent=ann\uFF0Elee.firstB.met"), "a dot in a user name cannot split the field path");
    assertEquals(1, inc.get("r.hour=13.first.h.300"));
    assertEquals(-1, inc.get("backlog"));
    var parts = Rollup.split(inc);
    assertEquals(13, parts.size(), "six groupings × calendar and business time, and meta");
    assertEquals(1, parts.get("agent|first").get("r.agent=ann\uFF0Elee.first.n"));
    assertEquals(1, parts.get("all|firstB").get("r.all.firstB.n"));
    assertEquals(-1, parts.get("meta").get("backlog"));
  }

  @Test
  @DisplayName("CSV round-trips through a strict RFC 4180 parser and neutralises formula cells")
  void csv() throws Exception {
    List<Object> hostile = Arrays.asList("=HYPERLINK(\"http://evil\",\"x\")", "+1", "-2+3", "@SUM(A1)", "\tTab", "plain, with comma",
      "line\nbreak \"quoted\"", null, 42L);
    String text = Csv.row(List.of("a", "b", "c", "d", "e", "f", "g", "h", "i")) + Csv.row(hostile);
    assertTrue(text.endsWith("\r\n"));
    try (CSVParser parser = CSVParser.parse(new StringReader(text), CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build())) {
      List<CSVRecord> rows = parser.getRecords();
      assertEquals(1, rows.size());
      CSVRecord r = rows.get(0);
      assertEquals("'=HYPERLINK(\"http://evil\",\"x\")", r.get("a"));
      assertEquals("'+1", r.get("b"));
      assertEquals("'-2+3", r.get("c"));
      assertEquals("'@SUM(A1)", r.get("d"));
      assertEquals("'\tTab", r.get("e"));
      assertEquals("plain, with comma", r.get("f"));
      assertEquals("line\nbreak \"quoted\"", r.get("g"));
      assertEquals("", r.get("h"));
      assertEquals("42", r.get("i"), "numbers are not neutralised");
      for (String cell : r) assertFalse(cell.matches("^[=+\\-@\t\r].*"), cell);
    }
  }
}
