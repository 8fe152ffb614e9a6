package io.careloop.it;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.careloop.x.standin.StandInTimeline;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.careloop.it.ConsoleWorkflowIT.clickFresh;
import static io.careloop.it.ConsoleWorkflowIT.keys;
import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Safety in the agent's workspace: no shortcut behind a dialog, undo, reopen, shortcuts off")
class WorkspaceSafetyIT {
  static Harness h;
  static int users;
  @TempDir static Path dir;
  Browsers browsers;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, dir.resolve("data"), Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    h.standIn().timeline().account("81", "fan", "Big Fan", 128_000);
  }

  @AfterAll
  static void stop() {
    if (h != null) h.close();
  }

  @BeforeEach
  void browsers(@TempDir Path profiles) {
    browsers = new Browsers(h, profiles);
  }

  @AfterEach
  void closeBrowsers() {
    if (browsers != null) browsers.close();
  }

  /** A fresh agent (so each test's queue view and settings are its own) and their signed-in browser. */
  record Person(String name, Agent api, WebDriver browser, WebDriverWait until) {}

  Person agent() throws Exception {
    String name = "agent" + (++users);
    Agent api = h.newAgent(name, "agent");
    WebDriver b = browsers.signedIn(name);
    return new Person(name, api, b, new WebDriverWait(b, Duration.ofSeconds(15)));
  }

  /** A new case from the 128k-follower fan, and only it in the waiting queue (earlier tests' cases are closed). */
  static String openCase(String text) {
    StandInTimeline t = h.standIn().timeline();
    String id = "c" + t.publish("81", "@AcmeCloud " + text, null, null).id();
    eventually("case " + id, Duration.ofSeconds(15), () -> h.admin().get("/api/cases/" + id).status() == 200);
    return id;
  }

  static JsonObject caseOf(String id) {
    return h.admin().get("/api/cases/" + id).json();
  }

  static List<String> slaKinds(String id) {
    return h.admin().get("/api/cases/" + id + "/sla-events").json().getJsonArray("items").stream()
      .map(e -> ((JsonObject) e).getString("metric") + " " + ((JsonObject) e).getString("kind")).toList();
  }

  static void select(Person p, String id) {
    p.browser().navigate().refresh();
    p.until().until(ExpectedConditions.visibilityOfElementLocated(By.id("views")));
    clickFresh(p.browser(), By.cssSelector("#queue-rows tr[data-case-id='" + id + "']"));
    p.until().until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-title"), id));
  }

  /** Gives a key press time to do what it would (an API call, a refresh) before the test looks. */
  static void settle() throws InterruptedException {
    Thread.sleep(1500);
  }

  @Test
  @DisplayName("with the Shortcuts dialog open, d, c and e do nothing: the case is still new and unclaimed; Escape closes the dialog")
  void noShortcutBehindADialog() throws Exception {
    String id = openCase("you folks are the best, saved my launch");
    Person p = agent();
    select(p, id);
    keys(p.browser(), "?");
    p.until().until(ExpectedConditions.visibilityOfElementLocated(By.id("help")));
    keys(p.browser(), "d");
    keys(p.browser(), "c");
    keys(p.browser(), "e");
    keys(p.browser(), Keys.ENTER);
    settle();
    JsonObject c = caseOf(id);
    assertEquals("new", c.getString("state"));
    assertNull(c.getValue("assignee"));
    keys(p.browser(), Keys.ESCAPE);
    p.until().until(ExpectedConditions.invisibilityOfElementLocated(By.id("help")));
    assertEquals("new", caseOf(id).getString("state"));
  }

  @Test
  @DisplayName("d opens the reason picker (nothing dismissed yet); Enter dismisses; Undo in the toast puts the case back untouched")
  void dismissThenUndo() throws Exception {
    String id = openCase("thanks for the fast answer yesterday");
    Person p = agent();
    select(p, id);
    keys(p.browser(), "c");
    p.until().until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-holder"), "Held by " + p.name()));
    JsonObject before = caseOf(id);

    keys(p.browser(), "d");
    settle();
    assertEquals("dismiss-reason", p.browser().switchTo().activeElement().getAttribute("id"), "d focuses the reason picker");
    assertEquals("claimed", caseOf(id).getString("state"), "d alone dismisses nothing");
    keys(p.browser(), Keys.ENTER);
    settle();
    assertEquals("claimed", caseOf(id).getString("state"), "no reason chosen: Enter dismisses nothing");
    keys(p.browser(), Keys.ARROW_DOWN, Keys.ARROW_DOWN, Keys.ARROW_DOWN); // spam, no action needed, praise
    keys(p.browser(), Keys.ENTER);
    eventually("dismissed", Duration.ofSeconds(10), () -> caseOf(id).getString("state").equals("dismissed"));
    assertEquals("praise", caseOf(id).getString("dismissReason"));

    WebElement toast = p.until().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#toasts .toast")));
    assertTrue(toast.getText().contains("Dismissed as “praise”"), toast.getText());
    assertEquals("polite", p.browser().findElement(By.id("toasts")).getAttribute("aria-live"));
    toast.findElement(By.cssSelector(".toast-action")).click();
    p.until().until(ExpectedConditions.textToBePresentInElementLocated(By.id("toasts"), "Undone: case " + id));
    CycleBrowserIT.screenshot(p.browser(), "safety-undo-toast");

    JsonObject after = caseOf(id);
    for (String field : List.of("state", "assignee", "dueAt", "warnAt", "slaMetric", "slaPolicyId", "priority")) {
      assertEquals(before.getValue(field), after.getValue(field), field);
    }
    assertEquals(List.of("first-response applied", "first-response stopped", "first-response restored"), slaKinds(id));
    p.until().until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-state"), "claimed"));
  }

  @Test
  @DisplayName("a dismissed case shows Reopen; reopened it waits on us with a next-response deadline from the reopening, no breach")
  void reopenADismissedCase() throws Exception {
    String id = openCase("love the new dashboard");
    Person p = agent();
    p.api().post("/api/cases/" + id + "/dismiss", new JsonObject().put("reason", "spam")).expect(200);
    p.browser().navigate().refresh();
    p.until().until(ExpectedConditions.visibilityOfElementLocated(By.id("views")));
    p.browser().findElement(By.cssSelector("#views [data-view='dismissed']")).click();
    clickFresh(p.browser(), By.cssSelector("#queue-rows tr[data-case-id='" + id + "']"));
    p.until().until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-state"), "dismissed"));
    // A closed case offers only Reopen: Claim, Resolve and Dismiss would each be refused with 409.
    for (String button : List.of("claim", "resolve", "dismiss")) {
      assertFalse(p.browser().findElement(By.id(button)).isDisplayed(), button + " is offered on a dismissed case");
    }
    // Nobody holds a closed case: no "Unclaimed" or "Claim by … lapsed" under it.
    assertEquals("", p.browser().findElement(By.id("case-holder")).getText());
    // The conversation reads as on X: a time with the absolute one on hover, and a link to the post.
    WebElement when = p.browser().findElement(By.cssSelector("#conversation li time"));
    assertFalse(when.getAttribute("title").isBlank());
    assertTrue(p.browser().findElement(By.cssSelector("#conversation li a")).getAttribute("href").startsWith("https://x.com/"));
    Instant reopenedFrom = h.clock().instant();
    clickFresh(p.browser(), By.id("reopen"));
    eventually("reopened", Duration.ofSeconds(10), () -> caseOf(id).getString("state").equals("new"));
    JsonObject c = caseOf(id);
    assertEquals("next-response", c.getString("slaMetric"));
    assertTrue(Instant.parse(c.getString("dueAt")).isAfter(reopenedFrom), c.getString("dueAt"));
    h.scanServiceLevels();
    List<String> kinds = slaKinds(id);
    assertFalse(kinds.stream().anyMatch(k -> k.endsWith("breached")), kinds.toString());
    assertTrue(kinds.contains("next-response applied"), kinds.toString());
    p.until().until(ExpectedConditions.invisibilityOfElementLocated(By.id("reopen")));
    p.until().until(ExpectedConditions.visibilityOfElementLocated(By.id("claim")));
  }

  @Test
  @DisplayName("with single-key shortcuts turned off, d and c do nothing; the setting is the user's, kept on the server")
  void shortcutsOff() throws Exception {
    String id = openCase("great support as always");
    Person p = agent();
    p.browser().findElement(By.id("help-open")).click();
    p.until().until(ExpectedConditions.visibilityOfElementLocated(By.id("shortcuts-on")));
    WebElement box = p.browser().findElement(By.id("shortcuts-on"));
    assertTrue(box.isSelected());
    box.click();
    p.browser().findElement(By.id("help-close")).click();
    eventually("saved with the user", Duration.ofSeconds(10),
      () -> !p.api().get("/api/me/preferences").json().getBoolean("singleKeyShortcuts"));
    // Another browser of the same user: the setting comes from the server, not this browser's storage.
    p.browser().manage().deleteAllCookies();
    ((org.openqa.selenium.JavascriptExecutor) p.browser()).executeScript("localStorage.clear()");
    p.browser().navigate().refresh();
    p.browser().findElement(By.id("username")).sendKeys(p.name() + Keys.TAB + p.name() + "-long-password" + Keys.ENTER);
    p.until().until(ExpectedConditions.visibilityOfElementLocated(By.id("views")));
    eventually("read from the server", Duration.ofSeconds(10), () -> "off".equals(((org.openqa.selenium.JavascriptExecutor) p.browser())
      .executeScript("return window.singleKeyShortcutsOn() ? 'on' : 'off'")));
    clickFresh(p.browser(), By.cssSelector("#queue-rows tr[data-case-id='" + id + "']"));
    p.until().until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-title"), id));
    keys(p.browser(), "c");
    keys(p.browser(), "d");
    keys(p.browser(), Keys.ARROW_DOWN, Keys.ENTER);
    settle();
    JsonObject c = caseOf(id);
    assertEquals("new", c.getString("state"));
    assertNull(c.getValue("assignee"));
    assertNotEquals("dismiss-reason", p.browser().switchTo().activeElement().getAttribute("id"));
    p.browser().findElement(By.id("help-open")).click();
    assertFalse(p.until().until(ExpectedConditions.visibilityOfElementLocated(By.id("shortcuts-on"))).isSelected());
  }

  @Test
  @DisplayName("an undo toast shows above an open dialog, and its Undo button works there (showUndo is there for bulk actions)")
  void toastAboveDialogs() throws Exception {
    Person p = agent();
    var js = (org.openqa.selenium.JavascriptExecutor) p.browser();
    p.browser().findElement(By.id("help-open")).click();
    p.until().until(ExpectedConditions.visibilityOfElementLocated(By.id("help")));
    js.executeScript("window.undone = false; showUndo('3 cases dismissed', async () => { window.undone = true; return 'Undone: 3 cases back.'; })");
    WebElement toast = p.until().until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#toasts .toast")));
    Object onTop = js.executeScript("const r = arguments[0].getBoundingClientRect();"
      + " const top = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2); return !!top && arguments[0].contains(top);", toast);
    assertEquals(Boolean.TRUE, onTop, "nothing covers the toast");
    CycleBrowserIT.screenshot(p.browser(), "safety-toast-over-dialog");
    toast.findElement(By.cssSelector(".toast-action")).click();
    p.until().until(ExpectedConditions.textToBePresentInElementLocated(By.id("toasts"), "Undone: 3 cases back."));
    assertEquals(Boolean.TRUE, js.executeScript("return window.undone"));
    assertTrue(p.browser().findElement(By.id("help")).isDisplayed(), "the dialog stays open");
  }
}
