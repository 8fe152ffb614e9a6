package io.careloop;

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

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@DisplayName("An admin backs up the running CareLoop; the restore command brings it back on another data folder")
class BackupRestoreTest {

  @Test
  @DisplayName("back up now (API), list, restore with the command, start on the restored folder: the team's data is there")
  void backUpAndRestore(Vertx vertx, @TempDir Path data, @TempDir Path backups, @TempDir Path elsewhere) {
    String file;
    try (Harness h = Harness.start(vertx, data, Map.of("CARELOOP_BRAND_KEYWORDS", "", "CARELOOP_BACKUP_DIR", backups.toString()))) {
      Agent admin = h.admin();
      admin.post("/api/users", new JsonObject().put("username", "rosa").put("password", "rosa-long-password-1")
        .put("roles", new JsonArray().add("agent"))).expect(201);
      JsonObject made = admin.post("/api/admin/backups", null).expect(201).json();
      assertTrue(made.getBoolean("verified"));
      assertEquals(2, made.getJsonObject("collections").getInteger("users"), made.encode());
      file = made.getString("file");
      assertTrue(file.startsWith(backups.toString()), file);
      JsonObject listed = admin.get("/api/admin/backups").expect(200).json();
      assertEquals(made.getString("name"), listed.getJsonArray("items").getJsonObject(0).getString("name"));
      assertEquals(1, h.count("audit", new JsonObject().put("action", "backup.created")));
      h.newAgent("ivy", "agent").post("/api/admin/backups", null).expect(403);
      // Written after the backup: not in it.
      admin.post("/api/users", new JsonObject().put("username", "late").put("password", "late-long-password-1")
        .put("roles", new JsonArray().add("agent"))).expect(201);
    }

    StringBuilder said = new StringBuilder();
    assertEquals(0, run(said, "verify", file), said.toString());
    Path restored = elsewhere.resolve("data");
    assertEquals(0, run(said, "restore", "--from", file, "--data-dir", restored.toString()), said.toString());
    assertTrue(said.toString().contains("Restored"), said.toString());
    assertEquals(2, run(said, "restore"), "no --from: usage");
    assertEquals(1, run(said, "verify", elsewhere.resolve("nothing.mv.db").toString()));

    try (Harness h = Harness.start(vertx, restored, Map.of("CARELOOP_BRAND_KEYWORDS", ""))) {
      Agent.login(vertx, h.port(), "rosa", "rosa-long-password-1").get("/api/me").expect(200);
      assertEquals(0, h.count("users", new JsonObject().put("_id", "late")), "written after the backup");
    }
  }

  private static int run(StringBuilder said, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = Commands.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
    said.append(out.toString(StandardCharsets.UTF_8));
    return code;
  }
}
