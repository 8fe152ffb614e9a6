package io.careloop.blog;

import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.careloop.x.standin.Fault;
import io.careloop.x.standin.StandInTimeline;
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
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("The virtuous cycle: answered questions cluster, become blog posts and feed entries, and a proactive tweet points to them")
class VirtuousCycleTest {
  static final String PUBLIC = "http://localhost:0";
  static Harness h;
  static Agent cm;
  static Agent agent;
  static Agent lead;
  static WebClient browser;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    cm = h.newAgent("cora", "community");
    agent = h.newAgent("abe", "agent");
    lead = h.newAgent("lee", "lead");
    browser = h.publicBrowser();
    StandInTimeline t = h.standIn().timeline();
    t.account("301", "sue_storm", "Sue Storm", 40);
    t.account("302", "tom", "Tom Rowe", 40);
    t.protectedAccount("303", "pat_private", "Pat Private", 40);
    t.account("304", "ula", "Ula Berg", 40);
    t.account("305", "vic", "Vic Lane", 40);
  }

  @AfterAll
  static void stop() { h.close(); }

  /** A customer asks (at {@code askedAt}), an agent answers with the KB article; returns the case id. */
  static String askAndAnswer(String authorId, String text, String kbArticleId, Instant askedAt) {
    return askAndAnswer(authorId, text, kbArticleId, askedAt, (handle, caseId) -> "@" + handle + " here is how (" + caseId.substring(caseId.length() - 6) + "): " + PUBLIC + "/l/abcdefgh");
  }

  /** As above, the agent's reply written by {@code reply} from the customer's handle and the case id. */
  static String askAndAnswer(String authorId, String text, String kbArticleId, Instant askedAt,
                             java.util.function.BinaryOperator<String> reply) {
    var post = h.standIn().timeline().publish(authorId, text, null, null, askedAt);
    String caseId = "c" + post.id();
    eventually("case " + caseId, Duration.ofSeconds(15), () -> agent.get("/api/cases/" + caseId).status() == 200);
    String handle = h.standIn().timeline().account(authorId).handle();
    JsonObject replied = new JsonObject().put("text", reply.apply(handle, caseId));
    if (kbArticleId != null) replied.put("kbArticleId", kbArticleId);
    assertEquals("posted", agent.post("/api/cases/" + caseId + "/reply", replied).expect(201).json().getString("state"));
    return caseId;
  }

  static String article(String title, String question) {
    return cm.post("/api/kb/articles", new JsonObject().put("title", title).put("question", question)
      .put("steps", new JsonArray().add("Open Settings.").add("Choose " + title + ".")).put("tags", new JsonArray().add("account"))
      .put("status", "published")).expect(201).json().getString("id");
  }

  static JsonObject clusterOf(String caseId) {
    JsonArray items = cm.get("/api/clusters?days=30").expect(200).json().getJsonArray("items");
    for (Object o : items) {
      JsonObject c = (JsonObject) o;
      if (c.getJsonArray("examples").stream().anyMatch(e -> caseId.equals(((JsonObject) e).getString("caseId")))) return c;
    }
    return null;
  }

  static HttpResponse<Buffer> get(String path) {
    return browser.get(path).send().await();
  }

  static long brandPosts(Predicate<String> text) {
    return h.standIn().timeline().all().stream()
      .filter(p -> Harness.BRAND_ID.equals(p.authorId()) && p.inReplyToId() == null && text.test(p.text())).count();
  }

  static SyndFeed parseStrictly(String xml) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    return new SyndFeedInput().build(new StringReader(xml));
  }

  @Test
  @DisplayName("promote → edit → publish with a proactive tweet → blog, tag page and both feeds; conditional GET; unpublish → 410")
  void wholeCycle() throws Exception {
    String kb = article("Reset your password", "How do I reset my password?");
    Instant now = h.clock().instant();
    String first = askAndAnswer("301", "@AcmeCloud how do I reset my password? <script>alert(1)</script>", kb, now.minus(Duration.ofDays(9)));
    askAndAnswer("302", "@AcmeCloud forgot my password, how can I reset it", kb, now.minus(Duration.ofDays(2)));
    askAndAnswer("303", "@AcmeCloud password reset link never arrives", kb, now.minus(Duration.ofDays(1)));
    askAndAnswer("304", "@AcmeCloud do you have an office in Lisbon?", null, now.minus(Duration.ofHours(1)));

    eventually("the password cluster", Duration.ofSeconds(10), () -> {
      JsonObject c = clusterOf(first);
      return c != null && c.getInteger("size") == 3;
    });
    JsonObject cluster = clusterOf(first);
    assertEquals(kb, cluster.getString("kbArticleId"));
    assertTrue(cluster.getBoolean("suggested"), "three KB-linked answers reach the promotion threshold");
    assertEquals(3, cluster.getInteger("asked"));
    assertEquals(1, cm.get("/api/clusters?days=7").json().getJsonArray("items").stream()
      .filter(c -> ((JsonObject) c).getString("id").equals(cluster.getString("id"))).map(c -> ((JsonObject) c).getInteger("asked")).findFirst().orElse(0) == 2 ? 1 : 0,
      "the 7-day window leaves out the mention of nine days ago");
    lead.get("/api/clusters").expect(200);
    lead.post("/api/clusters/" + cluster.getString("id") + "/promote", null).expect(403);
    agent.get("/api/clusters").expect(403);

    // Four promotions at once (two managers double-clicking, or on two nodes) make one draft.
    var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    List<java.util.concurrent.Future<JsonObject>> racing = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) racing.add(pool.submit(() -> cm.post("/api/clusters/" + cluster.getString("id") + "/promote", null).expect(201).json()));
    JsonObject draft = racing.get(0).get();
    for (var other : racing) assertEquals(draft.getString("id"), other.get().getString("id"), "simultaneous promotions answer one draft");
    pool.shutdown();
    assertEquals(1, h.count(io.careloop.blog.BlogService.POSTS, new JsonObject().put("clusterId", cluster.getString("id"))));
    assertEquals("draft", draft.getString("status"));
    assertNull(draft.getString("slug"));
    assertEquals(kb, draft.getString("kbArticleId"));
    List<String> quotedBy = draft.getJsonArray("quotes").stream().map(q -> ((JsonObject) q).getString("by")).toList();
    assertTrue(quotedBy.contains("@sue_storm"));
    assertFalse(quotedBy.contains("@pat_private"), "a protected account is never quoted");
    assertEquals(quotedBy.size(), new java.util.HashSet<>(quotedBy).size(), "one quote per customer: " + quotedBy);
    assertEquals("How do I reset my password?", draft.getString("title"), "the title is the question");
    String body = draft.getString("body");
    assertTrue(body.contains("1. Open Settings.\n2. Choose Reset your password."), "the answer is the article's steps: " + body);
    assertTrue(body.contains(PUBLIC + "/kb/reset-your-password"), "the draft links the KB article: " + body);
    assertFalse(body.contains("here is how") || body.contains("/l/abcdefgh"), "the reply is not the answer when there is an article: " + body);
    assertEquals(draft.getString("id"), cm.post("/api/clusters/" + cluster.getString("id") + "/promote", null).expect(201).json().getString("id"),
      "promoting again answers the same draft");
    String postId = draft.getString("id");

    JsonObject edited = cm.put("/api/blog/posts/" + postId, new JsonObject().put("title", "How do I reset my password?")
      .put("tags", new JsonArray().add("account").add("password"))).expect(200).json();
    assertEquals(2, edited.getInteger("revision"));
    cm.put("/api/blog/posts/" + postId, new JsonObject().put("title", "x".repeat(500))).expect(400);

    JsonObject preview = cm.post("/api/blog/posts/" + postId + "/tweet-preview", null).expect(200).json();
    assertTrue(preview.getString("text").startsWith("Wondering how to reset your password? So was one of our customers: " + PUBLIC + "/l/"),
      preview.getString("text"));
    assertTrue(preview.getBoolean("valid"));

    JsonObject published = cm.post("/api/blog/posts/" + postId + "/publish", new JsonObject().put("proactiveTweet", true)).expect(200).json();
    assertEquals("published", published.getString("status"));
    String slug = published.getString("slug");
    assertEquals("how-do-i-reset-my-password", slug);
    assertEquals("posted", published.getJsonObject("tweet").getString("state"));
    assertEquals(1, brandPosts(t -> t.startsWith("Wondering how to reset your password?")));

    // Publishing again, or asking for the tweet again, never tweets twice; the slug never changes.
    cm.put("/api/blog/posts/" + postId, new JsonObject().put("title", "Resetting a forgotten password")).expect(200);
    assertEquals(slug, cm.post("/api/blog/posts/" + postId + "/publish", new JsonObject().put("proactiveTweet", true)).expect(200).json().getString("slug"));
    cm.post("/api/blog/posts/" + postId + "/tweet", null).expect(200);
    assertEquals(1, brandPosts(t -> t.startsWith("Wondering how to reset your password?")));

    List<JsonObject> tweeted = lead.get("/api/audit?action=blog.tweeted").expect(200).json().getJsonArray("items").stream()
      .map(e -> (JsonObject) e).filter(e -> postId.equals(e.getString("target"))).toList();
    assertEquals(1, tweeted.size(), "the proactive tweet is in the audit log, once");
    assertEquals("cora", tweeted.get(0).getString("actor"));
    assertTrue(lead.get("/api/audit?action=blog.published").json().getJsonArray("items").stream()
      .anyMatch(e -> postId.equals(((JsonObject) e).getString("target"))));

    // The tweet's link resolves to the post and is counted.
    String link = published.getJsonObject("tweet").getString("link");
    var followed = get(link.substring(PUBLIC.length()));
    assertEquals(302, followed.statusCode());
    assertEquals("/blog/" + slug, followed.getHeader("Location"));
    assertEquals(1L, cm.get("/api/blog/posts/" + postId).json().getLong("clicks"));

    var page = get("/blog/" + slug);
    assertEquals(200, page.statusCode());
    String html = page.bodyAsString();
    assertTrue(html.contains("Resetting a forgotten password"));
    assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "the quoted tweet is shown as text");
    assertFalse(html.contains("<script>alert"));
    assertTrue(html.contains("href=\"" + PUBLIC + "/kb/reset-your-password\""), "links to the KB article");
    assertTrue(html.contains("https://x.com/AcmeCloud/status/" + published.getJsonObject("tweet").getString("xTweetId")), "shows the proactive tweet");
    assertTrue(get("/blog/").bodyAsString().contains("/blog/" + slug));
    assertTrue(get("/blog/tag/password").bodyAsString().contains("/blog/" + slug));
    assertEquals(404, get("/blog/tag/nothing-here").statusCode());

    for (String format : List.of("atom", "rss")) {
      var feed = get("/blog/feed." + format);
      assertEquals(200, feed.statusCode());
      assertEquals("application/" + format + "+xml; charset=utf-8", feed.getHeader("content-type"));
      SyndFeed parsed = parseStrictly(feed.bodyAsString());
      SyndEntry entry = parsed.getEntries().stream().filter(e -> e.getLink().endsWith("/blog/" + slug)).findFirst().orElseThrow();
      assertEquals(PUBLIC + "/blog/" + slug, entry.getLink(), "absolute link in the " + format + " feed");
      assertEquals("Resetting a forgotten password", entry.getTitle());
      if (format.equals("atom")) assertNotNull(entry.getUpdatedDate(), "atom entries carry updated");
      assertTrue(parsed.getLink().startsWith(PUBLIC));

      // Conditional GET: by ETag, and by date.
      var byTag = browser.get("/blog/feed." + format).putHeader("If-None-Match", feed.getHeader("ETag")).send().await();
      assertEquals(304, byTag.statusCode());
      assertNull(byTag.body());
      var byDate = browser.get("/blog/feed." + format).putHeader("If-Modified-Since", feed.getHeader("Last-Modified")).send().await();
      assertEquals(304, byDate.statusCode());
      assertEquals(200, browser.get("/blog/feed." + format).putHeader("If-None-Match", "\"stale\"").send().await().statusCode());
    }
    assertEquals(304, browser.get("/blog/" + slug).putHeader("If-None-Match", page.getHeader("ETag")).send().await().statusCode());

    // The effect and the funnel.
    JsonObject effect = cm.get("/api/clusters/" + cluster.getString("id")).expect(200).json().getJsonObject("effect");
    assertTrue(effect.getBoolean("published"));
    assertEquals(3, effect.getJsonArray("weeksBefore").stream().mapToInt(i -> (Integer) i).sum(), "all three askings came before the post");
    assertEquals(1L, effect.getLong("postLinkClicks"));
    assertEquals(effect.getJsonArray("weeksBefore"), cm.get("/api/blog/posts/" + postId).json().getJsonObject("effect").getJsonArray("weeksBefore"),
      "the post shows its cluster's effect");
    JsonObject funnel = lead.get("/api/cycle/funnel?days=30").expect(200).json();
    assertTrue(funnel.getLong("mentions") >= 4);
    assertTrue(funnel.getLong("answeredWithKbLink") >= 3);
    assertTrue(funnel.getLong("published") >= 1);
    assertTrue(funnel.getLong("proactiveTweets") >= 1);
    assertTrue(funnel.getLong("blogAndFeedViews") >= 3);
    assertTrue(funnel.getLong("clicks") >= 1);

    // Answer sync: retracting the KB article lists the open cases and the blog post built on it.
    JsonObject retracted = cm.put("/api/kb/articles/" + kb, new JsonObject().put("title", "Reset your password")
      .put("question", "How do I reset my password?").put("steps", new JsonArray().add("Open Settings.")).put("status", "draft")).expect(200).json();
    JsonObject affected = retracted.getJsonObject("affected");
    assertEquals(3, affected.getJsonArray("openCases").size(), "the three answered cases are still open (replied)");
    assertTrue(affected.getJsonArray("posts").stream().anyMatch(p -> postId.equals(((JsonObject) p).getString("id"))));

    // Unpublish: 410 for the page, gone from the feeds.
    cm.post("/api/blog/posts/" + postId + "/unpublish", null).expect(200);
    assertEquals(410, get("/blog/" + slug).statusCode());
    assertTrue(parseStrictly(get("/blog/feed.atom").bodyAsString()).getEntries().stream().noneMatch(e -> e.getLink().endsWith("/blog/" + slug)));
    assertFalse(get("/blog/").bodyAsString().contains("/blog/" + slug));
  }

  @Test
  @DisplayName("a cluster without an article drafts the reply without its greeting, and quotes a repeated question once")
  void draftWithoutArticle() throws Exception {
    Instant now = h.clock().instant();
    java.util.function.BinaryOperator<String> reply = (handle, caseId) ->
      "Hi @" + handle + ", this should help: " + PUBLIC + "/l/" + caseId.substring(caseId.length() - 8) + " ^JD";
    String first = askAndAnswer("301", "@AcmeCloud how do I change the billing email on my invoices?", null, now.minus(Duration.ofHours(4)), reply);
    String second = askAndAnswer("302", "@AcmeCloud how do I change the billing email on my invoices?", null, now.minus(Duration.ofHours(3)), reply);
    String third = askAndAnswer("304", "@AcmeCloud How do I change the billing email on my invoices??", null, now.minus(Duration.ofHours(2)), reply);
    String other = askAndAnswer("305", "@AcmeCloud invoices keep going to my old address, can I change the billing email?", null, now.minus(Duration.ofHours(1)), reply);
    // Every answer is clustered in its turn: all four placed (joined or on their own) before asking where they went.
    eventually("the four answers clustered", Duration.ofSeconds(10), () -> h.count("cluster_members",
      new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray().add(first).add(second).add(third).add(other)))) == 4);
    eventually("the billing cluster", Duration.ofSeconds(10), () -> clusterOf(first) != null && clusterOf(first).getInteger("size") >= 3);
    String clusterId = clusterOf(first).getString("id");
    boolean otherWordsJoined = clusterOf(other) != null && clusterId.equals(clusterOf(other).getString("id"));
    JsonObject draft = cm.post("/api/clusters/" + clusterId + "/promote", null).expect(201).json();
    String body = draft.getString("body");
    assertFalse(body.contains("Hi ,") || body.contains("Hi,") || body.contains("Hi @"), "no greeting left behind: " + body);
    assertFalse(body.contains("^JD") || body.contains("@") || body.contains("/l/"), "no signature, handle or tracked link: " + body);
    assertTrue(body.contains("This should help"), body);
    assertTrue(draft.getString("title").endsWith("?") && !draft.getString("title").contains("@"), draft.getString("title"));
    List<String> quoted = draft.getJsonArray("quotes").stream().map(q -> ((JsonObject) q).getString("text")).toList();
    List<String> normalised = quoted.stream().map(q -> q.toLowerCase().replaceAll("[^a-z0-9]+", " ").trim()).toList();
    assertEquals(normalised.size(), new java.util.HashSet<>(normalised).size(), "no quote twice: " + quoted);
    assertTrue(quoted.stream().noneMatch(q -> q.startsWith("@")), "quotes lose the reply handles: " + quoted);
    // Three customers asked in the same words: one of them is quoted, not all three.
    assertEquals(otherWordsJoined ? 2 : 1, quoted.size(), "the same words once, other words (when clustered with them) too: " + quoted);

    // Anonymising after the fact re-picks the same customers' words, without their names; and back.
    JsonObject anonymised = cm.put("/api/blog/posts/" + draft.getString("id"), new JsonObject().put("anonymise", true)).expect(200).json();
    assertEquals(quoted.size(), anonymised.getJsonArray("quotes").size());
    assertTrue(anonymised.getJsonArray("quotes").stream().allMatch(q -> "A customer".equals(((JsonObject) q).getString("by"))
      && ((JsonObject) q).getString("handle") == null), anonymised.getJsonArray("quotes").encode());
    JsonObject named = cm.put("/api/blog/posts/" + draft.getString("id"), new JsonObject().put("anonymise", false)).expect(200).json();
    assertEquals(draft.getJsonArray("quotes"), named.getJsonArray("quotes"), "the same quotes as first drafted");

    // Published, the post and its feed entry carry the same clean text.
    cm.put("/api/blog/posts/" + draft.getString("id"), new JsonObject().put("title", "Changing the billing email")).expect(200);
    String slug = cm.post("/api/blog/posts/" + draft.getString("id") + "/publish", new JsonObject().put("proactiveTweet", false)).expect(200).json().getString("slug");
    String page = get("/blog/" + slug).bodyAsString();
    String atom = get("/blog/feed.atom").bodyAsString();
    for (String text : List.of(page, atom)) assertFalse(text.contains("Hi ,") || text.contains("^JD"), "clean on the page and in the feed");
  }

  @Test
  @DisplayName("the blog index pages ten posts at a time, newest first; a page past the end is 404")
  void pagination() {
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    for (int i = 1; i <= 12; i++) {
      JsonObject date = new JsonObject().put("$date", t0.plus(Duration.ofDays(i)).toString());
      h.mongo().insert(BlogService.POSTS, new JsonObject().put("_id", "00000000-p" + i).put("clusterId", "qc" + i)
        .put("slug", "paged-post-" + i).put("title", "Paged post " + i).put("question", "q").put("body", "b")
        .put("tags", new JsonArray().add("paging")).put("quotes", new JsonArray()).put("status", "published")
        .put("createdAt", date).put("updatedAt", date).put("publishedAt", date)).await();
    }
    String first = get("/blog/tag/paging").bodyAsString();
    assertTrue(first.contains("/blog/paged-post-12") && first.contains("/blog/paged-post-3"));
    assertFalse(first.contains("/blog/paged-post-2\""));
    assertTrue(first.replace("&#x3D;", "=").contains("href=\"/blog/tag/paging?page=2\""), "a link to older posts");
    String second = get("/blog/tag/paging?page=2").bodyAsString();
    assertTrue(second.contains("/blog/paged-post-2\"") && second.contains("/blog/paged-post-1\""));
    assertFalse(second.contains("/blog/paged-post-3\""));
    assertEquals(404, get("/blog/tag/paging?page=3").statusCode());
    assertEquals(404, get("/blog/?page=0").statusCode());
    assertEquals(404, get("/blog/?page=abc").statusCode());
  }

  @Test
  @DisplayName("an anonymised post names nobody: no handle, no name, no number, in the page or the feed")
  void anonymised() throws Exception {
    String kb = article("Export your data", "How do I export my data to CSV?");
    Instant now = h.clock().instant();
    String first = askAndAnswer("304", "@AcmeCloud how do I export my data to CSV? I'm Ula Berg, account 5551234", kb, now.minus(Duration.ofHours(3)));
    askAndAnswer("305", "@AcmeCloud export my data as csv please, @vic here", kb, now.minus(Duration.ofHours(2)));
    eventually("the export cluster", Duration.ofSeconds(10), () -> {
      JsonObject c = clusterOf(first);
      return c != null && c.getInteger("size") == 2;
    });
    JsonObject post = cm.post("/api/clusters/" + clusterOf(first).getString("id") + "/promote", new JsonObject().put("anonymise", true)).expect(201).json();
    cm.put("/api/blog/posts/" + post.getString("id"), new JsonObject().put("title", "Export your data to CSV")).expect(200);
    String slug = cm.post("/api/blog/posts/" + post.getString("id") + "/publish", new JsonObject().put("proactiveTweet", false)).expect(200).json().getString("slug");
    String page = get("/blog/" + slug).bodyAsString();
    String atom = get("/blog/feed.atom").bodyAsString();
    for (String text : List.of(page, atom)) {
      for (String identifying : List.of("ula", "Berg", "vic", "Lane", "5551234")) {
        assertFalse(java.util.regex.Pattern.compile("(?i)\\b" + identifying + "\\b").matcher(text).find(), identifying + " must not appear");
      }
    }
    assertTrue(page.contains("A customer"));
    assertEquals(0, brandPosts(t -> t.contains("Export your data")), "no tweet unless asked");
  }

  @Test
  @DisplayName("a published post's page offers the published posts closest in meaning, and not the unrelated ones")
  void relatedAnswers() {
    Instant now = h.clock().instant();
    String[][] topics = {
      {"Recover a forgotten password", "I forgot my password: how do I get a new one?", "@AcmeCloud forgot my password and the reset email never comes"},
      {"When the password reset email does not arrive", "The password reset email never arrived: what now?", "@AcmeCloud requested a password reset an hour ago and no email yet"},
      {"Download invoices as a spreadsheet", "Where can I download all my invoices?", "@AcmeCloud where do I download last year's invoices"}};
    List<String> slugs = new java.util.ArrayList<>();
    for (String[] topic : topics) {
      // Neighbouring questions may count as near-copies by meaning: saved on purpose, as an author can.
      String kb = cm.post("/api/kb/articles", new JsonObject().put("title", topic[0]).put("question", topic[1])
        .put("steps", new JsonArray().add("Open Settings.").add("Choose " + topic[0] + ".")).put("status", "published")
        .put("allowDuplicate", true)).expect(201).json().getString("id");
      String caseId = askAndAnswer("301", topic[2], kb, now.minus(Duration.ofHours(2)));
      askAndAnswer("302", topic[2] + " please", kb, now.minus(Duration.ofHours(1)));
      eventually("the cluster of " + caseId, Duration.ofSeconds(10), () -> clusterOf(caseId) != null);
      String postId = cm.post("/api/clusters/" + clusterOf(caseId).getString("id") + "/promote", null).expect(201).json().getString("id");
      cm.put("/api/blog/posts/" + postId, new JsonObject().put("title", topic[0])).expect(200);
      eventually("post " + postId + " embedded", Duration.ofSeconds(10),
        () -> h.count(io.careloop.blog.MongoBlogPostRepository.POSTS, new JsonObject().put("_id", postId).put("meaning.model", io.careloop.meaning.SentenceModel.ID)) == 1);
      slugs.add(cm.post("/api/blog/posts/" + postId + "/publish", new JsonObject().put("proactiveTweet", false)).expect(200).json().getString("slug"));
    }
    org.jsoup.nodes.Document password = org.jsoup.Jsoup.parse(get("/blog/" + slugs.get(0)).bodyAsString());
    List<String> related = password.select("nav.related a").eachAttr("href");
    assertTrue(related.contains(PUBLIC + "/blog/" + slugs.get(1)) || related.stream().anyMatch(u -> u.endsWith("/blog/" + slugs.get(1))), "a missing reset email is a neighbour of a forgotten password: " + related);
    assertFalse(related.stream().anyMatch(u -> u.endsWith("/blog/" + slugs.get(2))), "invoices are not: " + related);
    assertFalse(related.stream().anyMatch(u -> u.endsWith("/blog/" + slugs.get(0))), "never itself");
    org.jsoup.nodes.Document invoices = org.jsoup.Jsoup.parse(get("/blog/" + slugs.get(2)).bodyAsString());
    List<String> fromInvoices = invoices.select("nav.related a").eachAttr("href");
    assertFalse(fromInvoices.stream().anyMatch(u -> u.endsWith("/blog/" + slugs.get(0)) || u.endsWith("/blog/" + slugs.get(1))), "passwords are not near invoices: " + fromInvoices);
  }

  @Test
  @DisplayName("a proactive tweet whose answer was lost is found on X by the retry, not posted twice")
  void lostTweetAnswer() {
    String kb = article("Invite a teammate", "How do I invite a teammate?");
    Instant now = h.clock().instant();
    String first = askAndAnswer("301", "@AcmeCloud how do I invite a teammate to my workspace?", kb, now.minus(Duration.ofHours(5)));
    askAndAnswer("302", "@AcmeCloud how can I invite a colleague to our team workspace", kb, now.minus(Duration.ofHours(4)));
    eventually("the invite cluster", Duration.ofSeconds(10), () -> clusterOf(first) != null && clusterOf(first).getInteger("size") == 2);
    String postId = cm.post("/api/clusters/" + clusterOf(first).getString("id") + "/promote", null).expect(201).json().getString("id");
    cm.put("/api/blog/posts/" + postId, new JsonObject().put("title", "How do I invite a teammate?")).expect(200);
    h.standIn().inject(new Fault(Fault.Kind.LOSE_RESPONSE, 1, "/2/tweets", 0));
    JsonObject published = cm.post("/api/blog/posts/" + postId + "/publish",
      new JsonObject().put("proactiveTweet", true).put("text", "New on the blog: inviting teammates {{link}} #help")).expect(200).json();
    assertEquals("failed", published.getJsonObject("tweet").getString("state"));
    assertEquals(1, brandPosts(t -> t.startsWith("New on the blog: inviting teammates")), "X did get it");
    JsonObject retried = cm.post("/api/blog/posts/" + postId + "/tweet", null).expect(200).json();
    assertEquals("posted", retried.getString("state"));
    assertEquals(1, brandPosts(t -> t.startsWith("New on the blog: inviting teammates")), "adopted, not posted twice");
    assertEquals(2, cm.get("/api/blog/posts/" + postId).json().getJsonObject("tweet").getInteger("attempts"));
    JsonObject tooLong = cm.post("/api/blog/posts/" + postId + "/tweet-preview", new JsonObject().put("text", "é".repeat(300))).expect(200).json();
    assertFalse(tooLong.getBoolean("valid"));
  }

  @Test
  @DisplayName("merge, split and dismiss change the review and survive a restart")
  void reviewActions() {
    String a = askAndAnswer("305", "@AcmeCloud is the API rate limited?", null, h.clock().instant().minus(Duration.ofHours(6)));
    String b = askAndAnswer("304", "@AcmeCloud is the API rate limited per key?", null, h.clock().instant().minus(Duration.ofHours(6)));
    // A different question by meaning too (rate limits and quotas would be one: they mean the same).
    String c = askAndAnswer("302", "@AcmeCloud does the desktop app have a dark mode", null, h.clock().instant().minus(Duration.ofHours(5)));
    String d = askAndAnswer("301", "@AcmeCloud dark mode in the desktop app?", null, h.clock().instant().minus(Duration.ofHours(5)));
    eventually("two clusters", Duration.ofSeconds(10), () -> clusterOf(a) != null && clusterOf(c) != null);
    String limits = clusterOf(a).getString("id");
    String darkMode = clusterOf(c).getString("id");
    assertNotEquals(limits, darkMode);
    assertEquals(limits, clusterOf(b).getString("id"));

    JsonObject merged = cm.post("/api/clusters/" + darkMode + "/merge", new JsonObject().put("into", limits)).expect(200).json();
    assertEquals(4, merged.getInteger("size"));
    cm.post("/api/clusters/" + darkMode + "/merge", new JsonObject().put("into", limits)).expect(409);
    cm.post("/api/clusters/" + limits + "/merge", new JsonObject().put("into", limits)).expect(400);

    JsonObject split = cm.post("/api/clusters/" + limits + "/split", new JsonObject().put("caseIds", new JsonArray().add(c).add(d))).expect(200).json();
    assertEquals(2, split.getInteger("size"));
    assertEquals(2, cm.get("/api/clusters/" + limits).json().getInteger("size"));
    cm.post("/api/clusters/" + limits + "/split", new JsonObject().put("caseIds", new JsonArray().add("c1"))).expect(400);

    cm.post("/api/clusters/" + split.getString("id") + "/dismiss", null).expect(200);
    assertNull(clusterOf(c), "dismissed clusters leave the review");

    h.restart();
    cm = Agent.login(h.vertx(), h.port(), "cora", "cora-long-password");
    agent = Agent.login(h.vertx(), h.port(), "abe", "abe-long-password");
    lead = Agent.login(h.vertx(), h.port(), "lee", "lee-long-password");
    browser = h.publicBrowser();
    assertEquals(limits, clusterOf(a).getString("id"));
    assertEquals(2, clusterOf(a).getInteger("size"));
    assertNull(clusterOf(c));
    // After the restart the index still knows the split: a new dark-mode question goes to the dismissed cluster, not back.
    String e = askAndAnswer("305", "@AcmeCloud is there a dark mode for the desktop app?", null, h.clock().instant());
    eventually("clustered", Duration.ofSeconds(10), () -> h.count("cluster_members", new JsonObject().put("_id", e)) == 1);
    assertEquals(2, cm.get("/api/clusters/" + limits).json().getInteger("size"));
    assertEquals(3, cm.get("/api/clusters/" + split.getString("id")).json().getInteger("size"));
  }
}
