package io.careloop.web;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import io.careloop.support.Agent;
import io.careloop.support.CuttableProxy;
import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
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
import java.util.Map;
import java.util.function.Supplier;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

/**
 * With the database unreachable (a test-owned MongoDB behind a TCP forwarder the test cuts), a request that needs it
 * answers 503 {@code database-unavailable} with Retry-After, never a 4xx that blames the caller: not a wrong password,
 * not an unknown article, not a missing case. Each request is sent just after the caller's account was read, so it
 * passes the access check (accounts are kept a second) and meets the outage in its own route.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("With the database down, the API says so instead of blaming the request")
class DatabaseDownTest {
  static MongoServer mongo;
  static CuttableProxy link;
  static Harness h;
  static Agent admin;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    mongo = new MongoServer(new MemoryBackend());
    mongo.bind("127.0.0.1", 0);
    link = new CuttableProxy(vertx, mongo.getLocalAddress().getPort());
    int port = link.start().await();
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", "", "CARELOOP_MONGO_URI", "mongodb://127.0.0.1:" + port
      + "/?serverSelectionTimeoutMS=1500&connectTimeoutMS=1000&heartbeatFrequencyMS=500"));
    admin = h.admin();
  }

  @AfterAll
  static void stop() {
    h.close();
    link.stop().await();
    mongo.shutdownNow();
  }

  /** The answer to {@code request} sent with the database cut, right after the admin's account was read afresh. */
  static HttpResponse<Buffer> whileDown(Supplier<HttpResponse<Buffer>> request) throws InterruptedException {
    link.restore();
    eventually("the database is back", Duration.ofSeconds(20), () -> ready() == 200);
    // Wall-clock on purpose: accounts are checked from a copy at most a second old; past that the request needs the database.
    io.careloop.support.Eventually.sleep(Duration.ofMillis(1_100));
    admin.get("/api/me").expect(200);
    link.cut();
    try {
      return request.get();
    } finally {
      link.restore();
    }
  }

  static int ready() {
    try {
      return h.http().get(h.port(), "127.0.0.1", "/health/ready").timeout(5_000).send().await().statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  static void assertDatabaseUnavailable(HttpResponse<Buffer> r) {
    assertEquals(503, r.statusCode(), r::bodyAsString);
    assertEquals("database-unavailable", r.bodyAsJsonObject().getString("error"), r::bodyAsString);
    assertEquals("5", r.getHeader("Retry-After"));
  }

  @Test
  @DisplayName("A reply naming a KB article is 503, not 400 unknown-article (and is unknown-article while the database answers)")
  void replyWithArticle() throws InterruptedException {
    JsonObject reply = new JsonObject().put("text", "Here is how").put("kbArticleId", "a1");
    Agent.Reply up = admin.post("/api/cases/c1/reply", reply);
    assertEquals(400, up.status(), up.response().bodyAsString());
    assertEquals("unknown-article", up.json().getString("error"));
    assertDatabaseUnavailable(whileDown(() -> admin.post("/api/cases/c1/reply", reply).response()));
  }

  @Test
  @DisplayName("Signing in is 503, not 401")
  void signIn() throws InterruptedException {
    assertDatabaseUnavailable(whileDown(() -> h.http().post(h.port(), "127.0.0.1", "/api/login").timeout(10_000)
      .sendJsonObject(new JsonObject().put("username", "admin").put("password", Harness.ADMIN_PASSWORD)).await()));
  }

  @Test
  @DisplayName("Changing one's own password is 503, not 400 wrong-password")
  void ownPassword() throws InterruptedException {
    assertDatabaseUnavailable(whileDown(() -> admin.post("/api/me/password", new JsonObject()
      .put("currentPassword", Harness.ADMIN_PASSWORD).put("newPassword", "a-new-long-password-for-tests")).response()));
  }

  @Test
  @DisplayName("Reading a case or a KB article is 503, not 404; assigning a case is 503, not 400")
  void readsAndAssign() throws InterruptedException {
    assertDatabaseUnavailable(whileDown(() -> admin.get("/api/cases/c1").response()));
    assertDatabaseUnavailable(whileDown(() -> admin.get("/api/kb/articles/a1").response()));
    assertDatabaseUnavailable(whileDown(() -> admin.post("/api/cases/c1/assign", new JsonObject().put("assignee", "bob")).response()));
  }

  @Test
  @DisplayName("A tracked link is 503, not the 404 page of a link that does not exist")
  void trackedLink() throws InterruptedException {
    assertDatabaseUnavailable(whileDown(() -> h.http().get(h.port(), "127.0.0.1", "/l/ABCDEFGH").timeout(10_000).send().await()));
  }
}
