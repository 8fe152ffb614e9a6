package io.careloop.blog;

import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
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
import org.jsoup.Jsoup;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Customer and staff text in the feeds and public pages: no character XML forbids, no live markup in RSS, and a failing page still answers")
class FeedTextTest {
  /** Any answer slower than this is a hang: every one of these answers in milliseconds. */
  static final long TIMEOUT_MS = 5_000;
  static final String CONTROL = "\u0001";
  static final String LONE_SURROGATE = "\uD800";
  static Harness h;
  static Agent cm;
  static Agent agent;
  static WebClient browser;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    cm = h.newAgent("cody", "community");
    agent = h.newAgent("ann", "agent");
    browser = h.publicBrowser();
    h.standIn().timeline().account("401", "wendy", "Wendy Wu", 40);
  }

  @AfterAll
  static void stop() { h.close(); }

  static HttpResponse<Buffer> get(String path) {
    return browser.get(path).timeout(TIMEOUT_MS).send().await();
  }

  /** The whole cycle for one question: asked on X, answered with a new KB article, clustered, promoted; the draft. */
  static JsonObject promoted(String tweet, String kbTitle) {
    return promoted(tweet, kbTitle, "Open Settings.");
  }

  /** As above, the article's one step {@code step}: the draft's answer is the article's steps, so the step reaches the feeds. */
  static JsonObject promoted(String tweet, String kbTitle, String step) {
    String kb = cm.post("/api/kb/articles", new JsonObject().put("title", kbTitle).put("question", kbTitle + "?")
      .put("steps", new JsonArray().add(step)).put("tags", new JsonArray().add("account")).put("status", "published"))
      .expect(201).json().getString("id");
    var post = h.standIn().timeline().publish("401", tweet, null, null, h.clock().instant().minus(Duration.ofHours(1)));
    String caseId = "c" + post.id();
    eventually("case " + caseId, Duration.ofSeconds(15), () -> agent.get("/api/cases/" + caseId).status() == 200);
    agent.post("/api/cases/" + caseId + "/reply", new JsonObject().put("text", "@wendy here is how (" + caseId.substring(caseId.length() - 6) + ")").put("kbArticleId", kb)).expect(201);
    eventually("clustered", Duration.ofSeconds(10), () -> clusterOf(caseId) != null);
    return cm.post("/api/clusters/" + clusterOf(caseId).getString("id") + "/promote", null).expect(201).json();
  }

  static JsonObject clusterOf(String caseId) {
    for (Object o : cm.get("/api/clusters?days=30&minSize=1").expect(200).json().getJsonArray("items")) {
      JsonObject c = (JsonObject) o;
      if (c.getJsonArray("examples").stream().anyMatch(e -> caseId.equals(((JsonObject) e).getString("caseId")))) return c;
    }
    return null;
  }

  static SyndEntry entry(String format, String slug) throws Exception {
    var feed = get("/blog/feed." + format);
    assertEquals(200, feed.statusCode(), feed.bodyAsString());
    SyndFeed parsed = new SyndFeedInput().build(new StringReader(feed.bodyAsString()));
    return parsed.getEntries().stream().filter(e -> e.getLink().endsWith("/blog/" + slug)).findFirst().orElseThrow();
  }

  static void assertClean(String text, String where) {
    assertFalse(text.contains(CONTROL), where + " holds U+0001");
    assertFalse(text.contains(LONE_SURROGATE), where + " holds a lone surrogate");
  }

  @Test
  @DisplayName("a tweet holding U+0001, promoted and published unedited, reaches both feeds, the post and the KB page without it")
  void forbiddenCharacters() throws Exception {
    // The customer's words reach the post as a quote; the body is the KB article's steps, staff text with the same character.
    JsonObject draft = promoted("@AcmeCloud how do I rotate my API key" + CONTROL + "? it says " + CONTROL + "expired" + LONE_SURROGATE, "Rotate your API key",
      "Open Settings" + CONTROL + ", then API keys.");
    String postId = draft.getString("id");
    assertTrue(draft.getJsonArray("quotes").getJsonObject(0).getString("text").contains(CONTROL),
      "the customer's character is stored as X sent it: " + draft.getJsonArray("quotes"));
    assertTrue(draft.getString("body").contains(CONTROL), "the article's character is stored as written: " + draft.getString("body"));
    String slug = cm.post("/api/blog/posts/" + postId + "/publish", new JsonObject().put("proactiveTweet", false)).expect(200).json().getString("slug");

    for (String format : List.of("atom", "rss")) {
      SyndEntry e = entry(format, slug);
      String text = e.getDescription().getValue();
      assertTrue(text.contains("Open Settings, then API keys."), format + ": " + text);
      assertClean(text, format);
      assertClean(e.getTitle(), format + " title");
    }
    var page = get("/blog/" + slug);
    assertEquals(200, page.statusCode());
    assertClean(page.bodyAsString(), "the post page");
    assertTrue(page.bodyAsString().contains("rotate my API key? it says expired"));
    assertClean(get("/blog/").bodyAsString(), "the blog index");

    // Staff text too: an edit carrying control characters as JSON escapes, as a script or browser may send them. (A
    // lone surrogate cannot get this far: JSON over UTF-8 and BSON storage replace it; BlogFeedsTest writes one.)
    var edit = cm.putRaw("/api/blog/posts/" + postId, "application/json",
      "{\"title\":\"Rotating \\u0001an API key\",\"body\":\"Step \\u0002one.\\n\\nStep \\u001ftwo\\u0000.\"}").expect(200);
    assertTrue(edit.json().getString("body").contains("\u001f"), "stored as sent");
    for (String format : List.of("atom", "rss")) {
      SyndEntry e = entry(format, slug);
      assertEquals("Rotating an API key", e.getTitle(), format);
      String text = e.getDescription().getValue();
      assertTrue(text.contains("Step one.") && text.contains("Step two."), format + ": " + text);
      assertFalse(text.matches("(?s).*[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F].*"), format + " holds a control character: " + text);
    }

    // The KB page and its JSON-LD: an article whose question and steps hold the same characters.
    var article = cm.postRaw("/api/kb/articles", "application/json", "{\"title\":\"Find your invoices\",\"question\":\"Where are my invoices\\u0001?\","
        + "\"steps\":[\"Open Billing\\u0001.\"],\"tags\":[\"billing\"],\"status\":\"published\"}").expect(201);
    String kbHtml = get("/kb/" + article.json().getString("slug")).bodyAsString();
    assertClean(kbHtml, "the KB page");
    int ld = kbHtml.indexOf("<script type=\"application/ld+json\">");
    JsonObject jsonLd = new JsonObject(kbHtml.substring(ld + 35, kbHtml.indexOf("</script>", ld)));
    String question = jsonLd.getJsonArray("mainEntity").getJsonObject(0).getString("name");
    assertClean(question, "the JSON-LD");
    assertTrue(question.startsWith("Where are my invoices"), question);
    assertClean(jsonLd.getJsonArray("mainEntity").getJsonObject(0).getJsonObject("acceptedAnswer").getString("text"), "the JSON-LD answer");
  }

  static final String SCRIPT = "<script>alert(1)</script>";
  static final String IMG = "<img src=x onerror=alert(2)>";

  /** The feed as XML (strictly: namespaces, no DOCTYPE), for the raw elements a reader decodes. */
  static Document xml(String format) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    var feed = get("/blog/feed." + format);
    assertEquals(200, feed.statusCode());
    return f.newDocumentBuilder().parse(new InputSource(new StringReader(feed.bodyAsString())));
  }

  static Element child(Element parent, String name) {
    NodeList l = parent.getElementsByTagNameNS("*", name);
    assertTrue(l.getLength() > 0, "no <" + name + ">");
    return (Element) l.item(0);
  }

  static Element item(Document d, String entryTag, String slug) {
    NodeList items = d.getElementsByTagNameNS("*", entryTag);
    for (int i = 0; i < items.getLength(); i++) {
      Element e = (Element) items.item(i);
      NodeList links = e.getElementsByTagNameNS("*", "link");
      for (int j = 0; j < links.getLength(); j++) {
        Element l = (Element) links.item(j);
        if ((l.getTextContent() + l.getAttribute("href")).endsWith("/blog/" + slug)) return e;
      }
    }
    throw new AssertionError("no " + entryTag + " for " + slug);
  }

  /** What a reader shows when it renders the decoded value as HTML: the hostile text as text, and no element of it. */
  static void rendersAsText(String decoded, String where, String... texts) {
    var html = Jsoup.parseBodyFragment(decoded);
    assertTrue(html.select("script, img").isEmpty(), where + " renders as markup: " + decoded);
    for (String t : texts) assertTrue(html.text().contains(t), where + " should show " + t + " as text: " + html.text());
  }

  @Test
  @DisplayName("RSS titles and descriptions render as text in a reader: a quoted script or img is shown, never made; Atom stays type=\"text\"")
  void markupStaysText() throws Exception {
    // Customer text reaches the feeds through the article the draft is written from: its step holds the markup.
    JsonObject draft = promoted("@AcmeCloud how do I export invoices? " + SCRIPT + " " + IMG, "Export your invoices",
      "Open Billing " + SCRIPT + " " + IMG);
    String postId = draft.getString("id");
    // Staff text: a title with markup in it.
    cm.put("/api/blog/posts/" + postId, new JsonObject().put("title", "Exporting invoices " + SCRIPT + " " + IMG)).expect(200);
    String slug = cm.post("/api/blog/posts/" + postId + "/publish", new JsonObject().put("proactiveTweet", false)).expect(200).json().getString("slug");

    // RSS, read by a DOM parser: the element values a reader decodes and then renders as HTML.
    Element rssItem = item(xml("rss"), "item", slug);
    rendersAsText(child(rssItem, "title").getTextContent(), "RSS title", "Exporting invoices " + SCRIPT + " " + IMG);
    rendersAsText(child(rssItem, "description").getTextContent(), "RSS description", "Open Billing " + SCRIPT + " " + IMG);
    // And by Rome, as a feed reader library sees it.
    SyndEntry rss = entry("rss", slug);
    rendersAsText(rss.getTitle(), "RSS title (Rome)", SCRIPT, IMG);
    rendersAsText(rss.getDescription().getValue(), "RSS description (Rome)", SCRIPT, IMG);

    // Atom says type="text": the value is shown as it is, which is the hostile text as text.
    Element atomEntry = item(xml("atom"), "entry", slug);
    Element title = child(atomEntry, "title");
    Element summary = child(atomEntry, "summary");
    assertTrue(title.getAttribute("type").isEmpty() || title.getAttribute("type").equals("text"), "Atom title type: " + title.getAttribute("type"));
    assertEquals("text", summary.getAttribute("type"));
    assertEquals("Exporting invoices " + SCRIPT + " " + IMG, title.getTextContent());
    assertTrue(summary.getTextContent().contains("Open Billing " + SCRIPT + " " + IMG), summary.getTextContent());
    SyndEntry atom = entry("atom", slug);
    assertEquals("text", atom.getDescription().getType());
    // What a reader does with type="text" before showing it as HTML: escape it. The same check then finds text.
    rendersAsText(org.jsoup.nodes.Entities.escape(atom.getDescription().getValue()), "Atom summary", SCRIPT, IMG);
    rendersAsText(org.jsoup.nodes.Entities.escape(atom.getTitle()), "Atom title", SCRIPT, IMG);
  }

  @Test
  @DisplayName("a page or feed that fails to render answers 500 with JSON instead of never answering")
  void renderFailureAnswers() {
    // A published post without tags or dates (written by hand, or by an older version): a real server fault.
    JsonObject broken = new JsonObject().put("_id", "broken-post-1").put("clusterId", "qc-broken").put("slug", "broken-post")
      .put("title", "Broken").put("question", "q").put("body", "b").put("status", "published");
    h.mongo().insert(BlogService.POSTS, broken).await();
    try {
      for (String path : List.of("/blog/feed.atom", "/blog/feed.rss", "/blog/", "/blog/broken-post")) {
        var r = get(path);
        assertEquals(500, r.statusCode(), path + ": " + r.bodyAsString());
        assertEquals("internal", r.bodyAsJsonObject().getString("error"), path);
        assertTrue(r.getHeader("content-type").startsWith("application/json"), path);
      }
    } finally {
      h.mongo().removeDocument(BlogService.POSTS, new JsonObject().put("_id", "broken-post-1")).await();
    }
    assertEquals(200, get("/blog/feed.atom").statusCode(), "the feed answers again once the post is gone");
  }
}
