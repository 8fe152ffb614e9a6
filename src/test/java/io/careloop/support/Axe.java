package io.careloop.support;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chromium.HasCdp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Checks the page a browser test has loaded with axe-core (the npm package pinned in {@code .ci/npm}), for WCAG 2.0 and
 * 2.1 A/AA and axe's best practices.
 *
 * <p>For a console view, after the view has rendered: {@code Axe.assertNoViolations(driver, "console queue")}. For the
 * dark scheme, first {@code Axe.colourScheme(driver, "dark")} (then reload or let the page restyle), check, and
 * {@code Axe.colourScheme(driver, "light")} again. Axe checks what is in the DOM now, so open the dialog, menu or
 * toast to be checked before calling it.
 *
 * <p>axe.min.js is found through the system property {@code axe.js} (set by failsafe in the pom) or the environment
 * variable {@code AXE_JS}. Missing, it fails the test in CI ({@code CI=true}); on a developer's machine it skips the
 * check with a message saying how to install it ({@code mvn -B verify} installs it itself when npm is on the PATH).
 *
 * <p>The script is given to the page through WebDriver, which Chromium runs as DevTools evaluation: the pages'
 * Content-Security-Policy ({@code script-src 'self'}) does not apply to it, so no page needs a weaker policy to be
 * tested, and {@code PublicPagesAxeIT} proves the check runs under that policy.
 */
public final class Axe {
  /** The rule sets every page must pass: WCAG 2.0 and 2.1 level A and AA, and axe's best practices. */
  public static final List<String> TAGS = List.of("wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice");
  private static volatile String source;

  private Axe() {}

  /** Runs axe on the page as it is now and returns its violations (axe's own JSON: id, impact, help, helpUrl, nodes). */
  public static JsonArray violations(WebDriver driver) {
    JavascriptExecutor js = (JavascriptExecutor) driver;
    if (!Boolean.TRUE.equals(js.executeScript("return typeof window.axe === 'object';"))) js.executeScript(source());
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
    Object out = js.executeAsyncScript(
      "var done = arguments[arguments.length - 1];"
        + "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}, resultTypes: ['violations']})"
        + ".then(function (r) { done(JSON.stringify(r.violations)); }, function (e) { done(JSON.stringify({error: String(e)})); });",
      TAGS);
    String json = String.valueOf(out);
    if (json.startsWith("{")) fail("axe could not run on " + driver.getCurrentUrl() + ": " + new JsonObject(json).getString("error"));
    return new JsonArray(json);
  }

  /** Fails, naming each violation (rule, impact, what to do, where), when axe finds any on the page as it is now. */
  public static void assertNoViolations(WebDriver driver, String what) {
    JsonArray v = violations(driver);
    if (!v.isEmpty()) fail(describe(what + " (" + driver.getCurrentUrl() + ")", v));
  }

  /** One paragraph per violation: id, impact, help, link, and up to three places with their selector and HTML. */
  public static String describe(String what, JsonArray violations) {
    StringBuilder b = new StringBuilder(what).append(": ").append(violations.size()).append(" axe violation(s)");
    for (Object o : violations) {
      JsonObject v = (JsonObject) o;
      JsonArray nodes = v.getJsonArray("nodes", new JsonArray());
      b.append("\n- ").append(v.getString("id")).append(" [").append(v.getString("impact")).append("] ")
        .append(v.getString("help")).append(" (").append(nodes.size()).append(" element(s)) ").append(v.getString("helpUrl"));
      for (int i = 0; i < Math.min(3, nodes.size()); i++) {
        JsonObject n = nodes.getJsonObject(i);
        b.append("\n    at ").append(n.getJsonArray("target")).append(": ").append(clip(n.getString("html")));
        String summary = n.getString("failureSummary");
        if (summary != null) b.append("\n       ").append(clip(summary.replace('\n', ' ')));
      }
    }
    return b.toString();
  }

  /** Emulates {@code prefers-color-scheme} ("light" or "dark") in this Chromium, as a user's system setting would. */
  public static void colourScheme(WebDriver driver, String scheme) {
    ((HasCdp) driver).executeCdpCommand("Emulation.setEmulatedMedia",
      Map.of("features", List.of(Map.of("name", "prefers-color-scheme", "value", scheme))));
  }

  private static String clip(String s) {
    return s == null ? "" : s.length() > 240 ? s.substring(0, 240) + "…" : s;
  }

  private static String source() {
    if (source != null) return source;
    String configured = System.getProperty("axe.js", System.getenv("AXE_JS"));
    Path file = configured == null ? null : Path.of(configured);
    if (file == null || !Files.isReadable(file)) {
      String why = "axe-core is not installed (" + (file == null ? "no axe.js property or AXE_JS" : file + " missing")
        + "): run `npm ci --prefix .ci/npm`, or `mvn -B verify` with npm on the PATH";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) fail(why);
      Assumptions.abort(why);
    }
    try {
      return source = Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + file, e);
    }
  }
}
