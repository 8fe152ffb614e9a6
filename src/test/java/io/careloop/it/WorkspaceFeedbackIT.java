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
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
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
 * Feedback and the conversation in the console (issue 21): a refusal shown at the field it names, a password asked in a
 * dialog and never by window.prompt, the availability mark, and a message with its avatar and the post it replied to.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Console feedback: errors at their field, no prompt, availability, avatars and parent posts")
class WorkspaceFeedbackIT {
  static Harness h;
  @TempDir static Path dir;
  Browsers browsers;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, dir.resolve("data"), Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    StandInTimeline t = h.standIn().timeline();
    t.account("71", "quin", "Quin Customer", 900);
    t.account("72", "rory", "Rory Other", 40);
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

  /** Records any window.prompt or alert the page would show (none may). */
  static void watchPrompts(WebDriver b) {
    ((JavascriptExecutor) b).executeScript("window.__asked = []; window.prompt = (m) => { window.__asked.push(String(m)); return null; };"
      + " window.alert = (m) => { window.__asked.push(String(m)); };");
  }

  @Test
  @DisplayName("a mistyped opening hour is shown next to Monday's field, in words, and nothing is saved")
  void slaErrorAtItsField() throws Exception {
    h.newAgent("lorna", "lead");
    JsonObject before = h.admin().get("/api/sla").json();
    WebDriver b = browsers.signedIn("lorna");
    WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(15));
    b.findElement(By.id("sla-open")).click();
    WebElement monday = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#sla-days .d-MONDAY")));
    monday.clear();
    monday.sendKeys("09:00-25:00");
    b.findElement(By.id("sla-save")).click();
    wait.until(d -> "true".equals(monday.getAttribute("aria-invalid")));
    WebElement said = b.findElement(By.id(monday.getAttribute("aria-describedby")));
    assertTrue(said.getText().startsWith("Monday: opening hours are times from-to in 24-hour HH:MM"), said.getText());
    assertTrue(said.getText().contains("\"25:00\" is not such a time"), said.getText());
    assertEquals(monday, b.switchTo().activeElement(), "the field is focused");
    CycleBrowserIT.screenshot(b, "sla-field-error");
    assertEquals(before, h.admin().get("/api/sla").json(), "nothing was saved");
    // Fixed, it saves, and the confirmation is shown above the dialog.
    monday.clear();
    monday.sendKeys("09:00-17:00");
    b.findElement(By.id("sla-save")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toasts"), "Service levels saved"));
    // The editor is drawn again from what was stored: no error left on it.
    assertEquals(0, b.findElements(By.cssSelector("#sla-dialog [aria-invalid=true], #sla-dialog .field-error")).size());
  }

  @Test
  @DisplayName("an admin resets a password in a dialog (a password field, never window.prompt); the new one works")
  void passwordInADialog(Vertx vertx) throws Exception {
    h.newAgent("pat", "agent");
    h.newAgent("adele", "admin");
    WebDriver b = browsers.signedIn("adele");
    WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(15));
    watchPrompts(b);
    b.findElement(By.id("admin-open")).click();
    WebElement reset = wait.until(ExpectedConditions.elementToBeClickable(By.xpath("//tr[@data-user='pat']//button[text()='Reset password']")));
    reset.click();
    WebElement input = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("ask-input")));
    assertEquals("password", input.getAttribute("type"));
    assertEquals("new-password", input.getAttribute("autocomplete"));
    input.sendKeys("a-brand-new-password-42" + Keys.ENTER);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toasts"), "Password of pat changed"));
    assertFalse(b.findElement(By.id("ask-dialog")).isDisplayed());
    assertEquals("", input.getAttribute("value"), "the password does not stay in the page");
    assertEquals(java.util.List.of(), ((JavascriptExecutor) b).executeScript("return window.__asked"), "no prompt or alert");
    Agent.login(vertx, h.port(), "pat", "a-brand-new-password-42").get("/api/me").expect(200);
  }

  @Test
  @DisplayName("an agent marks themselves available; a reply shows its avatar (through our proxy) and the post it answered")
  void availabilityAvatarAndParent() throws Exception {
    Agent quinn = h.newAgent("quinn", "agent");
    StandInTimeline t = h.standIn().timeline();
    var original = t.publish("72", "anyone else's dashboard <b>blank</b> today?", null, null);
    String id = "c" + t.publish("71", "@AcmeCloud same here, dashboard is blank", original.id(), null).id();
    eventually("case " + id, Duration.ofSeconds(15), () -> h.admin().get("/api/cases/" + id).status() == 200);

    WebDriver b = browsers.signedIn("quinn");
    WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(15));
    WebElement available = b.findElement(By.id("available"));
    assertFalse(available.isSelected());
    available.click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toasts"), "You are available"));
    eventually("available stored", Duration.ofSeconds(5), () -> quinn.get("/api/me/availability").json().getBoolean("available"));

    b.findElement(By.cssSelector("#views [data-view=open]")).click();
    WebElement row = wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#queue-rows tr[data-case-id='" + id + "']")));
    row.click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-title"), id));
    WebElement img = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#conversation img.avatar")));
    assertEquals("/api/avatars/71", img.getDomAttribute("src"));
    assertEquals("", img.getDomAttribute("alt"));
    wait.until(d -> ((Number) ((JavascriptExecutor) d).executeScript("return arguments[0].naturalWidth", img)).intValue() > 0);
    WebElement parent = b.findElement(By.cssSelector("#conversation .parent-post"));
    assertTrue(parent.getText().contains("In reply to Rory Other @rory"), parent.getText());
    assertTrue(parent.getText().contains("anyone else's dashboard <b>blank</b> today?"), "the parent's text as text: " + parent.getText());
    assertEquals("https://x.com/rory/status/" + original.id(), parent.findElement(By.tagName("a")).getDomAttribute("href"));
    CycleBrowserIT.screenshot(b, "conversation-avatar-parent");
  }

  @Test
  @DisplayName("in the browser, a claim stays while its holder types for 12 minutes of test clock")
  void claimStaysWhileTyping() throws Exception {
    Agent tara = h.newAgent("tara", "agent");
    String id = "c" + h.standIn().timeline().publish("71", "@AcmeCloud my export keeps failing at 99%", null, null).id();
    eventually("case " + id, Duration.ofSeconds(15), () -> h.admin().get("/api/cases/" + id).status() == 200);
    WebDriver b = browsers.signedIn("tara");
    WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(20));
    b.findElement(By.cssSelector("#views [data-view=open]")).click();
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#queue-rows tr[data-case-id='" + id + "']"))).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-title"), id));
    b.findElement(By.id("claim")).click();
    eventually("claimed", Duration.ofSeconds(10), () -> "tara".equals(tara.get("/api/cases/" + id).json().getString("assignee")));
    WebElement composer = b.findElement(By.id("reply-text"));
    for (int minute = 2; minute <= 12; minute += 2) {
      h.clock().advance(Duration.ofMinutes(2));
      composer.sendKeys("still writing ");
      // The composer's typing signal (and the viewing heartbeat) move the claim's end to ten minutes from now.
      java.time.Instant floor = h.clock().instant().plus(Duration.ofMinutes(9));
      eventually("claim renewed at minute " + minute, Duration.ofSeconds(20),
        () -> java.time.Instant.parse(tara.get("/api/cases/" + id).json().getString("claimExpiresAt")).isAfter(floor));
    }
    JsonObject held = tara.get("/api/cases/" + id).json();
    assertEquals("claimed", held.getString("state"));
    assertEquals("tara", held.getString("assignee"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-holder"), "Held by tara"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-claim-lapse"), "your claim lapses in"));
  }
}
