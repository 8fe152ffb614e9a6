package io.careloop.it;

import io.careloop.support.Axe;
import io.careloop.support.Harness;
import io.careloop.x.standin.StandInTimeline;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
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
import org.openqa.selenium.chromium.HasCdp;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.careloop.it.ConsoleWorkflowIT.keys;
import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

/** Issue 21: the console's panes, keyboard path, phone width and dark scheme, and axe on its views. */
@ExtendWith(VertxExtension.class)
@DisplayName("Workspace layout and accessibility: keyboard path, independent panes, 390 px, dark scheme, axe")
class WorkspaceLayoutIT {
  static final int CASES = 60;
  static Harness h;
  static int users;
  @TempDir static Path dir;
  Browsers browsers;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, dir.resolve("data"), Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    StandInTimeline t = h.standIn().timeline();
    t.account("82", "reader", "Rea Der", 2_000);
    for (int i = 1; i <= CASES; i++) t.publish("82", "@AcmeCloud question number " + i + ": how do I export my invoices?", null, null);
    eventually(CASES + " cases", Duration.ofSeconds(60), () -> h.cases().size() >= CASES);
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

  WebDriver signedIn(String role) throws Exception {
    String name = role + (++users);
    h.newAgent(name, role);
    WebDriver b = browsers.signedIn(name);
    until(b).until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#queue-rows tr[data-case-id]"), 10));
    return b;
  }

  static WebDriverWait until(WebDriver b) {
    return new WebDriverWait(b, Duration.ofSeconds(15));
  }

  static Object js(WebDriver b, String script, Object... args) {
    return ((JavascriptExecutor) b).executeScript(script, args);
  }

  static String focusedCaseId(WebDriver b) {
    return (String) js(b, "var e = document.activeElement; return e && e.dataset ? (e.dataset.caseId || null) : null;");
  }

  static List<WebElement> rows(WebDriver b) {
    return b.findElements(By.cssSelector("#queue-rows tr[data-case-id]"));
  }

  static void caseShown(WebDriver b, String id) {
    until(b).until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-title"), "Case " + id));
  }

  @Test
  @DisplayName("Tab from the search box reaches a queue row (one Tab stop), Enter opens its case and focuses the case heading")
  void keyboardPath() throws Exception {
    WebDriver b = signedIn("agent");
    b.findElement(By.id("find-q")).click();
    String reached = null;
    for (int i = 0; i < 40 && reached == null; i++) {
      keys(b, Keys.TAB);
      reached = focusedCaseId(b);
    }
    assertNotNull(reached, "Tab from the search box never reached a queue row");
    assertEquals(rows(b).get(0).getAttribute("data-case-id"), reached, "nothing selected yet: the first row is the Tab stop");
    assertEquals(1L, js(b, "return document.querySelectorAll('#queue-rows tr[tabindex=\"0\"]').length;"), "one Tab stop in the queue");
    keys(b, Keys.ENTER);
    caseShown(b, reached);
    assertEquals("case-title", b.switchTo().activeElement().getAttribute("id"), "Enter moves the focus to the case heading");
    WebElement row = b.findElement(By.cssSelector("#queue-rows tr[data-case-id='" + reached + "']"));
    assertEquals("true", row.getAttribute("aria-selected"));
    assertEquals("0", row.getAttribute("tabindex"));

    // Claim, write, Ctrl+Enter: once sent the focus is back on the queue (the replied case has left this view).
    keys(b, "c");
    until(b).until(ExpectedConditions.textToBePresentInElementLocated(By.id("case-holder"), "Held by"));
    keys(b, "r");
    keys(b, "@reader the export is under Billing");
    ConsoleWorkflowIT.ctrlEnter(b);
    long tweet = Long.parseLong(reached.substring(1));
    eventually("reply posted", Duration.ofSeconds(10), () -> !h.standIn().timeline().repliesTo(tweet).isEmpty());
    until(b).until(d -> focusedCaseId(d) != null);
    assertEquals("TR", b.switchTo().activeElement().getTagName().toUpperCase());
  }

  @Test
  @DisplayName("after a click on the 40th row the case pane's top is in view; j selects the next row, keeps the focus there and scrolls it into view")
  void panesScrollOnTheirOwn() throws Exception {
    WebDriver b = signedIn("agent");
    List<WebElement> rows = rows(b);
    assertTrue(rows.size() >= 41, "rows: " + rows.size());
    String fortieth = rows.get(39).getAttribute("data-case-id");
    String next = rows.get(40).getAttribute("data-case-id");
    rows.get(39).click();
    caseShown(b, fortieth);
    Number top = (Number) js(b, "return document.getElementById('case-view').getBoundingClientRect().top;");
    Number height = (Number) js(b, "return innerHeight;");
    assertTrue(top.doubleValue() >= 0 && top.doubleValue() < height.doubleValue(), "case pane top " + top + " of " + height);
    // The 40th row at the queue pane's bottom edge: the 41st is then out of view until j brings it in.
    String visible = "var q = document.querySelector('.queue').getBoundingClientRect(), r = arguments[0].getBoundingClientRect();"
      + "return r.top >= q.top - 1 && r.bottom <= q.bottom + 1 && r.top >= 0 && r.bottom <= innerHeight + 1;";
    js(b, "var q = document.querySelector('.queue'); q.scrollTop += arguments[0].getBoundingClientRect().bottom - q.getBoundingClientRect().bottom;", rows.get(39));
    assertEquals(Boolean.FALSE, js(b, visible, rows.get(40)), "the 41st row starts out of view");
    assertEquals(Boolean.TRUE, js(b, visible, rows.get(39)));
    keys(b, "j");
    caseShown(b, next);
    assertEquals(next, focusedCaseId(b), "j keeps the focus in the queue, on the next row");
    assertEquals(Boolean.TRUE, js(b, visible, b.findElement(By.cssSelector("#queue-rows tr[data-case-id='" + next + "']"))),
      "j scrolled the next row into view");
    keys(b, "j");
    caseShown(b, rows(b).get(41).getAttribute("data-case-id"));
  }

  @Test
  @DisplayName("at 390 x 844: no sideways scroll, a case replaces the queue, Back to queue returns to its row")
  void phoneWidth() throws Exception {
    WebDriver b = signedIn("agent");
    ((HasCdp) b).executeCdpCommand("Emulation.setDeviceMetricsOverride",
      Map.of("width", 390, "height", 844, "deviceScaleFactor", 1, "mobile", false));
    try {
      assertEquals(390L, js(b, "return innerWidth;"));
      CycleBrowserIT.screenshot(b, "console-390");
      assertNoSidewaysScroll(b, "queue");
      WebElement queue = b.findElement(By.cssSelector("section.queue"));
      assertTrue(queue.isDisplayed());
      assertFalse(b.findElement(By.id("case-back")).isDisplayed(), "no Back button before a case is open");
      WebElement third = rows(b).get(2);
      String id = third.getAttribute("data-case-id");
      third.click();
      caseShown(b, id);
      assertFalse(queue.isDisplayed(), "the queue is hidden while a case shows");
      assertTrue(b.findElement(By.id("case-view")).isDisplayed());
      CycleBrowserIT.screenshot(b, "console-390-case");
      assertNoSidewaysScroll(b, "case");
      b.findElement(By.id("case-back")).click();
      until(b).until(ExpectedConditions.visibilityOf(queue));
      assertFalse(b.findElement(By.id("case-view")).isDisplayed());
      assertEquals(id, focusedCaseId(b), "Back focuses the case's row");
    } finally {
      ((HasCdp) b).executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
    }
  }

  static void assertNoSidewaysScroll(WebDriver b, String view) {
    Number width = (Number) js(b, "return document.documentElement.scrollWidth;");
    assertTrue(width.intValue() <= 390, view + " scrolls sideways: scrollWidth " + width
      + ", too wide: " + js(b, "var out = []; document.querySelectorAll('body *').forEach(function (e) { var r = e.getBoundingClientRect();"
      + " var p = e.parentElement.getBoundingClientRect(); if (r.right > 391 && p.right <= 391 && r.width > 0)"
      + " out.push(e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(r.right)); }); return out.join(', ');"));
  }

  @Test
  @DisplayName("axe finds nothing on the queue, an open case, the help dialog (agent) and analytics (lead), light and dark")
  void axeOnConsoleViews() throws Exception {
    WebDriver agent = signedIn("agent");
    WebDriver lead = signedIn("lead");
    List<String> failures = new ArrayList<>();
    for (String scheme : List.of("light", "dark")) {
      for (WebDriver b : List.of(agent, lead)) {
        Axe.colourScheme(b, scheme);
        b.navigate().refresh();
        until(b).until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#queue-rows tr[data-case-id]"), 10));
        assertEquals(scheme.equals("dark"), js(b, "return matchMedia('(prefers-color-scheme: dark)').matches;"));
      }
      check(agent, "queue " + scheme, failures);
      String id = rows(agent).get(1).getAttribute("data-case-id");
      rows(agent).get(1).click();
      caseShown(agent, id);
      until(agent).until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#conversation li"), 0));
      check(agent, "open case " + scheme, failures);
      if (scheme.equals("dark")) CycleBrowserIT.screenshot(agent, "console-dark");
      else CycleBrowserIT.screenshot(agent, "console-light");
      agent.findElement(By.id("help-open")).click();
      until(agent).until(ExpectedConditions.visibilityOfElementLocated(By.id("help")));
      check(agent, "help dialog " + scheme, failures);
      keys(agent, Keys.ESCAPE);

      lead.findElement(By.id("analytics-open")).click();
      until(lead).until(ExpectedConditions.textToBePresentInElementLocated(By.id("an-totals"), "replies"));
      until(lead).until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#chart-daily-data tbody tr"), 0));
      lead.findElements(By.cssSelector(".chart-data summary")).forEach(WebElement::click);
      assertEquals(24, lead.findElements(By.cssSelector("#chart-hours-data tbody tr")).size(), "one row per hour");
      assertEquals(js(lead, "return window.careloopCharts['chart-daily'].data.labels.length;"),
        (long) lead.findElements(By.cssSelector("#chart-daily-data tbody tr")).size(), "one row per day of the chart");
      assertEquals(js(lead, "return String(window.careloopCharts['chart-backlog'].data.datasets[1].data.reduce(function (a, b) { return a + b; }, 0));"),
        js(lead, "var n = 0; document.querySelectorAll('#chart-backlog-data tbody tr td:nth-of-type(2)').forEach(function (td) { n += Number(td.textContent); }); return String(n);"),
        "the table holds the chart's new cases");
      check(lead, "analytics dialog " + scheme, failures);
      if (scheme.equals("dark")) CycleBrowserIT.screenshot(lead, "console-analytics-dark");
      lead.findElement(By.id("analytics-close")).click();
    }
    assertTrue(failures.isEmpty(), String.join("\n\n", failures));
  }

  @Test
  @DisplayName("axe finds nothing on the other dialogs (service levels, canned, knowledge base, frequent questions, audit, administration, a question dialog, the bulk bar), light and dark")
  void axeOnEveryDialog() throws Exception {
    WebDriver admin = signedIn("admin");
    List<String> failures = new ArrayList<>();
    for (String scheme : List.of("light", "dark")) {
      Axe.colourScheme(admin, scheme);
      admin.navigate().refresh();
      until(admin).until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#queue-rows tr[data-case-id]"), 10));
      // The bulk bar, with two cases selected.
      rows(admin).get(0).findElement(By.cssSelector("input[type=checkbox]")).click();
      rows(admin).get(1).findElement(By.cssSelector("input[type=checkbox]")).click();
      until(admin).until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("[role=region][aria-label='Bulk actions']")));
      check(admin, "bulk bar " + scheme, failures);
      for (String[] d : new String[][] {{"sla-open", "sla-dialog", "sla-close"}, {"canned-open", "canned-dialog", "canned-close"},
          {"kb-open", "kb-dialog", "kb-close"}, {"cycle-open", "cycle-dialog", "cycle-close"}, {"audit-open", "audit-dialog", "audit-close"},
          {"admin-open", "admin-dialog", "admin-close"}}) {
        admin.findElement(By.id(d[0])).click();
        until(admin).until(ExpectedConditions.visibilityOfElementLocated(By.id(d[1])));
        Thread.sleep(500); // its lists load after it opens
        check(admin, d[1] + " " + scheme, failures);
        if (d[1].equals("admin-dialog")) {
          until(admin).until(ExpectedConditions.elementToBeClickable(By.xpath("//tr[@data-user]//button[text()='Reset password']"))).click();
          until(admin).until(ExpectedConditions.visibilityOfElementLocated(By.id("ask-dialog")));
          check(admin, "ask dialog " + scheme, failures);
          admin.findElement(By.id("ask-cancel")).click();
        }
        admin.findElement(By.id(d[2])).click();
      }
    }
    assertTrue(failures.isEmpty(), String.join("\n\n", failures));
  }

  static void check(WebDriver b, String what, List<String> failures) {
    JsonArray v = Axe.violations(b);
    if (!v.isEmpty()) failures.add(Axe.describe(what, v));
  }
}
