package io.careloop.store;

import io.careloop.support.Agent;
import io.careloop.support.Harness;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The embedded MongoDB has no authentication of its own; CareLoop puts SCRAM-SHA-256 in front of it. */
@ExtendWith(VertxExtension.class)
@DisplayName("The embedded database and other local processes")
class EmbeddedDatabaseAccessTest {

  @Test
  @DisplayName("another process on the machine can neither read the users nor make one admin, with no password or a wrong one")
  void anotherProcessIsRefused(Vertx vertx, @TempDir Path data) throws Exception {
    try (Harness h = Harness.start(vertx, data)) {
      Agent mallory = h.newAgent("mallory", "agent");
      InetSocketAddress address = h.app().database().embeddedAddress();
      List<String> lines = runIntruder(address.getAddress().getHostAddress() + ":" + address.getPort());
      String all = String.join("\n", lines);
      for (String who : List.of("anonymous", "wrong-password")) {
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(who + " read: refused")), all);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(who + " write: refused")), all);
      }
      assertTrue(all.contains("requires authentication") || all.contains("Unauthorized"), all);
      assertTrue(all.contains("Authentication failed") || all.contains("AuthenticationFailed"), all);
      assertFalse(all.contains("$argon2"), "a hash leaked: " + all);
      // CareLoop's own connection still works, and mallory is still an agent.
      JsonObject stored = h.mongo().findOne("users", new JsonObject().put("_id", "mallory"), null).await();
      assertEquals(List.of("agent"), stored.getJsonArray("roles").getList());
      mallory.get("/api/me").expect(200);
      mallory.get("/api/users").expect(403);
    }
  }

  @Test
  @DisplayName("the data folder, which holds the password hashes, is readable by its owner only")
  void dataFolderIsOwnerOnly(Vertx vertx, @TempDir Path parent) throws Exception {
    Path data = parent.resolve("data");
    Files.createDirectories(data);
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
    try (Harness h = Harness.start(vertx, data)) {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
    }
  }

  static List<String> runIntruder(String hostPort) throws IOException, InterruptedException {
    String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p = new ProcessBuilder(javaBin.toString(), "-cp", classpath, Intruder.class.getName(), hostPort)
      .redirectErrorStream(false).start();
    p.getErrorStream().transferTo(java.io.OutputStream.nullOutputStream());
    assertTrue(p.waitFor(90, TimeUnit.SECONDS), "the intruder process did not finish");
    List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    assertTrue(lines.contains("done"), "intruder output: " + lines);
    return lines;
  }
}
