package io.careloop.web;

import io.careloop.queue.MongoCaseRepository;
import io.careloop.support.Agent;
import io.careloop.support.Harness;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Bulk actions: one request, many cases, a report per case")
class BulkActionsApiTest {
  static Harness h;
  static Agent ana;
  static Agent ben;
  static Agent lead;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    h.standIn().timeline().account("51", "hal", "Hal", 90);
    ana = h.newAgent("ana", "agent");
    ben = h.newAgent("ben", "agent");
    lead = h.newAgent("leo", "lead");
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  /** {@code n} new cases, each its own conversation. */
  static List<String> openCases(int n, String text) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < n; i++) ids.add("c" + h.standIn().timeline().publish("51", "@AcmeCloud " + text + " (order " + i + ")", null, null).id());
    for (String id : ids) eventually("case " + id, Duration.ofSeconds(15), () -> ana.get("/api/cases/" + id).status() == 200);
    return ids;
  }

  static JsonObject view(String id) {
    return ana.get("/api/cases/" + id).expect(200).json();
  }

  static JsonObject bulk(Agent who, JsonObject body, int status) {
    return who.post("/api/cases/bulk", body).expect(status).json();
  }

  static JsonObject bulk(String action, List<String> ids) {
    return new JsonObject().put("action", action).put("caseIds", new JsonArray(ids));
  }

  static long audited(String action, List<String> ids) {
    return h.count("audit", new JsonObject().put("action", action).put("target", new JsonObject().put("$in", new JsonArray(ids))));
  }

  static List<JsonObject> results(JsonObject report) {
    return report.getJsonArray("results").stream().map(JsonObject.class::cast).toList();
  }

  @Test
  @DisplayName("dismissing 20 cases of which one is dismissed already: 19 dismissed and audited, 1 refused case-dismissed; one undo brings the 19 back, once, for the closer only")
  void dismissTwentyAndUndo() {
    List<String> ids = openCases(20, "my parcel never came");
    String already = ids.get(7);
    ana.post("/api/cases/" + already + "/dismiss", new JsonObject().put("reason", "duplicate")).expect(200);
    List<String> others = ids.stream().filter(id -> !id.equals(already)).toList();

    JsonObject report = bulk(ana, bulk("dismiss", ids).put("reason", "spam"), 200);
    assertEquals("dismiss", report.getString("action"));
    assertEquals(19, report.getInteger("done"), report.encodePrettily());
    assertEquals(1, report.getInteger("refused"));
    List<JsonObject> results = results(report);
    assertEquals(ids, results.stream().map(r -> r.getString("caseId")).toList(), "one result per case, in the order asked");
    JsonObject refusal = results.get(7);
    assertFalse(refusal.getBoolean("ok"));
    assertEquals("case-dismissed", refusal.getString("error"), refusal.encode());
    assertEquals(409, refusal.getInteger("status"));
    assertTrue(refusal.getString("message").contains("dismissed"), refusal.encode());
    for (String id : others) {
      JsonObject c = view(id);
      assertEquals("dismissed", c.getString("state"), id);
      assertEquals("spam", c.getString("dismissReason"), id);
    }
    assertTrue(results.stream().filter(r -> r.getBoolean("ok")).allMatch(r -> "dismissed".equals(r.getJsonObject("case").getString("state"))));
    assertEquals(19, audited("case.dismissed", others), "one audit entry per case dismissed");
    assertEquals(1, audited("case.dismissed", List.of(already)), "the refused case keeps only its own dismissal");

    String token = report.getJsonObject("undo").getString("token");
    assertNotNull(report.getJsonObject("undo").getString("expiresAt"));
    // Another agent cannot use it, and trying does not spend it.
    JsonObject notYours = ben.post("/api/cases/bulk/undo", new JsonObject().put("token", token)).expect(409).json();
    assertEquals("undo-not-yours", notYours.getString("error"));

    JsonObject undone = ana.post("/api/cases/bulk/undo", new JsonObject().put("token", token)).expect(200).json();
    assertEquals("undo", undone.getString("action"));
    assertEquals(19, undone.getInteger("done"), undone.encodePrettily());
    assertEquals(0, undone.getInteger("refused"));
    assertEquals(new java.util.TreeSet<>(others), new java.util.TreeSet<>(results(undone).stream().map(r -> r.getString("caseId")).toList()));
    for (String id : others) {
      JsonObject c = view(id);
      assertEquals("new", c.getString("state"), id + " is back as it was");
      assertNull(c.getString("dismissReason"), id);
    }
    assertEquals("dismissed", view(already).getString("state"), "the case the bulk did not close stays dismissed");
    assertEquals(19, audited("case.undone", others));

    JsonObject again = ana.post("/api/cases/bulk/undo", new JsonObject().put("token", token)).expect(409).json();
    assertEquals("undo-used", again.getString("error"));
    assertEquals("new", view(others.get(0)).getString("state"));
    ana.post("/api/cases/bulk/undo", new JsonObject().put("token", "no-such-token-at-all")).expect(404);
  }

  @Test
  @DisplayName("resolving a selection, then undoing it after one case got a note: the others are back, that one is refused changed-since")
  void resolveAndUndoChangedSince() {
    List<String> ids = openCases(3, "how do I export my data?");
    JsonObject report = bulk(ana, bulk("resolve", ids), 200);
    assertEquals(3, report.getInteger("done"), report.encodePrettily());
    for (String id : ids) assertEquals("resolved", view(id).getString("state"));
    assertEquals(3, audited("case.resolved", ids));
    // Each case also carries its own undo, as the single route answers it.
    assertNotNull(results(report).get(0).getJsonObject("case").getJsonObject("undo").getString("token"));

    // A note written since: the case is not as the close left it, so its undo is refused (as on one case).
    ben.post("/api/cases/" + ids.get(1) + "/notes", new JsonObject().put("text", "customer called, sorted by phone")).expect(200);
    JsonObject undone = ana.post("/api/cases/bulk/undo", new JsonObject().put("token", report.getJsonObject("undo").getString("token"))).expect(200).json();
    assertEquals(2, undone.getInteger("done"), undone.encodePrettily());
    assertEquals(1, undone.getInteger("refused"));
    JsonObject changed = results(undone).stream().filter(r -> ids.get(1).equals(r.getString("caseId"))).findFirst().orElseThrow();
    assertEquals("changed-since", changed.getString("error"), changed.encode());
    assertEquals("new", view(ids.get(0)).getString("state"));
    assertEquals("new", view(ids.get(2)).getString("state"));
    assertEquals("resolved", view(ids.get(1)).getString("state"), "the changed case stays resolved");
  }

  @Test
  @DisplayName("a bulk undo after the 30 s window is refused undo-expired and the cases stay closed")
  void undoExpires() {
    List<String> ids = openCases(2, "app crashes on start");
    JsonObject report = bulk(ana, bulk("dismiss", ids).put("reason", "not-for-us"), 200);
    assertEquals(2, report.getInteger("done"));
    h.clock().advance(Duration.ofSeconds(31));
    JsonObject late = ana.post("/api/cases/bulk/undo", new JsonObject().put("token", report.getJsonObject("undo").getString("token"))).expect(409).json();
    assertEquals("undo-expired", late.getString("error"), late.encode());
    for (String id : ids) assertEquals("dismissed", view(id).getString("state"));
  }

  @Test
  @DisplayName("a bulk close that closes nothing hands out no undo")
  void nothingClosedNoUndo() {
    JsonObject report = bulk(ana, bulk("resolve", List.of("c1", "c2")), 200);
    assertEquals(0, report.getInteger("done"));
    assertEquals(2, report.getInteger("refused"));
    assertEquals("not-found", results(report).get(0).getString("error"));
    assertEquals(404, results(report).get(0).getInteger("status"));
    assertFalse(report.containsKey("undo"));
  }

  @Test
  @DisplayName("assigning a selection: to an unknown user is 400 unknown-user and changes nothing; by a non-lead 403; to an agent, every open case")
  void assign() {
    List<String> ids = openCases(3, "nobody answered me");
    List<JsonObject> before = ids.stream().map(id -> h.mongo().findOne(MongoCaseRepository.CASES, new JsonObject().put("_id", id), null).await()).toList();
    long auditedBefore = audited("case.assigned", ids);

    JsonObject unknown = bulk(lead, bulk("assign", ids).put("assignee", "agnet1"), 400);
    assertEquals("unknown-user", unknown.getString("error"), unknown.encode());
    assertTrue(unknown.getString("message").contains("agnet1"), unknown.encode());
    assertEquals(before, ids.stream().map(id -> h.mongo().findOne(MongoCaseRepository.CASES, new JsonObject().put("_id", id), null).await()).toList(),
      "no case changed");
    assertEquals(auditedBefore, audited("case.assigned", ids), "nothing audited");

    JsonObject forbidden = bulk(ana, bulk("assign", ids).put("assignee", "ben"), 403);
    assertEquals("forbidden", forbidden.getString("error"));
    assertNull(view(ids.get(0)).getString("assignee"));
    // A lead works no cases: closing them in bulk is refused as on one case.
    bulk(lead, bulk("resolve", ids), 403);

    ana.post("/api/cases/" + ids.get(2) + "/resolve", null).expect(200);
    JsonObject report = bulk(lead, bulk("assign", ids).put("assignee", "BEN"), 200);
    assertEquals(2, report.getInteger("done"), report.encodePrettily());
    assertEquals("case-resolved", results(report).get(2).getString("error"));
    for (String id : ids.subList(0, 2)) {
      JsonObject c = view(id);
      assertEquals("ben", c.getString("assignee"), "the user as stored");
      assertEquals("claimed", c.getString("state"));
    }
    assertEquals(auditedBefore + 2, audited("case.assigned", ids));
    assertFalse(report.containsKey("undo"), "only closes are undone in bulk");

    JsonObject back = bulk(lead, bulk("assign", ids.subList(0, 2)).putNull("assignee"), 200);
    assertEquals(2, back.getInteger("done"));
    assertNull(view(ids.get(0)).getString("assignee"), "null hands the cases back to the queue");
  }

  @Test
  @DisplayName("tagging a selection adds the tags to each case's own; an unknown case is reported, the others tagged")
  void tag() {
    List<String> ids = openCases(2, "billing looks wrong");
    ana.put("/api/cases/" + ids.get(0) + "/tags", new JsonObject().put("tags", new JsonArray().add("billing"))).expect(200);
    List<String> asked = List.of(ids.get(0), "c42", ids.get(1));
    JsonObject report = bulk(ana, bulk("tag", asked).put("tags", new JsonArray().add("refund").add("billing")), 200);
    assertEquals(2, report.getInteger("done"), report.encodePrettily());
    assertEquals(1, report.getInteger("refused"));
    assertEquals("not-found", results(report).get(1).getString("error"));
    assertEquals(List.of("billing", "refund"), view(ids.get(0)).getJsonArray("tags").getList());
    assertEquals(List.of("billing", "refund"), view(ids.get(1)).getJsonArray("tags").getList());
    assertEquals(List.of("billing", "refund"), results(report).get(2).getJsonObject("case").getJsonArray("tags").getList());

    // More than a case can carry is refused for that case.
    JsonArray many = new JsonArray(IntStream.range(0, 9).mapToObj(i -> "t" + i).toList());
    JsonObject full = bulk(ana, bulk("tag", List.of(ids.get(0))).put("tags", many), 200);
    assertEquals("too-many-tags", results(full).get(0).getString("error"), full.encode());
    assertEquals(List.of("billing", "refund"), view(ids.get(0)).getJsonArray("tags").getList(), "unchanged");
  }

  @Test
  @DisplayName("a bad body is 400 naming the problem, and nothing changes")
  void badBodies() {
    String id = openCases(1, "where is my invoice").get(0);
    assertBad(bulk("dismiss", List.of()).put("reason", "spam"), "caseIds", "too few items");
    assertBad(bulk("resolve", IntStream.rangeClosed(1, 201).mapToObj(i -> "c" + i).toList()), "caseIds", "too many items (201 > 200)");
    assertBad(bulk("resolve", List.of(id, "c5", id)), "caseIds", "Duplicate items at indexes 0 and 2");
    assertBad(bulk("archive", List.of(id)), "action", "does not match any of [\"assign\",\"tag\",\"dismiss\",\"resolve\"]");
    assertBad(bulk("dismiss", List.of(id)), "reason", "dismiss needs reason");
    assertBad(bulk("dismiss", List.of(id)).put("reason", "  "), "reason", "dismiss needs a reason");
    assertBad(bulk("resolve", List.of(id)).put("reason", "spam"), "reason", "goes with dismiss, not resolve");
    assertBad(bulk("tag", List.of(id)), "tags", "tag needs tags");
    assertBad(bulk("assign", List.of(id)), "assignee", "assign needs assignee");
    assertBad(bulk("resolve", List.of("bulk")), "caseIds[0]", "does not match pattern");
    assertBad(bulk("resolve", List.of(id)).put("extra", 1), "extra", "not allowed");
    assertEquals("new", view(id).getString("state"));
  }

  /** 400, the message naming the field and saying what is wrong with it. */
  static void assertBad(JsonObject body, String field, String problem) {
    JsonObject answer = ana.post("/api/cases/bulk", body).expect(400).json();
    assertNotNull(answer.getString("error"), answer.encode());
    String message = answer.getString("message");
    assertTrue(message.contains(field) && message.contains(problem), body.encode() + " -> " + answer.encode());
  }
}
