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
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;

import static io.careloop.support.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Searching the cases in the console (Debian chromium through Selenium)")
class CaseSearchIT {
  Harness h;
  WebDriver browser;

  @BeforeEach
  void start(Vertx vertx, @TempDir Path dir) throws Exception {
    h = Harness.start(vertx, dir.resolve("data"), Map.of("CARELOOP_BRAND_KEYWORDS", ""));
    h.newAgent("alice", "agent");
    browser = ConsoleBrowserIT.chromium(Files.createDirectories(dir.resolve("profile")));
  }

  @AfterEach
  void stop() {
    if (browser != null) browser.quit();
    if (h != null) h.close();
  }

  @Test
  @DisplayName("a word of a resolved case's text finds it, so does the customer's display name, and a reload keeps the filter from the address")
  void findsResolvedCase() throws Exception {
    h.standIn().timeline().account("41", "wren_h", "Wren Halloway", 120);
    var post = h.standIn().timeline().publish("41", "@AcmeCloud my gazebo sync stopped after the update", null, null);
    String id = "c" + post.id();
    Agent alice = Agent.login(h.vertx(), h.port(), "alice", "alice-long-password");
    eventually("case " + id, Duration.ofSeconds(15), () -> alice.get("/api/cases/" + id).status() == 200);
    alice.post("/api/cases/" + id + "/claim", new JsonObject()).expect(200);
    alice.post("/api/cases/" + id + "/resolve", new JsonObject()).expect(200);
    eventually("the case index", Duration.ofSeconds(20), () -> alice.get("/api/search/cases?q=gazebo").status() == 200);

    WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(15));
    browser.get("http://127.0.0.1:" + h.port() + "/");
    browser.findElement(By.id("username")).sendKeys("alice");
    browser.findElement(By.id("password")).sendKeys("alice-long-password");
    browser.findElement(By.id("login-submit")).click();
    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("find-q")));

    String row = "tr[data-case-id='" + id + "']";
    browser.findElement(By.id("find-q")).sendKeys("gazebo");
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(row)));
    assertEquals("Search results", browser.findElement(By.id("queue-title")).getText());
    assertTrue(browser.getCurrentUrl().contains("q=gazebo"), browser.getCurrentUrl());
    screenshot("find-search");

    browser.findElement(By.id("find-q")).clear();
    browser.findElement(By.id("find-q")).sendKeys("Halloway");
    wait.until(ExpectedConditions.urlContains("q=Halloway"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(row)));

    browser.navigate().refresh();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(row)));
    assertEquals("Halloway", browser.findElement(By.id("find-q")).getAttribute("value"));

    // The brand filter: the brand it was written to keeps it; the filter is in the address too.
    new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("find-brand"))).selectByValue("AcmeCloud");
    wait.until(ExpectedConditions.urlContains("brand=AcmeCloud"));
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(row)));
    browser.navigate().refresh();
    wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector(row)));
    assertEquals("AcmeCloud", browser.findElement(By.id("find-brand")).getAttribute("value"), "kept from the address after a reload");

    browser.findElement(By.id("find-q")).clear();
    browser.findElement(By.id("find-q")).sendKeys("nothing-like-this");
    wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("queue-empty"), "No case matches"));
  }

  private void screenshot(String name) throws Exception {
    Path dir = Files.createDirectories(Path.of("target", "screenshots"));
    Files.copy(((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath(), dir.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
  }
}
