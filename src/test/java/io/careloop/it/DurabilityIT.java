package io.careloop.it;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.careloop.x.standin.Fault;
import io.careloop.x.standin.StandInTimeline;
import io.careloop.x.standin.XStandIn;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Durability of the built jar under kill -9")
class DurabilityIT {
  XStandIn standIn;
  String xBase;

  @BeforeEach
  void standIn(Vertx vertx) {
    standIn = new XStandIn(vertx, Clock.systemUTC(), Harness.BRAND_ID, "AcmeCloud", "Acme Cloud");
    xBase = standIn.start(0).await();
    standIn.timeline().account("31", "fay", "Fay", 100);
  }

  @AfterEach
  void stop() {
    standIn.stop().await();
  }

  Map<String, String> xEnv() {
    return Map.of("CARELOOP_X_BASE_URL", xBase, "CARELOOP_X_BEARER_TOKEN", "b",
      "CARELOOP_X_CONSUMER_KEY", "ck", "CARELOOP_X_CONSUMER_SECRET", "cs",
      "CARELOOP_X_ACCESS_TOKEN", "at", "CARELOOP_X_ACCESS_TOKEN_SECRET", "ats", "CARELOOP_BRAND_KEYWORDS", "");
  }

  static Set<String> caseTweetIds(Agent admin) {
    Set<String> ids = new HashSet<>();
    int total = 0;
    String cursor = null;
    do {
      JsonObject page = admin.get("/api/cases?limit=200" + (cursor == null ? "" : "&cursor=" + cursor)).expect(200).json();
      JsonArray items = page.getJsonArray("items");
      total += items.size();
      items.forEach(c -> ids.add(((JsonObject) c).getString("tweetId")));
      cursor = page.getString("next");
    } while (cursor != null);
    assertEquals(total, ids.size(), "a mention appears in two cases");
    return ids;
  }

  @Test
  @DisplayName("killed three times during ingestion, restarted each time: every mention is in exactly one case")
  void killDuringIngestion(Vertx vertx, @TempDir Path dir) throws Exception {
    StandInTimeline t = standIn.timeline();
    Set<String> released = new HashSet<>();
    for (int i = 0; i < 600; i++) released.add(String.valueOf(t.publish("31", "@AcmeCloud ingest " + i + "?", null, null).id()));
    CareLoopProcess app = new CareLoopProcess(dir.resolve("data"), xEnv());
    for (int threshold : new int[] {1, 150, 350}) {
      // Slow pages so that each kill lands while pages are still being stored.
      standIn.inject(new Fault(Fault.Kind.SLOW, 8, "/2/users", 100));
      app.start();
      Agent admin = Agent.login(vertx, app.port, "admin", Harness.ADMIN_PASSWORD);
      eventually(threshold + " cases stored", Duration.ofSeconds(60), () -> caseTweetIds(admin).size() >= threshold);
      int storedBeforeKill = caseTweetIds(admin).size();
      app.kill();
      standIn.clearFaults();
      assertTrue(storedBeforeKill < 600, "the kill must land mid-ingestion; " + storedBeforeKill + " of 600 were stored");
      System.out.println("kill -9 after " + storedBeforeKill + " of 600 mentions were cases");
    }
    app.start();
    Agent again = Agent.login(vertx, app.port, "admin", Harness.ADMIN_PASSWORD);
    eventually("all 600 cases", Duration.ofSeconds(90), () -> caseTweetIds(again).size() == 600);
    // Out of process, no poll counter to read: a few polls' time for a duplicate to turn up.
    io.careloop.support.Eventually.sleep(Duration.ofMillis(1500));
    assertEquals(released, caseTweetIds(again));
    // A JVM ended by SIGTERM exits 143 even when its shutdown hooks completed; the log says whether they did.
    assertEquals(143, app.terminate());
    assertTrue(java.nio.file.Files.readString(app.log).contains("CareLoop stopped"), "graceful shutdown completed");
  }

  @Test
  @DisplayName("an acknowledged reply survives kill -9; a post under way when killed is found on X after restart, not sent twice")
  void killAroundReplies(Vertx vertx, @TempDir Path dir) throws Exception {
    StandInTimeline t = standIn.timeline();
    var q1 = t.publish("31", "@AcmeCloud durable reply?", null, null);
    var q2 = t.publish("31", "@AcmeCloud killed mid-post?", null, null);
    CareLoopProcess app = new CareLoopProcess(dir.resolve("data"), xEnv());
    app.start();
    Agent admin = Agent.login(vertx, app.port, "admin", Harness.ADMIN_PASSWORD);
    eventually("cases", Duration.ofSeconds(30), () -> admin.get("/api/cases/c" + q2.id()).status() == 200);

    // 1. Acknowledged, then killed at once.
    admin.post("/api/cases/c" + q1.id() + "/reply", new JsonObject().put("text", "@fay it is stored")).expect(201);
    app.kill();
    app.start();
    Agent a2 = Agent.login(vertx, app.port, "admin", Harness.ADMIN_PASSWORD);
    JsonObject c1 = a2.get("/api/cases/c" + q1.id()).expect(200).json();
    assertEquals("replied", c1.getString("state"));
    assertEquals("posted", c1.getJsonArray("replies").getJsonObject(0).getString("state"));
    assertEquals(1, t.repliesTo(q1.id()).size());

    // 2. Killed while X is still taking the post (it lands after the process is gone).
    standIn.inject(new Fault(Fault.Kind.SLOW, 1, "/2/tweets", 1500));
    a2.client().post("/api/cases/c" + q2.id() + "/reply").putHeader("X-CSRF-Token", a2.csrf())
      .sendJsonObject(new JsonObject().put("text", "@fay mid-flight"));
    eventually("the post is under way", Duration.ofSeconds(10),
      () -> standIn.stats().getJsonObject("requests").getLong("POST /2/tweets", 0L) >= 2);
    app.kill();
    eventually("X took the post", Duration.ofSeconds(10), () -> t.repliesTo(q2.id()).size() == 1);
    app.start();
    Agent a3 = Agent.login(vertx, app.port, "admin", Harness.ADMIN_PASSWORD);
    eventually("recovered as posted", Duration.ofSeconds(20),
      () -> "replied".equals(a3.get("/api/cases/c" + q2.id()).json().getString("state")));
    JsonObject reply = a3.get("/api/cases/c" + q2.id()).json().getJsonArray("replies").getJsonObject(0);
    assertEquals("posted", reply.getString("state"));
    assertEquals(String.valueOf(t.repliesTo(q2.id()).get(0).id()), reply.getString("xTweetId"));
    // Out of process: time for a second post, had recovery made one, to reach the stand-in.
    io.careloop.support.Eventually.sleep(Duration.ofMillis(500));
    assertEquals(1, t.repliesTo(q2.id()).size(), "not posted twice");
    assertEquals(1, t.repliesTo(q1.id()).size());
    app.terminate();
  }
}
