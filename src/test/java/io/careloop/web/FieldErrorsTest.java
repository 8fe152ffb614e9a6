package io.careloop.web;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * A body the contract refuses says where, in words: the console puts the message next to the field (issue 21: a
 * mistyped opening-hours value showed a raw schema message and no field).
 */
@ExtendWith(VertxExtension.class)
@DisplayName("Refused bodies name the field, as a JSON pointer and in words")
class FieldErrorsTest {

  @Test
  @DisplayName("a mistyped opening hour, a negative target and an unknown field each name their place; nothing is stored")
  void schemaRefusalsNameTheField(Vertx vertx, @TempDir Path data) {
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      Agent lead = h.newAgent("lena", "lead");
      JsonObject book = lead.get("/api/sla").expect(200).json();

      JsonObject badHour = book.copy();
      badHour.getJsonObject("hours").put("weekly", new JsonObject().put("MONDAY", new JsonArray().add(new JsonArray().add("09:00").add("25:00"))));
      JsonObject hour = lead.put("/api/sla", badHour).expect(400).json();
      assertEquals("invalid-request", hour.getString("error"));
      assertEquals("/hours/weekly/MONDAY/0/1", hour.getString("field"), hour::encode);
      assertTrue(hour.getString("message").startsWith("hours.weekly.MONDAY[0][1]: "), hour::encode);
      assertTrue(hour.getString("message").contains("25:00"), () -> "the message quotes the value: " + hour.encode());

      JsonObject badTarget = book.copy();
      badTarget.getJsonArray("policies").getJsonObject(0).getJsonObject("firstResponseMinutes").put("urgent", -5);
      JsonObject target = lead.put("/api/sla", badTarget).expect(400).json();
      assertEquals("/policies/0/firstResponseMinutes/urgent", target.getString("field"), target::encode);

      JsonObject stray = lead.put("/api/me/preferences", new JsonObject().put("singleKeyShortcut", false)).expect(400).json();
      assertEquals("invalid-request", stray.getString("error"));
      assertTrue(stray.getString("message").contains("singleKeyShortcut"), () -> "an unknown field is named: " + stray.encode());

      // A refused password is named, never repeated.
      JsonObject shortPassword = h.admin().post("/api/users", new JsonObject().put("username", "newbie").put("password", "hunter2")
        .put("roles", new JsonArray().add("agent"))).expect(400).json();
      assertEquals("/password", shortPassword.getString("field"), shortPassword::encode);
      assertFalse(shortPassword.encode().contains("hunter2"), shortPassword::encode);

      assertEquals(book, lead.get("/api/sla").expect(200).json(), "nothing refused was stored");
    }
  }
}
