package io.careloop.queue;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.careloop.x.standin.StandInTimeline;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
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
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Service levels: warnings, breaches and the SLA event log, driven by a clock the test controls")
class ServiceLevelsTest {
  static final Duration WAIT = Duration.ofSeconds(15);
  /**
   * One app for the methods that only add their own customers, staff and canned responses. The others have their own:
   * one restarts the app, one rewrites the SLA book every later case would get, one counts the whole queue.
   */
  static Harness shared;
  @TempDir static Path sharedData;

  @BeforeAll
  static void start(Vertx vertx) {
    shared = Harness.start(vertx, sharedData, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
  }

  @AfterAll
  static void stop() {
    shared.close();
  }

  static List<String> kinds(Agent a, String caseId) {
    return a.get("/api/cases/" + caseId + "/sla-events").expect(200).json().getJsonArray("items").stream()
      .map(e -> ((JsonObject) e).getString("metric") + ":" + ((JsonObject) e).getString("kind")).toList();
  }

  /** Collects the server-sent events a console would receive, from the moment the stream is open (its hello). */
  static List<String> listen(Vertx vertx, Harness h, Agent agent) {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpClient http = vertx.createHttpClient();
    http.request(new RequestOptions().setMethod(HttpMethod.GET).setPort(h.port()).setHost("127.0.0.1").setURI("/api/events")
        .putHeader("Cookie", agent.cookie()))
      .compose(req -> req.send())
      .onSuccess(resp -> resp.handler(chunk -> received.add(chunk.toString())));
    eventually("the event stream said hello", WAIT, () -> String.join("", received).contains("retry:"));
    return received;
  }

  @Test
  @DisplayName("warning at 75% then breach at the deadline, each pushed live and recorded once, across a restart; the breach escalates")
  void warningThenBreach(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      StandInTimeline t = h.standIn().timeline();
      t.account("61", "lou", "Lou", 10);
      Agent lead = h.newAgent("lena", "lead");
      List<String> pushed = listen(vertx, h, lead);
      var q = t.publish("61", "@AcmeCloud how do I rotate keys?", null, null);
      String id = "c" + q.id();
      eventually("case", WAIT, () -> lead.get("/api/cases/" + id).status() == 200);
      JsonObject c = lead.get("/api/cases/" + id).json();
      assertEquals("normal", c.getString("priority"));
      assertEquals(List.of("first-response:applied"), kinds(lead, id));

      h.clock().advance(Duration.ofMinutes(44));
      h.scanServiceLevels();
      assertEquals(List.of("first-response:applied"), kinds(lead, id), "no warning before 75% of 60 min");
      h.clock().advance(Duration.ofMinutes(2));
      h.scanServiceLevels();
      assertEquals(List.of("first-response:applied", "first-response:warning"), kinds(lead, id), "the warning is due at 45 min");
      eventually("warning pushed", WAIT, () -> String.join("", pushed).contains("\"kind\":\"warning\""));

      // Restart between warning and breach: the stored deadline carries on, nothing is recorded twice.
      h.restart();
      Agent lead2 = Agent.login(vertx, h.port(), "lena", "lena-long-password");
      List<String> pushedAfter = listen(vertx, h, lead2);
      h.scanServiceLevels();
      assertEquals(List.of("first-response:applied", "first-response:warning"), kinds(lead2, id), "a scan after the restart warns no one again");
      h.clock().advance(Duration.ofMinutes(15));
      // Left to the timer: the restarted app scans on its own.
      eventually("breach", WAIT, () -> kinds(lead2, id).contains("first-response:breached"));
      eventually("breach and escalation pushed", WAIT, () -> String.join("", pushedAfter).contains("\"kind\":\"breached\"")
        && String.join("", pushedAfter).contains("event: escalation"));
      h.scanServiceLevels();
      assertEquals(List.of("first-response:applied", "first-response:warning", "first-response:breached"), kinds(lead2, id));
      JsonObject after = lead2.get("/api/cases/" + id).json();
      assertEquals("high", after.getString("priority"), "escalated one step");
      assertTrue(after.getBoolean("breached"));
      assertTrue(after.getBoolean("escalated"));
      JsonArray breaching = lead2.get("/api/cases?view=breaching").json().getJsonArray("items");
      assertTrue(breaching.stream().anyMatch(x -> ((JsonObject) x).getString("id").equals(id)));
    }
  }

  @Test
  @DisplayName("a reply fulfils and pauses the clock; the customer's follow-up resumes it as next response; resolving stops it")
  void fulfilPauseResumeStop() {
    Harness h = shared;
    StandInTimeline t = h.standIn().timeline();
    t.account("62", "max", "Max", 10);
    t.account("68", "ned", "Ned", 10);
    t.account("69", "ora", "Ora", 10);
    Agent agent = h.newAgent("amy", "agent");
    var q = t.publish("62", "@AcmeCloud where are my invoices?", null, null);
    String id = "c" + q.id();
    // Controls: cases asked at the same moments and left waiting on us, which the same scans must breach.
    String waiting = "c" + t.publish("68", "@AcmeCloud is anyone there?", null, null).id();
    eventually("case", WAIT, () -> agent.get("/api/cases/" + id).status() == 200 && agent.get("/api/cases/" + waiting).status() == 200);
    JsonObject reply = agent.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@max Billing > Invoices")).expect(201).json();
    assertEquals(List.of("first-response:applied", "first-response:fulfilled", "first-response:paused"), kinds(agent, id));
    JsonObject fulfilled = agent.get("/api/cases/" + id + "/sla-events").json().getJsonArray("items").getJsonObject(1);
    assertTrue(fulfilled.getBoolean("met"));

    // Waiting on the customer: no clock, so hours passing record nothing.
    h.clock().advance(Duration.ofHours(5));
    h.scanServiceLevels();
    assertTrue(kinds(agent, waiting).contains("first-response:breached"), "the scan ran at +5 h: " + kinds(agent, waiting));
    assertEquals(3, kinds(agent, id).size());

    t.publish("62", "@AcmeCloud found them, thanks - one is missing though", Long.parseLong(reply.getString("xTweetId")), null);
    eventually("resumed", WAIT, () -> kinds(agent, id).contains("next-response:applied"));
    assertEquals(List.of("first-response:applied", "first-response:fulfilled", "first-response:paused",
      "next-response:resumed", "next-response:applied"), kinds(agent, id));
    assertEquals("next-response", agent.get("/api/cases/" + id).json().getString("slaMetric"));

    String waitingToo = "c" + t.publish("69", "@AcmeCloud hello?", null, null).id();
    eventually("control case", WAIT, () -> agent.get("/api/cases/" + waitingToo).status() == 200);
    agent.post("/api/cases/" + id + "/resolve", null).expect(200);
    assertTrue(kinds(agent, id).contains("next-response:stopped"));
    h.clock().advance(Duration.ofHours(3));
    h.scanServiceLevels();
    assertTrue(kinds(agent, waitingToo).contains("first-response:breached"), "the scan ran at +3 h: " + kinds(agent, waitingToo));
    assertFalse(kinds(agent, id).contains("next-response:breached"), "a resolved case's clock never breaches");
  }

  @Test
  @DisplayName("a lead sets a business-hours policy; new cases get deadlines from it, old ones keep theirs; the change is audited")
  void leadEditsPolicies(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      StandInTimeline t = h.standIn().timeline();
      t.account("63", "nia", "Nia", 20_000);
      t.account("64", "oz", "Oz", 5);
      Agent lead = h.newAgent("lena", "lead");
      Agent agent = h.newAgent("amy", "agent");
      var before = t.publish("64", "@AcmeCloud question before the change?", null, null);
      eventually("case", WAIT, () -> lead.get("/api/cases/c" + before.id()).status() == 200);
      String dueBefore = lead.get("/api/cases/c" + before.id()).json().getString("dueAt");

      JsonObject book = lead.get("/api/sla").expect(200).json();
      JsonObject vip = book.getJsonArray("policies").getJsonObject(0).copy().put("id", "vip").put("name", "Big audiences")
        .put("when", new JsonObject().put("minFollowers", 10_000))
        .put("firstResponseMinutes", new JsonObject().put("urgent", 5).put("high", 5).put("normal", 5).put("low", 5));
      JsonObject everyone = book.getJsonArray("policies").getJsonObject(0).copy().put("businessHours", true)
        .put("firstResponseMinutes", new JsonObject().put("urgent", 600).put("high", 600).put("normal", 600).put("low", 600));
      JsonObject proposed = book.copy().put("policies", new JsonArray().add(vip).add(everyone));
      agent.put("/api/sla", proposed).expect(403);
      JsonObject stored = lead.put("/api/sla", proposed).expect(200).json();
      assertEquals("vip", stored.getJsonArray("policies").getJsonObject(0).getString("id"));

      var loud = t.publish("63", "@AcmeCloud question from a big account?", null, null);
      var quiet = t.publish("64", "@AcmeCloud question after the change?", null, null);
      eventually("cases", WAIT, () -> lead.get("/api/cases/c" + quiet.id()).status() == 200 && lead.get("/api/cases/c" + loud.id()).status() == 200);
      JsonObject loudCase = lead.get("/api/cases/c" + loud.id()).json();
      assertEquals("vip", loudCase.getString("slaPolicyId"));
      assertEquals(loud.createdAt().plus(Duration.ofMinutes(5)).toString().substring(0, 19), loudCase.getString("dueAt").substring(0, 19));
      assertEquals("default", lead.get("/api/cases/c" + quiet.id()).json().getString("slaPolicyId"));
      assertEquals(dueBefore, lead.get("/api/cases/c" + before.id()).json().getString("dueAt"), "existing deadlines are not rewritten");

      JsonObject bad = proposed.copy();
      bad.getJsonObject("hours").put("zone", "Not/AZone");
      assertEquals("invalid-sla", lead.put("/api/sla", bad).expect(400).json().getString("error"));
      assertEquals(stored, lead.get("/api/sla").json(), "a refused book changes nothing");

      JsonArray audit = lead.get("/api/audit?action=sla.changed").expect(200).json().getJsonArray("items");
      assertEquals(1, audit.size());
      assertEquals("lena", audit.getJsonObject(0).getString("actor"));
      assertNotNull(audit.getJsonObject(0).getJsonObject("before"));
      agent.get("/api/audit").expect(403);
    }
  }

  @Test
  @DisplayName("queue views and counts, reassignment by a lead, notes, tags, customer history, viewers and canned responses")
  void agentWorkflow(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      StandInTimeline t = h.standIn().timeline();
      t.account("65", "pia", "Pia {{agent.name}}", 10);
      Agent amy = h.newAgent("amy", "agent");
      Agent ben = h.newAgent("ben", "agent");
      Agent lead = h.newAgent("lena", "lead");
      Agent cm = h.newAgent("cole", "community");
      var first = t.publish("65", "@AcmeCloud first question?", null, null);
      var second = t.publish("65", "@AcmeCloud second question?", null, null);
      String c1 = "c" + first.id();
      String c2 = "c" + second.id();
      eventually("cases", WAIT, () -> amy.get("/api/cases/" + c2).status() == 200 && amy.get("/api/cases/" + c1).status() == 200);

      amy.post("/api/cases/" + c1 + "/claim", null).expect(200);
      assertEquals(List.of(c1), ids(amy.get("/api/cases?view=mine").json()));
      assertEquals(List.of(c2), ids(amy.get("/api/cases?view=unassigned").json()));
      assertEquals(2, ids(amy.get("/api/cases?view=open&source=mentions-" + Harness.BRAND_ID).json()).size());
      assertEquals(0, ids(amy.get("/api/cases?view=open&source=search-acme-cloud").json()).size());
      JsonObject counts = amy.get("/api/cases/counts").expect(200).json();
      assertEquals(1, counts.getInteger("mine"));
      assertEquals(1, counts.getInteger("unassigned"));
      assertEquals(2, counts.getInteger("open"));

      JsonObject reassigned = lead.post("/api/cases/" + c1 + "/assign", new JsonObject().put("assignee", "ben")).expect(200).json();
      assertEquals("ben", reassigned.getString("assignee"));
      amy.post("/api/cases/" + c1 + "/assign", new JsonObject().put("assignee", "amy")).expect(403);
      assertEquals(List.of(c1), ids(ben.get("/api/cases?view=mine").json()));

      ben.post("/api/cases/" + c1 + "/notes", new JsonObject().put("text", "Customer is on the legacy plan <b>note</b>")).expect(200);
      JsonObject tagged = ben.put("/api/cases/" + c1 + "/tags", new JsonObject().put("tags", new JsonArray().add("billing").add("legacy")))
        .expect(200).json();
      assertEquals(new JsonArray().add("billing").add("legacy"), tagged.getJsonArray("tags"));
      lead.post("/api/cases/" + c1 + "/notes", new JsonObject().put("text", "leads only read")).expect(403);

      amy.post("/api/cases/" + c1 + "/viewing", null).expect(200);
      JsonObject shown = ben.get("/api/cases/" + c1).json();
      assertEquals(new JsonArray().add("amy"), shown.getJsonArray("viewers"));
      assertEquals("Customer is on the legacy plan <b>note</b>", shown.getJsonArray("notes").getJsonObject(0).getString("text"));
      assertEquals(c2, shown.getJsonArray("customerHistory").getJsonObject(0).getString("id"));

      amy.put("/api/canned/thanks", new JsonObject().put("title", "Thanks").put("body", "x")).expect(403);
      cm.put("/api/canned/thanks", new JsonObject().put("title", "Thanks").put("body", "Hi {{customer.handle}} ({{customer.name}}), {{agent.name}} here."))
        .expect(200);
      cm.put("/api/canned/broken", new JsonObject().put("title", "Broken").put("body", "Hi {{#if}}")).expect(400);
      String text = ben.post("/api/cases/" + c1 + "/canned/thanks", null).expect(200).json().getString("text");
      assertEquals("Hi @pia (Pia {{agent.name}}), ben here.", text, "customer-controlled values are text, never template");
      ben.post("/api/cases/" + c1 + "/canned/nope", null).expect(404);
      assertEquals(1, amy.get("/api/canned").json().getJsonArray("items").size());
    }
  }


  static Agent.Reply saveCanned(Agent cm, String id, String body) {
    return cm.put("/api/canned/" + id, new JsonObject().put("title", id).put("body", body));
  }

  @Test
  @DisplayName("canned responses are plain text and four variables: the inline-partial bomb, partials, blocks, triple-stash, i18n and unknown variables are refused at save naming the token; a bad one stored earlier is refused at render, not run")
  void cannedResponsesAreAClosedLanguage() {
    Harness h = shared;
    StandInTimeline t = h.standIn().timeline();
    t.account("66", "quin", "Quin {{agent.name}} {{> a}}", 10);
    t.account("67", "longname", "N".repeat(1000), 10);
    Agent ben = h.newAgent("ben", "agent");
    Agent cm = h.newAgent("cole", "community");
    String c1 = "c" + t.publish("66", "@AcmeCloud help?", null, null).id();
    String c2 = "c" + t.publish("67", "@AcmeCloud help too?", null, null).id();
    eventually("cases", WAIT, () -> ben.get("/api/cases/" + c1).status() == 200 && ben.get("/api/cases/" + c2).status() == 200);

    String bomb = io.careloop.reply.ClosedTemplateTest.inlinePartialBomb();
    assertEquals(535, bomb.length());
    Map<String, String> refused = new java.util.LinkedHashMap<>();
    refused.put(bomb, "{{#*inline \"a\"}}");
    refused.put("Hi {{> head}}", "{{> head}}");
    refused.put("{{#each customer}}{{this}}{{/each}}", "{{#each customer}}");
    refused.put("{{#if customer.name}}Hi{{else}}Hello{{/if}}", "{{#if customer.name}}");
    refused.put("Hi {{{customer.name}}}", "{{{customer.name}}}");
    refused.put("{{i18n \"greeting\"}} {{agent.name}}", "{{i18n \"greeting\"}}");
    refused.put("Hi {{customer.email}}", "{{customer.email}}");
    refused.put("Hi {{customer.name", "{{customer.name");
    refused.put("Hi customer.name}}", "}}");
    for (var bad : refused.entrySet()) {
      var r = saveCanned(cm, "bad", bad.getKey());
      assertEquals(400, r.status(), () -> bad.getValue() + ": " + r.body());
      assertEquals("invalid-template", r.json().getString("error"));
      assertTrue(r.json().getString("message").contains(bad.getValue()), r.body());
    }
    assertEquals(0, ben.get("/api/canned").json().getJsonArray("items").size(), "nothing refused is stored");
    assertEquals(400, saveCanned(cm, "long", "x".repeat(1001)).status(), "at most 1,000 characters");

    assertEquals(200, saveCanned(cm, "hello", "Hi {{ customer.handle }} ({{customer.name}}), {{agent.name}} here.").status());
    assertEquals("Hi @quin (Quin {{agent.name}} {{> a}}), ben here.",
      ben.post("/api/cases/" + c1 + "/canned/hello", null).expect(200).json().getString("text"), "a customer's name is text, never template");
    String names = "{{customer.name}}".repeat(58);
    assertEquals(200, saveCanned(cm, "names", names).status());
    String rendered = ben.post("/api/cases/" + c2 + "/canned/names", null).expect(200).json().getString("text");
    assertTrue(rendered.length() <= 2000, "the output is bounded, not 58 x 1000 characters: " + rendered.length());

    // A template saved before the language was closed is refused when used, with the same answer, and never runs.
    h.mongo().insert("canned", new JsonObject().put("_id", "legacy").put("title", "Legacy").put("body", bomb).put("updatedBy", "cole")).await();
    JsonObject legacy = ben.post("/api/cases/" + c1 + "/canned/legacy", null).expect(400).json();
    assertEquals("invalid-template", legacy.getString("error"));
    assertTrue(legacy.getString("message").contains("{{#*inline \"a\"}}"), legacy.encode());
    assertEquals(200, h.http().get(h.port(), "127.0.0.1", "/health/live").send().await().statusCode());
  }

  static List<String> ids(JsonObject page) {
    return page.getJsonArray("items").stream().map(c -> ((JsonObject) c).getString("id")).toList();
  }
}
