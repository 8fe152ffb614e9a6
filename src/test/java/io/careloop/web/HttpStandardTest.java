package io.careloop.web;

import io.careloop.blog.MongoBlogPostRepository;
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
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The public outputs to standard (RFC 9110, robots.txt, sitemaps, RSS best practice): HEAD wherever GET answers,
 * dates in IMF-fixdate, conditional GET on every public page, canonical redirects, and what crawlers ask for.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Public pages, feeds and probes answer HTTP as RFC 9110 says, and give crawlers robots.txt and a sitemap")
class HttpStandardTest {
  // http: an https public URL would make the session cookie Secure, which the test client does not send over http.
  static final String PUBLIC_URL = "http://help.example.com";
  static final Pattern IMF_FIXDATE = Pattern.compile(
    "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \\d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \\d{4} \\d{2}:\\d{2}:\\d{2} GMT$");
  /** Headers that differ between two answers to the same request by nature: the clock's second. */
  static final Set<String> PER_ANSWER = Set.of("date");
  static Harness h;
  static WebClient browser;
  static String article;
  static String draftArticle;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", "", "CARELOOP_PUBLIC_URL", PUBLIC_URL));
    browser = h.publicBrowser();
    Agent cm = h.newAgent("cora", "community");
    article = cm.post("/api/kb/articles", new JsonObject().put("title", "Export your invoices").put("question", "How do I export my invoices?")
      .put("steps", new JsonArray().add("Open Billing, then Export.")).put("tags", new JsonArray().add("billing")).put("status", "published"))
      .expect(201).json().getString("slug");
    draftArticle = cm.post("/api/kb/articles", new JsonObject().put("title", "Pair a smart speaker").put("question", "Can I pair a smart speaker?")
      .put("steps", new JsonArray().add("Not yet.")).put("tags", new JsonArray().add("devices")).put("status", "draft"))
      .expect(201).json().getString("slug");
    // Posts as the blog stores them: one published on the 2nd of a month (a one-digit day), one draft.
    h.mongo().insert(MongoBlogPostRepository.POSTS, post("p1", "published", "how-do-i-export")).await();
    h.mongo().insert(MongoBlogPostRepository.POSTS, post("p2", "draft", "unfinished-answer")).await();
  }

  @AfterAll
  static void stop() { h.close(); }

  static JsonObject post(String id, String status, String slug) {
    JsonObject when = new JsonObject().put("$date", "2026-11-02T10:00:00Z");
    return new JsonObject().put("_id", id).put("clusterId", "qc-" + id).put("title", "How do I export?").put("question", "how do I export")
      .put("body", "Open Billing.\n\nThen Export.").put("kbArticleId", null).put("tags", new JsonArray().add("billing"))
      .put("anonymise", false).put("quotes", new JsonArray()).put("status", status).put("slug", slug).put("views", 0)
      .put("revision", 1).put("author", "cora").put("createdAt", when).put("updatedAt", when)
      .put("publishedAt", "published".equals(status) ? when : null);
  }

  static HttpResponse<Buffer> get(String path) { return browser.get(path).send().await(); }

  static HttpResponse<Buffer> head(String path) { return browser.head(path).send().await(); }

  static HttpResponse<Buffer> get(String path, String header, String value) {
    return browser.get(path).putHeader(header, value).send().await();
  }

  static Map<String, String> headers(HttpResponse<Buffer> r, Set<String> except) {
    Map<String, String> all = new TreeMap<>();
    r.headers().forEach(e -> {
      String name = e.getKey().toLowerCase();
      if (!except.contains(name)) all.merge(name, e.getValue(), (a, b) -> a + ", " + b);
    });
    return all;
  }

  @Test
  @DisplayName("HEAD answers every public page, feed, the badge, the probes, the metrics and the contract with GET's status and headers and no body")
  void headIsGetWithoutBody() {
    List<String> paths = List.of("/kb/", "/kb/" + article, "/kb/no-such-article", "/blog/", "/blog/how-do-i-export", "/blog/tag/billing",
      "/blog/feed.atom", "/blog/feed.rss", "/status", "/status/badge.svg", "/health/live", "/health/ready", "/api/openapi.yaml",
      "/api/public/response-times", "/robots.txt", "/sitemap.xml", "/favicon.svg", "/public.css", "/", "/console/main.js", "/kb", "/blog",
      "/favicon.ico");
    for (String path : paths) {
      HttpResponse<Buffer> get = get(path);
      HttpResponse<Buffer> head = head(path);
      assertEquals(get.statusCode(), head.statusCode(), "HEAD " + path);
      if (!path.contains("no-such")) assertNotEquals(404, head.statusCode(), "HEAD " + path + " is answered");
      assertEquals(headers(get, PER_ANSWER), headers(head, PER_ANSWER), "HEAD " + path + ": the headers of GET");
      assertTrue(head.body() == null || head.body().length() == 0, "HEAD " + path + " has no body");
      if (get.statusCode() == 200) {
        assertEquals(String.valueOf(get.body().length()), head.getHeader("Content-Length"), "HEAD " + path + ": GET's Content-Length");
      }
    }
    // The metrics change with every scrape (the scrapes are counted): same status and type, a length of its own.
    HttpResponse<Buffer> get = get("/metrics");
    HttpResponse<Buffer> head = head("/metrics");
    assertEquals(200, get.statusCode());
    assertEquals(get.statusCode(), head.statusCode());
    assertEquals(get.getHeader("Content-Type"), head.getHeader("Content-Type"));
    assertTrue(Long.parseLong(head.getHeader("Content-Length")) > 0, "HEAD /metrics says how long the scrape is");
    assertTrue(head.body() == null || head.body().length() == 0);
  }

  @Test
  @DisplayName("every answer, dynamic or static, has a Date in IMF-fixdate, and Last-Modified is IMF-fixdate with a two-digit day")
  void datesAreImfFixdate() {
    for (String path : List.of("/kb/", "/kb/" + article, "/blog/", "/status", "/status/badge.svg", "/health/ready", "/metrics",
      "/api/openapi.yaml", "/robots.txt", "/public.css", "/favicon.svg", "/no-such-page", "/kb")) {
      HttpResponse<Buffer> r = get(path);
      String date = r.getHeader("Date");
      assertNotNull(date, path + " has a Date");
      assertTrue(IMF_FIXDATE.matcher(date).matches(), path + ": Date " + date);
      String modified = r.getHeader("Last-Modified");
      if (modified != null) assertTrue(IMF_FIXDATE.matcher(modified).matches(), path + ": Last-Modified " + modified);
    }
    assertEquals("Mon, 02 Nov 2026 10:00:00 GMT", get("/blog/how-do-i-export").getHeader("Last-Modified"), "the 2nd is 02");
    assertEquals("Mon, 02 Nov 2026 10:00:00 GMT", get("/blog/feed.rss").getHeader("Last-Modified"));
    for (String path : List.of("/kb/", "/kb/" + article, "/status", "/blog/")) {
      assertNotNull(get(path).getHeader("Last-Modified"), path + " has a Last-Modified");
    }
  }

  @Test
  @DisplayName("the help centre, an article and the status page carry ETag, Last-Modified and Cache-Control, and a current copy gets 304")
  void conditionalGet() {
    for (String path : List.of("/kb/", "/kb/" + article, "/status", "/status/badge.svg")) {
      HttpResponse<Buffer> first = get(path);
      assertEquals(200, first.statusCode(), path);
      String etag = first.getHeader("ETag");
      String modified = first.getHeader("Last-Modified");
      assertNotNull(etag, path + " has an ETag");
      assertNotNull(modified, path + " has a Last-Modified");
      assertEquals("public, max-age=60", first.getHeader("Cache-Control"), path);

      HttpResponse<Buffer> byTag = get(path, "If-None-Match", etag);
      assertEquals(304, byTag.statusCode(), path + " If-None-Match");
      assertTrue(byTag.body() == null || byTag.body().length() == 0, path + ": a 304 has no body");
      assertEquals(etag, byTag.getHeader("ETag"));
      assertEquals(304, get(path, "If-Modified-Since", modified).statusCode(), path + " If-Modified-Since");
      assertEquals(200, get(path, "If-None-Match", "\"something-else\"").statusCode(), path + ": another tag gets the page");
      assertEquals(200, get(path, "If-Modified-Since", "Thu, 01 Jan 1970 00:00:00 GMT").statusCode(), path + ": an older copy gets the page");
      // If-None-Match decides when both are sent (RFC 9110 §13.2.2).
      assertEquals(200, browser.get(path).putHeader("If-None-Match", "\"other\"").putHeader("If-Modified-Since", modified).send().await().statusCode());
    }
  }

  @Test
  @DisplayName("/blog and /kb redirect permanently to their canonical addresses with the slash (nothing of the request echoed)")
  void canonicalRedirects() {
    HttpResponse<Buffer> blog = get("/blog");
    assertEquals(301, blog.statusCode());
    assertEquals("/blog/", blog.getHeader("Location"));
    HttpResponse<Buffer> kb = get("/kb?q=invoices");
    assertEquals(301, kb.statusCode());
    assertEquals("/kb/", kb.getHeader("Location"));
    HttpResponse<Buffer> icon = get("/favicon.ico");
    assertEquals(301, icon.statusCode());
    assertEquals("/favicon.svg", icon.getHeader("Location"));
    HttpResponse<Buffer> svg = get("/favicon.svg");
    assertEquals(200, svg.statusCode());
    assertTrue(svg.getHeader("Content-Type").startsWith("image/svg+xml"), svg.getHeader("Content-Type"));
    assertTrue(get("/kb/").bodyAsString().contains("<link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">"), "public pages name the icon");
    assertTrue(get("/").bodyAsString().contains("<link rel=\"icon\" href=\"/favicon.svg\""), "the console names the icon");
  }

  @Test
  @DisplayName("robots.txt opens the public pages, closes the API, tracked links and the console, and names the sitemap")
  void robots() {
    HttpResponse<Buffer> r = get("/robots.txt");
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Type").startsWith("text/plain"));
    List<String> lines = r.bodyAsString().lines().toList();
    for (String line : List.of("User-agent: *", "Allow: /kb/", "Allow: /blog/", "Allow: /status", "Disallow: /api/", "Disallow: /l/",
      "Disallow: /", "Sitemap: " + PUBLIC_URL + "/sitemap.xml")) {
      assertTrue(lines.contains(line), "robots.txt has " + line + ": " + lines);
    }
  }

  @Test
  @DisplayName("sitemap.xml lists the published article and post with absolute addresses and lastmod, and no draft")
  void sitemap() throws Exception {
    HttpResponse<Buffer> r = get("/sitemap.xml");
    assertEquals(200, r.statusCode());
    assertTrue(r.getHeader("Content-Type").startsWith("application/xml"));
    Document doc = xml(r.bodyAsString());
    assertEquals(SiteIndex.SITEMAP_NS, doc.getDocumentElement().getNamespaceURI());
    assertEquals("urlset", doc.getDocumentElement().getLocalName());
    Map<String, String> lastmod = new TreeMap<>();
    NodeList urls = doc.getElementsByTagNameNS(SiteIndex.SITEMAP_NS, "url");
    for (int i = 0; i < urls.getLength(); i++) {
      Element url = (Element) urls.item(i);
      NodeList mod = url.getElementsByTagNameNS(SiteIndex.SITEMAP_NS, "lastmod");
      lastmod.put(url.getElementsByTagNameNS(SiteIndex.SITEMAP_NS, "loc").item(0).getTextContent(),
        mod.getLength() == 0 ? "" : mod.item(0).getTextContent());
    }
    assertTrue(lastmod.containsKey(PUBLIC_URL + "/kb/" + article), "the published article: " + lastmod);
    assertEquals("2026-11-02T10:00:00Z", lastmod.get(PUBLIC_URL + "/blog/how-do-i-export"), "the published post with its last change");
    assertFalse(lastmod.get(PUBLIC_URL + "/kb/" + article).isEmpty(), "the article's last change");
    assertFalse(lastmod.containsKey(PUBLIC_URL + "/kb/" + draftArticle), "no draft article");
    assertFalse(lastmod.containsKey(PUBLIC_URL + "/blog/unfinished-answer"), "no draft post");
    assertTrue(lastmod.keySet().stream().allMatch(u -> u.startsWith(PUBLIC_URL + "/")), "absolute addresses: " + lastmod.keySet());
  }

  @Test
  @DisplayName("the RSS feed names itself with atom:link rel=self and gives each post's permalink as its guid")
  void rssSelfAndGuid() throws Exception {
    Document doc = xml(get("/blog/feed.rss").bodyAsString());
    NodeList atomLinks = doc.getElementsByTagNameNS("http://www.w3.org/2005/Atom", "link");
    List<String> self = new ArrayList<>();
    for (int i = 0; i < atomLinks.getLength(); i++) {
      Element l = (Element) atomLinks.item(i);
      if ("self".equals(l.getAttribute("rel")) && "channel".equals(l.getParentNode().getNodeName())) self.add(l.getAttribute("href") + " " + l.getAttribute("type"));
    }
    assertEquals(List.of(PUBLIC_URL + "/blog/feed.rss application/rss+xml"), self);
    NodeList guids = doc.getElementsByTagName("guid");
    assertEquals(1, guids.getLength(), "one published post");
    Element guid = (Element) guids.item(0);
    assertEquals("true", guid.getAttribute("isPermaLink"));
    assertEquals(PUBLIC_URL + "/blog/how-do-i-export", guid.getTextContent());
  }

  @Test
  @DisplayName("with too few replies the badge is grey and says not enough data, and no public page says 1 minutes")
  void tooLittleData() {
    assertEquals("too-little-data", new JsonObject(get("/api/public/response-times").bodyAsString()).getString("state"));
    String badge = get("/status/badge.svg").bodyAsString();
    assertTrue(badge.contains("not enough data"), badge);
    assertTrue(badge.contains("fill=\"#9f9f9f\""), "grey: " + badge);
    assertFalse(badge.contains("#2e7d32"), "not green: " + badge);
    Pattern wrongPlural = PublicStatusTest.NO_PLURAL_OF_ONE_OR_NONE;
    for (String path : List.of("/status", "/kb/", "/kb/" + article, "/blog/", "/blog/how-do-i-export")) {
      assertFalse(wrongPlural.matcher(get(path).bodyAsString()).find(), path);
    }
    assertEquals("within 1 minute", StatusWords.within(60));
  }

  static Document xml(String text) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    return f.newDocumentBuilder().parse(new InputSource(new StringReader(text)));
  }
}
