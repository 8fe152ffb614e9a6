package io.careloop.it;

import io.careloop.blog.BlogService;
import io.careloop.support.Agent;
import io.careloop.support.Axe;
import io.careloop.support.Harness;
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
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Every page a customer can open, and the console's sign-in page, has no axe-core violations, light and dark. */
@ExtendWith(VertxExtension.class)
@DisplayName("Public pages have no accessibility violations (axe-core, light and dark)")
class PublicPagesAxeIT {
  Harness h;
  WebDriver browser;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    h = Harness.start(vertx, dir.resolve("data"), Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    browser = ConsoleBrowserIT.chromium(Files.createDirectories(dir.resolve("profile")));
  }

  @AfterEach
  void stop() {
    if (browser != null) browser.quit();
    if (h != null) h.close();
  }

  /** The empty state of each page, as a new brand's customers first see it. */
  Map<String, String> emptyPages() {
    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("status", "/status");
    pages.put("blog-empty", "/blog/");
    pages.put("kb-empty", "/kb/");
    pages.put("kb-not-found", "/kb/no-such-answer");
    return pages;
  }

  /** A published KB answer, a published blog post linking to it (quotes, tags) and one taken down. */
  Map<String, String> filledPages() {
    Agent cm = h.newAgent("cole", "community");
    JsonObject kb = cm.post("/api/kb/articles", new JsonObject().put("title", "Reset your password").put("question", "How do I reset my password?")
      .put("product", "Acme Cloud").put("tags", new JsonArray().add("account"))
      .put("steps", new JsonArray().add("Open Settings > Security.").add("Choose Reset password.")).put("status", "published")).expect(201).json();
    String post = draft("00000000-ab01", "How do I reset my password?", kb.getString("id"));
    String slug = cm.post("/api/blog/posts/" + post + "/publish", new JsonObject()).expect(200).json().getString("slug");
    String gone = draft("00000000-ab02", "How do I export my invoices?", null);
    String goneSlug = cm.post("/api/blog/posts/" + gone + "/publish", new JsonObject()).expect(200).json().getString("slug");
    cm.post("/api/blog/posts/" + gone + "/unpublish", new JsonObject()).expect(200);

    Map<String, String> pages = new LinkedHashMap<>();
    pages.put("blog", "/blog/");
    pages.put("blog-post", "/blog/" + slug);
    pages.put("blog-tag", "/blog/tag/account");
    pages.put("blog-gone", "/blog/" + goneSlug);
    pages.put("kb", "/kb/");
    pages.put("kb-search", "/kb/?q=password");
    pages.put("kb-search-none", "/kb/?q=nothing+like+this");
    pages.put("kb-article", "/kb/" + kb.getString("slug"));
    pages.put("console-sign-in", "/");
    return pages;
  }

  String draft(String id, String title, String kbArticleId) {
    JsonObject date = new JsonObject().put("$date", Instant.parse("2026-01-01T00:00:00Z").toString());
    h.mongo().insert(BlogService.POSTS, new JsonObject().put("_id", id).put("clusterId", "qc-" + id)
      .put("title", title).put("question", title).put("body", "Open Settings, then Security.\nChoose Reset password and follow the email.")
      .put("kbArticleId", kbArticleId).put("tags", new JsonArray().add("account"))
      .put("quotes", new JsonArray().add(new JsonObject().put("text", "forgot my password, how can I reset it?").put("by", "a customer")))
      .put("status", "draft").put("createdAt", date).put("updatedAt", date)).await();
    return id;
  }

  @Test
  @DisplayName("status, blog (empty, list, post, tag, taken down), help centre (empty, search, article, not found) and the sign-in page")
  void everyPublicPage() throws Exception {
    List<String> failures = new ArrayList<>();
    check(emptyPages(), failures);
    check(filledPages(), failures);
    assertTrue(failures.isEmpty(), String.join("\n\n", failures));
  }

  @Test
  @DisplayName("the check is real: under the pages' CSP axe runs and names an image without alt text and unreadable grey text")
  void axeCatchesViolations() {
    browser.get("http://127.0.0.1:" + h.port() + "/kb/");
    ((JavascriptExecutor) browser).executeScript("var m = document.querySelector('main');"
      + "var i = document.createElement('img'); i.src = '/favicon.ico'; m.appendChild(i);"
      + "var p = document.createElement('p'); p.textContent = 'faint'; p.style.color = '#ccc'; m.appendChild(p);");
    JsonArray v = Axe.violations(browser);
    List<String> ids = v.stream().map(o -> ((JsonObject) o).getString("id")).toList();
    assertTrue(ids.contains("image-alt") && ids.contains("color-contrast"), "axe found " + ids);
    AssertionError e = assertThrows(AssertionError.class, () -> Axe.assertNoViolations(browser, "help centre"));
    assertTrue(e.getMessage().contains("image-alt [critical]") && e.getMessage().contains("<img"), e.getMessage());
  }

  /** Each page in the light then the dark scheme: axe, and a screenshot in target/screenshots to look at. */
  void check(Map<String, String> pages, List<String> failures) throws Exception {
    Path shots = Files.createDirectories(Path.of("target", "screenshots"));
    for (String scheme : List.of("light", "dark")) {
      Axe.colourScheme(browser, scheme);
      for (var page : pages.entrySet()) {
        browser.get("http://127.0.0.1:" + h.port() + page.getValue());
        assertFalse(browser.findElements(By.cssSelector("main, form")).isEmpty(), page.getKey() + " rendered nothing");
        assertEquals(scheme.equals("dark"), ((JavascriptExecutor) browser).executeScript(
          "return matchMedia('(prefers-color-scheme: dark)').matches;"), "the scheme is emulated");
        JsonArray v = Axe.violations(browser);
        if (!v.isEmpty()) failures.add(Axe.describe(page.getKey() + " " + scheme + " (" + page.getValue() + ")", v));
        Path png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(png, shots.resolve("public-" + page.getKey() + "-" + scheme + ".png"), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
