package io.careloop.listening;

import io.careloop.queue.MongoCaseRepository;
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

import static io.careloop.support.Eventually.eventually;
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
  void addPauseResume(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      StandInTimeline t = h.standIn().timeline();
      t.account("95", "uma", "Uma", 10);
      Agent admin = h.admin();
      var widget = t.publish("95", "the acme widget app keeps crashing", null, null);
      JsonObject added = admin.post("/api/sources/keywords", new JsonObject().put("keyword", "acme widget")).expect(201).json();
      assertEquals("search-acme-widget", added.getString("id"));
      eventually("keyword case", WAIT, () -> admin.get("/api/cases/c" + widget.id()).status() == 200);

      String mentions = "mentions-" + Harness.BRAND_ID;
      admin.patch("/api/sources/" + mentions, new JsonObject().put("paused", true)).expect(200);
      // A poll begun before the pause was stored may still call X: let it end.
      h.awaitPolls(mentions, 0);
      long before = mentionCalls(h);
      var whilePaused = t.publish("95", "@AcmeCloud are you there?", null, null);
      // Two whole turns of the poller after the post: an unpaused source would have read it by now.
      h.awaitPolls(mentions, 2);
      assertEquals(before, mentionCalls(h), "a paused source makes no calls");
      assertEquals(404, admin.get("/api/cases/c" + whilePaused.id()).status());

      admin.patch("/api/sources/" + mentions, new JsonObject().put("paused", false)).expect(200);
      eventually("caught up after resume", WAIT, () -> admin.get("/api/cases/c" + whilePaused.id()).status() == 200);

      JsonObject source = admin.get("/api/sources").json().getJsonArray("items").stream().map(o -> (JsonObject) o)
        .filter(o -> o.getString("id").equals(mentions)).findFirst().orElseThrow();
      assertEquals(10_000, source.getLong("monthlyReadCap"));
      assertTrue(source.getLong("projectedMonthReads") >= source.getLong("postsReadThisMonth"));
      admin.patch("/api/sources/no-such-source", new JsonObject().put("paused", true)).expect(404);
      assertEquals(2, admin.get("/api/audit?action=source.paused").json().getJsonArray("items").size()
        + admin.get("/api/audit?action=source.resumed").json().getJsonArray("items").size());
      h.newAgent("vic", "agent").post("/api/sources/keywords", new JsonObject().put("keyword", "nope")).expect(403);
    }
  }

  @Test
  @DisplayName("the monthly read cap is never passed: polling stops a page short of it and reads the rest next month, each mention once")
  void readCapHolds(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", "", "CARELOOP_X_MONTHLY_READ_CAP", "350"))) {
      StandInTimeline t = h.standIn().timeline();
      t.account("96", "wes", "Wes", 10);
      for (int i = 0; i < 150; i++) t.publish("96", "@AcmeCloud early question " + i, null, null);
      eventually("the first 150", Duration.ofSeconds(30), () -> h.cases().size() == 150);
      Agent admin = h.admin();
      String mentions = "mentions-" + Harness.BRAND_ID;
      for (int i = 0; i < 250; i++) t.publish("96", "@AcmeCloud later question " + i, null, null);
      eventually("the cap shows on the source", WAIT, () -> source(admin, mentions).getBoolean("capReached"));
      long callsAtCap = mentionCalls(h);
      // Pages hold up to 100 posts: 150 read, then two pages fit under 350; a third might not, so it is not asked for.
      assertEquals(350, h.standIn().stats().getLong("postsServed"), "posts read this month");
      assertEquals(350, h.cases().size());
      JsonObject budget = admin.get("/api/sources").expect(200).json().getJsonObject("readBudget");
      assertEquals(350, budget.getLong("used"));
      assertEquals(350, budget.getLong("cap"));
      assertTrue(source(admin, mentions).getString("lastError").contains("monthly read cap"));
      h.awaitPolls(mentions, 2);
      assertEquals(callsAtCap, mentionCalls(h), "no call to X while the cap is reached");

      // Next month: the checkpoint had not moved past the unread posts, so they are read now (the newer ones again, ignored).
      h.clock().advance(Duration.ofDays(31));
      eventually("the rest read next month", Duration.ofSeconds(30), () -> h.cases().size() == 400);
      Agent later = h.admin(); // a month on, the first session has long ended
      eventually("the source recovers", WAIT, () -> !source(later, mentions).getBoolean("capReached"));
      assertEquals(400, h.count(MongoCaseRepository.MENTIONS, new JsonObject()), "each mention stored once");
      // "used" counts the reservation of a poll under way (100 posts, given back when its page comes empty): read
      // it between polls. It failed once in CI as 350 when read during such a poll.
      eventually(() -> "next month's reads: " + later.get("/api/sources").json().getJsonObject("readBudget").encode(), WAIT,
        () -> later.get("/api/sources").json().getJsonObject("readBudget").getLong("used") == 250);
    }
  }

  static JsonObject source(Agent admin, String id) {
    return admin.get("/api/sources").expect(200).json().getJsonArray("items").stream().map(o -> (JsonObject) o)
      .filter(o -> o.getString("id").equals(id)).findFirst().orElseThrow();
  }
}
