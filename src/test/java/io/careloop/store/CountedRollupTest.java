package io.careloop.store;

import io.careloop.config.Settings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
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

@ExtendWith(VertxExtension.class)
@DisplayName("A counted rollup: each fact reaches its totals once, whatever a crash interrupted")
class CountedRollupTest {
  static final String FACTS = "t_facts";
  static final String TOTALS = "t_totals";
  @TempDir static Path data;
  static Database db;
  static MongoClient mongo;
  CountedRollup rollup;
  final List<String> recounted = new ArrayList<>();

  @BeforeAll
  static void open(Vertx vertx) {
    db = Database.open(vertx, Settings.from(new JsonObject(), Map.of("CARELOOP_DATA_DIR", data.toString(), "CARELOOP_X_BEARER_TOKEN", "b"))).await();
    mongo = db.mongo();
  }

  @AfterAll
  static void close() {
    db.close().await();
  }

  @BeforeEach
  void empty() {
    mongo.removeDocuments(FACTS, new JsonObject()).await();
    mongo.removeDocuments(TOTALS, new JsonObject()).await();
    rollup = new CountedRollup(mongo, FACTS, "group");
    recounted.clear();
  }

  static JsonObject fact(String id, String group, int amount) {
    return new JsonObject().put("_id", id).put("group", group).put("amount", amount);
  }

  static Future<Void> inc(JsonObject fact) {
    return mongo.updateCollectionWithOptions(TOTALS, new JsonObject().put("_id", fact.getString("group")),
      new JsonObject().put("$inc", new JsonObject().put("n", fact.getInteger("amount"))), new UpdateOptions().setUpsert(true)).mapEmpty();
  }

  /** The totals of a group recomputed from its facts, replacing what was there. */
  Future<Void> recount(String group) {
    recounted.add(group);
    return mongo.find(FACTS, new JsonObject().put("group", group)).compose(facts -> mongo.replaceDocumentsWithOptions(TOTALS,
      new JsonObject().put("_id", group), new JsonObject().put("_id", group).put("n", facts.stream().mapToInt(f -> f.getInteger("amount")).sum()),
      new UpdateOptions().setUpsert(true))).mapEmpty();
  }

  static int total(String group) {
    JsonObject t = mongo.findOne(TOTALS, new JsonObject().put("_id", group), null).await();
    return t == null ? 0 : t.getInteger("n");
  }

  static long uncounted() {
    return mongo.count(FACTS, new JsonObject().put(CountedRollup.COUNTED, false)).await();
  }

  @Test
  @DisplayName("facts added without a crash reach their totals once and are marked counted; a repair then has nothing to do")
  void plainAdds() {
    rollup.add(fact("a", "monday", 2), () -> inc(fact("a", "monday", 2))).await();
    rollup.add(fact("b", "monday", 3), () -> inc(fact("b", "monday", 3))).await();
    assertEquals(5, total("monday"));
    assertEquals(0, uncounted());
    assertEquals(0, rollup.repair(this::recount).await());
    assertTrue(recounted.isEmpty(), "nothing half counted, nothing recounted");
  }

  @Test
  @DisplayName("a crash after the $inc but before the fact was marked counted does not count it twice")
  void crashAfterIncrement() {
    rollup.add(fact("a", "monday", 2), () -> inc(fact("a", "monday", 2))).await();
    JsonObject b = fact("b", "monday", 3);
    // The totals got the $inc, then the process died before marking the fact counted.
    Future<Void> crashed = rollup.add(b, () -> inc(b).compose(v -> Future.failedFuture(new IllegalStateException("power cut"))));
    assertTrue(crashed.transform(ar -> Future.succeededFuture(ar.failed())).await());
    assertEquals(5, total("monday"), "the $inc happened");
    assertEquals(1, uncounted());

    assertEquals(1, rollup.repair(this::recount).await());
    assertEquals(5, total("monday"), "recounted from the facts, not added again");
    assertEquals(0, uncounted());
    assertEquals(0, rollup.repair(this::recount).await(), "a second start has nothing to repair");
    assertEquals(5, total("monday"));
  }

  @Test
  @DisplayName("a crash after the fact was stored but before the $inc does not lose it")
  void crashBeforeIncrement() {
    rollup.add(fact("a", "monday", 2), () -> inc(fact("a", "monday", 2))).await();
    rollup.add(fact("z", "tuesday", 7), () -> inc(fact("z", "tuesday", 7))).await();
    Future<Void> crashed = rollup.add(fact("b", "monday", 3), () -> Future.failedFuture(new IllegalStateException("power cut")));
    assertTrue(crashed.transform(ar -> Future.succeededFuture(ar.failed())).await());
    assertEquals(2, total("monday"), "the $inc never happened");

    assertEquals(1, rollup.repair(this::recount).await());
    assertEquals(5, total("monday"), "the stored fact is in its totals after the repair");
    assertEquals(List.of("monday"), recounted, "only the group with a half-counted fact is recounted");
    assertEquals(7, total("tuesday"));
    assertEquals(0, uncounted());
  }

  @Test
  @DisplayName("a repair that fails leaves its facts marked not counted, so the next start repairs them")
  void failedRepairIsRetried() {
    JsonObject b = fact("b", "monday", 3);
    rollup.add(b, () -> inc(b).compose(v -> Future.failedFuture(new IllegalStateException("power cut")))).otherwiseEmpty().await();
    Future<Integer> failed = rollup.repair(g -> Future.failedFuture(new IllegalStateException("database down")));
    assertTrue(failed.transform(ar -> Future.succeededFuture(ar.failed())).await());
    assertEquals(1, uncounted());
    assertEquals(1, rollup.repair(this::recount).await());
    assertEquals(3, total("monday"));
    assertEquals(0, uncounted());
  }
}
