package io.careloop.it;

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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("The console in a real browser (Debian chromium through Selenium)")
class ConsoleBrowserIT {
  static final String HOSTILE = "@AcmeCloud <img src=x onerror=alert('xss')> <script>window.pwned=1</script> & {{7*7}}";

  Harness h;
  WebDriver browser;

  /** Debian's chromium and chromedriver, never a downloaded driver (this network is closed). */
  static WebDriver chromium(Path profile) {
    ChromeOptions options = new ChromeOptions();
    options.setBinary("/usr/bin/chromium");
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
      "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
      "--window-size=1280,800", "--user-data-dir=" + profile);
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(new File("/usr/bin/chromedriver")).build();
    return new ChromeDriver(service, options);
  }

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    h = Harness.start(vertx, dir.resolve("data"), Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    h.newAgent("alice", "agent");
    browser = chromium(Files.createDirectories(dir.resolve("profile")));
  }

  @AfterEach
  void stop() {
    if (browser != null) browser.quit();
    if (h != null) h.close();
  }

  @Test
  @DisplayName("a public KB page with hostile text shows it as text and runs nothing (script, handlers, javascript: links, {{ }}, RTL override)")
  void hostileKbPage() {
    var cm = h.newAgent("cole", "community");
    String hostile = "<script>window.pwned=1</script><img src=x onerror=alert('xss')><a href=\"javascript:alert(1)\">x</a> {{7*7}} \u202Eevil";
    JsonObject a = cm.post("/api/kb/articles", new JsonObject().put("title", "Hostile title " + hostile.substring(0, 20))
      .put("question", "Why " + hostile + "?").put("steps", new io.vertx.core.json.JsonArray().add(hostile)).put("status", "published")).expect(201).json();
    browser.get("http://127.0.0.1:" + h.port() + "/kb/" + a.getString("slug"));
    ((JavascriptExecutor) browser).executeScript("window.alert = function (m) { window.__alerts = (window.__alerts || []).concat([String(m)]); };");
    WebElement step = browser.findElement(By.cssSelector("ol.steps li"));
    assertEquals(hostile, step.getText());
    assertTrue(step.findElements(By.tagName("img")).isEmpty());
    assertTrue(step.findElements(By.tagName("a")).isEmpty());
    JavascriptExecutor js = (JavascriptExecutor) browser;
    assertNull(js.executeScript("return window.pwned;"));
    assertNull(js.executeScript("return window.__alerts;"));
    assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert());
  }

  @Test
  @DisplayName("an agent signs in, claims the top case, replies, and sees it leave the queue; hostile text is shown as text")
  void agentRepliesAndHostileTextIsInert() throws Exception {
    StandInTimeline t = h.standIn().timeline();
    t.account("41", "gus", "Gus", 100);
    t.account("42", "mallory", "<b>Mallory</b>", 100);
    var urgent = t.publish("41", "@AcmeCloud my account was hacked, help", null, null);
    var hostile = t.publish("42", HOSTILE, null, null);
    eventually("cases ingested", Duration.ofSeconds(15), () -> h.cases().size() == 2);

    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    browser.get("http://127.0.0.1:" + h.port() + "/");
    // Any alert, from the hostile text or elsewhere, is recorded instead of blocking.
    ((JavascriptExecutor) browser).executeScript("window.alert = function (m) { window.__alerts = (window.__alerts || []).concat([String(m)]); };");
    browser.findElement(By.id("username")).sendKeys("alice");
    browser.findElement(By.id("password")).sendKeys("alice-long-password");
    browser.findElement(By.id("login-submit")).click();

    String urgentId = "c" + urgent.id();
    String hostileId = "c" + hostile.id();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-case-id='" + hostileId + "']")));

    // Hostile tweet: the text exactly as written, no element created from it, nothing executed.
    WebElement hostileRow = browser.findElement(By.cssSelector("tr[data-case-id='" + hostileId + "']"));
    assertEquals(HOSTILE, hostileRow.findElement(By.cssSelector("td.mention")).getText());
    assertTrue(hostileRow.findElements(By.tagName("img")).isEmpty());
    assertTrue(hostileRow.findElements(By.tagName("script")).isEmpty());
    hostileRow.click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-title"), hostileId));
    // The only pictures are the authors' avatars, from our own proxy: nothing in the text became an element.
    for (WebElement img : browser.findElement(By.id("conversation")).findElements(By.tagName("img"))) {
      assertEquals("avatar", img.getDomAttribute("class"));
      assertTrue(img.getDomAttribute("src").matches("/api/avatars/[0-9]+"), img.getDomAttribute("src"));
    }
    for (WebElement shownText : browser.findElements(By.cssSelector("#conversation .tweet-text"))) {
      assertTrue(shownText.findElements(By.xpath(".//*")).isEmpty(), "no text in the conversation has elements");
    }
    assertEquals(HOSTILE, browser.findElement(By.cssSelector("#conversation .tweet-text")).getText());
    JavascriptExecutor js = (JavascriptExecutor) browser;
    assertNull(js.executeScript("return window.pwned;"));
    assertNull(js.executeScript("return window.__alerts;"), "no alert ran");
    assertThrows(NoAlertPresentException.class, () -> browser.switchTo().alert());

    // The countdown ticks from the stored deadline.
    WebElement due = browser.findElement(By.cssSelector("tr[data-case-id='" + urgentId + "'] td.due"));
    String first = due.getText();
    wait.until(d -> !due.getText().equals(first));
    assertTrue(due.getText().matches("(late )?(\\d+h )?\\d+m \\d{2}s"), due.getText());

    // The urgent case is at the top (earliest deadline): claim it and reply.
    List<WebElement> rows = browser.findElements(By.cssSelector("#queue-rows tr"));
    assertEquals(urgentId, rows.get(0).getAttribute("data-case-id"));
    rows.get(0).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-title"), urgentId));
    browser.findElement(By.id("claim")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-holder"), "Held by alice"));
    browser.findElement(By.id("reply-text")).sendKeys("@gus we've locked the account and sent a reset link 🙌");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("reply-count"), " / 280"));
    browser.findElement(By.id("reply-send")).click();

    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("tr[data-case-id='" + urgentId + "']"), 0));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-state"), "replied"));
    var replies = t.repliesTo(urgent.id());
    assertEquals(1, replies.size());
    assertEquals("@gus we've locked the account and sent a reset link 🙌", replies.get(0).text());
    JsonObject c = h.admin().get("/api/cases/" + urgentId).json();
    assertEquals("replied", c.getString("state"));
    assertEquals("alice", c.getJsonArray("replies").getJsonObject(0).getString("agent"));
  }
}
