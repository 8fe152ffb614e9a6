package io.careloop.store;

import io.careloop.config.Settings;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** CARELOOP_SERVE_DATABASE: the embedded database, opened to the other nodes of a demo cluster on one machine. */
@ExtendWith(VertxExtension.class)
class ServedDatabaseTest {

  @Test
  @DisplayName("a second node reaches the embedded database at the address served, and both see the same data")
  void otherNodesShareTheEmbeddedDatabase(Vertx vertx, @TempDir Path data) throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Settings settings = Settings.from(new JsonObject(), Map.of("CARELOOP_DATA_DIR", data.toString(),
      "CARELOOP_SERVE_DATABASE", "127.0.0.1:" + port, "CARELOOP_SERVE_DATABASE_PASSWORD", PASSWORD, "CARELOOP_X_BEARER_TOKEN", "b"));
    Database served = Database.open(vertx, settings).await();
    MongoClient other = MongoClient.create(vertx, new JsonObject()
      .put("connection_string", "mongodb://careloop:" + PASSWORD + "@127.0.0.1:" + port + "/?authMechanism=SCRAM-SHA-256&authSource=admin")
      .put("db_name", settings.mongo().database()));
    try {
      other.insert("probe", new JsonObject().put("_id", "from-the-other-node")).await();
      assertEquals("from-the-other-node", served.mongo().findOne("probe", new JsonObject(), null).await().getString("_id"));
      served.mongo().insert("probe", new JsonObject().put("_id", "from-the-serving-node")).await();
      assertEquals(2, other.count("probe", new JsonObject()).await());
      // Without the password, another process is refused (EmbeddedDatabaseAccessTest runs it as a second JVM).
      List<String> intruder = EmbeddedDatabaseAccessTest.runIntruder("127.0.0.1:" + port);
      assertTrue(intruder.stream().filter(l -> l.contains(": ok")).findAny().isEmpty(), String.join("\n", intruder));
    } finally {
      other.close().await();
      served.close().await();
    }
  }

  private static final String PASSWORD = "served-demo-password-42";
}
