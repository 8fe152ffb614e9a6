package io.careloop.it;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Assignment through the console's picker, and the claim-lapse line (Debian chromium through Selenium)")
class AssignmentIT {
  Harness h;
  Browsers browsers;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) {
    h = Harness.start(vertx, dir.resolve("data"), Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    browsers = new Browsers(h, dir);
  }

  @AfterEach
  void stop() {
    if (browsers != null) browsers.close();
    if (h != null) h.close();
  }

  String openCase(Agent someone, String account, String handle, String text) {
    h.standIn().timeline().account(account, handle, handle, 50);
    var post = h.standIn().timeline().publish(account, "@AcmeCloud " + text, null, null);
    String id = "c" + post.id();
    eventually("case " + id, Duration.ofSeconds(15), () -> someone.get("/api/cases/" + id).status() == 200);
    return id;
  }

  static void openInConsole(WebDriver b, String id) {
    WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(15));
    wait.until(ExpectedConditions.elementToBeClickable(By.cssSelector("#queue-rows tr[data-case-id='" + id + "']"))).click();
    wait.until(ExpectedConditions.textToBe(By.id("case-title"), "Case " + id));
  }

  @Test
  @DisplayName("a lead assigns through a picker of real agents with their load; a name that is not an agent cannot be typed, and a stale one is refused with the message in the case view")
  void leadAssignsThroughPicker() throws Exception {
    Agent ana = h.newAgent("ana", "agent");
    h.newAgent("ben", "agent");
    h.newAgent("leo", "lead");
    String held = openCase(ana, "51", "pia", "my order is late");
    String free = openCase(ana, "52", "quin", "wrong size delivered");
    ana.post("/api/cases/" + held + "/claim", null).expect(200);

    // The holder sees when her claim lapses.
    WebDriver agent = browsers.signedIn("ana");
    ((JavascriptExecutor) agent).executeScript("document.querySelector('[data-view=mine]').click()");
    openInConsole(agent, held);
    new WebDriverWait(agent, Duration.ofSeconds(10)).until(ExpectedConditions.textMatches(By.id("case-claim-lapse"),
      java.util.regex.Pattern.compile("your claim lapses in (9|10) min")));
    CycleBrowserIT.screenshot(agent, "assign-claim-lapse-own");

    WebDriver lead = browsers.signedIn("leo");
    ((JavascriptExecutor) lead).executeScript("document.querySelector('[data-view=open]').click()");
    openInConsole(lead, free);
    WebElement picker = lead.findElement(By.id("assign-to"));
    assertEquals("select", picker.getTagName(), "a list to pick from, not a free-text box");
    // The picker's options are replaced whenever the loads change: a wait that read one as it went is simply retried.
    var wait = new WebDriverWait(lead, Duration.ofSeconds(10)).ignoring(org.openqa.selenium.StaleElementReferenceException.class);
    wait.until(d -> new Select(d.findElement(By.id("assign-to"))).getOptions().stream().anyMatch(o -> o.getText().equals("ana — 1 open")));
    var labels = new Select(picker).getOptions().stream().map(WebElement::getText).toList();
    assertTrue(labels.contains("ben — 0 open"), labels.toString());
    assertFalse(labels.stream().anyMatch(l -> l.startsWith("leo") || l.startsWith("admin")), "only case workers: " + labels);
    // Shown opened out for the screenshot (a native drop-down does not appear in a headless capture).
    ((JavascriptExecutor) lead).executeScript("const s = document.getElementById('assign-to'); s.size = s.options.length;");
    CycleBrowserIT.screenshot(lead, "assign-picker");
    ((JavascriptExecutor) lead).executeScript("document.getElementById('assign-to').size = 0;");

    // Assign with nothing chosen: said so, nothing sent.
    lead.findElement(By.id("assign")).click();
    wait.until(ExpectedConditions.textToBe(By.id("assign-error"), "Choose an agent to assign the case to."));
    assertNull(ana.get("/api/cases/" + free).expect(200).json().getString("assignee"));

    // By keyboard: focus the picker, move to ben, Assign.
    new Select(picker).selectByValue("ben");
    assertEquals("ben", new Select(lead.findElement(By.id("assign-to"))).getFirstSelectedOption().getAttribute("value"));
    lead.findElement(By.id("assign")).click();
    eventually("assigned to ben (error shown: " + lead.findElement(By.id("assign-error")).getText() + ")", Duration.ofSeconds(10),
      () -> "ben".equals(ana.get("/api/cases/" + free).expect(200).json().getString("assignee")));
    wait.until(ExpectedConditions.textToBe(By.id("case-holder"), "Held by ben"));
    wait.until(ExpectedConditions.textMatches(By.id("case-claim-lapse"), java.util.regex.Pattern.compile("^· until \\d\\d:\\d\\d")));
    assertEquals("ben", ana.get("/api/cases/" + free).expect(200).json().getString("assignee"));
    // The picker is re-rendered when the load changes: read its text whole (its options may be replaced mid-read).
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("assign-to"), "ben — 1 open"));
    CycleBrowserIT.screenshot(lead, "assign-held-by");

    // A name no longer in the list (a stale page, a tampered option): the server refuses, the case view says why.
    ((JavascriptExecutor) lead).executeScript("const s = document.getElementById('assign-to'); s.add(new Option('agnet1', 'agnet1')); s.value = 'agnet1';");
    lead.findElement(By.id("assign")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("assign-error"), "there is no user agnet1"));
    assertEquals("ben", ana.get("/api/cases/" + free).expect(200).json().getString("assignee"), "unchanged");
    CycleBrowserIT.screenshot(lead, "assign-refused");
  }
}
