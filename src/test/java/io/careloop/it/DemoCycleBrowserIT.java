package io.careloop.it;

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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

/**
 * The cycle's last steps on the demo's own past month, in a real browser: a community manager promotes a cluster the
 * history formed, gets a draft they could publish as it is, publishes without a tweet, tweets after confirming, and
 * finds the post on the blog and in both feeds.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Promoting a cluster of the demo's past month, in a real browser")
class DemoCycleBrowserIT {
  Harness h;
  Browsers browsers;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) {
    h = Harness.start(vertx, dir.resolve("data"), Map.of("CARELOOP_DEMO", "true", "CARELOOP_DEMO_HISTORY", "true"));
    browsers = new Browsers(h, dir);
    h.newAgent("cole", "community");
  }

  @AfterEach
  void stop() {
    if (browsers != null) browsers.close();
    if (h != null) h.close();
  }

  @Test
  @DisplayName("a seeded cluster becomes a clean draft, is published without a tweet, then tweeted after confirming")
  void promoteSeededCluster() throws Exception {
    // The console is usable while the month is played, and says how far it has got.
    WebDriver b = browsers.signedIn("cole");
    WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(20));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("demo-history"), "Playing the demo’s past month in the background"));
    String progress = b.findElement(By.id("demo-history")).getText();
    assertTrue(progress.matches(".*: \\d+ of \\d+ customer questions so far.*"), progress);
    eventually("the demo history is in", Duration.ofSeconds(120), () -> {
      JsonObject ready = h.http().get(h.port(), "127.0.0.1", "/health/ready").send().await().bodyAsJsonObject();
      return ready.getJsonArray("checks", new JsonArray()).stream().map(JsonObject.class::cast)
        .anyMatch(c -> "demoHistory".equals(c.getString("id")) && c.getJsonObject("data").getBoolean("finished", false));
    });
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("demo-history"), "past month is in"));
    long tweetsBefore = proactiveTweets();

    b.findElement(By.id("cycle-open")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cluster-list"), "Suggested for the blog"));
    WebElement suggested = b.findElements(By.cssSelector("#cluster-list > li")).stream()
      .filter(li -> !li.findElements(By.xpath(".//button[text()='Promote to blog']")).isEmpty()).findFirst().orElseThrow();
    suggested.findElement(By.xpath(".//button[text()='Promote to blog']")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("post-form")));
    wait.until(d -> !d.findElement(By.id("post-body")).getDomProperty("value").isBlank());

    // A draft a community manager would publish as it is: the question as its title, the article's steps, its link;
    // nothing of the agent's tweet (greeting, handle, sign-off, tracked link) and quotes from different customers.
    String title = b.findElement(By.id("post-title")).getDomProperty("value");
    String body = b.findElement(By.id("post-body")).getDomProperty("value");
    assertTrue(title.endsWith("?"), "the title is the customers' question: " + title);
    assertTrue(body.contains("1. ") && body.contains("/kb/"), "the article's steps and link: " + body);
    for (String leftover : new String[] {"Hi ", "Hi,", "@", "^", "/l/"}) assertFalse(body.contains(leftover), "no '" + leftover + "' in " + body);
    var quotes = b.findElements(By.cssSelector("#post-quotes li")).stream().map(WebElement::getText).toList();
    assertTrue(quotes.size() >= 2 && quotes.size() <= 3, "two or three quotes: " + quotes);
    assertEquals(quotes.size(), quotes.stream().distinct().count(), "no quote twice: " + quotes);
    CycleBrowserIT.screenshot(b, "demo-draft");

    b.findElement(By.id("post-publish")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("post-status"), "published at /blog/"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("post-tweet-state"), "Not tweeted"));
    assertEquals(tweetsBefore, proactiveTweets(), "publishing posted nothing to X");

    wait.until(ExpectedConditions.elementToBeClickable(By.id("tweet-open"))).click();
    wait.until(d -> d.findElement(By.id("tweet-exact")).getText().contains("/l/"));
    String exact = b.findElement(By.id("tweet-exact")).getText();
    wait.until(ExpectedConditions.elementToBeClickable(By.id("tweet-confirm-yes"))).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("post-tweet-state"), "Tweet posted"));
    assertEquals(tweetsBefore + 1, proactiveTweets(), "one proactive tweet, after confirming");
    assertTrue(h.app().standIn().timeline().all().stream().anyMatch(p -> p.text().equals(exact)), "X got the text shown: " + exact);

    String href = b.findElement(By.id("post-public")).getDomProperty("href");
    String slug = href.substring(href.lastIndexOf('/') + 1);
    b.get(href);
    wait.until(ExpectedConditions.titleContains(title));
    assertEquals(title, b.findElement(By.tagName("h1")).getText());
    CycleBrowserIT.screenshot(b, "demo-post");
    for (String feed : new String[] {"/blog/feed.atom", "/blog/feed.rss"}) {
      String xml = h.http().get(h.port(), "127.0.0.1", feed).send().await().bodyAsString();
      assertTrue(xml.contains("/blog/" + slug), feed + " lists the new post");
    }
  }

  /** The brand's own posts that answer nobody, on the demo's live stand-in (the history's tweet went to its own). */
  long proactiveTweets() {
    var standIn = h.app().standIn();
    return standIn.timeline().all().stream().filter(p -> p.authorId().equals(standIn.brandUserId()) && p.inReplyToId() == null
      && p.text().contains("/l/")).count();
  }
}
