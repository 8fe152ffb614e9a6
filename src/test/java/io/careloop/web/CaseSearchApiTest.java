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
import java.util.List;
import java.util.Map;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Searching the cases: words, customers, filters, changes, saved views")
class CaseSearchApiTest {
  static Harness h;
  static Agent alice;
  static Agent bob;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    h.standIn().timeline().account("31", "zelda_q", "Zelda Quartermaine", 300);
    h.standIn().timeline().account("32", "omar_p", "Omar Pellegrino", 50);
    alice = h.newAgent("alice", "agent");
    bob = h.newAgent("bob", "agent");
    eventually("the case index", Duration.ofSeconds(20), () -> alice.get("/api/search/cases").status() == 200);
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static String openCase(String account, String text) {
    var post = h.standIn().timeline().publish(account, "@AcmeCloud " + text, null, null);
    String id = "c" + post.id();
    eventually("case " + id, Duration.ofSeconds(15), () -> alice.get("/api/cases/" + id).status() == 200);
    return id;
  }

  static List<String> found(Agent who, String query) {
    JsonArray items = who.get("/api/search/cases?" + query).expect(200).json().getJsonArray("items");
    return items.stream().map(o -> ((JsonObject) o).getString("id")).toList();
  }

  @Test
  @DisplayName("a closed case is found by a word of its text and by its customer's display name and handle")
  void closedCase() {
    String id = openCase("31", "my thermostat keeps rebooting overnight");
    alice.post("/api/cases/" + id + "/claim", new JsonObject()).expect(200);
    alice.post("/api/cases/" + id + "/resolve", new JsonObject()).expect(200);
    assertEquals(List.of(id), found(alice, "q=thermostat"));
    assertEquals(List.of(id), found(alice, "q=rebooted&state=resolved"));
    assertTrue(found(alice, "q=Quartermaine").contains(id));
    assertTrue(found(alice, "q=%40zelda_q").contains(id));
    assertTrue(found(alice, "q=zelda_q").contains(id));
    assertFalse(found(alice, "q=thermostat&state=open").contains(id));
  }

  @Test
  @DisplayName("filters combine with each other and with words")
  void filtersCombine() {
    String mine = openCase("32", "the invoice for November is wrong");
    String other = openCase("32", "the invoice for October is wrong");
    alice.post("/api/cases/" + mine + "/claim", new JsonObject()).expect(200);
    assertEquals(List.of(mine), found(alice, "q=invoice&assignee=me&state=claimed"));
    assertTrue(found(alice, "q=invoice&assignee=none").contains(other));
    assertFalse(found(alice, "q=invoice&assignee=none").contains(mine));
    assertEquals(List.of(), found(alice, "q=invoice&state=dismissed"));
    assertTrue(found(alice, "q=invoice&from=2000-01-01&brand=AcmeCloud").containsAll(List.of(mine, other)));
  }

  @Test
  @DisplayName("bad parameters answer 400 naming the parameter")
  void badParameters() {
    for (String p : List.of("state", "priority", "from", "to", "assignee")) {
      var r = alice.get("/api/search/cases?" + p + "=" + (p.equals("assignee") ? "a%20b" : "nonsense"));
      assertEquals(400, r.status(), p);
      assertTrue(r.body().contains(p), r.body());
    }
    assertEquals(400, alice.get("/api/search/cases?q=x&cursor=AAAA").status());
  }

  @Test
  @DisplayName("a new note or tag on a case is found by the very next search")
  void changesAreSearchable() {
    String id = openCase("31", "the app crashes on start");
    alice.post("/api/cases/" + id + "/notes", new JsonObject().put("text", "customer on firmware quokka-7")).expect(200);
    assertEquals(List.of(id), found(alice, "q=quokka"));
    alice.put("/api/cases/" + id + "/tags", new JsonObject().put("tags", new JsonArray().add("firmware-bug"))).expect(200);
    assertEquals(List.of(id), found(alice, "tag=firmware-bug"));
  }

  @Test
  @DisplayName("saved views are each user's own, checked, replaced by name and deleted")
  void savedViews() {
    alice.put("/api/me/views/Refunds", new JsonObject().put("filter", "q=refund&state=resolved")).expect(200);
    alice.put("/api/me/views/Refunds", new JsonObject().put("filter", "q=refund&state=closed")).expect(200);
    JsonArray items = alice.get("/api/me/views").expect(200).json().getJsonArray("items");
    assertEquals(1, items.size());
    assertEquals("q=refund&state=closed", items.getJsonObject(0).getString("filter"));
    assertEquals(0, bob.get("/api/me/views").expect(200).json().getJsonArray("items").size());
    assertEquals(400, alice.put("/api/me/views/Bad", new JsonObject().put("filter", "priority=meh")).status());
    alice.delete("/api/me/views/Refunds").expect(204);
    assertEquals(404, alice.delete("/api/me/views/Refunds").status());
  }
}
