package io.careloop.it;

import io.careloop.analytics.AnalyticsService;
import io.careloop.support.Agent;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Map;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("The leads' dashboard in a real browser")
class AnalyticsBrowserIT {
  Harness h;
  Browsers browsers;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) {
    h = Harness.start(vertx, dir.resolve("data"), Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    browsers = new Browsers(h, dir);
    h.newAgent("lena", "lead");
    Agent abe = h.newAgent("abe", "agent");
    StandInTimeline t = h.standIn().timeline();
    Instant now = h.clock().instant();
    for (int i = 1; i <= 4; i++) {
      t.account(String.valueOf(700 + i), "asker" + i, "Asker " + i, 10);
      var post = t.publish(String.valueOf(700 + i), "@AcmeCloud question " + i, null, null, now.minus(Duration.ofMinutes(3L * i)));
      String caseId = "c" + post.id();
      eventually("case", Duration.ofSeconds(15), () -> abe.get("/api/cases/" + caseId).status() == 200);
      abe.post("/api/cases/" + caseId + "/reply", new JsonObject().put("text", "@asker" + i + " answer " + i)).expect(201);
    }
    eventually("counted", Duration.ofSeconds(10), () -> h.count(AnalyticsService.FACTS, new JsonObject().put("kind", "fulfilled")) == 4);
  }

  @AfterEach
  void stop() {
    if (browsers != null) browsers.close();
    if (h != null) h.close();
  }

  @Test
  @DisplayName("a lead opens the dashboard, changes the range, sees the charts redraw, and downloads the CSV")
  void dashboard() throws Exception {
    WebDriver b = browsers.signedIn("lena");
    WebDriverWait wait = new WebDriverWait(b, Duration.ofSeconds(15));
    JavascriptExecutor js = (JavascriptExecutor) b;
    b.findElement(By.id("analytics-open")).click();
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("an-totals"), "4 replies"));
    assertEquals(30L, js.executeScript("return window.careloopCharts['chart-daily'].data.labels.length"));
    assertEquals(4L, js.executeScript("return window.careloopCharts['chart-daily'].data.datasets[0].data.reduce((a, b) => a + b, 0)"));
    assertEquals("abe", b.findElement(By.cssSelector("#an-groups td")).getText());
    CycleBrowserIT.screenshot(b, "analytics-dashboard");

    // A week instead of thirty days: the same replies, fewer days on the axis.
    LocalDate today = LocalDate.ofInstant(h.clock().instant(), ZoneOffset.UTC);
    setDate(b, "an-from", today.minusDays(6));
    b.findElement(By.cssSelector("#analytics-form button[type=submit]")).click();
    wait.until(d -> Long.valueOf(7).equals(js.executeScript("return window.careloopCharts['chart-daily'].data.labels.length")));
    assertTrue(b.findElement(By.id("an-totals")).getText().contains("4 replies"));
    String href = b.findElement(By.id("an-csv")).getDomProperty("href");
    assertTrue(href.contains("from=" + today.minusDays(6)), href);

    // The download link gives the CSV of the chosen range, with the lead's session.
    Object csv = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
      + "fetch(document.getElementById('an-csv').href, {credentials: 'same-origin'}).then(r => r.text()).then(done, e => done('ERR ' + e));");
    // (Line ends are checked in the unit test: the WebDriver protocol does not keep carriage returns.)
    String body = String.valueOf(csv);
    assertTrue(body.startsWith("case,metric,brand,source,priority,agent,customer,mention,started,responded,seconds,businessSeconds,met"), body);
    assertEquals(5, body.split("\r?\n").length, "a header and four responses");
  }

  static void setDate(WebDriver b, String id, LocalDate date) {
    WebElement input = b.findElement(By.id(id));
    ((JavascriptExecutor) b).executeScript("arguments[0].value = arguments[1];", input, date.toString());
  }
}
