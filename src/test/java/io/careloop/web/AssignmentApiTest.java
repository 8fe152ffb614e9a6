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
import java.util.Map;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Assignment to real agents, and claims that follow the work")
class AssignmentApiTest {
  static Harness h;
  static Agent ana;
  static Agent ben;
  static Agent lead;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    h.standIn().timeline().account("41", "gus", "Gus", 150);
    ana = h.newAgent("ana", "agent");
    ben = h.newAgent("ben", "agent");
    lead = h.newAgent("leo", "lead");
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static String openCase(String text) {
    var post = h.standIn().timeline().publish("41", "@AcmeCloud " + text, null, null);
    String id = "c" + post.id();
    eventually("case " + id, Duration.ofSeconds(15), () -> ana.get("/api/cases/" + id).status() == 200);
    return id;
  }

  static long load(String user) {
    JsonArray items = lead.get("/api/agents").expect(200).json().getJsonArray("items");
    return items.stream().map(JsonObject.class::cast).filter(a -> user.equals(a.getString("username")))
      .findFirst().orElseThrow(() -> new AssertionError(user + " not listed in " + items.encode())).getLong("openLoad");
  }

  static JsonObject view(Agent who, String id) {
    return who.get("/api/cases/" + id).expect(200).json();
  }

  @Test
  @DisplayName("the agents list shows enabled case workers only, each with their open load; assigning to one raises it")
  void agentsWithLoad() {
    h.newAgent("dina", "agent");
    h.admin().patch("/api/users/dina", new JsonObject().put("disabled", true)).expect(200);
    JsonArray items = lead.get("/api/agents").expect(200).json().getJsonArray("items");
    var names = items.stream().map(JsonObject.class::cast).map(a -> a.getString("username")).toList();
    assertTrue(names.containsAll(java.util.List.of("ana", "ben")), names.toString());
    assertFalse(names.contains("dina"), "a disabled user is not offered");
    assertFalse(names.contains("leo"), "a lead without an agent role is not offered");
    assertFalse(names.contains("admin"));

    String id = openCase("can someone look at my order?");
    long before = load("ben");
    assertEquals("ben", lead.post("/api/cases/" + id + "/assign", new JsonObject().put("assignee", "ben")).expect(200).json().getString("assignee"));
    assertEquals(before + 1, load("ben"), "the assigned case counts in ben's load");
    lead.post("/api/cases/" + id + "/assign", new JsonObject().putNull("assignee")).expect(200);
    assertEquals(before, load("ben"), "unassigning takes it off again");
    ana.get("/api/agents").expect(403);
  }

  @Test
  @DisplayName("assigning to a user who does not exist or is disabled is refused with a message naming the user")
  void refusesUnknownAndDisabled() {
    String id = openCase("is anyone there?");
    JsonObject unknown = lead.post("/api/cases/" + id + "/assign", new JsonObject().put("assignee", "agnet1")).expect(400).json();
    assertEquals("unknown-user", unknown.getString("error"));
    assertTrue(unknown.getString("message").contains("agnet1"), unknown.encode());
    h.newAgent("olga", "agent");
    h.admin().patch("/api/users/olga", new JsonObject().put("disabled", true)).expect(200);
    JsonObject disabled = lead.post("/api/cases/" + id + "/assign", new JsonObject().put("assignee", "olga")).expect(400).json();
    assertEquals("user-disabled", disabled.getString("error"));
    assertTrue(disabled.getString("message").contains("olga"), disabled.encode());
    assertNull(view(lead, id).getString("assignee"), "nothing changed");
  }

  @Test
  @DisplayName("a claim stays while its holder types for 12 minutes of test clock, and lapses (shown unclaimed) once the heartbeats stop")
  void claimFollowsWork() {
    String id = openCase("my parcel never came");
    ana.post("/api/cases/" + id + "/claim", null).expect(200);
    for (int minute = 2; minute <= 12; minute += 2) {
      h.clock().advance(Duration.ofMinutes(2));
      ana.post("/api/cases/" + id + (minute % 4 == 0 ? "/typing" : "/viewing"), null).expect(200);
      // Someone else's viewing neither renews nor takes it.
      ben.post("/api/cases/" + id + "/viewing", null).expect(200);
    }
    JsonObject held = view(ben, id);
    assertEquals("claimed", held.getString("state"));
    assertEquals("ana", held.getString("assignee"));
    Instant expires = Instant.parse(held.getString("claimExpiresAt"));
    assertTrue(expires.isAfter(h.clock().instant().plus(Duration.ofMinutes(8))), "renewed by the last heartbeat: " + expires);
    ben.post("/api/cases/" + id + "/claim", null).expect(409);

    // Ben's heartbeats alone do not keep ana's claim.
    for (int i = 0; i < 6; i++) {
      h.clock().advance(Duration.ofMinutes(2));
      ben.post("/api/cases/" + id + "/viewing", null).expect(200);
    }
    JsonObject lapsed = view(ben, id);
    assertEquals("new", lapsed.getString("state"), "a lapsed claim is stored (and shown) as unclaimed");
    assertNull(lapsed.getString("assignee"));
    assertEquals(0L, ana.get("/api/cases/counts").expect(200).json().getLong("mine"), "nothing counts as ana's");
    assertTrue(ana.get("/api/cases?view=unassigned").expect(200).json().getJsonArray("items").stream()
      .map(JsonObject.class::cast).anyMatch(c -> id.equals(c.getString("id")) && "new".equals(c.getString("state"))),
      "the queue row in Unassigned says new");
    // And the former holder's heartbeat does not bring a lapsed claim back.
    ana.post("/api/cases/" + id + "/viewing", null).expect(200);
    assertNull(view(ana, id).getString("assignee"));
  }
}
