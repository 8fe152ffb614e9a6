package io.careloop.store;

import io.careloop.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Durable" means forced to disk: the embedded store runs on {@link PowerCutFilePath}, which loses every write the
 * file was not forced to hold, and a power cut right after the acknowledgements must lose none of them.
 */
@ExtendWith(VertxExtension.class)
@DisplayName("A power cut after durable() loses no acknowledged write")
class PowerCutTest {

  @Test
  @DisplayName("200 writes acknowledged by durable(), 100 of them at once, all on disk after a power cut; one force serves a group")
  void acknowledgedWritesSurviveAPowerCut(Vertx vertx, @TempDir Path data) throws Exception {
    Settings settings = Settings.from(new JsonObject(), Map.of("CARELOOP_DATA_DIR", data.toString(), "CARELOOP_X_BEARER_TOKEN", "b"));
    String prefix = PowerCutFilePath.install();
    Database db = Database.open(vertx, settings, prefix).await();
    try {
      // One at a time, as a poll stores a page and waits before moving its checkpoint.
      for (int i = 0; i < 100; i++) {
        db.mongo().insert("mentions", new JsonObject().put("_id", "one-by-one-" + i).put("text", "mention " + i)).await();
        db.durable().await();
      }
      // A hundred writes, then a hundred callers asking at once, as replies and pages of several sources do: the
      // callers that find a commit under way share the next one, so a group costs one or two forces, not a hundred.
      List<Future<String>> writes = new ArrayList<>();
      for (int i = 0; i < 100; i++) writes.add(db.mongo().insert("mentions", new JsonObject().put("_id", "together-" + i)));
      Future.all(writes).await();
      int before = PowerCutFilePath.FORCES.get();
      List<Future<Void>> together = new ArrayList<>();
      for (int i = 0; i < 100; i++) together.add(db.durable());
      Future.all(together).await();
      int forces = PowerCutFilePath.FORCES.get() - before;
      // Two for the group, one more if the once-a-second commit fell in between.
      assertTrue(forces >= 1 && forces <= 3, "100 simultaneous acknowledgements took " + forces + " forces of the file");
      // Written but never made durable: a power cut may take these, and nothing is asserted about them.
      db.mongo().insert("mentions", new JsonObject().put("_id", "not-acknowledged")).await();
    } finally {
      PowerCutFilePath.cutPower();
      try {
        db.close().await();
      } catch (RuntimeException expected) {
        // The store cannot write any more: the machine is off.
      }
    }

    Database after = Database.open(vertx, settings).await();
    try {
      long oneByOne = after.mongo().count("mentions", new JsonObject().put("_id", new JsonObject().put("$regex", "^one-by-one-"))).await();
      long together = after.mongo().count("mentions", new JsonObject().put("_id", new JsonObject().put("$regex", "^together-"))).await();
      assertEquals(100, oneByOne, "acknowledged one by one, lost in the power cut: " + (100 - oneByOne));
      assertEquals(100, together, "acknowledged together, lost in the power cut: " + (100 - together));
      assertEquals("mention 42", after.mongo().findOne("mentions", new JsonObject().put("_id", "one-by-one-42"), null).await().getString("text"));
    } finally {
      after.close().await();
    }
  }
}
