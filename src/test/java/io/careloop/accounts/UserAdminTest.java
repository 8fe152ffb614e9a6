package io.careloop.accounts;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
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
@DisplayName("Managing staff accounts")
class UserAdminTest {
  /** One app for the methods that only add their own users (each its own names); the clock moves only forward. */
  static Harness h;
  @TempDir static Path data;

  @BeforeAll
  static void start(Vertx vertx) {
    h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""));
  }

  @AfterAll
  static void stop() {
    h.close();
  }

  @Test
  @DisplayName("disabling a user or changing their roles ends their sessions at once; re-enabled, they sign in again")
  void disableAndRoles(Vertx vertx) {
    Agent admin = h.admin();
    Agent dan = h.newAgent("dan", "agent");
    dan.get("/api/cases").expect(200);
    admin.patch("/api/users/dan", new JsonObject().put("disabled", true)).expect(200);
    assertEquals("unauthenticated", dan.get("/api/cases").expect(401).json().getString("error"));
    var refused = h.http().post(h.port(), "127.0.0.1", "/api/login")
      .sendJsonObject(new JsonObject().put("username", "dan").put("password", "dan-long-password")).await();
    assertEquals(401, refused.statusCode(), "a disabled user cannot sign in");
    admin.patch("/api/users/dan", new JsonObject().put("disabled", false)).expect(200);
    Agent back = Agent.login(vertx, h.port(), "dan", "dan-long-password");
    back.get("/api/sla").expect(403);
    admin.patch("/api/users/dan", new JsonObject().put("roles", new JsonArray().add("lead"))).expect(200);
    back.get("/api/cases").expect(401);
    Agent asLead = Agent.login(vertx, h.port(), "dan", "dan-long-password");
    asLead.get("/api/sla").expect(200);
    assertTrue(admin.get("/api/audit?action=user.updated").json().getJsonArray("items").stream()
      .anyMatch(e -> "dan".equals(((JsonObject) e).getString("target"))), "dan's changes are audited");
  }

  @Test
  @DisplayName("the last admin cannot be disabled or lose the admin role; with a second admin it can")
  void lastAdmin(Vertx vertx, @TempDir Path own) {
    // Its own app: it takes the admin role from the first admin, whom the other methods sign in as.
    try (Harness h = Harness.start(vertx, own, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      Agent admin = h.admin();
      assertEquals("last-admin", admin.patch("/api/users/admin", new JsonObject().put("disabled", true)).expect(409).json().getString("error"));
      admin.patch("/api/users/admin", new JsonObject().put("roles", new JsonArray().add("lead"))).expect(409);
      admin.get("/api/users").expect(200);
      h.newAgent("ada", "admin");
      admin.patch("/api/users/admin", new JsonObject().put("roles", new JsonArray().add("lead"))).expect(200);
      Agent.login(vertx, h.port(), "ada", "ada-long-password").patch("/api/users/ghost", new JsonObject().put("disabled", true)).expect(404);
    }
  }

  @Test
  @DisplayName("signing in upgrades a hash made with older parameters")
  void hashUpgradedAtSignIn(Vertx vertx) {
    h.newAgent("gil", "agent");
    String old = com.password4j.Password.hash("gil-long-password").addRandomSalt(16)
      .with(com.password4j.Argon2Function.getInstance(8 * 1024, 1, 1, 32, com.password4j.types.Argon2.ID)).getResult();
    h.mongo().updateCollection("users", new JsonObject().put("_id", "gil"), new JsonObject().put("$set", new JsonObject().put("passwordHash", old))).await();
    Agent.login(vertx, h.port(), "gil", "gil-long-password").get("/api/cases").expect(200);
    String now = h.mongo().findOne("users", new JsonObject().put("_id", "gil"), null).await().getString("passwordHash");
    assertTrue(now.startsWith("$argon2id$v=19$m=19456,t=2,p=1$"), now);
  }

  @Test
  @DisplayName("a session id planted before sign-in is never the signed-in one (fixation); a session dies after 12 hours whatever its use")
  void sessionFixationAndLifetime(Vertx vertx) {
    h.newAgent("fay", "agent");
    var login = h.http().post(h.port(), "127.0.0.1", "/api/login").putHeader("Cookie", "careloop.sid=attacker-chosen-id")
      .sendJsonObject(new JsonObject().put("username", "fay").put("password", "fay-long-password")).await();
    assertEquals(200, login.statusCode());
    String issued = login.cookies().stream().filter(c -> c.startsWith("careloop.sid=")).findFirst().orElseThrow();
    assertFalse(issued.contains("attacker-chosen-id"), issued);
    var asAttacker = h.http().get(h.port(), "127.0.0.1", "/api/cases").putHeader("Cookie", "careloop.sid=attacker-chosen-id").send().await();
    assertEquals(401, asAttacker.statusCode());

    Agent fay = Agent.login(vertx, h.port(), "fay", "fay-long-password");
    fay.get("/api/cases").expect(200);
    h.clock().advance(java.time.Duration.ofHours(11).plusMinutes(59));
    fay.get("/api/cases").expect(200);
    h.clock().advance(java.time.Duration.ofMinutes(2));
    fay.get("/api/cases").expect(401);
  }

  @Test
  @DisplayName("a password reset or change ends the user's other sessions; weak and common passwords are refused")
  void passwords(Vertx vertx) {
    Agent admin = h.admin();
    Agent eve = h.newAgent("eve", "agent");
    Agent eveElsewhere = Agent.login(vertx, h.port(), "eve", "eve-long-password");
    for (String weak : new String[] {"password1234", "eve-12345678".substring(0, 12), "aaaaaaaaaaab", "short"}) {
      var r = admin.put("/api/users/eve/password", new JsonObject().put("password", weak));
      assertEquals(400, r.status(), weak + ": " + r.body());
    }
    JsonObject changed = eve.post("/api/me/password", new JsonObject().put("currentPassword", "eve-long-password")
      .put("newPassword", "a much better passphrase")).expect(200).json();
    assertNotNull(changed.getString("csrfToken"));
    eveElsewhere.get("/api/cases").expect(401);
    // The session was renewed: the old CSRF token no longer works.
    eve.post("/api/me/password", new JsonObject().put("currentPassword", "x").put("newPassword", "another good passphrase")).expect(403);
    Agent eveNow = Agent.login(vertx, h.port(), "eve", "a much better passphrase");
    eveNow.post("/api/me/password", new JsonObject().put("currentPassword", "wrong").put("newPassword", "another good passphrase")).expect(400);
    admin.put("/api/users/eve/password", new JsonObject().put("password", "reset by the admin today")).expect(204);
    Agent.login(vertx, h.port(), "eve", "reset by the admin today").get("/api/cases").expect(200);
  }
}
