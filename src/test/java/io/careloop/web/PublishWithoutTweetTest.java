package io.careloop.web;

import io.careloop.blog.BlogService;
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
import java.time.Instant;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Publishing a blog post and tweeting about it are two decisions")
class PublishWithoutTweetTest {
  static Harness h;
  static Agent cm;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    cm = h.newAgent("cora", "community");
  }

  @AfterAll
  static void stop() { h.close(); }

  static String draft(String id, String title) {
    JsonObject date = new JsonObject().put("$date", Instant.parse("2026-01-01T00:00:00Z").toString());
    h.mongo().insert(BlogService.POSTS, new JsonObject().put("_id", id).put("clusterId", "qc-" + id)
      .put("title", title).put("question", title).put("body", "Open Settings, then Security.")
      .put("tags", new JsonArray()).put("quotes", new JsonArray()).put("status", "draft")
      .put("createdAt", date).put("updatedAt", date)).await();
    return id;
  }

  static long brandPosts() {
    return h.standIn().timeline().all().stream().filter(p -> Harness.BRAND_ID.equals(p.authorId()) && p.inReplyToId() == null).count();
  }

  @Test
  @DisplayName("publishing without proactiveTweet in the body publishes and posts nothing to X")
  void publishWithoutTheFlag() {
    String id = draft("00000000-aa01", "How do I rotate my API key?");
    long before = brandPosts();
    JsonObject published = cm.post("/api/blog/posts/" + id + "/publish", new JsonObject()).expect(200).json();
    assertEquals("published", published.getString("status"));
    assertNull(published.getValue("tweet"), "no tweet was asked for, so none is stored");
    assertEquals(before, brandPosts(), "nothing was posted to X");
    assertNull(cm.get("/api/blog/posts/" + id).expect(200).json().getValue("tweet"));
  }

  @Test
  @DisplayName("publishing with no body at all publishes and posts nothing to X")
  void publishWithNoBody() {
    String id = draft("00000000-aa02", "How do I change my billing email?");
    long before = brandPosts();
    assertEquals("published", cm.post("/api/blog/posts/" + id + "/publish", null).expect(200).json().getString("status"));
    assertEquals(before, brandPosts());
  }

  @Test
  @DisplayName("the tweet is its own step afterwards: the preview's text is what X receives")
  void tweetAfterwards() {
    String id = draft("00000000-aa03", "How do I export invoices?");
    cm.post("/api/blog/posts/" + id + "/publish", new JsonObject().put("proactiveTweet", false)).expect(200);
    long before = brandPosts();
    JsonObject preview = cm.post("/api/blog/posts/" + id + "/tweet-preview", new JsonObject()).expect(200).json();
    assertTrue(preview.getInteger("weightedLength") > 0 && preview.getBoolean("valid"), preview.encode());
    JsonObject tweet = cm.post("/api/blog/posts/" + id + "/tweet", new JsonObject()).expect(200).json();
    assertEquals("posted", tweet.getString("state"));
    assertEquals(preview.getString("text"), tweet.getString("text"));
    assertEquals(before + 1, brandPosts());
  }
}
