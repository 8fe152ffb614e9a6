package io.careloop.cycle;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Counting over a cluster's per-day tallies: plain Java, no Vert.x. */
@DisplayName("Cycle arithmetic over a cluster's daily counts")
class CycleMathTest {
  @Test
  @DisplayName("the last seven days are seven dates; the trend needs two askings and a quarter more to rise")
  void windowsAndTrend() {
    Map<String, Integer> days = new LinkedHashMap<>();
    days.put("2026-11-16", 5);
    days.put("2026-11-17", 1);
    days.put("2026-11-23", 2);
    Instant now = Instant.parse("2026-11-23T12:00:00Z");
    assertEquals(3, CycleMath.askedBetween(days, Instant.parse("2026-11-16T12:00:00Z"), now), "after the 16th, up to the 23rd");
    assertEquals(CycleMath.Trend.NEW, CycleMath.trend(3, 0));
    assertEquals(CycleMath.Trend.STEADY, CycleMath.trend(0, 0));
    assertEquals(CycleMath.Trend.RISING, CycleMath.trend(5, 3));
    assertEquals(CycleMath.Trend.STEADY, CycleMath.trend(4, 3), "one more is not a rise");
    assertEquals(CycleMath.Trend.FALLING, CycleMath.trend(3, 5));
    assertEquals("falling", CycleMath.Trend.FALLING.wire());
  }

  @Test
  @DisplayName("the dominant article is the one most answers linked, the lower id on a tie; the question is the most typical example")
  void dominantAndRepresentative() {
    assertEquals("kb-2", CycleMath.dominant(Map.of("kb-1", 2, "kb-2", 3)));
    assertEquals("kb-1", CycleMath.dominant(new LinkedHashMap<>(Map.of("kb-3", 2, "kb-1", 2))));
    assertEquals(null, CycleMath.dominant(Map.of()));
    String q = CycleMath.representative(List.of("how do I export invoices @AcmeCloud", "export my invoices to csv", "love the dark mode"));
    assertEquals(true, q.contains("export"), q);
  }
}
