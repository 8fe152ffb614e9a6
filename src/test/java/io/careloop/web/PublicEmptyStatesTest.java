package io.careloop.web;

import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

@ExtendWith(VertxExtension.class)
@DisplayName("Empty public pages say what will appear on them")
class PublicEmptyStatesTest {
  static Harness h;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
  }

  @AfterAll
  static void stop() { h.close(); }

  static String page(String path) {
    var r = h.publicBrowser().get(path).send().await();
    assertEquals(200, r.statusCode(), path);
    return r.bodyAsString();
  }

  @Test
  @DisplayName("a blog with no posts says that answers to often-asked questions are written up there")
  void emptyBlog() {
    assertTrue(page("/blog/").contains("No posts yet. When customers keep asking our support team the same question, we write the answer up here"));
  }

  @Test
  @DisplayName("a help centre with no articles says step-by-step answers are published there; a search finding nothing says so")
  void emptyKb() {
    assertTrue(page("/kb/").contains("No answers yet. Our support team publishes step-by-step answers here"));
    String search = page("/kb/?q=teleport");
    assertTrue(search.contains("No answer matches “teleport” yet"), search);
  }
}
