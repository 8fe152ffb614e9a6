package io.careloop.it;

import com.twitter.twittertext.TwitterTextParser;
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
    assertFalse(b.findElement(By.id("tweet-open")).isDisplayed(), "a draft offers no tweet: it is not published yet");
    WebElement title = b.findElement(By.id("post-title"));
    title.clear();
    title.sendKeys("How do I reset my password?");

    // Publish publishes, and nothing else.
    b.findElement(By.id("post-publish")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("post-status"), "published at /blog/how-do-i-reset-my-password"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("post-tweet-state"), "Not tweeted"));
    assertEquals(0, proactiveTweets(), "publishing posted nothing to X");

    // The tweet step shows the exact text, with the real tracked link, and its length as X counts it.
    wait.until(ExpectedConditions.elementToBeClickable(By.id("tweet-open"))).click();
    wait.until(d -> d.findElement(By.id("tweet-exact")).getText().startsWith("Wondering how to reset your password? So was one of our customers: http"));
    String exact = b.findElement(By.id("tweet-exact")).getText();
    assertTrue(exact.matches(".*/l/[A-Za-z0-9_-]+$"), "the real tracked link: " + exact);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("post-tweet-count"), "/ 280"));
    assertEquals(TwitterTextParser.parseTweet(exact).weightedLength + " / 280", b.findElement(By.id("post-tweet-count")).getText().trim());
    assertTrue(b.findElement(By.id("tweet-question")).getText().startsWith("Post this to X as @AcmeCloud?"), b.findElement(By.id("tweet-question")).getText());
    assertTrue(b.findElement(By.id("tweet-cost")).getText().contains("shown once X pricing is configured"));
    ((JavascriptExecutor) b).executeScript("document.getElementById('tweet-confirm').scrollIntoView({block: 'end'})");
    screenshot(b, "tweet-confirm");

    // Cancel: nothing goes to X, and the step can be opened again.
    b.findElement(By.id("tweet-cancel")).click();
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("tweet-step")));
    assertEquals(0, proactiveTweets(), "cancelled: still nothing on X");

    // Edit the text: the exact text and the count follow it live; Confirm posts exactly what is shown.
    wait.until(ExpectedConditions.elementToBeClickable(By.id("tweet-open"))).click();
    wait.until(d -> d.findElement(By.id("tweet-exact")).getText().startsWith("Wondering how to"));
    WebElement textBox = b.findElement(By.id("post-tweet-text"));
    textBox.clear();
    textBox.sendKeys("Forgot your password? Two steps: {{link}} \u2713");
    wait.until(d -> d.findElement(By.id("tweet-exact")).getText().startsWith("Forgot your password? Two steps: http"));
    String edited = b.findElement(By.id("tweet-exact")).getText();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("post-tweet-count"), TwitterTextParser.parseTweet(edited).weightedLength + " / 280"));
    wait.until(ExpectedConditions.elementToBeClickable(By.id("tweet-confirm-yes"))).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("post-tweet-state"), "Tweet posted"));
    assertFalse(b.findElement(By.id("tweet-open")).isDisplayed(), "a posted tweet is not offered again");
    screenshot(b, "cycle-published");
    assertEquals(1, proactiveTweets(), "one proactive tweet on X");
    assertTrue(h.standIn().timeline().all().stream().anyMatch(p -> Harness.BRAND_ID.equals(p.authorId()) && p.text().equals(edited)),
      "X received exactly the text the console showed: " + edited);

    String href = b.findElement(By.id("post-public")).getDomProperty("href");
    b.get(href);
    wait.until(ExpectedConditions.titleContains("How do I reset my password?"));
    assertEquals("How do I reset my password?", b.findElement(By.tagName("h1")).getText());
    String quotes = b.findElement(By.cssSelector("section.quotes")).getText();
    // As written, markup and template syntax as text, but without the direction overrides: the brand signs this page,
    // and an override would let a customer reverse the words it shows (DraftQuotes.quotable).
    String asQuoted = HOSTILE.replace("\u202E", "").replace("\u202C", "");
    assertTrue(quotes.contains(asQuoted), "the quoted tweet reads as written on the public page, without direction overrides: " + quotes);
    assertTrue(b.findElements(By.cssSelector("section.quotes img, section.quotes script, section.quotes a")).isEmpty());
    assertNull(((JavascriptExecutor) b).executeScript("return window.__xss"), "no script from a tweet ever ran");
    assertEquals("Read the full answer: Reset your password", b.findElement(By.cssSelector(".kb-link a")).getText());
    screenshot(b, "blog-post");
  }

  long proactiveTweets() {
    return h.standIn().timeline().all().stream().filter(p -> Harness.BRAND_ID.equals(p.authorId()) && p.inReplyToId() == null).count();
  }

  @Test
  @DisplayName("a lead reads a case but is offered no claim, no composer and no dismissal; an empty Frequent questions view says what fills it")
  void leadSeesOnlyWhatALeadCanDo() throws Exception {
    h.newAgent("lee", "lead");
    StandInTimeline t = h.standIn().timeline();
    t.account("501", "pam", "pam", 10);
    var post = t.publish("501", "@AcmeCloud my invoice shows the wrong address", null, null);
    eventually("case", Duration.ofSeconds(15), () -> h.count("cases", new JsonObject().put("_id", "c" + post.id())) == 1);

    WebDriver b = browsers.signedIn("lee");
    WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(15));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#queue-rows tr[data-case-id]"))).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("conversation"), "wrong address"));
    for (String id : new String[] {"claim", "resolve", "dismiss", "dismiss-reason", "reply-form", "reply-text", "note-form", "tags-form"}) {
      assertFalse(b.findElement(By.id(id)).isDisplayed(), id + " is not offered to a lead");
    }
    assertFalse(b.findElement(By.cssSelector("#views [data-view='mine']")).isDisplayed(), "a lead holds no cases of their own");
    assertTrue(b.findElement(By.id("assign-box")).isDisplayed(), "a lead assigns");
    b.findElement(By.tagName("body")).sendKeys("c");
    Thread.sleep(500);
    assertEquals("new", h.cases().get(0).getString("state"), "the claim shortcut does nothing for a lead");

    b.findElement(By.id("cycle-open")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cluster-list"), "Clusters form as agents answer"));
    String faq = b.findElement(By.id("cluster-list")).getText();
    assertTrue(faq.contains("answers with a KB link count most"), faq);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("post-list"), "No blog posts yet"));
    screenshot(b, "faq-empty");
  }

  static void screenshot(WebDriver b, String name) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "screenshots"));
    Files.copy(((TakesScreenshot) b).getScreenshotAs(OutputType.FILE).toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
