package io.careloop.kb;

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
@DisplayName("The knowledge base: articles, duplicates, suggestions, tracked links and public pages")
class KnowledgeBaseTest {
  static Harness h;
  static Agent cm;
  static Agent agent;
  static WebClient browser;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    cm = h.newAgent("cole", "community");
    agent = h.newAgent("amy", "agent");
    // A browser that does not follow redirects, so the redirects themselves are checked.
    browser = h.publicBrowser();
    h.standIn().timeline().account("81", "sue", "Sue", 10);
  }

  @AfterAll
  static void stop() { h.close(); }

  static JsonObject draft(String title, String question, String status) {
    return new JsonObject().put("title", title).put("question", question)
      .put("steps", new JsonArray().add("Open Settings > Security.").add("Choose Reset.")).put("product", "account")
      .put("tags", new JsonArray().add("password")).put("status", status);
  }

  static HttpResponse<Buffer> get(String path) {
    return browser.get(path).send().await();
  }

  @Test
  @DisplayName("demo mode seeds a few published articles into an empty knowledge base, once, and they are suggested")
  void demoSeed(Vertx vertx, @TempDir Path demoData) {
    try (Harness demo = Harness.start(vertx, demoData, Map.of("CARELOOP_DEMO", "true", "CARELOOP_BRAND_KEYWORDS", ""))) {
      Agent admin = demo.admin();
      assertEquals(7, admin.get("/api/kb/articles").expect(200).json().getJsonArray("items").size());
      assertEquals("Find or rotate your API key",
        admin.get("/api/kb/suggest?q=where%20is%20my%20api%20key").json().getJsonArray("items").getJsonObject(0).getString("title"));
      demo.restart();
      assertEquals(7, demo.admin().get("/api/kb/articles").json().getJsonArray("items").size(), "not seeded twice");
    }
  }

  @Test
  @DisplayName("a near-copy is refused with duplicateOf unless saved on purpose; an unrelated article is not flagged")
  void duplicates() {
    JsonObject first = cm.post("/api/kb/articles", draft("Reset your password", "How do I reset my password?", "published")).expect(201).json();
    assertNull(first.getValue("duplicateOf"));
    JsonObject refused = cm.post("/api/kb/articles", draft("Resetting your password", "How can I reset my password?", "draft")).expect(409).json();
    assertEquals("duplicate-article", refused.getString("error"));
    assertEquals(first.getString("id"), refused.getJsonObject("duplicateOf").getString("id"));
    JsonObject onPurpose = cm.post("/api/kb/articles", draft("Resetting your password", "How can I reset my password?", "draft").put("allowDuplicate", true)).expect(201).json();
    assertEquals(first.getString("id"), onPurpose.getJsonObject("duplicateOf").getString("id"));
    JsonObject unrelated = cm.post("/api/kb/articles", draft("Export invoices as CSV", "How do I download all my invoices?", "published")).expect(201).json();
    assertNull(unrelated.getValue("duplicateOf"));
    agent.post("/api/kb/articles", draft("Agents cannot write", "May an agent write articles?", "draft")).expect(403);
  }

  @Test
  @DisplayName("editing keeps history; a new title gets a new slug and the old address redirects permanently")
  void revisionsAndSlugs() {
    JsonObject a = cm.post("/api/kb/articles", draft("Change your storage region", "Can I move my bucket to another region?", "published")).expect(201).json();
    assertEquals("change-your-storage-region", a.getString("slug"));
    JsonObject edited = cm.put("/api/kb/articles/" + a.getString("id"),
      draft("Move your data to another region", "Can I move my bucket to another region?", "published")).expect(200).json();
    assertEquals("move-your-data-to-another-region", edited.getString("slug"));
    assertEquals(2, edited.getInteger("revision"));
    JsonArray revisions = agent.get("/api/kb/articles/" + a.getString("id") + "/revisions").expect(200).json().getJsonArray("items");
    assertEquals(1, revisions.size());
    assertEquals("Change your storage region", revisions.getJsonObject(0).getJsonObject("article").getString("title"));
    var old = get("/kb/change-your-storage-region");
    assertEquals(301, old.statusCode());
    assertEquals("/kb/move-your-data-to-another-region", old.getHeader("Location"));
    assertEquals(200, get("/kb/move-your-data-to-another-region").statusCode());
  }

  @Test
  @DisplayName("suggestions for a case come from what the customer wrote, each with its score and why; drafts are never suggested; chatter gets none")
  void suggestions() {
    cm.post("/api/kb/articles", draft("Turn on two-factor authentication", "How do I enable 2FA?", "published")
      .put("steps", new JsonArray().add("Open Security > Two-factor authentication.").add("Scan the code with an authenticator app."))).expect(201);
    cm.post("/api/kb/articles", draft("Secret draft about 2FA recovery codes", "Where are my 2FA recovery codes?", "draft")).expect(201);
    var post = h.standIn().timeline().publish("81", "@AcmeCloud how do i turn on two-factor authentication (mfa)??", null, null);
    String caseId = "c" + post.id();
    eventually("case", Duration.ofSeconds(15), () -> agent.get("/api/cases/" + caseId).status() == 200);
    JsonArray items = agent.get("/api/kb/suggest?caseId=" + caseId).expect(200).json().getJsonArray("items");
    JsonObject top = items.getJsonObject(0);
    assertEquals("Turn on two-factor authentication", top.getString("title"));
    assertTrue(top.getDouble("score") >= io.careloop.config.Settings.from(new JsonObject(), Map.of()).kb().floor() && top.getDouble("score") <= 1, "score " + top);
    assertTrue(java.util.Set.of("words", "meaning", "both").contains(top.getString("why")), "why " + top);
    assertTrue(items.stream().noneMatch(i -> ((JsonObject) i).getString("status").equals("draft")));
    var chatter = h.standIn().timeline().publish("81", "@AcmeCloud love the new logo, looks great", null, null);
    eventually("case", Duration.ofSeconds(15), () -> agent.get("/api/cases/c" + chatter.id()).status() == 200);
    assertEquals(0, agent.get("/api/kb/suggest?caseId=c" + chatter.id()).expect(200).json().getJsonArray("items").size(), "nothing is confident enough");
    agent.get("/api/kb/suggest").expect(400);
    agent.get("/api/kb/suggest?caseId=c404404").expect(404);
    assertEquals(200, agent.get("/api/kb/suggest?q=" + "x%20".repeat(400)).status(), "long free text is read, not refused or failed");
  }

  @Test
  @DisplayName("articles are embedded on save and their vectors stored; one stored before vectors were is embedded after a restart")
  void vectorsStored(Vertx vertx, @TempDir Path ownData) {
    try (Harness own = Harness.start(vertx, ownData, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      Agent writer = own.newAgent("cole", "community");
      String id = writer.post("/api/kb/articles", draft("Change your delivery slot", "How do I move my delivery to a different time?", "published")).expect(201).json().getString("id");
      JsonObject saved = own.mongo().findOne(io.careloop.kb.KbService.ARTICLES, new JsonObject().put("_id", id), null).await();
      assertEquals(io.careloop.meaning.SentenceModel.DIMENSION, io.careloop.meaning.Vectors.decode(saved.getString("vector")).length);
      assertNotNull(saved.getString("questionVector"));
      // As an article stored before this version: no vectors.
      own.mongo().updateCollection(io.careloop.kb.KbService.ARTICLES, new JsonObject().put("_id", id),
        new JsonObject().put("$unset", new JsonObject().put("vector", "").put("questionVector", "").put("vectorModel", ""))).await();
      own.restart();
      eventually("back-filled", Duration.ofSeconds(20), () -> own.mongo().findOne(io.careloop.kb.KbService.ARTICLES, new JsonObject().put("_id", id), null)
        .await().getString("vectorModel") != null);
      own.admin().get("/api/kb/suggest?q=move%20my%20delivery%20to%20a%20different%20time").expect(200);
    }
  }

  @Test
  @DisplayName("a tracked link redirects to the article and counts each reader's click; unknown codes are 404; the reply records the article")
  void trackedLinks() {
    JsonObject a = cm.post("/api/kb/articles", draft("Find your API key", "Where is my API key?", "published")
      .put("steps", new JsonArray().add("Open Settings > Developers."))).expect(201).json();
    var post = h.standIn().timeline().publish("81", "@AcmeCloud where is my api key", null, null);
    String caseId = "c" + post.id();
    eventually("case", Duration.ofSeconds(15), () -> agent.get("/api/cases/" + caseId).status() == 200);
    JsonObject link = agent.post("/api/kb/articles/" + a.getString("id") + "/links", new JsonObject().put("caseId", caseId)).expect(200).json();
    assertTrue(link.getString("url").endsWith("/l/" + link.getString("code")));
    assertEquals(link.getString("code"), agent.post("/api/kb/articles/" + a.getString("id") + "/links", new JsonObject().put("caseId", caseId)).json().getString("code"),
      "the same link for the same article and case");

    for (int i = 0; i < 3; i++) {
      // Three readers (one click per reader and half hour counts: TrackedLinksTest).
      var r = browser.get("/l/" + link.getString("code")).putHeader("Referer", "https://t.co/abc?secret=1").putHeader("User-Agent", "Reader/" + i).send().await();
      assertEquals(302, r.statusCode());
      assertEquals("/kb/find-your-api-key", r.getHeader("Location"));
    }
    JsonObject stored = h.mongo().findOne(io.careloop.links.TrackedLinks.LINKS, new JsonObject().put("_id", link.getString("code")), null).await();
    assertEquals(3, stored.getInteger("clicks"));
    JsonObject click = h.mongo().findOne(io.careloop.links.TrackedLinks.CLICKS, new JsonObject().put("code", link.getString("code")), null).await();
    assertEquals("t.co", click.getString("referrerHost"), "only the referrer's host is kept");
    assertEquals(404, get("/l/ZZZZZZZZ").statusCode());
    assertEquals(404, get("/l/%2F%2Fevil.example").statusCode());

    agent.post("/api/cases/" + caseId + "/reply", new JsonObject().put("text", "@sue here: " + link.getString("url")).put("kbArticleId", a.getString("id"))).expect(201);
    agent.post("/api/cases/" + caseId + "/reply", new JsonObject().put("text", "@sue again").put("kbArticleId", "no-such-article")).expect(400);
    JsonObject usage = agent.get("/api/kb/articles/" + a.getString("id") + "/usage").expect(200).json();
    assertEquals(new JsonArray().add(caseId), usage.getJsonArray("cases"));

    // Answer sync: changing the published article lists where it was used.
    JsonObject changed = cm.put("/api/kb/articles/" + a.getString("id"),
      draft("Find your API key", "Where is my API key?", "published").put("steps", new JsonArray().add("Open Settings > API."))).expect(200).json();
    assertEquals(new JsonArray().add(caseId), changed.getJsonObject("affected").getJsonArray("cases"));
  }

  @Test
  @DisplayName("public pages escape hostile text, carry canonical links and FAQPage JSON-LD that cannot break out of its script")
  void publicPagesEscape() {
    String hostile = "<script>alert('kb')</script> & </script><img src=x onerror=alert(1)> {{7*7}}";
    JsonObject a = cm.post("/api/kb/articles", draft("Why does " + hostile.substring(0, 40), "Is " + hostile + "?", "published")
      .put("steps", new JsonArray().add(hostile))).expect(201).json();
    var page = get("/kb/" + a.getString("slug"));
    assertEquals(200, page.statusCode());
    String html = page.bodyAsString();
    assertFalse(html.contains("<script>alert"), "no raw script from the text");
    assertFalse(html.contains("<img src=x"), "no raw element from the text");
    assertTrue(html.contains("&lt;script&gt;alert"), "shown as text");
    assertTrue(html.contains("{{7*7}}") || html.contains("{{7*7}}".replace("{", "&#123;")), "template syntax is shown, not evaluated");
    assertTrue(html.contains("<link rel=\"canonical\" href=\"http://localhost:0/kb/" + a.getString("slug") + "\">"));
    int ld = html.indexOf("<script type=\"application/ld+json\">");
    assertTrue(ld > 0);
    String json = html.substring(ld + 35, html.indexOf("</script>", ld));
    JsonObject parsed = new JsonObject(json);
    assertEquals("FAQPage", parsed.getString("@type"));
    assertEquals("Is " + hostile + "?", parsed.getJsonArray("mainEntity").getJsonObject(0).getString("name"), "JSON-LD carries the text exactly");
    assertEquals(200, get("/kb/").statusCode());
    assertTrue(get("/kb/?q=%3Cscript%3E").bodyAsString().contains("&lt;script&gt;"));
    assertEquals(404, get("/kb/no-such-article").statusCode());
    // Counted with its noun (one answer, not "1 answers"); a % in the words is searched, not refused as a bad URL.
    cm.post("/api/kb/articles", draft("Zebracorn sightings explained", "Where are the zebracorns?", "published")).expect(201);
    String one = get("/kb/?q=zebracorn").bodyAsString();
    assertTrue(one.contains("1 answer for"), one);
    var percent = get("/kb/?q=100%25%20uptime");
    assertEquals(200, percent.statusCode());
    assertTrue(percent.bodyAsString().contains(" answers for “100% uptime”"), percent.bodyAsString());
  }
}
