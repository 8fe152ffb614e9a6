package io.careloop.it;

import io.careloop.kb.KbService;
import io.careloop.support.Harness;
import io.careloop.x.standin.StandInTimeline;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("The knowledge base in a real browser")
class KnowledgeBaseBrowserIT {
  Harness h;
  Browsers browsers;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) {
    h = Harness.start(vertx, dir.resolve("data"), Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    browsers = new Browsers(h, dir);
    h.newAgent("cole", "community");
    h.newAgent("alice", "agent");
  }

  @AfterEach
  void stop() {
    if (browsers != null) browsers.close();
    if (h != null) h.close();
  }

  WebDriver browser(String user) throws Exception {
    return browsers.signedIn(user);
  }

  void writeArticle(WebDriver b, String title, String question, String steps) {
    b.findElement(By.id("kb-new")).click();
    b.findElement(By.id("kb-title-input")).sendKeys(title);
    b.findElement(By.id("kb-question")).sendKeys(question);
    b.findElement(By.id("kb-steps")).sendKeys(steps);
    b.findElement(By.id("kb-tags")).sendKeys("security, 2fa");
    new org.openqa.selenium.support.ui.Select(b.findElement(By.id("kb-status"))).selectByValue("published");
    b.findElement(By.id("kb-save")).click();
  }

  @Test
  @DisplayName("a community manager writes an article; an agent sees it suggested, inserts its link with a key, posts; the link opens the public page")
  void suggestInsertPostClick() throws Exception {
    WebDriver cm = browser("cole");
    WebDriverWait cmWait = new WebDriverWait(cm, Duration.ofSeconds(15));
    cm.findElement(By.id("kb-open")).click();
    cmWait.until(ExpectedConditions.visibilityOfElementLocated(By.id("kb-form")));
    writeArticle(cm, "Turn on two-factor authentication", "How do I enable two-factor authentication?",
      "Open Security > Two-factor authentication." + Keys.ENTER + "Scan the code with an authenticator app.");
    cmWait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("kb-message"), "Saved (/kb/turn-on-two-factor-authentication)"));
    // A near-copy is caught, and can still be saved on purpose.
    writeArticle(cm, "Enable two-factor authentication", "How do I enable two-factor authentication?", "Same steps.");
    cmWait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("kb-message"), "An article already answers this"));
    cm.findElement(By.id("kb-save-anyway")).click();
    cmWait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("kb-message"), "Saved"));

    StandInTimeline t = h.standIn().timeline();
    t.account("91", "tess", "Tess", 10);
    var q = t.publish("91", "@AcmeCloud how do i turn on two-factor authentication (mfa)??", null, null);
    String caseId = "c" + q.id();
    eventually("case", Duration.ofSeconds(15), () -> h.cases().size() == 1);

    WebDriver b = browser("alice");
    WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(15));
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#queue-rows tr"), 1));
    ConsoleWorkflowIT.keys(b, "j");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("suggestions"), "two-factor authentication"));
    ConsoleWorkflowIT.keys(b, "c");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-holder"), "Held by alice"));
    ConsoleWorkflowIT.keys(b, "i");
    wait.until(d -> d.findElement(By.id("reply-text")).getDomProperty("value").contains("/l/"));
    ConsoleWorkflowIT.keys(b, " (takes a minute) @tess");
    ConsoleWorkflowIT.ctrlEnter(b);
    eventually("posted", Duration.ofSeconds(10), () -> t.repliesTo(q.id()).size() == 1);
    String posted = t.repliesTo(q.id()).get(0).text();
    Matcher m = Pattern.compile("/l/([A-Za-z0-9]{8})").matcher(posted);
    assertTrue(m.find(), posted);
    JsonObject reply = h.admin().get("/api/cases/" + caseId).json().getJsonArray("replies").getJsonObject(0);
    assertNotNull(reply.getString("kbArticleId"), "the reply records the article it used");

    // A customer follows the link from the post.
    b.get("http://127.0.0.1:" + h.port() + "/l/" + m.group(1));
    wait.until(ExpectedConditions.urlContains("/kb/turn-on-two-factor-authentication"));
    assertEquals("Turn on two-factor authentication", b.findElement(By.tagName("h1")).getText());
    JsonObject link = h.mongo().findOne(io.careloop.links.TrackedLinks.LINKS, new JsonObject().put("_id", m.group(1)), null).await();
    assertEquals(1, link.getInteger("clicks"));
  }
}
