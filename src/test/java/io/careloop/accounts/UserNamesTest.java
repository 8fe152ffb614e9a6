package io.careloop.accounts;

import io.careloop.store.Dates;
import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** Pen test #17, finding 12b: "ADMIN" and "admin" must not be two accounts. */
@ExtendWith(VertxExtension.class)
@DisplayName("User names ignore case")
class UserNamesTest {

  static HttpResponse<Buffer> login(Harness h, String username, String password) {
    return h.http().post(h.port(), "127.0.0.1", "/api/login")
      .sendJsonObject(new JsonObject().put("username", username).put("password", password)).await();
  }

  static Agent.Reply create(Agent admin, String username) {
    return admin.post("/api/users", new JsonObject().put("username", username).put("password", "a-long-password-for-" + username.toLowerCase())
      .put("roles", new JsonArray().add("agent")));
  }

  @Test
  @DisplayName("sign-in with any spelling finds the account as it was created; a name that differs only in case is 409; admin routes find it too")
  void caseInsensitive(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      Agent admin = h.admin();
      assertEquals("Rosa", create(admin, "Rosa").expect(201).json().getString("username"));
      for (String spelling : new String[] {"Rosa", "rosa", "ROSA", "rOsA"}) {
        var r = login(h, spelling, "a-long-password-for-rosa");
        assertEquals(200, r.statusCode(), () -> spelling + ": " + r.bodyAsString());
        assertEquals("Rosa", r.bodyAsJsonObject().getString("user"));
      }
      var taken = create(admin, "rosa").expect(409).json();
      assertEquals("user-exists", taken.getString("error"));
      assertEquals("user-exists", create(admin, "ADMIN").expect(409).json().getString("error"));
      assertEquals("user-exists", create(admin, "Admin").expect(409).json().getString("error"));
      assertEquals(2, admin.get("/api/users").expect(200).json().getJsonArray("items").size(), "admin and Rosa, nobody else");

      JsonObject patched = admin.patch("/api/users/ROSA", new JsonObject().put("disabled", true)).expect(200).json();
      assertEquals("Rosa", patched.getString("username"));
      assertEquals(401, login(h, "rosa", "a-long-password-for-rosa").statusCode(), "disabled whatever the spelling");
      assertEquals(204, admin.put("/api/users/rOSA/password", new JsonObject().put("password", "another-long-secret-9")).status());
    }
  }

  @Test
  @DisplayName("accounts stored before: a mixed-case name signs in with any spelling; of two that differ only in case, each still signs in as spelt")
  void storedBefore(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      PasswordHasher hasher = new PasswordHasher();
      Instant t0 = Instant.parse("2025-01-01T00:00:00Z");
      // As UserService wrote them until now: username held the name as typed.
      for (Object[] u : new Object[][] {{"Olaf", "olaf-long-password", t0}, {"TWIN", "older-twin-password", t0.plusSeconds(60)},
          {"Twin", "younger-twin-password", t0.plusSeconds(120)}}) {
        h.mongo().insert(UserService.USERS, new JsonObject().put("_id", u[0]).put("username", u[0])
          .put("passwordHash", hasher.hash((String) u[1])).put("roles", new JsonArray().add("agent"))
          .put("disabled", false).put("epoch", 0).put("createdAt", Dates.bson((Instant) u[2]))).await();
      }
      h.restart();
      for (String spelling : new String[] {"Olaf", "olaf", "OLAF"}) {
        var r = login(h, spelling, "olaf-long-password");
        assertEquals(200, r.statusCode(), () -> spelling + ": " + r.bodyAsString());
        assertEquals("Olaf", r.bodyAsJsonObject().getString("user"));
      }
      assertEquals("TWIN", login(h, "TWIN", "older-twin-password").bodyAsJsonObject().getString("user"));
      assertEquals("Twin", login(h, "Twin", "younger-twin-password").bodyAsJsonObject().getString("user"));
      assertEquals("TWIN", login(h, "twin", "older-twin-password").bodyAsJsonObject().getString("user"), "other spellings reach the older one");
      assertEquals(401, login(h, "tWIN", "younger-twin-password").statusCode());

      Agent admin = h.admin();
      assertEquals("user-exists", create(admin, "olaf").expect(409).json().getString("error"));
      assertEquals("user-exists", create(admin, "tWin").expect(409).json().getString("error"));
      h.restart();
      assertEquals("Olaf", login(h, "oLAF", "olaf-long-password").bodyAsJsonObject().getString("user"), "folding again at the next start changes nothing");
    }
  }

  @Test
  @DisplayName("nodes starting together on an empty database make one first admin, and none of them fails to start")
  void firstAdminRace(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      h.mongo().removeDocuments(UserService.USERS, new JsonObject()).await();
      PasswordHasher hasher = new PasswordHasher();
      List<UserService> nodes = List.of(new UserService(vertx, h.app().database(), hasher, h.clock()),
        new UserService(vertx, h.app().database(), hasher, h.clock()), new UserService(vertx, h.app().database(), hasher, h.clock()));
      // All three count no user before any inserts: the race ClusterIT's nodes run at start.
      Future.all(nodes.stream().map(u -> u.ensureFirstAdmin(Harness.ADMIN_PASSWORD)).toList()).await();
      assertEquals(1, h.count(UserService.USERS, new JsonObject()), "one admin");
      assertEquals(200, login(h, "admin", Harness.ADMIN_PASSWORD).statusCode());
    }
  }
}
