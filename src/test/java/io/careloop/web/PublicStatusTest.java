package io.careloop.web;

import io.careloop.analytics.AnalyticsService;
import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.careloop.x.standin.StandInTimeline;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Pattern;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The public response-time page, its JSON and its badge against the leads' dashboard, with replies inside and
 * outside the opening hours: the public figures are the dashboard's, to the second, on the clock the policies count.
 *
 * <p>Twelve customers ask 3, 6, … 36 minutes before the start. The opening hours are then set around the moment
 * the test runs, in a zone where it is about noon (so no window crosses midnight): open every day for the ten minutes
 * up to 20 seconds from then, and the test clock moved past the close. Four are answered at once (inside the hours), the other eight after closing; of all
 * twelve, the three asked 30 minutes or more before are late for the 30-minute calendar-time target.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("The public response-time figures are the dashboard's, on the clock the brand's targets count")
class PublicStatusTest {
  static final Pattern NO_PLURAL_OF_ONE_OR_NONE = Pattern.compile("\\b[01] minutes|\\b1 hours|\\b0 hours");
  static Harness h;
  static Agent lead;
  static Agent agent;
  static JsonObject hours;
  static String hoursInWords;
  static JsonObject emptyJson;
  static String emptyPage;
  static String emptyBadge;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    lead = h.newAgent("lena", "lead");
    agent = h.newAgent("abe", "agent");
    hours = new JsonObject().put("zone", "UTC").put("weekly", new JsonObject().put("MONDAY", new JsonArray().add(new JsonArray().add("09:00").add("17:00"))));
    lead.put("/api/sla", book(false, false)).expect(200);

    emptyJson = publicJson();
    emptyPage = get("/status");
    emptyBadge = get("/status/badge.svg");

    Instant now = h.clock().instant();
    StandInTimeline t = h.standIn().timeline();
    for (int i = 1; i <= 12; i++) {
      t.account(String.valueOf(700 + i), "asker" + i, "Asker " + i, 10);
      t.publish(String.valueOf(700 + i), "@AcmeCloud question number " + i + " about sync", null, null, now.minus(Duration.ofMinutes(3L * i)));
    }
    eventually("12 cases", Duration.ofSeconds(20), () -> h.cases().size() == 12);

    // The hours close 20 seconds from here, at 12:00 local in a zone whose offset puts noon there (so no window
    // crosses midnight); the test clock is then moved past the close (a posted reply is stamped on that clock).
    Instant close = h.clock().instant().plusSeconds(20).truncatedTo(ChronoUnit.SECONDS);
    int offset = 12 * 3600 - close.atZone(ZoneOffset.UTC).toLocalTime().toSecondOfDay();
    if (offset > 12 * 3600) offset -= 24 * 3600;
    if (offset <= -12 * 3600) offset += 24 * 3600;
    ZoneId zone = ZoneId.ofOffset("UTC", ZoneOffset.ofTotalSeconds(offset));
    assertEquals(LocalTime.NOON, close.atZone(zone).toLocalTime());
    JsonObject weekly = new JsonObject();
    for (DayOfWeek d : DayOfWeek.values()) weekly.put(d.name(), new JsonArray().add(new JsonArray().add("11:50").add("12:00")));
    hours = new JsonObject().put("zone", zone.getId()).put("weekly", weekly).put("holidays", new JsonArray().add("2099-12-25"));
    hoursInWords = "Every day 11:50–12:00 (" + zone.getId() + ")";
    lead.put("/api/sla", book(false, false)).expect(200);

    answer(1, 4);
    assertTrue(h.clock().instant().isBefore(close), "the first four answered while open");
    h.clock().advance(Duration.between(h.clock().instant(), close.plusSeconds(2)));
    answer(5, 12);
    eventually("twelve counted", Duration.ofSeconds(15), () -> h.count(AnalyticsService.FACTS, new JsonObject().put("kind", "fulfilled")) == 12);
    h.app().analytics().settled().await();
    // The empty figures read above are cached for a minute on the same (calendar) clock: let that minute pass.
    h.clock().advance(Duration.ofSeconds(61));
  }

  @AfterAll
  static void stop() { h.close(); }

  static void answer(int first, int last) {
    for (JsonObject c : h.cases()) {
      String handle = c.getJsonObject("customer").getString("handle");
      int i = Integer.parseInt(handle.substring("asker".length()));
      if (i < first || i > last) continue;
      agent.post("/api/cases/" + c.getString("_id") + "/reply", new JsonObject().put("text", "@" + handle + " answer " + i)).expect(201);
    }
  }

  /** One policy for every case (or two, the first for urgent cases), 30 minutes for every priority. */
  static JsonObject book(boolean businessHours, boolean urgentInCalendarTime) {
    JsonObject targets = new JsonObject().put("urgent", 30).put("high", 30).put("normal", 30).put("low", 30);
    JsonArray policies = new JsonArray();
    if (urgentInCalendarTime) {
      policies.add(new JsonObject().put("id", "urgent").put("when", new JsonObject().put("priorities", new JsonArray().add("urgent")))
        .put("firstResponseMinutes", targets).put("nextResponseMinutes", targets).put("businessHours", false));
    }
    policies.add(new JsonObject().put("id", "default").put("firstResponseMinutes", targets).put("nextResponseMinutes", targets)
      .put("businessHours", businessHours));
    return new JsonObject().put("policies", policies).put("hours", hours);
  }

  static JsonObject publicJson() { return new JsonObject(get("/api/public/response-times")); }

  static String get(String path) { return h.http().get(h.port(), "127.0.0.1", path).send().await().bodyAsString(); }

  /** The dashboard's totals for the public window, on the given clock. */
  static JsonObject dashboard(JsonObject pub, String time) {
    JsonObject r = lead.get("/api/analytics/response-times?from=" + pub.getString("from") + "&to=" + pub.getString("to") + "&time=" + time)
      .expect(200).json();
    assertEquals(time, r.getString("time"));
    return r.getJsonObject("totals");
  }

  static void sameFigures(JsonObject dash, JsonObject pub) {
    assertEquals("ok", pub.getString("state"));
    assertEquals(12, pub.getLong("replies"));
    assertEquals(dash.getLong("replies"), pub.getLong("replies"), "replies");
    assertEquals(dash.getLong("medianSeconds"), pub.getLong("medianFirstResponseSeconds"), "median, to the second");
    assertEquals(dash.getLong("p90Seconds"), pub.getLong("p90FirstResponseSeconds"), "p90, to the second");
    assertEquals(dash.getDouble("slaAttainment"), pub.getDouble("slaAttainment"), "attainment");
    assertEquals(0.75, pub.getDouble("slaAttainment"), "the three asked 30 minutes or more before were late for the 30-minute target");
  }

  static void readsRight(String page, JsonObject pub) {
    assertTrue(page.contains("We typically reply <strong>" + StatusWords.within(pub.getLong("medianFirstResponseSeconds")) + "</strong>."), page);
    assertTrue(page.contains("<dd>" + StatusWords.within(pub.getLong("p90FirstResponseSeconds")) + "</dd>"), page);
    assertTrue(page.contains("<dd>75%</dd>"), page);
    assertFalse(NO_PLURAL_OF_ONE_OR_NONE.matcher(page).find(), page);
    String badge = get("/status/badge.svg");
    assertTrue(badge.contains(">" + StatusWords.badge(pub.getLong("medianFirstResponseSeconds")) + "<"), badge);
    assertTrue(badge.contains("fill=\"#2e7d32\""), "green with enough data: " + badge);
  }

  @Test
  @DisplayName("with too few replies the JSON says so, the page says so and the badge is grey")
  void tooLittleData() {
    assertEquals("too-little-data", emptyJson.getString("state"));
    assertEquals(0, emptyJson.getLong("replies"));
    assertNull(emptyJson.getValue("medianFirstResponseSeconds"));
    assertNull(emptyJson.getValue("slaAttainment"));
    assertTrue(emptyPage.contains("too few replies"), emptyPage);
    assertFalse(emptyPage.contains("typically reply <strong>"), emptyPage);
    assertTrue(emptyBadge.contains("fill=\"#9f9f9f\""), "grey without enough data: " + emptyBadge);
    assertFalse(emptyBadge.contains("#2e7d32"), emptyBadge);
    assertTrue(emptyBadge.contains(">not enough data<"), emptyBadge);
  }

  @Test
  @DisplayName("calendar-time policies: the public figures are the dashboard's calendar-time figures, to the second")
  void calendarTime() {
    lead.put("/api/sla", book(false, false)).expect(200);
    JsonObject pub = publicJson();
    assertEquals("calendar", pub.getString("time"));
    assertNull(pub.getValue("hours"), "no opening hours are counted, so none are shown");
    sameFigures(dashboard(pub, "calendar"), pub);
    assertNotEquals(dashboard(pub, "business").getLong("medianSeconds"), pub.getLong("medianFirstResponseSeconds"),
      "the replies outside the opening hours make the clocks differ, so the test tells them apart");
    String page = get("/status");
    readsRight(page, pub);
    assertTrue(page.contains("counted in calendar time"), page);
    assertFalse(page.contains(hoursInWords), page);
  }

  @Test
  @DisplayName("one policy in calendar time among business-hours ones keeps the public figures in calendar time")
  void mixedBook() {
    lead.put("/api/sla", book(true, true)).expect(200);
    JsonObject pub = publicJson();
    assertEquals("calendar", pub.getString("time"));
    sameFigures(dashboard(pub, "calendar"), pub);
  }

  @Test
  @DisplayName("all policies in business hours: the public figures are the dashboard's business-hours figures, and the page says which hours")
  void businessHours() {
    lead.put("/api/sla", book(false, false)).expect(200);
    assertEquals("calendar", publicJson().getString("time"));
    lead.put("/api/sla", book(true, false)).expect(200);
    JsonObject pub = publicJson();
    assertEquals("business", pub.getString("time"), "a change of policy shows at once, not after the minute's cache");
    JsonObject shown = pub.getJsonObject("hours");
    assertEquals(hours.getString("zone"), shown.getString("zone"));
    assertEquals(hours.getJsonObject("weekly"), shown.getJsonObject("weekly"));
    assertEquals(hoursInWords, shown.getString("description"));
    assertEquals("We are also closed on the holiday in our calendar (none in these days).", shown.getString("holidaysNote"));
    sameFigures(dashboard(pub, "business"), pub);
    assertNotEquals(dashboard(pub, "calendar").getLong("medianSeconds"), pub.getLong("medianFirstResponseSeconds"));
    String page = get("/status");
    readsRight(page, pub);
    assertTrue(page.contains("counted in our opening hours, as our response-time targets are: " + hoursInWords + "."), page);
    assertTrue(page.contains("none in these days"), page);
    lead.put("/api/sla", book(false, false)).expect(200);
    assertEquals("calendar", publicJson().getString("time"), "and back at once");
  }
}
