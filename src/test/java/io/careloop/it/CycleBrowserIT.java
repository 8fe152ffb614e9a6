package io.careloop.it;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.careloop.x.standin.StandInTimeline;
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
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("The virtuous cycle in a real browser")
class CycleBrowserIT {
  static final String HOSTILE = "<img src=x onerror=\"window.__xss=1\"> <script>window.__xss=2</script> <a href=\"javascript:window.__xss=3\">x</a>"
    + " {{7*7}} \u202Eevil\u202C how do I reset my password?";
  Harness h;
  Browsers browsers;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) {
    h = Harness.start(vertx, dir.resolve("data"), Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    browsers = new Browsers(h, dir);
    h.newAgent("cole", "community");
  }

  @AfterEach
  void stop() {
    if (browsers != null) browsers.close();
    if (h != null) h.close();
  }

  /** Three customers ask how to reset a password (one of them with markup in the tweet); an agent answers each with the KB article. */
  void seedAnsweredQuestions() {
    Agent agent = h.newAgent("abe", "agent");
    Agent cm = Agent.login(h.vertx(), h.port(), "cole", "cole-long-password");
    String kb = cm.post("/api/kb/articles", new JsonObject().put("title", "Reset your password").put("question", "How do I reset my password?")
      .put("steps", new JsonArray().add("Open Settings > Security.").add("Choose Reset password.")).put("status", "published"))
      .expect(201).json().getString("id");
    StandInTimeline t = h.standIn().timeline();
    String[][] askers = {{"401", "mallory", HOSTILE}, {"402", "nina", "forgot my password, how can I reset it?"},
      {"403", "omar", "password reset link never arrives, how do I reset my password"}};
    for (String[] a : askers) {
      t.account(a[0], a[1], a[1], 10);
      var post = t.publish(a[0], "@AcmeCloud " + a[2], null, null);
      String caseId = "c" + post.id();
      eventually("case", Duration.ofSeconds(15), () -> agent.get("/api/cases/" + caseId).status() == 200);
      agent.post("/api/cases/" + caseId + "/reply", new JsonObject().put("text", "@" + a[1] + " Settings > Security > Reset password")
        .put("kbArticleId", kb)).expect(201);
    }
    eventually("clustered", Duration.ofSeconds(10), () -> h.count("cluster_members", new JsonObject()) == 3);
  }

  @Test
  @DisplayName("a community manager reviews clusters, promotes the top one, publishes with a proactive tweet, and opens the public post")
  void reviewPromotePublish() throws Exception {
    seedAnsweredQuestions();
    WebDriver b = browsers.signedIn("cole");
    WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(15));
    b.findElement(By.id("cycle-open")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cluster-list"), "Suggested for the blog"));
    WebElement top = b.findElement(By.cssSelector("#cluster-list > li"));
    assertTrue(top.getText().contains("asked 3 times"), top.getText());
    assertTrue(top.getText().contains(HOSTILE), "the hostile tweet is shown exactly as text");
    assertTrue(b.findElements(By.cssSelector("#cluster-list img, #cluster-list script, #cluster-list a")).isEmpty(), "and never becomes an element");
    String funnel = b.findElement(By.id("cycle-funnel")).getDomProperty("textContent");
    assertTrue(funnel.contains("3 answered with a KB link"), funnel);
    assertNull(((JavascriptExecutor) b).executeScript("return window.__xss"), "no script from a tweet ran in the console");
    screenshot(b, "cycle-review");

    top.findElement(By.xpath(".//button[text()='Promote to blog']")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("post-form")));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("post-tweet-count"), "/ 280"));
    WebElement title = b.findElement(By.id("post-title"));
    title.clear();
    title.sendKeys("How do I reset my password?");
    wait.until(d -> d.findElement(By.id("post-tweet-text")).getDomProperty("value").startsWith("Wondering how to reset your password? So was one of our customers: {{link}}"));
    assertTrue(b.findElement(By.id("post-tweet")).isSelected());
    b.findElement(By.id("post-publish")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("post-status"), "published at /blog/how-do-i-reset-my-password"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("post-tweet-state"), "Tweet posted"));
    screenshot(b, "cycle-published");
    long tweets = h.standIn().timeline().all().stream()
      .filter(p -> Harness.BRAND_ID.equals(p.authorId()) && p.inReplyToId() == null && p.text().startsWith("Wondering how to reset your password?")).count();
    assertEquals(1, tweets, "one proactive tweet on X");

    String href = b.findElement(By.id("post-public")).getDomProperty("href");
    b.get(href);
    wait.until(ExpectedConditions.titleContains("How do I reset my password?"));
    assertEquals("How do I reset my password?", b.findElement(By.tagName("h1")).getText());
    String quotes = b.findElement(By.cssSelector("section.quotes")).getText();
    assertTrue(quotes.contains(HOSTILE), "the quoted tweet reads exactly as written on the public page: " + quotes);
    assertTrue(b.findElements(By.cssSelector("section.quotes img, section.quotes script, section.quotes a")).isEmpty());
    assertNull(((JavascriptExecutor) b).executeScript("return window.__xss"), "no script from a tweet ever ran");
    assertEquals("Read the full answer: Reset your password", b.findElement(By.cssSelector(".kb-link a")).getText());
    screenshot(b, "blog-post");
  }

  static void screenshot(WebDriver b, String name) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "screenshots"));
    Files.copy(((TakesScreenshot) b).getScreenshotAs(OutputType.FILE).toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
