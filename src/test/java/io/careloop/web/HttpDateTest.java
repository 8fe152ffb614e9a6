package io.careloop.web;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("HTTP dates are written in IMF-fixdate and read in either RFC 1123 form")
class HttpDateTest {
  @Test
  @DisplayName("a day below 10 is written with two digits, in English and GMT, to the second")
  void writesImfFixdate() {
    assertEquals("Tue, 01 Dec 2026 19:44:05 GMT", HttpDate.format(Instant.parse("2026-12-01T19:44:05.987Z")));
    assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.format(Instant.parse("1994-11-06T08:49:37Z")), "RFC 9110's own example");
    assertEquals("Thu, 31 Dec 2026 23:59:59 GMT", HttpDate.format(Instant.parse("2026-12-31T23:59:59Z")));
  }

  @Test
  @DisplayName("a client's date is read with one or two digits for the day; anything else is no date")
  void readsBothForms() {
    Instant t = Instant.parse("2026-12-01T19:44:05Z");
    assertEquals(Optional.of(t), HttpDate.parse("Tue, 01 Dec 2026 19:44:05 GMT"));
    assertEquals(Optional.of(t), HttpDate.parse("Tue, 1 Dec 2026 19:44:05 GMT"));
    assertEquals(Optional.empty(), HttpDate.parse("yesterday"));
    assertEquals(Optional.empty(), HttpDate.parse(null));
  }
}
