package io.careloop.store;

import de.bwaldvogel.mongo.MongoServer;
import de.bwaldvogel.mongo.backend.KeyValue;
import de.bwaldvogel.mongo.backend.h2.H2Backend;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.h2.mvstore.type.ObjectDataType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IndexKeyOrderTest {

  @Test
  @DisplayName("keys are ordered exactly as the stock H2 type orders them, whether their bytes are cached or not")
  void sameOrderAsStock() {
    Random random = new Random(7);
    List<Object> keys = new ArrayList<>();
    for (int i = 0; i < 400; i++) {
      keys.add(switch (random.nextInt(5)) {
        case 0 -> new KeyValue(String.valueOf(random.nextLong()));
        case 1 -> new KeyValue("c" + random.nextInt(1000));
        case 2 -> new KeyValue((long) random.nextInt(1000));
        case 3 -> new KeyValue(random.nextInt(1000), "m" + random.nextInt(10));
        default -> new KeyValue(random.nextDouble());
      });
    }
    ObjectDataType stock = new ObjectDataType();
    IndexKeyOrder cached = new IndexKeyOrder();
    for (int round = 0; round < 2; round++) {
      for (Object a : keys) {
        for (Object b : keys) {
          assertEquals(Integer.signum(stock.compare(a, b)), Integer.signum(cached.compare(a, b)), a + " vs " + b);
        }
      }
    }
    // Equal keys that are different objects compare equal, as before.
    assertEquals(0, cached.compare(new KeyValue("same"), new KeyValue("same")));
  }

  @Test
  @DisplayName("a data folder written by the stock backend is read through its existing indexes: every id found, duplicates refused")
  void readsStockDataFolders(@TempDir Path dir) {
    String file = dir.resolve("careloop.mv").toString();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 3_000; i++) ids.add(String.valueOf(1_900_000_000_000_000_000L + i * 7919L));

    H2Backend stock = new H2Backend(file);
    withServer(stock, cases -> ids.forEach(id -> cases.insert("cases", new JsonObject().put("_id", id).put("n", id.length())).await()));
    stock.close();

    CrashSafeH2Backend ours = CrashSafeH2Backend.open(file);
    withServer(ours, cases -> {
      for (String id : ids) assertEquals(id, cases.findOne("cases", byId(id), null).await().getString("_id"));
      Throwable duplicate = assertThrows(Throwable.class, () -> cases.insert("cases", byId(ids.get(1234))).await());
      assertTrue(MongoErrors.isDuplicateKey(duplicate), duplicate.toString());
      cases.insert("cases", byId("new")).await();
      cases.removeDocument("cases", byId(ids.get(0))).await();
      assertEquals(ids.size(), cases.count("cases", new JsonObject()).await());
    });
    ours.commit();
    ours.close();

    H2Backend again = new H2Backend(file);
    withServer(again, cases -> {
      assertEquals(1, cases.count("cases", byId("new")).await(), "what we wrote is read by the stock backend too");
      assertEquals(0, cases.count("cases", byId(ids.get(0))).await());
      assertEquals(ids.get(2999), cases.findOne("cases", byId(ids.get(2999)), null).await().getString("_id"));
    });
    again.close();
  }

  private static JsonObject byId(String id) {
    return new JsonObject().put("_id", id);
  }

  private static void withServer(de.bwaldvogel.mongo.MongoBackend backend, Consumer<MongoClient> work) {
    MongoServer server = new MongoServer(backend);
    InetSocketAddress address = server.bind();
    Vertx vertx = Vertx.vertx();
    MongoClient client = MongoClient.create(vertx, new JsonObject()
      .put("connection_string", "mongodb://127.0.0.1:" + address.getPort()).put("db_name", "careloop"));
    try {
      work.accept(client);
    } finally {
      client.close().await();
      vertx.close().await();
      server.shutdown();
    }
  }
}
