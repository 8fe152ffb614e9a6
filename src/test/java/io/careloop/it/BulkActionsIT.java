package io.careloop.it;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
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
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.careloop.it.ConsoleWorkflowIT.clickFresh;
import static io.careloop.it.ConsoleWorkflowIT.keys;
import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Bulk actions in the console: select many, dismiss them in one request, see each refusal, undo (Debian chromium through Selenium)")
class BulkActionsIT {
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

  static By box(String id) {
    return By.cssSelector("#queue-rows tr[data-case-id='" + id + "'] td.bulk-pick input[type=checkbox]");
  }

  /** Whether the row's box is ticked now (the rows are rebuilt on every live update: read afresh). */
  static boolean ticked(WebDriver b, String id) {
    for (int attempt = 0; ; attempt++) {
      try {
        return b.findElement(box(id)).isSelected();
      } catch (StaleElementReferenceException e) {
        if (attempt == 4) throw e;
      }
    }
  }

  static void shiftClick(WebDriver b, By locator) {
    for (int attempt = 0; ; attempt++) {
      try {
        new Actions(b).keyDown(Keys.SHIFT).click(b.findElement(locator)).keyUp(Keys.SHIFT).perform();
        return;
      } catch (StaleElementReferenceException e) {
        if (attempt == 4) throw e;
      }
    }
  }

  @Test
  @DisplayName("20 cases selected with the header box, one dismissed meanwhile by another agent: 19 dismissed, 1 refused and named, it stays selected; Undo brings the 19 back; x toggles the open case; a refused tag changes nothing")
  void dismissManyWithOneRefused() throws Exception {
    Agent ana = h.newAgent("ana", "agent");
    Agent ben = h.newAgent("ben", "agent");
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      String account = String.valueOf(300 + i);
      h.standIn().timeline().account(account, "fan" + i, "Fan " + i, 40 + i);
      ids.add("c" + h.standIn().timeline().publish(account, "@AcmeCloud the gizmo keeps beeping, unit " + i, null, null).id());
    }
    for (String id : ids) eventually("case " + id, Duration.ofSeconds(15), () -> ana.get("/api/cases/" + id).status() == 200);
    eventually("all 20 found by search", Duration.ofSeconds(20),
      () -> ana.get("/api/search/cases?q=gizmo&limit=50").json().getInteger("total", 0) == 20);

    WebDriver b = browsers.signedIn("ana");
    var wait = new WebDriverWait(b, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class);
    // A search shows every state, so the case another agent dismisses stays in view (and selected) as it would on a
    // page that had not caught up yet.
    b.findElement(By.id("find-q")).sendKeys("gizmo");
    wait.until(d -> d.findElements(By.cssSelector("#queue-rows tr[data-case-id]")).size() == 20);
    assertFalse(b.findElement(By.id("bulk-bar")).isDisplayed(), "no bar while nothing is selected");

    // Clicking a row opens the case and selects nothing; x toggles that case's box, twice back.
    String first = ids.get(0);
    clickFresh(b, By.cssSelector("#queue-rows tr[data-case-id='" + first + "'] td.mention"));
    wait.until(ExpectedConditions.textToBe(By.id("case-title"), "Case " + first));
    assertFalse(ticked(b, first), "opening a case does not select it");
    b.findElement(By.id("case-title")).click(); // the keys go to the page, not a field
    keys(b, "x");
    wait.until(d -> ticked(d, first));
    wait.until(ExpectedConditions.textToBe(By.id("bulk-count"), "1 selected"));
    assertEquals("Bulk actions", b.findElement(By.id("bulk-bar")).getAttribute("aria-label"));
    assertEquals("region", b.findElement(By.id("bulk-bar")).getAttribute("role"));
    assertEquals("Select case " + first, b.findElement(box(first)).getAttribute("aria-label"));
    keys(b, "x");
    wait.until(d -> !ticked(d, first));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("bulk-bar")));

    // A box is not the row: ticking it leaves the open case as it is. Shift-click ticks the range from the last one.
    List<String> shown = b.findElements(By.cssSelector("#queue-rows tr[data-case-id]")).stream().map(r -> r.getAttribute("data-case-id")).toList();
    clickFresh(b, box(shown.get(2)));
    assertEquals("Case " + first, b.findElement(By.id("case-title")).getText(), "the box does not open its case");
    shiftClick(b, box(shown.get(6)));
    wait.until(ExpectedConditions.textToBe(By.id("bulk-count"), "5 selected"));
    for (int i = 0; i < shown.size(); i++) assertEquals(i >= 2 && i <= 6, ticked(b, shown.get(i)), "row " + i);
    assertTrue((Boolean) ((org.openqa.selenium.JavascriptExecutor) b).executeScript("return document.getElementById('bulk-all').indeterminate"),
      "some selected: the header box is indeterminate");
    // The keys still work after a box was ticked with the mouse: x adds the open case.
    boolean inRange = shown.subList(2, 7).contains(first);
    keys(b, "x");
    wait.until(ExpectedConditions.textToBe(By.id("bulk-count"), (inRange ? 4 : 6) + " selected"));
    assertEquals(!inRange, ticked(b, first));

    // Select all in view.
    clickFresh(b, By.id("bulk-all"));
    wait.until(ExpectedConditions.textToBe(By.id("bulk-count"), "20 selected"));
    assertFalse(b.findElement(By.id("bulk-assign")).isDisplayed(), "an agent is not offered assigning");

    // Meanwhile ben dismisses one of them: the live update shows it dismissed, still ticked.
    String gone = shown.get(9);
    ben.post("/api/cases/" + gone + "/dismiss", new JsonObject().put("reason", "praise")).expect(200);
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#queue-rows tr[data-case-id='" + gone + "']"), "dismissed"));
    assertTrue(ticked(b, gone));
    assertEquals("20 selected", b.findElement(By.id("bulk-count")).getText());

    new Select(b.findElement(By.id("bulk-reason"))).selectByValue("spam");
    clickFresh(b, By.id("bulk-dismiss"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toasts"), "19 cases dismissed as spam; 1 refused"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk-refusals"), gone + ": "));
    String refusal = b.findElement(By.id("bulk-refusals")).getText();
    assertEquals(1, b.findElements(By.cssSelector("#bulk-refusals li")).size(), refusal);
    assertTrue(refusal.contains("dismissed"), "the server's reason is shown: " + refusal);
    wait.until(ExpectedConditions.textToBe(By.id("bulk-count"), "1 selected"));
    assertTrue(ticked(b, gone), "the refused case stays selected");
    wait.until(ExpectedConditions.attributeContains(By.cssSelector("#queue-rows tr[data-case-id='" + gone + "']"), "class", "bulk-refused"));
    List<String> dismissed = ids.stream().filter(id -> !id.equals(gone)).toList();
    for (String id : dismissed) {
      JsonObject c = ana.get("/api/cases/" + id).expect(200).json();
      assertEquals("dismissed", c.getString("state"), id);
      assertEquals("spam", c.getString("dismissReason"), id);
      assertFalse(ticked(b, id), "done: unselected " + id);
    }
    assertEquals("praise", ana.get("/api/cases/" + gone).expect(200).json().getString("dismissReason"), "ben's dismissal stands");
    CycleBrowserIT.screenshot(b, "bulk-report");

    // Undo: one request; the 19 are back as they were.
    clickFresh(b, By.cssSelector("#toasts .toast-action"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toasts"), "19 cases back"));
    for (String id : dismissed) assertEquals("new", ana.get("/api/cases/" + id).expect(200).json().getString("state"), id);
    CycleBrowserIT.screenshot(b, "bulk-undone");

    // A tag the rules refuse: said next to the tag box, nothing sent, nothing changes.
    b.findElement(By.id("bulk-tags")).sendKeys("vip customer");
    clickFresh(b, By.id("bulk-tag"));
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#bulk-bar .field-error"), "not “vip customer”"));
    assertEquals("true", b.findElement(By.id("bulk-tags")).getAttribute("aria-invalid"));
    assertEquals("1 selected", b.findElement(By.id("bulk-count")).getText(), "nothing unselected");
    assertFalse(ana.get("/api/cases/" + gone).expect(200).json().getJsonArray("tags", new io.vertx.core.json.JsonArray()).encode().contains("vip"));
    CycleBrowserIT.screenshot(b, "bulk-refused-tag");

    // Another view is another selection: the 19 back in Unassigned, all selected, then All open shows them unselected.
    clickFresh(b, By.id("find-clear"));
    wait.until(d -> d.findElements(By.cssSelector("#queue-rows tr[data-case-id]")).size() == 19);
    clickFresh(b, By.id("bulk-all"));
    wait.until(ExpectedConditions.textToBe(By.id("bulk-count"), "19 selected"));
    clickFresh(b, By.cssSelector("#views [data-view='open']"));
    wait.until(ExpectedConditions.textToBe(By.id("queue-title"), "All open"));
    wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("bulk-bar")));
    for (String id : dismissed) assertFalse(ticked(b, id), "a new view starts unselected: " + id);

    // A lead assigns the 19 open ones; a name that is no agent (a stale page) is refused whole, next to the picker.
    h.newAgent("leo", "lead");
    WebDriver lead = browsers.signedIn("leo");
    var leadWait = new WebDriverWait(lead, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class);
    leadWait.until(ExpectedConditions.textToBe(By.id("queue-title"), "All open"));
    leadWait.until(d -> d.findElements(By.cssSelector("#queue-rows tr[data-case-id]")).size() == 19);
    clickFresh(lead, By.id("bulk-all"));
    leadWait.until(ExpectedConditions.textToBe(By.id("bulk-count"), "19 selected"));
    assertFalse(lead.findElement(By.id("bulk-dismiss")).isDisplayed(), "a lead is not offered dismissing");
    assertFalse(lead.findElement(By.id("bulk-resolve")).isDisplayed(), "a lead is not offered resolving");
    leadWait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk-assignee"), "ben — 0 open"));
    ((org.openqa.selenium.JavascriptExecutor) lead).executeScript(
      "const s = document.getElementById('bulk-assignee'); s.add(new Option('agnet1', 'agnet1')); s.value = 'agnet1';");
    clickFresh(lead, By.id("bulk-assign"));
    leadWait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("bulk-bar"), "there is no user agnet1"));
    assertEquals("true", lead.findElement(By.id("bulk-assignee")).getAttribute("aria-invalid"));
    assertEquals("19 selected", lead.findElement(By.id("bulk-count")).getText(), "nothing unselected");
    for (String id : dismissed) assertNull(ana.get("/api/cases/" + id).expect(200).json().getString("assignee"), "unchanged " + id);
    CycleBrowserIT.screenshot(lead, "bulk-assign-refused");
    new Select(lead.findElement(By.id("bulk-assignee"))).selectByValue("ben");
    clickFresh(lead, By.id("bulk-assign"));
    leadWait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("toasts"), "19 cases assigned to ben."));
    for (String id : dismissed) assertEquals("ben", ana.get("/api/cases/" + id).expect(200).json().getString("assignee"), id);
    leadWait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("bulk-bar")));
  }
}
