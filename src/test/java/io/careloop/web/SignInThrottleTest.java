package io.careloop.web;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

import static org.junit.jupiter.api.Assertions.*;

/**
 * The sign-in throttle over real HTTP (pen test #17, finding 3). The test client connects from 127.0.0.1, which is
 * configured as a trusted proxy, so each test speaks for clients of its own through {@code X-Forwarded-For}; a second
 * client connects from 127.0.0.2, which is not trusted.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Sign-in throttling over HTTP")
class SignInThrottleTest {
  static Harness h;
  static Agent admin;
  static WebClient viaProxy;
  static WebClient untrusted;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", "", "CARELOOP_TRUSTED_PROXIES", "127.0.0.1"));
    admin = h.admin();
    viaProxy = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(h.port()),
      new PoolOptions().setHttp1MaxSize(40));
    untrusted = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(h.port())
      .setLocalAddress("127.0.0.2"));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  static void user(String name) {
    admin.post("/api/users", new JsonObject().put("username", name).put("password", name + "-long-password")
      .put("roles", new JsonArray().add("agent"))).expect(201);
  }

  static Future<HttpResponse<Buffer>> send(WebClient client, String forwardedFor, String username, String password) {
    HttpRequest<Buffer> req = client.post("/api/login");
    if (forwardedFor != null) req.putHeader("X-Forwarded-For", forwardedFor);
    return req.sendJsonObject(new JsonObject().put("username", username).put("password", password));
  }

  static HttpResponse<Buffer> login(String forwardedFor, String username, String password) {
    return send(viaProxy, forwardedFor, username, password).await();
  }

  static HttpResponse<Buffer> rightPassword(String forwardedFor, String username) {
    return login(forwardedFor, username, username + "-long-password");
  }

  static void assertRefused(HttpResponse<Buffer> r) {
    assertEquals(429, r.statusCode(), r::bodyAsString);
    assertEquals("too-many-attempts", r.bodyAsJsonObject().getString("error"));
    assertTrue(Long.parseLong(r.getHeader("Retry-After")) >= 1);
  }

  /**
   * Wrong passwords until the key is blocked for at least 16 s, moving the clock past each shorter block, so what the
   * test asserts next cannot race the end of a one-second block on a busy machine.
   */
  static void blockForAWhile(IntFunction<HttpResponse<Buffer>> guess) {
    for (int i = 0; i < 40; i++) {
      HttpResponse<Buffer> r = guess.apply(i);
      if (r.statusCode() == 429) {
        long seconds = Long.parseLong(r.getHeader("Retry-After"));
        if (seconds >= 16) return;
        h.clock().advance(Duration.ofSeconds(seconds + 1));
      } else {
        assertEquals(401, r.statusCode(), r::bodyAsString);
      }
    }
    fail("never blocked for 16 s");
  }

  @Test
  @DisplayName("thirty wrong passwords for one account sent at once: only the few allowed are checked, the rest get 429 with Retry-After")
  void parallelGuessesAtOneAccount() {
    user("pat");
    List<Future<HttpResponse<Buffer>>> burst = new ArrayList<>();
    for (int i = 0; i < 30; i++) burst.add(send(viaProxy, "203.0.113.10", "pat", "not-pats-password-" + i));
    Future.all(burst).await();
    long checked = burst.stream().filter(f -> f.result().statusCode() == 401).count();
    long refused = burst.stream().filter(f -> f.result().statusCode() == 429).count();
    assertEquals(30, checked + refused, "every answer is 401 or 429");
    assertTrue(checked <= 6, () -> checked + " of 30 parallel guesses were checked");
    burst.stream().filter(f -> f.result().statusCode() == 429).forEach(f -> assertRefused(f.result()));
  }

  @Test
  @DisplayName("25 guesses over 5 accounts, signing in to the guesser's own account in between, meet 429: the own success clears nothing")
  void ownSuccessDoesNotClearTheAddress() {
    for (int i = 1; i <= 5; i++) user("victim" + i);
    user("mallory");
    String from = "203.0.113.20";
    assertEquals(200, rightPassword(from, "mallory").statusCode());
    List<Integer> statuses = new ArrayList<>();
    for (int v = 1; v <= 5; v++) {
      for (int g = 0; g < 5; g++) statuses.add(login(from, "victim" + v, "guess-number-" + g + "-for-" + v).statusCode());
      assertEquals(200, rightPassword(from, "mallory").statusCode(), "the guesser still gets into their own account");
    }
    assertEquals(List.of(401, 401, 401, 401, 401, 401, 429), statuses.subList(0, 7), "five free failures, the sixth blocks the address");
    long checked = statuses.stream().filter(s -> s == 401).count();
    assertTrue(checked <= 10, () -> checked + " of 25 guesses were checked: " + statuses);
    assertTrue(statuses.stream().allMatch(s -> s == 401 || s == 429), statuses::toString);
  }

  @Test
  @DisplayName("after an address is blocked, a user who has signed in from there before still gets in with the right password; a newcomer waits")
  void knownUsersPassAnAddressBlock() {
    user("uma");
    user("newbie");
    String office = "203.0.113.30";
    assertEquals(200, rightPassword(office, "uma").statusCode());
    blockForAWhile(i -> login(office, "nobody-" + i, "whatever-password"));
    assertEquals(200, rightPassword(office, "uma").statusCode());
    assertRefused(rightPassword(office, "newbie"));
  }

  @Test
  @DisplayName("after an account is blocked by guesses from elsewhere, its owner still gets in from where she signed in before")
  void knownPlacePassesAnAccountBlock() {
    user("ruth");
    String home = "203.0.113.35";
    assertEquals(200, rightPassword(home, "ruth").statusCode());
    blockForAWhile(i -> login("198.51.100." + (i % 3 + 1), "ruth", "guess-" + i));
    assertRefused(rightPassword("198.51.100.200", "ruth"));
    assertEquals(200, rightPassword(home, "ruth").statusCode());
  }

  @Test
  @DisplayName("a guesser behind the same address as a user cannot lock her out: her browser's device cookie is a place of its own")
  void deviceCookieOutlastsAGuesserBehindTheSameAddress(Vertx vertx) {
    user("vera");
    String office = "203.0.113.40";
    io.vertx.ext.web.client.WebClientSession browser = io.vertx.ext.web.client.WebClientSession.create(
      WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(h.port())));
    HttpResponse<Buffer> first = send(browser, office, "vera", "vera-long-password").await();
    assertEquals(200, first.statusCode());
    String device = first.cookies().stream().filter(c -> c.startsWith("careloop.device=")).findFirst().orElseThrow();
    assertTrue(device.toLowerCase().contains("httponly") && device.contains("SameSite=Strict") && device.contains("Path=/api"), device);
    // Someone else in the same office guesses at vera until her account is blocked, with no cookie of hers.
    blockForAWhile(i -> login(office, "vera", "guess-" + i));
    assertRefused(rightPassword(office, "vera"));
    assertEquals(200, send(browser, office, "vera", "vera-long-password").await().statusCode(), "vera's browser gets in");
  }

  @Test
  @DisplayName("from a trusted proxy, the right-most X-Forwarded-For entry that is not a trusted proxy is the client, whatever is written left of it")
  void forwardedForFromATrustedProxy() {
    blockForAWhile(i -> login(i % 2 == 0 ? "10.9.9." + i + ", 203.0.113.40" : "203.0.113.40, 127.0.0.1", "ghost-" + i, "whatever-password"));
    assertRefused(login("192.0.2.1, 203.0.113.40", "ghost-x", "whatever-password"));
    assertEquals(401, login("203.0.113.40, 203.0.113.41", "ghost-y", "whatever-password").statusCode(), "another client behind the proxy");
  }

  @Test
  @DisplayName("X-Forwarded-For from a peer that is not a trusted proxy is ignored: the peer is the client")
  void forwardedForFromAnUntrustedPeer() {
    blockForAWhile(i -> send(untrusted, "198.18.0." + (i + 1), "phantom-" + i, "whatever-password").await());
    assertRefused(send(untrusted, "198.18.1.1", "phantom-x", "whatever-password").await());
    assertEquals(401, login("198.18.1.1", "phantom-y", "whatever-password").statusCode(), "the same header through the trusted proxy");
  }

  @Test
  @DisplayName("the own-password change checks the current password through the same throttle, so a session is no unthrottled oracle")
  void ownPasswordChangeIsThrottled(Vertx vertx) {
    user("sam");
    Agent sam = Agent.login(vertx, h.port(), "sam", "sam-long-password");
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      statuses.add(sam.post("/api/me/password", new JsonObject().put("currentPassword", "guess-number-" + i)
        .put("newPassword", "a-brand-new-password-1"), Map.of("X-Forwarded-For", "203.0.113.60")).status());
    }
    assertEquals(List.of(400, 400, 400, 400, 400, 400, 429), statuses);
  }
}
