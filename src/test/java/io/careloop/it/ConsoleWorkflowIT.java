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
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.interactions.Actions;
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
@DisplayName("Working the queue in real browsers")
class ConsoleWorkflowIT {
  Harness h;
  Browsers browsers;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) {
    h = Harness.start(vertx, dir.resolve("data"), Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    browsers = new Browsers(h, dir);
    h.newAgent("alice", "agent");
    h.newAgent("bob", "agent");
    h.newAgent("admin-ui", "admin");
    h.newAgent("lena", "lead");
  }

  @AfterEach
  void stop() {
    if (browsers != null) browsers.close();
    if (h != null) h.close();
  }

  WebDriver browser(String user) throws Exception {
    return browsers.signedIn(user);
  }

  static void keys(WebDriver b, CharSequence... keys) {
    new Actions(b).sendKeys(keys).perform();
  }

  /** Clicks what the locator finds now; lists re-render after each change, so a found element may be replaced. */
  static void clickFresh(WebDriver b, By locator) {
    for (int attempt = 0; ; attempt++) {
      try {
        new WebDriverWait(b, Duration.ofSeconds(10)).until(ExpectedConditions.elementToBeClickable(locator)).click();
        return;
      } catch (org.openqa.selenium.StaleElementReferenceException e) {
        if (attempt == 4) throw e;
      }
    }
  }

  /** Held Control, then Enter, as a person presses it. */
  static void ctrlEnter(WebDriver b) {
    new Actions(b).keyDown(Keys.CONTROL).sendKeys(Keys.ENTER).keyUp(Keys.CONTROL).perform();
  }

  @Test
  @DisplayName("a community manager writes a canned response in the console; an agent works three cases with the keyboard only")
  void keyboardOnly() throws Exception {
    h.newAgent("dora", "community");
    WebDriver manager = browser("dora");
    WebDriverWait managerWait = new WebDriverWait(manager, Duration.ofSeconds(15));
    manager.findElement(By.id("canned-open")).click();
    managerWait.until(ExpectedConditions.visibilityOfElementLocated(By.id("canned-form")));
    manager.findElement(By.id("canned-id")).sendKeys("on-it");
    manager.findElement(By.id("canned-title-input")).sendKeys("On it");
    manager.findElement(By.id("canned-body")).sendKeys("Hi {{customer.handle}}, {{agent.name}} here, looking into it now.");
    manager.findElement(By.id("canned-save")).click();
    managerWait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("canned-list"), "on-it: On it"));
    StandInTimeline t = h.standIn().timeline();
    t.account("71", "quinn", "Quinn", 10);
    var q1 = t.publish("71", "@AcmeCloud my export is broken", null, null);
    var q2 = t.publish("71", "@AcmeCloud where do I find the audit log?", null, null);
    var q3 = t.publish("71", "@AcmeCloud lol", null, null);
    eventually("three cases", Duration.ofSeconds(15), () -> h.cases().size() == 3);

    WebDriver b = browser("alice");
    WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(15));
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#queue-rows tr"), 3));

    // Case 1 (the earliest deadline: a complaint is high priority): open, claim, reply, send.
    keys(b, "j");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-title"), "c" + q1.id()));
    keys(b, "c");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-holder"), "Held by alice"));
    keys(b, "r");
    keys(b, "@quinn a fix is rolling out now");
    ctrlEnter(b);
    eventually("reply 1 posted", Duration.ofSeconds(10), () -> t.repliesTo(q1.id()).size() == 1);
    wait.until(d -> d.findElement(By.id("reply-text")).getDomProperty("value").isEmpty());

    // Case 2: next, claim, insert the canned response with the keyboard, send.
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#queue-rows tr"), 2));
    keys(b, "j");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-title"), "c" + q2.id()));
    keys(b, "c");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-holder"), "Held by alice"));
    keys(b, "t");
    keys(b, Keys.ARROW_DOWN);
    wait.until(d -> d.findElement(By.id("reply-text")).getAttribute("value").contains("looking into it"));
    ctrlEnter(b);
    eventually("reply 2 posted", Duration.ofSeconds(10), () -> t.repliesTo(q2.id()).size() == 1);
    wait.until(d -> d.findElement(By.id("reply-text")).getDomProperty("value").isEmpty());
    assertEquals("Hi @quinn, alice here, looking into it now.", t.repliesTo(q2.id()).get(0).text());

    // Case 3: next, dismiss: d opens the reason picker (nothing is preselected), an arrow chooses "spam", Enter dismisses.
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#queue-rows tr"), 1));
    keys(b, "j");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-title"), "c" + q3.id()));
    keys(b, "d");
    keys(b, Keys.ARROW_DOWN);
    keys(b, Keys.ENTER);
    wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#queue-rows tr"), 0));
    assertEquals("dismissed", h.admin().get("/api/cases/c" + q3.id()).json().getString("state"));

    // The help overlay lists the shortcuts.
    keys(b, "?");
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("help")));
    assertTrue(b.findElement(By.id("help")).getText().contains("claim"));
    keys(b, Keys.ESCAPE);
  }

  @Test
  @DisplayName("a lead sets a business-hours policy with its opening hours in the console")
  void leadSetsBusinessHours() throws Exception {
    WebDriver b = browser("lena");
    WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(15));
    b.findElement(By.id("sla-open")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#sla-policies fieldset.policy")));
    b.findElement(By.cssSelector("#sla-policies .p-business")).click();
    var monday = b.findElement(By.cssSelector(".d-MONDAY"));
    monday.clear();
    monday.sendKeys("08:00-12:00, 13:00-18:00");
    var zone = b.findElement(By.id("sla-zone"));
    zone.clear();
    zone.sendKeys("Europe/Berlin");
    b.findElement(By.id("sla-holidays")).sendKeys("2026-12-24" + Keys.ENTER + "2026-12-25");
    b.findElement(By.id("sla-save")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toasts"), "Service levels saved"));
    JsonObject book = h.admin().get("/api/sla").json();
    assertTrue(book.getJsonArray("policies").getJsonObject(0).getBoolean("businessHours"));
    assertEquals("Europe/Berlin", book.getJsonObject("hours").getString("zone"));
    assertEquals("[[\"08:00\",\"12:00\"],[\"13:00\",\"18:00\"]]", book.getJsonObject("hours").getJsonObject("weekly").getJsonArray("MONDAY").encode());
    assertEquals(2, book.getJsonObject("hours").getJsonArray("holidays").size());

    // A bad zone is refused with a message, and nothing changes.
    zone = b.findElement(By.id("sla-zone"));
    zone.clear();
    zone.sendKeys("Mars/Olympus");
    b.findElement(By.id("sla-save")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("sla-error"), "hours:"));
    assertEquals("Europe/Berlin", h.admin().get("/api/sla").json().getJsonObject("hours").getString("zone"));
  }

  @Test
  @DisplayName("an admin creates and disables a user, adds a brand, adds a keyword source and pauses it; a lead reads it all in the audit log")
  void administration() throws Exception {
    WebDriver b = browser("admin-ui");
    WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(15));
    b.findElement(By.id("admin-open")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("user-form")));
    // The node this console talks to, alive and holding the leases of the work done once (polling the mentions).
    String node = h.app().nodeId();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-node='" + node + "']"), "source:mentions-" + Harness.BRAND_ID));
    assertTrue(b.findElement(By.cssSelector("tr[data-node='" + node + "']")).getText().contains("alive"));
    b.findElement(By.id("new-username")).sendKeys("newbie");
    b.findElement(By.id("new-password")).sendKeys("a decent passphrase");
    b.findElement(By.cssSelector("#user-form button[type=submit]")).click();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-user='newbie']")));
    clickFresh(b, By.cssSelector("tr[data-user='newbie'] button"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-user='newbie']"), "disabled"));
    var refused = h.http().post(h.port(), "127.0.0.1", "/api/login")
      .sendJsonObject(new JsonObject().put("username", "newbie").put("password", "a decent passphrase")).await();
    assertEquals(401, refused.statusCode());

    // A second brand, without a posting token: listed as not connected, and offered for keyword searches.
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("tr[data-brand='AcmeCloud']")));
    b.findElement(By.id("new-brand-handle")).sendKeys("@AcmeMail");
    b.findElement(By.id("new-brand-user")).sendKeys("2000000000000000002");
    b.findElement(By.id("new-brand-name")).sendKeys("Acme Mail");
    b.findElement(By.cssSelector("#brand-form button[type=submit]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("tr[data-brand='AcmeMail']"), "not connected"));
    assertEquals("Acme Mail", h.admin().get("/api/brands").json().getJsonArray("items").getJsonObject(1).getString("name"));
    wait.until(d -> d.findElements(By.cssSelector("#new-keyword-brand option")).size() == 2);

    b.findElement(By.id("new-keyword")).sendKeys("acme gizmo");
    b.findElement(By.cssSelector("#source-form button[type=submit]")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("admin-message"), "Done."));
    b.findElement(By.id("admin-close")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("source-rows"), "acme gizmo"));
    clickFresh(b, By.cssSelector("button[data-source='search-acme-gizmo']"));
    wait.until(d -> d.findElement(By.cssSelector("button[data-source='search-acme-gizmo']")).getText().equals("Resume"));

    WebDriver lead = browser("lena");
    lead.findElement(By.id("audit-open")).click();
    new WebDriverWait(lead, Duration.ofSeconds(15)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("audit-rows"), "source.paused"));
    assertTrue(lead.findElement(By.id("audit-rows")).getText().contains("user.updated"));
    assertTrue(lead.findElement(By.id("audit-rows")).getText().contains("brand.added"));
  }

  static final Pattern DUE = Pattern.compile("(late )?(?:(\\d+)h )?(\\d+)m (\\d+)s");

  static long seconds(String due) {
    Matcher m = DUE.matcher(due);
    assertTrue(m.matches(), due);
    long s = (m.group(2) == null ? 0 : Long.parseLong(m.group(2)) * 3600) + Long.parseLong(m.group(3)) * 60 + Long.parseLong(m.group(4));
    return m.group(1) == null ? s : -s;
  }

  @Test
  @DisplayName("two browsers show the same countdown and see each other's claim and presence live")
  void twoBrowsers() throws Exception {
    StandInTimeline t = h.standIn().timeline();
    t.account("72", "ravi", "Ravi", 10);
    var q = t.publish("72", "@AcmeCloud how do I export to CSV?", null, null);
    String id = "c" + q.id();
    eventually("case", Duration.ofSeconds(15), () -> h.cases().size() == 1);
    WebDriver a = browser("alice");
    WebDriver b = browser("bob");
    By row = By.cssSelector("tr[data-case-id='" + id + "']");
    By dueCell = By.cssSelector("tr[data-case-id='" + id + "'] td.due");
    for (WebDriver d : List.of(a, b)) new WebDriverWait(d, Duration.ofSeconds(15)).until(ExpectedConditions.presenceOfElementLocated(row));

    long diff = Math.abs(seconds(a.findElement(dueCell).getText()) - seconds(b.findElement(dueCell).getText()));
    assertTrue(diff <= 1, "countdowns differ by " + diff + " s");

    // Bob looks at the case: Alice, looking at it too, sees him.
    a.findElement(row).click();
    b.findElement(row).click();
    new WebDriverWait(a, Duration.ofSeconds(15)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-viewers"), "bob"));

    // Alice claims: Bob's screen shows it without a reload.
    keys(a, "c");
    new WebDriverWait(b, Duration.ofSeconds(15)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-holder"), "Held by alice"));
    keys(b, "3");
    new WebDriverWait(b, Duration.ofSeconds(15)).until(d -> d.findElement(row).getText().contains("claimed · alice"));
    keys(b, "c");
    new WebDriverWait(b, Duration.ofSeconds(15)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("reply-error"), "held by alice"));
  }
}
