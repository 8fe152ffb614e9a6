package io.careloop.web;

import io.careloop.reply.MongoReplyRepository;
import io.careloop.accounts.UserService;
import io.careloop.queue.MongoCaseRepository;
import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.careloop.x.standin.Fault;
import io.careloop.x.standin.StandInTimeline;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
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

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("The case API: claims, replies, and bad input")
class ApiTest {
  static Harness h;
  static Agent alice;
  static Agent bob;
  static Agent lead;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    StandInTimeline t = h.standIn().timeline();
    t.account("21", "erin", "Erin", 300);
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

  static long brandRepliesTo(String caseId) {
    return h.standIn().timeline().repliesTo(Long.parseLong(caseId.substring(1))).size();
  }

  @Test
  @DisplayName("the queue lists waiting cases earliest deadline first, pages with a cursor, and carries the server time")
  void queue() {
    openCase("question one?");
    openCase("my account was hacked");
    JsonObject page = alice.get("/api/cases?state=waiting&limit=1").expect(200).json();
    assertEquals(1, page.getJsonArray("items").size());
    assertNotNull(page.getString("next"));
    assertNotNull(page.getString("serverTime"));
    JsonObject first = page.getJsonArray("items").getJsonObject(0);
    JsonObject second = alice.get("/api/cases?state=waiting&limit=1&cursor=" + page.getString("next")).expect(200).json()
      .getJsonArray("items").getJsonObject(0);
    assertTrue(first.getString("dueAt").compareTo(second.getString("dueAt")) <= 0, "earliest deadline first");
    for (String field : List.of("id", "brand", "tweetId", "customer", "text", "createdAt", "priority", "state", "dueAt", "messages")) {
      assertTrue(first.containsKey(field), field);
    }
  }

  @Test
  @DisplayName("a case is claimed by one agent; another gets 409 naming the holder; a lead may read but not claim")
  void claims() {
    String id = openCase("claim me?");
    assertEquals("alice", alice.post("/api/cases/" + id + "/claim", null).expect(200).json().getString("assignee"));
    JsonObject refused = bob.post("/api/cases/" + id + "/claim", null).expect(409).json();
    assertEquals("held-by-another", refused.getString("error"));
    assertEquals("alice", refused.getString("assignee"));
    bob.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@erin mine now")).expect(409);
    lead.get("/api/cases/" + id).expect(200);
    lead.post("/api/cases/" + id + "/claim", null).expect(403);
    assertEquals(0, brandRepliesTo(id));
  }

  @Test
  @DisplayName("a claim left idle for 10 minutes lapses: another agent can take the case")
  void claimExpires() {
    String id = openCase("idle claim?");
    alice.post("/api/cases/" + id + "/claim", null).expect(200);
    bob.post("/api/cases/" + id + "/claim", null).expect(409);
    h.clock().advance(Duration.ofMinutes(9));
    bob.post("/api/cases/" + id + "/claim", null).expect(409);
    h.clock().advance(Duration.ofMinutes(2));
    assertEquals("bob", bob.post("/api/cases/" + id + "/claim", null).expect(200).json().getString("assignee"));
    alice.post("/api/cases/" + id + "/claim", null).expect(409);
  }

  @Test
  @DisplayName("twenty agents racing for one case: exactly one wins")
  void claimRace(Vertx vertx) {
    String id = openCase("race?");
    List<Agent> agents = new ArrayList<>();
    for (int i = 0; i < 20; i++) agents.add(h.newAgent("racer" + i, "agent"));
    List<Future<HttpResponse<Buffer>>> claims = agents.stream()
      .map(a -> a.client().post("/api/cases/" + id + "/claim").putHeader("X-CSRF-Token", a.csrf()).send()).toList();
    Future.join(claims).await();
    long won = claims.stream().filter(f -> f.result().statusCode() == 200).count();
    long lost = claims.stream().filter(f -> f.result().statusCode() == 409).count();
    assertEquals(1, won);
    assertEquals(19, lost);
  }

  @Test
  @DisplayName("a reply is posted once in thread, times the first response, and the same Idempotency-Key returns it again")
  void replyOnce() {
    String id = openCase("reply once?");
    Map<String, String> key = Map.of("Idempotency-Key", "draft-1");
    JsonObject r1 = alice.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@erin like this"), key).expect(201).json();
    JsonObject r2 = alice.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@erin like this"), key).expect(201).json();
    assertEquals(r1.getString("xTweetId"), r2.getString("xTweetId"));
    assertEquals(1, brandRepliesTo(id));
    var stored = h.standIn().timeline().post(Long.parseLong(r1.getString("xTweetId"))).orElseThrow();
    assertEquals(Long.parseLong(id.substring(1)), stored.inReplyToId(), "posted in thread");
    JsonObject c = alice.get("/api/cases/" + id).json();
    assertEquals("replied", c.getString("state"));
    assertNotNull(c.getLong("firstResponseSeconds"));
    assertEquals("brand", c.getJsonArray("messages").getJsonObject(1).getString("from"));
    alice.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@erin different words"), key).expect(409);
  }

  @Test
  @DisplayName("a replied case is still held: another agent's reply gets 409 naming the holder while the claim runs, and goes through once it lapsed")
  void repliedCaseIsHeld() {
    String id = openCase("still held after a reply?");
    alice.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@erin first answer")).expect(201);
    JsonObject c = alice.get("/api/cases/" + id).json();
    assertEquals("replied", c.getString("state"));
    assertEquals("alice", c.getString("assignee"));

    JsonObject refused = bob.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@erin not yours")).expect(409).json();
    assertEquals("held-by-another", refused.getString("error"));
    assertEquals("alice", refused.getString("assignee"));
    assertTrue(refused.getString("message").contains("alice"), refused.encode());
    assertEquals(1, brandRepliesTo(id), "nothing posted for bob");
    assertEquals(0, h.count(MongoReplyRepository.REPLIES, new JsonObject().put("caseId", id).put("agent", "bob")), "nothing stored for bob");
    assertEquals("alice", alice.get("/api/cases/" + id).json().getString("assignee"), "the holder stays");

    // The holder may add to her answer, which keeps her claim alive for another 10 idle minutes.
    h.clock().advance(Duration.ofMinutes(8));
    alice.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@erin and one more thing")).expect(201);
    h.clock().advance(Duration.ofMinutes(8));
    bob.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@erin still not yours")).expect(409);
    assertEquals(2, brandRepliesTo(id));

    // Idle for more than 10 minutes: the claim lapsed, and whoever replies takes the case.
    h.clock().advance(Duration.ofMinutes(3));
    bob.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@erin taking over")).expect(201);
    assertEquals("bob", alice.get("/api/cases/" + id).json().getString("assignee"));
    assertEquals("bob", alice.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@erin me again")).expect(409).json().getString("assignee"));

    // A lead's reassignment hands the replied case back with a fresh claim.
    lead.post("/api/cases/" + id + "/assign", new JsonObject().put("assignee", "alice")).expect(200);
    bob.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@erin bob again")).expect(409);
    alice.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@erin alice again")).expect(201);
    assertEquals(4, brandRepliesTo(id));
  }

  @Test
  @DisplayName("a lead cannot assign a case to a user who does not exist, is disabled, or has no role that works cases: 400 naming the user, and nothing changes")
  void assignOnlyToCaseWorkers() {
    String id = openCase("who will take me?");
    Agent admin = h.admin();
    h.newAgent("dora", "agent");
    admin.patch("/api/users/dora", new JsonObject().put("disabled", true)).expect(200);
    h.newAgent("lars", "lead");
    JsonObject before = h.mongo().findOne(MongoCaseRepository.CASES, new JsonObject().put("_id", id), null).await();
    long audited = h.count("audit", new JsonObject().put("action", "case.assigned"));

    Map<String, String> refusals = Map.of("nobody", "unknown-user", "dora", "user-disabled", "lars", "cannot-work-cases", "admin", "cannot-work-cases");
    refusals.forEach((user, error) -> {
      JsonObject refused = lead.post("/api/cases/" + id + "/assign", new JsonObject().put("assignee", user)).expect(400).json();
      assertEquals(error, refused.getString("error"), refused.encode());
      assertEquals(user, refused.getString("assignee"));
      assertTrue(refused.getString("message").contains(user), refused.encode());
    });
    assertEquals(before, h.mongo().findOne(MongoCaseRepository.CASES, new JsonObject().put("_id", id), null).await(), "the case is untouched");
    assertEquals(audited, h.count("audit", new JsonObject().put("action", "case.assigned")), "nothing audited");

    assertEquals("bob", lead.post("/api/cases/" + id + "/assign", new JsonObject().put("assignee", "bob")).expect(200).json().getString("assignee"));
    // Names ignore case: the case is held by the user as stored.
    assertEquals("bob", lead.post("/api/cases/" + id + "/assign", new JsonObject().put("assignee", "BOB")).expect(200).json().getString("assignee"));
    assertNull(lead.post("/api/cases/" + id + "/assign", new JsonObject().putNull("assignee")).expect(200).json().getString("assignee"));
    lead.post("/api/cases/c999999999/assign", new JsonObject().put("assignee", "nobody")).expect(404);
  }

  @Test
  @DisplayName("a double click (two simultaneous requests with one key) posts once")
  void doubleClick() {
    String id = openCase("double click?");
    alice.post("/api/cases/" + id + "/claim", null).expect(200);
    var body = new JsonObject().put("text", "@erin just once");
    List<Future<HttpResponse<Buffer>>> clicks = List.of(
      alice.client().post("/api/cases/" + id + "/reply").putHeader("X-CSRF-Token", alice.csrf()).putHeader("Idempotency-Key", "k").sendJsonObject(body),
      alice.client().post("/api/cases/" + id + "/reply").putHeader("X-CSRF-Token", alice.csrf()).putHeader("Idempotency-Key", "k").sendJsonObject(body));
    Future.join(clicks).await();
    clicks.forEach(f -> assertTrue(f.result().statusCode() < 300, f.result().bodyAsString()));
    eventually("posted", Duration.ofSeconds(5), () -> brandRepliesTo(id) == 1);
    assertEquals(1, brandRepliesTo(id));
    assertEquals(1, h.count(MongoReplyRepository.REPLIES, new JsonObject().put("caseId", id)));
  }

  @Test
  @DisplayName("a post whose answer is lost fails visibly; the retry finds it on X instead of posting again")
  void lostAnswer() {
    String id = openCase("lost answer?");
    h.standIn().inject(new Fault(Fault.Kind.LOSE_RESPONSE, 1, "/2/tweets", 0));
    JsonObject failed = alice.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@erin reached X"), Map.of("Idempotency-Key", "lost")).expect(502).json();
    assertEquals("post-failed", failed.getString("error"));
    JsonObject reply = failed.getJsonObject("reply");
    assertEquals("failed", reply.getString("state"));
    assertEquals(1, brandRepliesTo(id), "X did get it");
    JsonObject shown = alice.get("/api/cases/" + id).json().getJsonArray("replies").getJsonObject(0);
    assertEquals("failed", shown.getString("state"));
    assertNotNull(shown.getString("error"));
    JsonObject retried = alice.post("/api/cases/" + id + "/replies/" + reply.getString("id") + "/retry", null).expect(201).json();
    assertEquals("posted", retried.getString("state"));
    assertEquals(1, brandRepliesTo(id), "adopted, not posted twice");
    assertEquals("replied", alice.get("/api/cases/" + id).json().getString("state"));
  }

  @Test
  @DisplayName("X refusing a post (503) leaves the reply failed and retryable; the retry posts it")
  void failedPostRetried() {
    String id = openCase("x down?");
    h.standIn().inject(new Fault(Fault.Kind.UNAVAILABLE, 1, "/2/tweets", 0));
    JsonObject reply = alice.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@erin after an outage")).expect(502).json().getJsonObject("reply");
    assertEquals(0, brandRepliesTo(id));
    alice.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "@erin after an outage")).expect(201);
    assertEquals(1, brandRepliesTo(id));
    assertEquals(reply.getString("id"), alice.get("/api/cases/" + id).json().getJsonArray("replies").getJsonObject(0).getString("id"));
  }

  @Test
  @DisplayName("dismiss and resolve close the case and stop its clock; a closed case takes no reply or claim")
  void closeCases() {
    String spam = openCase("check out my mixtape");
    JsonObject dismissed = alice.post("/api/cases/" + spam + "/dismiss", new JsonObject().put("reason", "spam")).expect(200).json();
    assertEquals("dismissed", dismissed.getString("state"));
    assertNull(dismissed.getString("dueAt"));
    alice.post("/api/cases/" + spam + "/reply", new JsonObject().put("text", "@erin no")).expect(409);
    bob.post("/api/cases/" + spam + "/claim", null).expect(409);
    String done = openCase("thanks!");
    assertEquals("resolved", alice.post("/api/cases/" + done + "/resolve", null).expect(200).json().getString("state"));
    assertTrue(alice.get("/api/cases?state=dismissed").json().getJsonArray("items").stream()
      .anyMatch(c -> ((JsonObject) c).getString("id").equals(spam)));
  }

  @Test
  @DisplayName("a reply longer than X allows is refused with its weighted length and nothing is stored or posted")
  void tooLong() {
    String id = openCase("long?");
    JsonObject e = alice.post("/api/cases/" + id + "/reply", new JsonObject().put("text", "字".repeat(141))).expect(400).json();
    assertEquals("reply-too-long", e.getString("error"));
    assertEquals(282, e.getInteger("weightedLength"));
    assertEquals(0, h.count(MongoReplyRepository.REPLIES, new JsonObject().put("caseId", id)));
    assertEquals(0, brandRepliesTo(id));
    assertEquals(282, alice.post("/api/compose/length", new JsonObject().put("text", "字".repeat(141))).expect(200).json().getInteger("weightedLength"));
  }

  @Test
  @DisplayName("bad input on every route is a 4xx JSON error naming the problem, and stores nothing")
  void badInput() {
    String id = openCase("bad input?");
    long casesBefore = h.count(MongoCaseRepository.CASES, new JsonObject());
    long usersBefore = h.count(UserService.USERS, new JsonObject());
    Agent admin = h.admin();
    record Bad(Agent who, String method, String path, String contentType, String body, int status) {}
    List<Bad> bad = List.of(
      new Bad(null, "POST", "/api/login", "application/json", "{\"username\":{\"$ne\":null},\"password\":\"x\"}", 400),
      new Bad(null, "POST", "/api/login", "application/json", "{\"username\":\"admin\",\"password\":{\"$gt\":\"\"}}", 400),
      new Bad(null, "POST", "/api/login", "application/json", "{\"username\":", 400),
      new Bad(null, "POST", "/api/login", "application/json", "[1,2,3]", 400),
      new Bad(null, "POST", "/api/login", "application/json", "{\"username\":\"admin\",\"password\":\"wrong-password\"}", 401),
      new Bad(null, "POST", "/api/login", "application/json", "{\"username\":\"admin\"}", 400),
      new Bad(null, "GET", "/api/cases", null, null, 401),
      new Bad(admin, "POST", "/api/users", "application/json", "{\"username\":\"x y\",\"password\":\"long-enough-password\",\"roles\":[\"agent\"]}", 400),
      new Bad(admin, "POST", "/api/users", "application/json", "{\"username\":\"short\",\"password\":\"short\",\"roles\":[\"agent\"]}", 400),
      new Bad(admin, "POST", "/api/users", "application/json", "{\"username\":\"nobody\",\"password\":\"long-enough-password\",\"roles\":[\"root\"]}", 400),
      new Bad(admin, "POST", "/api/users", "application/json", "{\"username\":\"alice\",\"password\":\"long-enough-password\",\"roles\":[\"agent\"]}", 409),
      new Bad(alice, "POST", "/api/users", "application/json", "{\"username\":\"eve\",\"password\":\"long-enough-password\",\"roles\":[\"admin\"]}", 403),
      new Bad(alice, "GET", "/api/cases?limit=0", null, null, 400),
      new Bad(alice, "GET", "/api/cases?limit=abc", null, null, 400),
      new Bad(alice, "GET", "/api/cases?state=open%27", null, null, 400),
      new Bad(alice, "GET", "/api/cases?cursor=%7B%22%24gt%22%3A%22%22%7D", null, null, 400),
      new Bad(alice, "GET", "/api/cases/not-a-case", null, null, 400),
      new Bad(alice, "GET", "/api/cases/c999", null, null, 404),
      new Bad(alice, "GET", "/api/cases/..%2F..%2Fetc%2Fpasswd", null, null, 400),
      new Bad(alice, "POST", "/api/cases/c999/claim", null, null, 404),
      new Bad(alice, "POST", "/api/cases/" + id + "/reply", "application/json", "{\"text\":5}", 400),
      new Bad(alice, "POST", "/api/cases/" + id + "/reply", "application/json", "{\"text\":\"\"}", 400),
      new Bad(alice, "POST", "/api/cases/" + id + "/reply", "application/json", "{\"text\":\"   \"}", 400),
      new Bad(alice, "POST", "/api/cases/" + id + "/reply", "application/json", "{\"text\":\"" + "a".repeat(5000) + "\"}", 400),
      new Bad(alice, "POST", "/api/cases/" + id + "/reply", "application/json", "{\"text\":\"ok\",\"$set\":{\"state\":\"resolved\"}}", 400),
      new Bad(alice, "POST", "/api/cases/" + id + "/reply", "application/json", "{\"text\":\"ok\",\"kbArticleId\":{\"$ne\":1}}", 400),
      new Bad(alice, "POST", "/api/cases/" + id + "/reply", "text/plain", "hello", 400),
      new Bad(alice, "POST", "/api/cases/" + id + "/reply", "application/json", "{\"text\":\"" + "x".repeat(70_000) + "\"}", 413),
      new Bad(alice, "POST", "/api/cases/" + id + "/dismiss", "application/json", "{}", 400),
      new Bad(alice, "POST", "/api/cases/" + id + "/dismiss", "application/json", "{\"reason\":[\"spam\"]}", 400),
      new Bad(alice, "POST", "/api/cases/" + id + "/replies/zzz/retry", null, null, 400),
      new Bad(alice, "POST", "/api/cases/" + id + "/replies/" + id + "-abc/retry", null, null, 404),
      new Bad(alice, "POST", "/api/compose/length", "application/json", "{\"text\":null}", 400),
      new Bad(alice, "GET", "/api/nothing-here", null, null, 404));
    for (Bad b : bad) {
      var client = b.who() == null ? h.http() : b.who().client();
      var req = client.request(io.vertx.core.http.HttpMethod.valueOf(b.method()), h.port(), "127.0.0.1", b.path());
      if (b.who() != null) req.putHeader("X-CSRF-Token", b.who().csrf());
      if (b.contentType() != null) req.putHeader("content-type", b.contentType());
      HttpResponse<Buffer> r = (b.body() == null ? req.send() : req.sendBuffer(Buffer.buffer(b.body()))).await();
      String what = b.method() + " " + b.path() + " " + (b.body() == null ? "" : b.body().substring(0, Math.min(80, b.body().length())));
      assertEquals(b.status(), r.statusCode(), what + " -> " + r.bodyAsString());
      JsonObject json = r.bodyAsJsonObject();
      assertNotNull(json.getString("error"), what);
      assertNotNull(json.getString("message"), what);
      assertFalse(r.bodyAsString().contains("Exception"), what + " leaks internals: " + r.bodyAsString());
    }
    assertEquals(casesBefore, h.count(MongoCaseRepository.CASES, new JsonObject()));
    assertEquals(usersBefore, h.count(UserService.USERS, new JsonObject()));
    assertEquals(0, h.count(MongoReplyRepository.REPLIES, new JsonObject().put("caseId", id)));
    assertEquals("new", alice.get("/api/cases/" + id).json().getString("state"));
  }

  @Test
  @DisplayName("state-changing requests without the CSRF token are refused; logout ends the session")
  void csrfAndLogout(Vertx vertx) {
    String id = openCase("csrf?");
    Agent carol = h.newAgent("carol", "agent");
    var r = carol.client().post("/api/cases/" + id + "/claim").send().await();
    assertEquals(403, r.statusCode());
    assertEquals("csrf", r.bodyAsJsonObject().getString("error"));
    r = carol.client().post("/api/cases/" + id + "/claim").putHeader("X-CSRF-Token", "forged").send().await();
    assertEquals(403, r.statusCode());
    carol.post("/api/logout", null).expect(204);
    carol.get("/api/cases").expect(401);
  }

  @Test
  @DisplayName("the session cookie is HttpOnly and SameSite, renewed at login; every answer carries the security headers")
  void cookiesAndHeaders() {
    var first = h.http().get(h.port(), "127.0.0.1", "/api/me").send().await();
    assertEquals(401, first.statusCode());
    var login = h.http().post(h.port(), "127.0.0.1", "/api/login")
      .sendJsonObject(new JsonObject().put("username", "admin").put("password", Harness.ADMIN_PASSWORD)).await();
    String cookie = login.cookies().stream().filter(c -> c.startsWith("careloop.sid=")).findFirst().orElseThrow();
    assertTrue(cookie.toLowerCase().contains("httponly"), cookie);
    assertTrue(cookie.contains("SameSite=Strict"), cookie);
    for (var resp : List.of(first, login, h.http().get(h.port(), "127.0.0.1", "/").send().await())) {
      String csp = resp.getHeader("Content-Security-Policy");
      assertTrue(csp.contains("object-src 'none'") && csp.contains("base-uri 'none'") && csp.contains("frame-ancestors 'none'"), csp);
      assertFalse(csp.contains("unsafe-inline"));
      assertEquals("nosniff", resp.getHeader("X-Content-Type-Options"));
      assertNotNull(resp.getHeader("Referrer-Policy"));
    }
  }

  @Test
  @DisplayName("sign-in is throttled per account after five failures (429 with Retry-After); the block ends, and the right password works again")
  void loginThrottled() {
    h.newAgent("tina", "agent");
    var client = h.http();
    JsonObject wrong = new JsonObject().put("username", "tina").put("password", "not-her-password");
    for (int i = 0; i < 6; i++) {
      assertEquals(401, client.post(h.port(), "127.0.0.1", "/api/login").sendJsonObject(wrong).await().statusCode());
    }
    var blocked = client.post(h.port(), "127.0.0.1", "/api/login").sendJsonObject(new JsonObject().put("username", "tina").put("password", "tina-long-password")).await();
    assertEquals(429, blocked.statusCode());
    assertEquals("too-many-attempts", blocked.bodyAsJsonObject().getString("error"));
    assertNotNull(blocked.getHeader("Retry-After"));
    h.clock().advance(Duration.ofSeconds(2));
    assertEquals(200, client.post(h.port(), "127.0.0.1", "/api/login").sendJsonObject(new JsonObject().put("username", "tina").put("password", "tina-long-password")).await().statusCode());
  }

  @Test
  @DisplayName("operations: liveness, readiness with the database, Prometheus metrics, the OpenAPI document, source health")
  void operations() {
    assertEquals(200, h.http().get(h.port(), "127.0.0.1", "/health/live").send().await().statusCode());
    var ready = h.http().get(h.port(), "127.0.0.1", "/health/ready").send().await();
    assertEquals(200, ready.statusCode());
    assertEquals("UP", ready.bodyAsJsonObject().getString("outcome"));
    assertEquals(200, h.http().get(h.port(), "127.0.0.1", "/metrics").send().await().statusCode());
    assertTrue(h.http().get(h.port(), "127.0.0.1", "/api/openapi.yaml").send().await().bodyAsString().contains("operationId: replyToCase"));
    JsonArray sources = alice.get("/api/sources").expect(200).json().getJsonArray("items");
    assertEquals(1, sources.size());
    assertNotNull(sources.getJsonObject(0).getString("lastSuccessAt"));
    assertFalse(sources.encode().contains("test-bearer"));
  }
}
