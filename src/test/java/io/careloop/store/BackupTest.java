package io.careloop.store;

import io.careloop.support.Eventually;
import io.careloop.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
@DisplayName("Backups of the embedded database: taken under write load, verified, restored")
class BackupTest {

  private static Settings settings(Path data) {
    return Settings.from(new JsonObject(), Map.of("CARELOOP_DATA_DIR", data.toString(), "CARELOOP_X_BEARER_TOKEN", "b"));
  }

  @Test
  @DisplayName("a backup under write load holds every write acknowledged before it; restored, the database is that backup")
  void backupUnderLoadThenRestore(Vertx vertx, @TempDir Path data, @TempDir Path elsewhere) throws Exception {
    Database db = Database.open(vertx, settings(data)).await();
    Path target = elsewhere.resolve("backups").resolve(Backups.nameAt(Instant.parse("2026-12-01T21:00:00Z")));
    Backups.Backup backup;
    Set<String> ackedBeforeBackup;
    AtomicInteger acked = new AtomicInteger();
    try {
      db.mongo().insert("users", new JsonObject().put("_id", "admin")).await();
      // Two writers, each storing a mention and waiting for it to be durable before the next, as ingestion does.
      Set<String> ackedIds = ConcurrentHashMap.newKeySet();
      AtomicBoolean stop = new AtomicBoolean();
      List<Future<Void>> writers = List.of(writer(vertx, db, "a", ackedIds, acked, stop), writer(vertx, db, "b", ackedIds, acked, stop));
      io.careloop.support.Eventually.eventually("150 writes acknowledged", java.time.Duration.ofSeconds(60), () -> acked.get() >= 150);
      ackedBeforeBackup = Set.copyOf(ackedIds);
      backup = db.backup(target).await();
      int during = ackedBeforeBackup.size() + 150;
      io.careloop.support.Eventually.eventually("150 more writes after the backup", java.time.Duration.ofSeconds(60), () -> acked.get() >= during);
      stop.set(true);
      Future.all(writers).await();
    } finally {
      db.close().await();
    }
    assertTrue(Files.isRegularFile(target), "the backup is at " + target);
    assertFalse(Files.exists(target.resolveSibling(target.getFileName() + ".partial")));
    int inBackup = backup.collections().get("mentions");
    assertTrue(inBackup >= ackedBeforeBackup.size(), inBackup + " mentions in the backup, " + ackedBeforeBackup.size() + " acknowledged before it");
    assertTrue(inBackup < acked.get(), "the load went on after the backup: " + acked.get() + " acknowledged in all");
    assertEquals(1, backup.collections().get("users"));

    Path restored = elsewhere.resolve("restored");
    Map<String, Integer> counts = Backups.restore(target, restored, "careloop", Instant.now());
    assertEquals(backup.collections(), counts);
    Database again = Database.open(vertx, settings(restored)).await();
    try {
      assertEquals(inBackup, again.mongo().count("mentions", new JsonObject()).await(), "the restored database is the backup, no more, no less");
      for (String id : ackedBeforeBackup) {
        assertTrue(again.mongo().findOne("mentions", new JsonObject().put("_id", id), null).await() != null, id + " acknowledged before the backup is missing");
      }
    } finally {
      again.close().await();
    }
  }

  @Test
  @DisplayName("restore refuses a file that is not a CareLoop database, and a data folder whose CareLoop is running")
  void restoreRefusesBadInput(Vertx vertx, @TempDir Path data, @TempDir Path elsewhere) throws Exception {
    Path junk = elsewhere.resolve("junk.mv.db");
    Files.writeString(junk, "not a database");
    assertThrows(RuntimeException.class, () -> Backups.restore(junk, elsewhere.resolve("target"), "careloop", Instant.now()));
    assertThrows(IllegalArgumentException.class, () -> Backups.verify(elsewhere.resolve("missing.mv.db"), "careloop"));

    Database db = Database.open(vertx, settings(data)).await();
    try {
      db.mongo().insert("users", new JsonObject().put("_id", "admin")).await();
      Backups.Backup b = db.backup(elsewhere.resolve("b.mv.db")).await();
      var running = assertThrows(IOException.class, () -> Backups.restore(b.file(), data, "careloop", Instant.now()));
      assertTrue(running.getMessage().contains("stop it before restoring"), running.getMessage());
      assertEquals(1, db.mongo().count("users", new JsonObject()).await(), "nothing changed");
    } finally {
      db.close().await();
    }
  }

  @Test
  @DisplayName("pruning keeps the newest backups by name")
  void pruneKeepsNewest(@TempDir Path dir) throws IOException {
    for (String at : List.of("2026-11-28T02:00:00Z", "2026-11-29T02:00:00Z", "2026-11-30T02:00:00Z", "2026-12-01T02:00:00Z")) {
      Files.writeString(dir.resolve(Backups.nameAt(Instant.parse(at))), "x");
    }
    Files.writeString(dir.resolve("notes.txt"), "kept");
    List<Path> removed = Backups.prune(dir, 2);
    assertEquals(List.of("careloop-20261128-020000.mv.db", "careloop-20261129-020000.mv.db"), removed.stream().map(p -> p.getFileName().toString()).toList());
    assertTrue(Files.exists(dir.resolve("notes.txt")));
    assertTrue(Files.exists(dir.resolve("careloop-20261201-020000.mv.db")));
  }

  private static Future<Void> writer(Vertx vertx, Database db, String name, Set<String> acked, AtomicInteger count, AtomicBoolean stop) {
    Promise<Void> done = Promise.promise();
    next(db, name, 0, acked, count, stop, done);
    return done.future();
  }

  private static void next(Database db, String name, int i, Set<String> acked, AtomicInteger count, AtomicBoolean stop, Promise<Void> done) {
    if (stop.get()) {
      done.complete();
      return;
    }
    String id = name + "-" + i;
    db.mongo().insert("mentions", new JsonObject().put("_id", id).put("text", "mention " + id))
      .compose(x -> db.durable())
      .onSuccess(v -> {
        acked.add(id);
        count.incrementAndGet();
        next(db, name, i + 1, acked, count, stop, done);
      })
      .onFailure(done::fail);
  }
}
