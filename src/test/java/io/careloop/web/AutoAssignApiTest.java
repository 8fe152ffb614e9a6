package io.careloop.web;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import io.careloop.accounts.UserService;
import io.careloop.audit.AuditLog;
import io.careloop.queue.AutoAssign;
import io.careloop.queue.CaseEvents;
import io.careloop.queue.MongoCaseRepository;
import io.careloop.queue.QueueService;
import io.careloop.queue.SlaEvents;
import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

/**
 * Round-robin auto-assignment of new cases, through the real intake (posts read from the X stand-in) and the HTTP
 * API. The database is a test-owned embedded MongoDB whose backend can be told to refuse every command on the
 * auto-assignment collection, so a database failure meets exactly the follow-up step and nothing before it. Each
 * case's outcome is read from the decision event, so a test waits for the decision, never for time.
 * The tests run in order: the rotation and the agents' loads carry over from one to the next.
 */
@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("Round-robin auto-assignment of new cases to available agents")
class AutoAssignApiTest {
  /** A MongoDB that can be told to fail every command on one collection. */
  static final class FaultyBackend extends MemoryBackend {
    volatile String failing;

    @Override
    public Document handleCommand(Channel channel, String database, String command, Document query) {
      String f = failing;
      if (f != null && f.equals(query.get(command))) throw new MongoServerError(96, "injected failure on " + f);
      return super.handleCommand(channel, database, command, query);
    }
  }

  static FaultyBackend backend;
  static MongoServer mongo;
  static Harness h;
  static Agent ana, ben, cal, leo;
  /** A case opened before auto-assignment was on: it stays in the queue for the follow-up test. */
  static Opened unassigned;
  static final Map<String, JsonObject> decisions = new ConcurrentHashMap<>();
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    backend = new FaultyBackend();
    mongo = new MongoServer(backend);
    mongo.bind("127.0.0.1", 0);
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", "",
      "CARELOOP_MONGO_URI", "mongodb://127.0.0.1:" + mongo.getLocalAddress().getPort() + "/?serverSelectionTimeoutMS=3000"));
    vertx.eventBus().<JsonObject>consumer(CaseEvents.AUTO_ASSIGN_DECIDED, m -> decisions.put(m.body().getString("id"), m.body()));
    h.standIn().timeline().account("41", "gus", "Gus", 150);
    ana = h.newAgent("ana", "agent");
    ben = h.newAgent("ben", "agent");
    cal = h.newAgent("cal", "community");
    leo = h.newAgent("leo", "lead");
    unassigned = open("opened before auto-assignment");
  }

  @AfterAll
  static void stop() {
    h.close();
    mongo.shutdownNow();
  }

  record Opened(String id, long postId) {}

  /** A customer's new post, read into a case; completes with the case's id once auto-assignment decided on it. */
  static Opened open(String text) {
    var post = h.standIn().timeline().publish("41", "@AcmeCloud " + text, null, null);
    String id = "c" + post.id();
    eventually("auto-assignment decided on " + id, Duration.ofSeconds(20), () -> decisions.containsKey(id));
    return new Opened(id, post.id());
  }

  static JsonObject decision(Opened c) { return decisions.get(c.id()); }

  static JsonObject view(String id) { return leo.get("/api/cases/" + id).expect(200).json(); }

  static void setting(boolean enabled, int max) {
    JsonObject s = leo.put("/api/settings/auto-assign", new JsonObject().put("enabled", enabled).put("maxOpenPerAgent", max)).expect(200).json();
    assertEquals(new JsonObject().put("enabled", enabled).put("maxOpenPerAgent", max), s);
  }

  static void available(Agent who, boolean available) {
    JsonObject a = who.put("/api/me/availability", new JsonObject().put("available", available)).expect(200).json();
    assertEquals(available, a.getBoolean("available"));
  }

  static JsonObject agent(String name) {
    return leo.get("/api/agents").expect(200).json().getJsonArray("items").stream().map(JsonObject.class::cast)
      .filter(a -> name.equals(a.getString("username"))).findFirst().orElse(null);
  }

  static List<String> assignees(List<Opened> cases) {
    List<String> names = new ArrayList<>();
    for (Opened c : cases) names.add(view(c.id()).getString("assignee"));
    return names;
  }

  @Test
  @Order(1)
  @DisplayName("The setting starts off at 20; out-of-range or mistyped bodies are 400 naming the field; only a lead changes it")
  void settingAndValidation() {
    assertEquals(new JsonObject().put("enabled", false).put("maxOpenPerAgent", 20), ana.get("/api/settings/auto-assign").expect(200).json());
    assertEquals(new JsonObject().put("enabled", false).put("maxOpenPerAgent", 20), cal.get("/api/settings/auto-assign").expect(200).json());
    for (int bad : new int[] {0, 501, -3}) {
      JsonObject r = leo.put("/api/settings/auto-assign", new JsonObject().put("enabled", true).put("maxOpenPerAgent", bad)).expect(400).json();
      assertEquals("invalid-request", r.getString("error"));
      assertTrue(r.getString("message").contains("maxOpenPerAgent"), r.encode());
    }
    JsonObject typo = leo.put("/api/settings/auto-assign", new JsonObject().put("enabled", "yes")).expect(400).json();
    assertTrue(typo.getString("message").contains("enabled"), typo.encode());
    JsonObject unknown = leo.put("/api/settings/auto-assign", new JsonObject().put("maxOpen", 3)).expect(400).json();
    assertTrue(unknown.getString("message").contains("maxOpen"), unknown.encode());
    ana.put("/api/settings/auto-assign", new JsonObject().put("enabled", true)).expect(403);
    cal.put("/api/settings/auto-assign", new JsonObject().put("enabled", true)).expect(403);
    assertFalse(ana.get("/api/settings/auto-assign").expect(200).json().getBoolean("enabled"), "nothing changed");

    JsonObject badAvailability = ana.put("/api/me/availability", new JsonObject().put("available", "yes")).expect(400).json();
    assertTrue(badAvailability.getString("message").contains("available"), badAvailability.encode());
    assertFalse(ana.get("/api/me/availability").expect(200).json().getBoolean("available"), "nobody is available at first");
    leo.put("/api/me/availability", new JsonObject().put("available", true)).expect(403);
    JsonObject admin = h.admin().put("/api/me/availability", new JsonObject().put("available", true)).expect(400).json();
    assertEquals("cannot-work-cases", admin.getString("error"), "an admin without a case-working role is never available");
  }

  @Test
  @Order(2)
  @DisplayName("With the setting off, a new case stays unassigned even with agents available")
  void disabledLeavesUnassigned() {
    available(ana, true);
    available(ben, true);
    Opened c = open("my invoice is wrong");
    assertEquals("disabled", decision(c).getString("reason"));
    JsonObject v = view(c.id());
    assertNull(v.getString("assignee"));
    assertEquals("new", v.getString("state"));
  }

  @Test
  @Order(3)
  @DisplayName("With three agents, two available, four new cases go ana, ben, ana, ben; the change and each assignment are audited")
  void roundRobin() {
    assertEquals(Boolean.TRUE, agent("ana").getBoolean("available"));
    assertEquals(Boolean.TRUE, agent("ben").getBoolean("available"));
    assertEquals(Boolean.FALSE, agent("cal").getBoolean("available"));
    setting(true, 20);
    List<Opened> cases = new ArrayList<>();
    for (int i = 1; i <= 4; i++) cases.add(open("problem number " + i + " with my account"));
    assertEquals(List.of("ana", "ben", "ana", "ben"), assignees(cases));
    for (Opened c : cases) {
      assertEquals("assigned", decision(c).getString("reason"));
      assertEquals("claimed", view(c.id()).getString("state"), "the lead's assign semantics: assigned means claimed");
    }
    assertEquals(2L, agent("ana").getLong("openLoad"));

    JsonArray byRobot = leo.get("/api/audit?action=case.assigned&actor=auto-assign").expect(200).json().getJsonArray("items");
    for (Opened c : cases) {
      assertTrue(byRobot.stream().map(JsonObject.class::cast).anyMatch(e -> c.id().equals(e.getString("target"))), byRobot.encode());
    }
    JsonArray changed = leo.get("/api/audit?action=auto-assign.changed").expect(200).json().getJsonArray("items");
    JsonObject last = changed.getJsonObject(0);
    assertEquals("leo", last.getString("actor"));
    assertEquals(new JsonObject().put("enabled", true).put("maxOpenPerAgent", 20), last.getJsonObject("after"));
    JsonArray marks = leo.get("/api/audit?action=availability.changed&actor=ana").expect(200).json().getJsonArray("items");
    assertTrue(marks.getJsonObject(0).getJsonObject("after").getBoolean("available"), marks.encode());
    assertNotNull(marks.getJsonObject(0).getString("at"));
  }

  @Test
  @Order(4)
  @DisplayName("An agent at the cap is skipped; with everyone at the cap a new case stays unassigned")
  void capSkips() {
    // ana and ben hold 2 each; cal (community) joins the rotation with none.
    available(cal, true);
    setting(true, 2);
    Opened first = open("cannot sign in at all");
    Opened second = open("cannot sign in either");
    assertEquals(List.of("cal", "cal"), assignees(List.of(first, second)), "ana and ben are at the cap of 2");
    Opened third = open("still cannot sign in");
    assertEquals("nobody-available", decision(third).getString("reason"));
    assertNull(view(third.id()).getString("assignee"));
  }

  @Test
  @Order(5)
  @DisplayName("Marking oneself away takes one out of the rotation")
  void awayLeavesRotation() {
    setting(true, 20);
    available(ben, false);
    assertEquals(Boolean.FALSE, agent("ben").getBoolean("available"));
    // The last turn was cal's: next is ana (wrapping round), then ben is passed over for cal.
    List<Opened> cases = List.of(open("where is my refund"), open("refund still missing"), open("and another refund"));
    assertEquals(List.of("ana", "cal", "ana"), assignees(cases));
  }

  @Test
  @Order(6)
  @DisplayName("A follow-up joining an existing case does not assign or reassign it")
  void followUpUntouched() {
    var followUp = h.standIn().timeline().publish("41", "@AcmeCloud any news?", unassigned.postId(), null);
    eventually("the follow-up joins " + unassigned.id(), Duration.ofSeconds(20),
      () -> view(unassigned.id()).getJsonArray("messages").size() == 2);
    Opened held = open("my card was charged twice");
    assertEquals("cal", view(held.id()).getString("assignee"));
    h.standIn().timeline().publish("41", "@AcmeCloud hello?", held.postId(), null);
    eventually("the follow-up joins " + held.id(), Duration.ofSeconds(20), () -> view(held.id()).getJsonArray("messages").size() == 2);
    // A later case's decision comes after anything the follow-ups could have caused (one node decides in order).
    open("a later question");
    assertFalse(decisions.containsKey("c" + followUp.id()), "a follow-up opens no case");
    assertNull(view(unassigned.id()).getString("assignee"), "the unassigned case stays in the queue");
    assertEquals("cal", view(held.id()).getString("assignee"), "the assigned case keeps its agent");
  }

  @Test
  @Order(7)
  @DisplayName("A case someone claimed is never taken from them by auto-assignment")
  void claimedUntouched(Vertx vertx) {
    setting(false, 20);
    Opened c = open("need help with billing");
    ben.post("/api/cases/" + c.id() + "/claim", null).expect(200);
    setting(true, 20);
    var queue = new QueueService(new MongoCaseRepository(h.mongo(), h.app().openQueue()), h.app().openQueue(), h.app().database(),
      vertx.eventBus(), new SlaEvents(h.mongo(), vertx.eventBus()), h.clock(), Duration.ofMinutes(10));
    assertNull(queue.assignUnheld(c.id(), "ana").await(), "the conditional write refuses a held case");
    var autoAssign = new AutoAssign(h.app().database(), new AuditLog(h.mongo(), h.clock()), queue, vertx.eventBus(),
      () -> Future.succeededFuture(List.of("ana")), UserService.ROSTER_ORDER, h.clock());
    decisions.remove(c.id());
    assertEquals(0, autoAssign.assignOpened(List.of(c.id())).await());
    assertEquals("not-new", decisions.get(c.id()).getString("reason"));
    JsonObject v = view(c.id());
    assertEquals("ben", v.getString("assignee"));
    assertEquals("claimed", v.getString("state"));
  }

  @Test
  @Order(8)
  @DisplayName("A database failure during assignment leaves the case stored and unassigned; the next case is assigned again")
  void databaseFailure() {
    setting(true, 20);
    backend.failing = AutoAssign.COLLECTION;
    Opened c;
    try {
      c = open("order never arrived");
    } finally {
      backend.failing = null;
    }
    assertEquals("failed", decision(c).getString("reason"));
    JsonObject v = view(c.id());
    assertEquals("new", v.getString("state"), "stored, in the queue");
    assertNull(v.getString("assignee"));
    assertTrue(v.getJsonArray("messages").getJsonObject(0).getString("text").contains("order never arrived"), v.encode());
    Opened next = open("order still not here");
    assertEquals("assigned", decision(next).getString("reason"));
  }

  @Test
  @Order(9)
  @DisplayName("A disabled user is never available, and re-enabling them does not put them back in the rotation")
  void disabledNeverAvailable() {
    h.admin().patch("/api/users/ana", new JsonObject().put("disabled", true)).expect(200);
    assertNull(agent("ana"), "a disabled user is not an agent to pick");
    setting(true, 20);
    List<Opened> cases = List.of(open("question one"), open("question two"));
    assertEquals(List.of("cal", "cal"), assignees(cases), "only cal is available now");
    h.admin().patch("/api/users/ana", new JsonObject().put("disabled", false)).expect(200);
    assertEquals(Boolean.FALSE, agent("ana").getBoolean("available"));
    // A lead's role change that takes the case-working role away clears the mark too.
    h.admin().patch("/api/users/cal", new JsonObject().put("roles", new JsonArray().add("lead"))).expect(200);
    Opened none = open("question three");
    assertEquals("nobody-available", decision(none).getString("reason"));
  }
}
