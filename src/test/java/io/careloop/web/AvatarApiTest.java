package io.careloop.web;

import io.careloop.queue.MongoCaseRepository;
import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
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
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DisplayName("Avatars through CareLoop's own origin, and the post a mention replied to")
class AvatarApiTest {
  static Harness h;
  static Agent alice;
  static Agent community;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    h.standIn().timeline().account("31", "gwen", "Gwen", 300);
    h.standIn().timeline().account("32", "hal", "Hal <i>", 50);
    h.standIn().timeline().account("34", "ivy", "Ivy", 50);
    alice = h.newAgent("alice", "agent");
    community = h.newAgent("cora", "community");
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static JsonObject openCase(String authorId, String text, Long inReplyTo) {
    var post = h.standIn().timeline().publish(authorId, "@AcmeCloud " + text, inReplyTo, null);
    String id = "c" + post.id();
    eventually("case " + id, Duration.ofSeconds(15), () -> alice.get("/api/cases/" + id).status() == 200);
    return alice.get("/api/cases/" + id).expect(200).json();
  }

  @Test
  @Order(1)
  @DisplayName("a message's author.avatar is /api/avatars/{id}, which answers the stand-in's image bytes, typed, cached privately and sandboxed")
  void servesTheImage(Vertx vertx) {
    JsonObject c = openCase("31", "my picture please", null);
    assertEquals("/api/avatars/31", c.getJsonArray("messages").getJsonObject(0).getJsonObject("author").getString("avatar"));

    var upstream = WebClient.create(vertx).getAbs(h.xBaseUrl() + "/_standin/avatars/31.svg").send().await();
    var reply = alice.get("/api/avatars/31").expect(200).response();
    assertEquals("image/svg+xml", reply.getHeader("Content-Type"));
    assertEquals("private, max-age=3600", reply.getHeader("Cache-Control"));
    assertEquals(AvatarRoutes.IMAGE_CSP, reply.getHeader("Content-Security-Policy"));
    assertEquals("nosniff", reply.getHeader("X-Content-Type-Options"));
    assertTrue(upstream.body().length() > 0);
    assertEquals(upstream.body(), reply.body(), "the bytes are the stand-in's");
    // Community (and lead) may see pictures too; being signed in is required.
    community.get("/api/avatars/31").expect(200);
    assertEquals(401, h.http().get(h.port(), "127.0.0.1", "/api/avatars/31").send().await().statusCode());
  }

  @Test
  @Order(2)
  @DisplayName("unknown author: 404 JSON; an id that is not X's shape: 400")
  void unknownAuthor() {
    assertEquals("not-found", alice.get("/api/avatars/999999").expect(404).json().getString("error"));
    alice.get("/api/avatars/not-an-id").expect(400);
  }

  @Test
  @Order(3)
  @DisplayName("a stored URL on a host that is not X's (or the configured X origin) is never fetched: 404")
  void otherHostNeverFetched(Vertx vertx) {
    AtomicInteger hits = new AtomicInteger();
    HttpServer elsewhere = vertx.createHttpServer().requestHandler(r -> {
      hits.incrementAndGet();
      r.response().putHeader("Content-Type", "image/png").end("not really");
    }).listen(0, "127.0.0.1").await();
    try {
      // As if an older version had stored it, or X sent it: straight into the store, past intake's check.
      h.mongo().save(MongoCaseRepository.AUTHOR_AVATARS, new JsonObject().put("_id", "555")
        .put("url", "http://127.0.0.1:" + elsewhere.actualPort() + "/a.png")).await();
      assertEquals("not-found", alice.get("/api/avatars/555").expect(404).json().getString("error"));
      assertEquals(0, hits.get(), "the other host was never asked");
    } finally {
      elsewhere.close().await();
    }
  }

  @Test
  @Order(4)
  @DisplayName("an image X cannot give (its answer is 404) is a 502 avatar-unavailable, not cached by the browser")
  void upstreamRefuses() {
    h.mongo().save(MongoCaseRepository.AUTHOR_AVATARS, new JsonObject().put("_id", "556")
      .put("url", h.xBaseUrl() + "/_standin/avatars/no-such-user.svg")).await();
    var reply = alice.get("/api/avatars/556").expect(502);
    assertEquals("avatar-unavailable", reply.json().getString("error"));
    assertNotEquals("private, max-age=3600", reply.response().getHeader("Cache-Control"));
  }

  @Test
  @Order(5)
  @DisplayName("a reply carries the post it replied to (inReplyTo) unless that post is already in the case")
  void parentPost() {
    var original = h.standIn().timeline().publish("32", "my <b>router</b> blinks red", null, null);
    JsonObject c = openCase("31", "same as hal", original.id());
    JsonObject first = c.getJsonArray("messages").getJsonObject(0);
    JsonObject parent = first.getJsonObject("inReplyTo");
    assertNotNull(parent, first.encode());
    assertEquals("my <b>router</b> blinks red", parent.getString("text"));
    assertEquals("https://x.com/hal/status/" + original.id(), parent.getString("url"));
    assertEquals(new JsonObject().put("handle", "hal").put("name", "Hal <i>"), parent.getJsonObject("author"));
    assertEquals(original.createdAt().toEpochMilli() / 1000, java.time.Instant.parse(parent.getString("createdAt")).getEpochSecond());

    // The customer answering their own opening post: the parent is the case's first message, shown once.
    String caseId = c.getString("id");
    var followUp = h.standIn().timeline().publish("31", "@AcmeCloud still blinking", Long.parseLong(c.getString("tweetId")), null);
    eventually("follow-up in " + caseId, Duration.ofSeconds(15),
      () -> alice.get("/api/cases/" + caseId).json().getJsonArray("messages").size() == 2);
    JsonObject second = alice.get("/api/cases/" + caseId).json().getJsonArray("messages").getJsonObject(1);
    assertEquals(String.valueOf(followUp.id()), second.getString("tweetId"));
    assertFalse(second.containsKey("inReplyTo"), second.encode());
  }

  @Test
  @Order(6)
  @DisplayName("with X's image host down, a picture not yet fetched is a 502 avatar-unavailable; one fetched before is still served")
  void upstreamDown() {
    openCase("34", "picture while X is down", null);
    h.standIn().stop().await();
    assertEquals("avatar-unavailable", alice.get("/api/avatars/34").expect(502).json().getString("error"));
    assertEquals("image/svg+xml", alice.get("/api/avatars/31").expect(200).response().getHeader("Content-Type"));
  }
}
