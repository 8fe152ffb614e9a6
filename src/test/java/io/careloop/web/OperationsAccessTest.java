package io.careloop.web;

import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Pen test #17, finding 12a: node ids and the brand's X user id only for whoever holds the operations token. */
@ExtendWith(VertxExtension.class)
@DisplayName("Operations endpoints with CARELOOP_METRICS_TOKEN set")
class OperationsAccessTest {
  static final String TOKEN = "scrape-token-for-tests-0123456789";
  static Harness h;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", "", "CARELOOP_METRICS_TOKEN", TOKEN));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static HttpResponse<Buffer> get(String path, String authorization) {
    var req = h.http().get(h.port(), "127.0.0.1", path);
    if (authorization != null) req.putHeader("Authorization", authorization);
    return req.send().await();
  }

  @Test
  @DisplayName("/metrics and /health/cluster answer 401 JSON without the bearer token, or with a wrong one, and nothing of what they hold")
  void refusedWithoutTheToken() {
    for (String path : List.of("/metrics", "/health/cluster")) {
      for (String auth : new String[] {null, "Bearer wrong-token", "Bearer " + TOKEN.substring(0, 20), "Basic " + TOKEN, "Bearer " + TOKEN + "x", "Bearer"}) {
        var r = get(path, auth);
        assertEquals(401, r.statusCode(), () -> path + " with " + auth);
        assertTrue(r.getHeader("content-type").startsWith("application/json"), r.getHeader("content-type"));
        assertEquals("unauthenticated", r.bodyAsJsonObject().getString("error"));
        assertNotNull(r.bodyAsJsonObject().getString("message"));
        assertTrue(r.getHeader("WWW-Authenticate").startsWith("Bearer"));
        assertFalse(r.bodyAsString().contains(Harness.BRAND_ID), "no brand id without the token");
      }
    }
  }

  @Test
  @DisplayName("with the bearer token they answer as before; liveness and readiness need none")
  void servedWithTheToken() {
    var metrics = get("/metrics", "Bearer " + TOKEN);
    assertEquals(200, metrics.statusCode());
    assertTrue(metrics.bodyAsString().contains("# TYPE"), "Prometheus text");
    assertEquals(200, get("/metrics", "bearer " + TOKEN).statusCode(), "the scheme is case-insensitive (RFC 7235)");
    var cluster = get("/health/cluster", "Bearer " + TOKEN);
    assertEquals(200, cluster.statusCode(), cluster::bodyAsString);
    assertNotNull(cluster.bodyAsJsonObject());
    assertEquals(200, get("/health/live", null).statusCode());
    assertEquals(200, get("/health/ready", null).statusCode());
  }
}
