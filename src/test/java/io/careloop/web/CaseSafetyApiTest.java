package io.careloop.web;

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
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Taking a close back: undo within seconds, reopen any time")
class CaseSafetyApiTest {
  static Harness h;
  static Agent alice;
  static Agent bob;
  static Agent lead;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    h.standIn().timeline().account("21", "erin", "Erin", 128_000);
    alice = h.newAgent("alice", "agent");
    bob = h.newAgent("bob", "agent");
    lead = h.newAgent("lena", "lead");
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static String openCase(String text) {
    var post = h.standIn().timeline().publish("21", "@AcmeCloud " + text, null, null);
    String id = "c" + post.id();
    eventually("case " + id, Duration.ofSeconds(15), () -> alice.get("/api/cases/" + id).status() == 200);
    return id;
  }

  static List<String> slaKinds(String id) {
    return alice.get("/api/cases/" + id + "/sla-events").expect(200).json().getJsonArray("items").stream()
      .map(e -> ((JsonObject) e).getString("metric") + " " + ((JsonObject) e).getString("kind")).toList();
  }

  /** The backlog (clocks running) at the end of today, as analytics counts it. */
  static long backlog() {
    JsonArray series = lead.get("/api/analytics/response-times").expect(200).json().getJsonArray("series");
    return series.getJsonObject(series.size() - 1).getLong("backlog");
  }

  static JsonObject dismiss(Agent who, String id) {
    return who.post("/api/cases/" + id + "/dismiss", new JsonObject().put("reason", "spam")).expect(200).json();
  }

  static JsonObject undo(Agent who, String id, String token, int status) {
    return who.post("/api/cases/" + id + "/undo", new JsonObject().put("token", token)).expect(status).json();
  }

  @Test
  @DisplayName("a dismissal undone puts the case back untouched, its stopped clock restored, and the backlog as if nothing happened")
  void undoDismiss() {
    String id = openCase("love this product, you folks rock");
    alice.post("/api/cases/" + id + "/claim", null).expect(200);
    JsonObject before = alice.get("/api/cases/" + id).expect(200).json();
    eventually("the case counted in the backlog", Duration.ofSeconds(10), () -> backlog() >= 1);
    long backlogBefore = backlog();

    JsonObject dismissed = dismiss(alice, id);
    assertEquals("dismissed", dismissed.getString("state"));
    JsonObject token = dismissed.getJsonObject("undo");
    assertNotNull(token.getString("token"));
    assertTrue(Instant.parse(token.getString("expiresAt")).isAfter(Instant.now()));
    eventually("the stop counted", Duration.ofSeconds(10), () -> backlog() == backlogBefore - 1);

    JsonObject restored = undo(alice, id, token.getString("token"), 200);
    for (String field : List.of("state", "assignee", "dueAt", "warnAt", "claimExpiresAt", "slaPolicyId", "slaMetric", "priority")) {
      assertEquals(before.getValue(field), restored.getValue(field), field);
    }
    assertNull(restored.getString("dismissReason"));
    assertEquals("claimed", restored.getString("state"));
    assertEquals(List.of("first-response applied", "first-response stopped", "first-response restored"), slaKinds(id));
    eventually("the restore counted: backlog as before", Duration.ofSeconds(10), () -> backlog() == backlogBefore);

    // One use only.
    assertEquals("undo-used", undo(alice, id, token.getString("token"), 409).getString("error"));
  }

  @Test
  @DisplayName("dismissed, undone and dismissed again: the second stop is recorded and counted too")
  void dismissTwice() {
    String id = openCase("is the api down?");
    eventually("counted", Duration.ofSeconds(10), () -> backlog() >= 1);
    long backlogBefore = backlog();
    undo(alice, id, dismiss(alice, id).getJsonObject("undo").getString("token"), 200);
    JsonObject again = dismiss(alice, id);
    assertEquals("dismissed", again.getString("state"));
    assertEquals(List.of("first-response applied", "first-response stopped", "first-response restored", "first-response stopped"), slaKinds(id));
    eventually("the backlog lost the case once", Duration.ofSeconds(10), () -> backlog() == backlogBefore - 1);
    // Undone once more, it is back in the backlog.
    undo(alice, id, again.getJsonObject("undo").getString("token"), 200);
    eventually("back", Duration.ofSeconds(10), () -> backlog() == backlogBefore);
  }

  @Test
  @DisplayName("a resolve is undone the same way")
  void undoResolve() {
    String id = openCase("how do I export my data?");
    JsonObject before = alice.get("/api/cases/" + id).json();
    JsonObject resolved = alice.post("/api/cases/" + id + "/resolve", null).expect(200).json();
    JsonObject restored = undo(alice, id, resolved.getJsonObject("undo").getString("token"), 200);
    assertEquals("new", restored.getString("state"));
    assertEquals(before.getString("dueAt"), restored.getString("dueAt"));
    assertNull(restored.getValue("assignee"));
  }

  @Test
  @DisplayName("an undo is refused for a malformed (400) or unknown (404) token, a used, expired or colleague's one, and a case changed since (409)")
  void undoRefusals() {
    String id = openCase("where is my invoice?");
    String token = dismiss(alice, id).getJsonObject("undo").getString("token");
    assertEquals(400, alice.post("/api/cases/" + id + "/undo", new JsonObject().put("token", "no spaces allowed!")).status());
    assertEquals(400, alice.post("/api/cases/" + id + "/undo", new JsonObject()).status());
    assertEquals("undo-unknown", undo(alice, id, "A".repeat(24), 404).getString("error"));
    assertEquals("undo-not-yours", undo(bob, id, token, 409).getString("error"));
    lead.post("/api/cases/" + id + "/undo", new JsonObject().put("token", token)).expect(403);
    undo(alice, id, token, 200);
    assertEquals("undo-used", undo(alice, id, token, 409).getString("error"));

    // Changed since: a note on the dismissed case.
    String token2 = dismiss(alice, id).getJsonObject("undo").getString("token");
    alice.post("/api/cases/" + id + "/notes", new JsonObject().put("text", "customer is a regular")).expect(200);
    assertEquals("changed-since", undo(alice, id, token2, 409).getString("error"));
    assertEquals("dismissed", alice.get("/api/cases/" + id).json().getString("state"));

    // Expired: 30 s later.
    String other = openCase("cannot log in");
    String token3 = dismiss(alice, other).getJsonObject("undo").getString("token");
    h.clock().advance(Duration.ofSeconds(31));
    assertEquals("undo-expired", undo(alice, other, token3, 409).getString("error"));
    assertEquals("dismissed", alice.get("/api/cases/" + other).json().getString("state"));
  }

  @Test
  @DisplayName("a dismissed case reopens waiting on us with a next-response clock from the reopening, never a breach; an open one does not")
  void reopen() {
    String id = openCase("thanks for the quick fix yesterday!");
    dismiss(alice, id);
    h.clock().advance(Duration.ofMinutes(20)); // sessions stay alive (30 idle minutes)
    Instant reopenedAt = h.clock().instant();
    lead.post("/api/cases/" + id + "/reopen", null).expect(403);
    JsonObject reopened = bob.post("/api/cases/" + id + "/reopen", null).expect(200).json();
    assertEquals("new", reopened.getString("state"));
    assertEquals("next-response", reopened.getString("slaMetric"));
    assertNull(reopened.getString("dismissReason"));
    Instant due = Instant.parse(reopened.getString("dueAt"));
    assertTrue(due.isAfter(reopenedAt), "the deadline is after the reopening: " + due);
    h.scanServiceLevels();
    List<String> kinds = slaKinds(id);
    assertEquals(List.of("first-response applied", "first-response stopped", "next-response resumed", "next-response applied"), kinds);
    JsonObject applied = alice.get("/api/cases/" + id + "/sla-events").json().getJsonArray("items").getJsonObject(3);
    assertFalse(Instant.parse(applied.getString("at")).isBefore(reopenedAt.minusSeconds(1)));
    assertEquals("case-new", bob.post("/api/cases/" + id + "/reopen", null).expect(409).json().getString("error"));
    // The reopened case closes and reopens again like any other.
    alice.post("/api/cases/" + id + "/resolve", null).expect(200);
    assertEquals("new", alice.post("/api/cases/" + id + "/reopen", null).expect(200).json().getString("state"));
    assertTrue(h.admin().get("/api/audit?action=case.reopened").json().encode().contains(id));
  }

  @Test
  @DisplayName("each user keeps their own shortcut setting on the server; bad settings are a 400")
  void preferences() {
    Agent carol = h.newAgent("carol", "agent");
    assertTrue(carol.get("/api/me/preferences").expect(200).json().getBoolean("singleKeyShortcuts"));
    assertFalse(carol.put("/api/me/preferences", new JsonObject().put("singleKeyShortcuts", false)).expect(200).json().getBoolean("singleKeyShortcuts"));
    assertFalse(carol.get("/api/me/preferences").expect(200).json().getBoolean("singleKeyShortcuts"));
    assertTrue(bob.get("/api/me/preferences").expect(200).json().getBoolean("singleKeyShortcuts"), "bob's own setting");
    assertTrue(lead.put("/api/me/preferences", new JsonObject().put("singleKeyShortcuts", true)).expect(200).json().getBoolean("singleKeyShortcuts"));
    assertEquals(400, carol.put("/api/me/preferences", new JsonObject()).status());
    assertEquals(400, carol.put("/api/me/preferences", new JsonObject().put("theme", "dark")).status());
    assertEquals(400, carol.put("/api/me/preferences", new JsonObject().put("singleKeyShortcuts", "no")).status());
    assertFalse(carol.get("/api/me/preferences").json().getBoolean("singleKeyShortcuts"));
  }
}
