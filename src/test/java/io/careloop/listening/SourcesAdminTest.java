package io.careloop.listening;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.careloop.x.standin.StandInTimeline;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.careloop.support.Harness.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Admins manage listening sources")
class SourcesAdminTest {
  static final Duration WAIT = Duration.ofSeconds(15);

  static long mentionCalls(Harness h) {
    return h.standIn().stats().getJsonObject("requests").getLong("GET /2/users/:id/mentions", 0L);
  }

  @Test
  @DisplayName("an added keyword is searched at once; a paused source is not called and loses nothing when resumed; the read budget shows")
  void addPauseResume(Vertx vertx, @TempDir Path data) throws Exception {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      StandInTimeline t = h.standIn().timeline();
      t.account("95", "uma", "Uma", 10);
      Agent admin = h.admin();
      var widget = t.publish("95", "the acme widget app keeps crashing", null, null);
      JsonObject added = admin.post("/api/sources/keywords", new JsonObject().put("keyword", "acme widget")).expect(201).json();
      assertEquals("search-acme-widget", added.getString("id"));
      eventually("keyword case", WAIT, () -> admin.get("/api/cases/c" + widget.id()).status() == 200);

      String mentions = "mentions-" + Harness.BRAND_ID;
      admin.client().patch("/api/sources/" + mentions).putHeader("X-CSRF-Token", admin.csrf())
        .sendJsonObject(new JsonObject().put("paused", true)).await();
      Thread.sleep(600);
      long before = mentionCalls(h);
      var whilePaused = t.publish("95", "@AcmeCloud are you there?", null, null);
      Thread.sleep(1500);
      assertEquals(before, mentionCalls(h), "a paused source makes no calls");
      assertEquals(404, admin.get("/api/cases/c" + whilePaused.id()).status());

      admin.client().patch("/api/sources/" + mentions).putHeader("X-CSRF-Token", admin.csrf())
        .sendJsonObject(new JsonObject().put("paused", false)).await();
      eventually("caught up after resume", WAIT, () -> admin.get("/api/cases/c" + whilePaused.id()).status() == 200);

      JsonObject source = admin.get("/api/sources").json().getJsonArray("items").stream().map(o -> (JsonObject) o)
        .filter(o -> o.getString("id").equals(mentions)).findFirst().orElseThrow();
      assertEquals(10_000, source.getLong("monthlyReadCap"));
      assertTrue(source.getLong("projectedMonthReads") >= source.getLong("postsReadThisMonth"));
      var missing = admin.client().patch("/api/sources/no-such-source").putHeader("X-CSRF-Token", admin.csrf())
        .sendJsonObject(new JsonObject().put("paused", true)).await();
      assertEquals(404, missing.statusCode());
      assertEquals(2, admin.get("/api/audit?action=source.paused").json().getJsonArray("items").size()
        + admin.get("/api/audit?action=source.resumed").json().getJsonArray("items").size());
      h.newAgent("vic", "agent").post("/api/sources/keywords", new JsonObject().put("keyword", "nope")).expect(403);
    }
  }
}
