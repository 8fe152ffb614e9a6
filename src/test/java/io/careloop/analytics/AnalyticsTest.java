package io.careloop.analytics;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.careloop.x.standin.StandInTimeline;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Analytics for leads and the public response-time page, from the SLA event log")
class AnalyticsTest {
  static final String HOSTILE = "=cmd|' /C calc'!A0 why is sync slow";
  static Harness h;
  static Agent lead;
  static Agent abe;
  static Agent bo;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    lead = h.newAgent("lena", "lead");
    abe = h.newAgent("abe", "agent");
    bo = h.newAgent("bo.b", "agent");
    StandInTimeline t = h.standIn().timeline();
    Instant now = h.clock().instant();
    // Twelve customers asked 1..12 minutes ago; one more asked two hours ago and is never answered (a breach).
    for (int i = 1; i <= 12; i++) {
      t.account(String.valueOf(500 + i), "cust" + i, "Customer " + i, 10);
      t.publish(String.valueOf(500 + i), "@AcmeCloud " + (i == 7 ? HOSTILE : "question number " + i + " about sync"), null, null,
        now.minus(Duration.ofMinutes(i)));
    }
    t.account("599", "waiting", "Waiting Customer", 10);
    t.publish("599", "@AcmeCloud still waiting on my export", null, null, now.minus(Duration.ofHours(2)));
    eventually("13 cases", Duration.ofSeconds(20), () -> h.cases().size() == 13);
    for (JsonObject c : h.cases()) {
      String handle = c.getJsonObject("customer").getString("handle");
      if (handle.equals("waiting")) continue;
      int i = Integer.parseInt(handle.substring(4));
      Agent who = i % 2 == 0 ? abe : bo;
      who.post("/api/cases/" + c.getString("_id") + "/reply", new JsonObject().put("text", "@" + handle + " answer " + i)).expect(201);
    }
    eventually("counted", Duration.ofSeconds(15), () -> h.count(AnalyticsService.FACTS, new JsonObject().put("kind", "fulfilled")) == 12
      && h.count(AnalyticsService.FACTS, new JsonObject().put("kind", "breached")) == 1);
    h.app().analytics().settled().await();
  }

  @AfterAll
  static void stop() { h.close(); }

  static void near(long expected, Long actual, long slack, String what) {
    assertNotNull(actual, what);
    assertTrue(actual >= expected && actual <= expected + slack, what + ": expected " + expected + "(+" + slack + ") but was " + actual);
  }

  @Test
  @DisplayName("totals, groups per agent, breaches, backlog and volume come from the event log")
  void dashboard() {
    JsonObject r = lead.get("/api/analytics/response-times?groupBy=agent").expect(200).json();
    JsonObject t = r.getJsonObject("totals");
    assertEquals(12, t.getLong("replies"));
    // 12 responses of i minutes (+ the seconds the test took): median = 6th = 6 min, p90 = 11th = 11 min.
    near(360, t.getLong("medianSeconds"), 30, "median");
    near(660, t.getLong("p90Seconds"), 30, "p90");
    near(720, t.getLong("p99Seconds"), 30, "p99");
    assertEquals(1.0, t.getDouble("slaAttainment"), "all within the 60-minute target");
    assertEquals(1, t.getLong("breaches"), "the unanswered case breached");
    JsonArray groups = r.getJsonArray("groups");
    assertEquals(List.of("abe", "bo.b"), groups.stream().map(g -> ((JsonObject) g).getString("key")).toList());
    assertEquals(6, groups.getJsonObject(0).getLong("replies"));
    assertEquals(6, groups.getJsonObject(1).getLong("replies"));
    JsonArray series = r.getJsonArray("series");
    assertEquals(30, series.size());
    JsonObject last = series.getJsonObject(series.size() - 1);
    assertEquals(1, last.getLong("backlog"), "one clock still running at the end");
    assertEquals(13, series.stream().mapToLong(d -> ((JsonObject) d).getLong("newCases")).sum());
    String tomorrow = java.time.LocalDate.parse(last.getString("day")).plusDays(1).toString();
    assertEquals(1, lead.get("/api/analytics/response-times?from=" + tomorrow + "&to=" + tomorrow).json().getJsonArray("series")
      .getJsonObject(0).getLong("backlog"), "the backlog carries over from the days before the range");
    assertEquals(13, r.getJsonArray("newCasesByHour").stream().mapToLong(x -> ((Number) x).longValue()).sum());
    assertEquals(0, lead.get("/api/analytics/response-times?metric=next").json().getJsonObject("totals").getLong("replies"));
    assertEquals(12, lead.get("/api/analytics/response-times?groupBy=priority").json().getJsonArray("groups").stream()
      .mapToLong(g -> ((JsonObject) g).getLong("replies")).sum());
  }

  @Test
  @DisplayName("only leads see analytics; bad dates and ranges are 400 with a JSON body")
  void accessAndInput() {
    abe.get("/api/analytics/response-times").expect(403);
    assertEquals(401, h.http().get(h.port(), "127.0.0.1", "/api/analytics/export.csv").send().await().statusCode());
    assertEquals("bad-date", lead.get("/api/analytics/response-times?from=2026-13-45").expect(400).json().getString("error"));
    assertEquals("bad-range", lead.get("/api/analytics/response-times?from=2026-11-20&to=2026-11-01").expect(400).json().getString("error"));
    assertEquals("bad-range", lead.get("/api/analytics/response-times?from=2020-01-01&to=2026-11-01").expect(400).json().getString("error"));
    lead.get("/api/analytics/response-times?groupBy=customer").expect(400);
  }

  @Test
  @DisplayName("the CSV export round-trips in a CSV parser and neutralises a customer's formula")
  void export() throws Exception {
    var res = lead.get("/api/analytics/export.csv").expect(200).response();
    assertTrue(res.getHeader("content-type").startsWith("text/csv"));
    assertTrue(res.getHeader("content-disposition").startsWith("attachment; filename="));
    try (CSVParser p = CSVParser.parse(new StringReader(res.bodyAsString()), CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).build())) {
      List<CSVRecord> rows = p.getRecords();
      assertEquals(12, rows.size());
      CSVRecord hostile = rows.stream().filter(r -> r.get("customer").equals("cust7")).findFirst().orElseThrow();
      assertEquals("'@AcmeCloud " + HOSTILE, hostile.get("mention"), "the mention starts with @, so it is neutralised");
      assertTrue(rows.stream().allMatch(r -> r.get("met").equals("true")));
      near(420, Long.parseLong(hostile.get("seconds")), 30, "case 7 answered after 7 minutes");
    }
  }

  @Test
  @DisplayName("the public JSON and page agree with the dashboard for the same window and name nobody")
  void publicFigures() throws Exception {
    JsonObject pub = new JsonObject(h.http().get(h.port(), "127.0.0.1", "/api/public/response-times").send().await().bodyAsString());
    assertEquals(7, pub.getInteger("windowDays"));
    assertEquals(12, pub.getLong("replies"));
    assertEquals("ok", pub.getString("state"));
    assertEquals("calendar", pub.getString("time"), "the default policy counts calendar time, so the public figures do");
    assertNull(pub.getValue("hours"));
    JsonObject dash = lead.get("/api/analytics/response-times?time=calendar&from=" + pub.getString("from") + "&to=" + pub.getString("to"))
      .json().getJsonObject("totals");
    assertEquals(dash.getLong("replies"), pub.getLong("replies"));
    assertEquals(dash.getLong("medianSeconds"), pub.getLong("medianFirstResponseSeconds"));
    assertEquals(dash.getLong("p90Seconds"), pub.getLong("p90FirstResponseSeconds"));
    assertEquals(dash.getDouble("slaAttainment"), pub.getDouble("slaAttainment"));
    String page = h.http().get(h.port(), "127.0.0.1", "/status").send().await().bodyAsString();
    assertTrue(page.contains("We typically reply <strong>" + io.careloop.web.StatusWords.within(pub.getLong("medianFirstResponseSeconds")) + "</strong>"), page);
    for (String personal : List.of("cust", "Customer", "abe", "bo.b", "lena", "waiting", "calc")) {
      assertFalse(pub.encode().contains(personal), personal + " in the JSON");
      assertFalse(page.contains(personal), personal + " on the page");
    }
    var badge = h.http().get(h.port(), "127.0.0.1", "/status/badge.svg").send().await();
    assertEquals("image/svg+xml; charset=utf-8", badge.getHeader("content-type"));
    var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new InputSource(new StringReader(badge.bodyAsString())));
    assertEquals("svg", doc.getDocumentElement().getTagName());
    assertTrue(badge.bodyAsString().contains(">" + io.careloop.web.StatusWords.badge(pub.getLong("medianFirstResponseSeconds")) + "<"), badge.bodyAsString());
    assertTrue(badge.bodyAsString().contains("fill=\"#2e7d32\""), "green with enough data");
  }

  @Test
  @DisplayName("the start-up checkpoint follows the events counted live, so a restart re-reads minutes of events, not all since the last start")
  void checkpointFollowsLiveCounting(Vertx vertx, @TempDir Path own) {
    try (Harness fresh = Harness.start(vertx, own, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      fresh.app().analytics().settled().await();
      fresh.app().analytics().saveCheckpoint().await();
      JsonObject sla = new JsonObject().put("_id", "sla-events@" + fresh.app().nodeId());
      assertNull(fresh.mongo().findOne(AnalyticsService.STATE, sla, null).await(), "nothing counted live yet, nothing saved");

      fresh.standIn().timeline().account("777", "late_larry", "Larry", 10);
      var q = fresh.standIn().timeline().publish("777", "@AcmeCloud is the export broken?", null, null);
      eventually("its clock recorded", Duration.ofSeconds(15), () -> fresh.count(io.careloop.queue.SlaEvents.COLLECTION, new JsonObject()) == 1);
      fresh.app().analytics().settled().await();
      fresh.app().analytics().saveCheckpoint().await();
      long applied = fresh.mongo().findOne(io.careloop.queue.SlaEvents.COLLECTION, new JsonObject().put("caseId", "c" + q.id()), null).await().getLong("seq");
      assertEquals(applied, fresh.mongo().findOne(AnalyticsService.STATE, sla, null).await().getLong("seq"),
        "the checkpoint is the event counted live");
    }
  }

  @Test
  @DisplayName("an SLA event recorded by a node that died before counting it is counted at the next start, from that node's older checkpoint")
  void deadNodesEventsAreCounted(Vertx vertx, @TempDir Path own) {
    try (Harness fresh = Harness.start(vertx, own, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      fresh.standIn().timeline().account("778", "mo", "Mo", 10);
      fresh.standIn().timeline().publish("778", "@AcmeCloud is anyone there?", null, null);
      eventually("its clock recorded", Duration.ofSeconds(15), () -> fresh.count(io.careloop.queue.SlaEvents.COLLECTION, new JsonObject()) == 1);
      fresh.app().analytics().settled().await();
      fresh.app().analytics().saveCheckpoint().await();
      long mine = fresh.mongo().findOne(AnalyticsService.STATE, new JsonObject().put("_id", "sla-events@" + fresh.app().nodeId()), null).await().getLong("seq");
      // An hour of sequence numbers earlier: far outside the margin a start re-reads below its own checkpoint.
      long old = mine - 3_600_000_000L;
      java.time.Instant at = fresh.clock().instant().minus(Duration.ofHours(1));
      java.time.Instant due = at.plus(Duration.ofHours(1));
      String id = io.careloop.queue.SlaEvents.id("cdead", "first-response", "applied", due);
      fresh.mongo().insert(io.careloop.queue.SlaEvents.COLLECTION, new JsonObject().put("_id", id).put("caseId", "cdead")
        .put("metric", "first-response").put("kind", "applied").put("at", io.careloop.store.Dates.bson(at))
        .put("dueAt", io.careloop.store.Dates.bson(due)).put("seq", old)).await();
      fresh.mongo().insert(AnalyticsService.STATE, new JsonObject().put("_id", "sla-events@node-that-died").put("seq", old - 1)).await();

      fresh.restart();
      eventually("the dead node's event counted", Duration.ofSeconds(15),
        () -> fresh.count(AnalyticsService.FACTS, new JsonObject().put("_id", id)) == 1);
      eventually("the dead node's checkpoint moved up with the catch-up", Duration.ofSeconds(5),
        () -> fresh.mongo().findOne(AnalyticsService.STATE, new JsonObject().put("_id", "sla-events@node-that-died"), null).await().getLong("seq") >= mine);
    }
  }

  @Test
  @DisplayName("rollups lost or half counted are rebuilt from the facts at start, to the same figures")
  void rebuild(Vertx vertx, @TempDir Path other) {
    JsonObject before = lead.get("/api/analytics/response-times?groupBy=agent").json();
    h.mongo().dropCollection(AnalyticsService.DAYS).await();
    h.restart();
    lead = Agent.login(h.vertx(), h.port(), "lena", "lena-long-password");
    abe = Agent.login(h.vertx(), h.port(), "abe", "abe-long-password");
    assertEquals(before, lead.get("/api/analytics/response-times?groupBy=agent").json());
    // A crash between a fact and its day's $inc: the fact is there, not counted; the day lacks it.
    JsonObject fact = h.mongo().findOne(AnalyticsService.FACTS, new JsonObject().put("kind", "fulfilled"), null).await();
    h.mongo().updateCollection(AnalyticsService.FACTS, new JsonObject().put("_id", fact.getString("_id")),
      new JsonObject().put("$set", new JsonObject().put("counted", false))).await();
    h.mongo().updateCollection(AnalyticsService.DAYS, new JsonObject().put("_id", fact.getString("day") + "|all|first"),
      new JsonObject().put("$inc", new JsonObject().put("r.all.first.n", -1))).await();
    h.restart();
    lead = Agent.login(h.vertx(), h.port(), "lena", "lena-long-password");
    abe = Agent.login(h.vertx(), h.port(), "abe", "abe-long-password");
    bo = Agent.login(h.vertx(), h.port(), "bo.b", "bo.b-long-password");
    assertEquals(before, lead.get("/api/analytics/response-times?groupBy=agent").json());
    // A crash after an SLA event was recorded but before it was counted: no fact. The next start counts it.
    h.mongo().removeDocument(AnalyticsService.FACTS, new JsonObject().put("_id", fact.getString("_id"))).await();
    h.mongo().dropCollection(AnalyticsService.DAYS).await();
    h.restart();
    lead = Agent.login(h.vertx(), h.port(), "lena", "lena-long-password");
    abe = Agent.login(h.vertx(), h.port(), "abe", "abe-long-password");
    bo = Agent.login(h.vertx(), h.port(), "bo.b", "bo.b-long-password");
    assertEquals(before, lead.get("/api/analytics/response-times?groupBy=agent").json());
  }
}
