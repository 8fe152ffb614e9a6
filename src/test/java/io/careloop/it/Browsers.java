package io.careloop.it;

import io.careloop.support.Harness;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Signed-in console browsers for a test, each with its own profile, all closed at the end. */
final class Browsers implements AutoCloseable {
  private final Harness h;
  private final Path dir;
  private final List<WebDriver> open = new ArrayList<>();

  Browsers(Harness h, Path dir) {
    this.h = h;
    this.dir = dir;
  }

  /** A browser signed in as {@code user} (password {@code user-long-password}), by keyboard, console showing. */
  WebDriver signedIn(String user) throws Exception {
    WebDriver b = ConsoleBrowserIT.chromium(Files.createDirectories(dir.resolve("profile-" + user)));
    open.add(b);
    b.get("http://127.0.0.1:" + h.port() + "/");
    b.findElement(By.id("username")).sendKeys(user + Keys.TAB + user + "-long-password" + Keys.ENTER);
    new WebDriverWait(b, Duration.ofSeconds(15)).until(ExpectedConditions.visibilityOfElementLocated(By.id("views")));
    return b;
  }

  @Override
  public void close() { open.forEach(WebDriver::quit); }
}
