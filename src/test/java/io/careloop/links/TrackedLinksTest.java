package io.careloop.links;

import io.careloop.blog.BlogService;
import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
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

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Tracked links: one click per reader and window, and only to published content")
class TrackedLinksTest {
  static Harness h;
  static Agent cm;
  static Agent agent;
  static WebClient browser;
  static String caseId;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    cm = h.newAgent("cid", "community");
    agent = h.newAgent("ada", "agent");
    browser = h.publicBrowser();
    h.standIn().timeline().account("91", "rita", "Rita", 10);
    caseId = "c" + h.standIn().timeline().publish("91", "@AcmeCloud where do I find things?", null, null).id();
    eventually("case", Duration.ofSeconds(15), () -> agent.get("/api/cases/" + caseId).status() == 200);
  }

  @AfterAll
  static void stop() { h.close(); }

  static JsonObject article(String title, String status) {
    return cm.post("/api/kb/articles", new JsonObject().put("title", title).put("question", title + "?")
      .put("steps", new JsonArray().add("Open Settings.")).put("tags", new JsonArray().add("account")).put("status", status)).expect(201).json();
  }

  static void setStatus(JsonObject a, String status) {
    cm.put("/api/kb/articles/" + a.getString("id"), new JsonObject().put("title", a.getString("title")).put("question", a.getString("question"))
      .put("steps", new JsonArray().add("Open Settings.")).put("tags", new JsonArray().add("account")).put("status", status)).expect(200);
  }

  static String link(JsonObject article) {
    return agent.post("/api/kb/articles/" + article.getString("id") + "/links", new JsonObject().put("caseId", caseId)).expect(200).json().getString("code");
  }

  static HttpResponse<Buffer> follow(String code, String userAgent) {
    return browser.get("/l/" + code).putHeader("User-Agent", userAgent).putHeader("Referer", "https://t.co/x").send().await();
  }

  static long clicks(String code) {
    return h.mongo().findOne(TrackedLinks.LINKS, new JsonObject().put("_id", code), null).await().getLong("clicks");
  }

  static void assertHidden(HttpResponse<Buffer> r, String slug) {
    assertEquals(404, r.statusCode());
    assertNull(r.getHeader("Location"), "no Location header");
    assertFalse(r.bodyAsString().contains(slug), "the body does not name the slug");
    assertEquals("no-store", r.getHeader("Cache-Control"), "a 404 that becomes a redirect at publication is not cached");
  }

  @Test
  @DisplayName("twenty requests from one reader count one click and all redirect; another user agent counts another; after the window, again")
  void oneClickPerReader() {
    JsonObject a = article("Find your invoices", "published");
    String code = link(a);
    for (int i = 0; i < 20; i++) {
      var r = follow(code, "FeedReader/1.0");
      assertEquals(302, r.statusCode(), "request " + i);
      assertEquals("/kb/" + a.getString("slug"), r.getHeader("Location"));
    }
    assertEquals(1, clicks(code), "one reader, one click");
    assertEquals(1, h.count(TrackedLinks.CLICKS, new JsonObject().put("code", code)));
    assertEquals(302, follow(code, "OtherBrowser/2.0").statusCode());
    assertEquals(2, clicks(code), "another user agent is another reader");
    JsonObject stored = h.mongo().findOne(TrackedLinks.CLICKS, new JsonObject().put("code", code), null).await();
    assertEquals(java.util.Set.of("_id", "code", "at", "referrerHost"), stored.fieldNames(), "a click stores nothing more about the reader");

    h.clock().advance(ClickWindow.WINDOW.plusMinutes(1));
    assertEquals(302, follow(code, "FeedReader/1.0").statusCode());
    assertEquals(3, clicks(code), "the same reader after the window counts again");
  }

  @Test
  @DisplayName("a draft article's link answers 404 without revealing its slug, redirects once published, and 404s again when taken back to draft")
  void draftArticle() {
    JsonObject a = article("Secret roadmap for next quarter", "draft");
    String slug = a.getString("slug");
    String code = link(a);
    assertHidden(follow(code, "Curious/1.0"), slug);
    assertEquals(0, clicks(code), "a link that leads nowhere is not clicked");

    setStatus(a, "published");
    var r = follow(code, "Curious/1.0");
    assertEquals(302, r.statusCode());
    assertEquals("/kb/" + slug, r.getHeader("Location"));
    assertEquals(1, clicks(code));

    setStatus(a, "draft");
    assertHidden(follow(code, "Curious/1.0"), slug);
  }

  @Test
  @DisplayName("a blog post's link answers 404 while the post is a draft or unpublished, and redirects while it is published")
  void blogPostLinks() {
    JsonObject date = new JsonObject().put("$date", h.clock().instant().toString());
    h.mongo().insert(BlogService.POSTS, new JsonObject().put("_id", "0000aaaa-1111").put("clusterId", "qc-links").put("slug", (Object) null)
      .put("title", "Unannounced feature").put("question", "q").put("body", "b").put("tags", new JsonArray()).put("quotes", new JsonArray())
      .put("status", "draft").put("revision", 1).put("createdAt", date).put("updatedAt", date)).await();
    String url = cm.post("/api/blog/posts/0000aaaa-1111/tweet-preview", null).expect(200).json().getString("link");
    String code = url.substring(url.lastIndexOf('/') + 1);
    assertHidden(follow(code, "Curious/1.0"), "unannounced-feature");

    String slug = cm.post("/api/blog/posts/0000aaaa-1111/publish", new JsonObject().put("proactiveTweet", false)).expect(200).json().getString("slug");
    var r = follow(code, "Curious/1.0");
    assertEquals(302, r.statusCode());
    assertEquals("/blog/" + slug, r.getHeader("Location"));

    cm.post("/api/blog/posts/0000aaaa-1111/unpublish", null).expect(200);
    assertHidden(follow(code, "Curious/1.0"), slug);
  }
}
