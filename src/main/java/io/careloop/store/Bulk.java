package io.careloop.store;

import com.mongodb.MongoBulkWriteException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.BitSet;
import java.util.List;

/** Bulk writes that keep the one-document idempotence of the rest of the store. */
public final class Bulk {
  private static final int DUPLICATE_KEY = 11000;

  private Bulk() {}

  /**
   * Inserts the documents whose {@code _id} is not taken yet, in one unordered bulk insert; completes with which of
   * them (by position) this call inserted. A plain insert, not an upsert: both servers insert several times faster
   * than they upsert, and a duplicate key only costs the error entry.
   */
  public static Future<BitSet> insertNew(MongoClient mongo, String collection, List<JsonObject> docs) {
    BitSet inserted = new BitSet(docs.size());
    inserted.set(0, docs.size());
    if (docs.isEmpty()) return Future.succeededFuture(inserted);
    List<BulkOperation> ops = docs.stream().map(BulkOperation::createInsert).toList();
    return mongo.bulkWriteWithOptions(collection, ops, new BulkWriteOptions().setOrdered(false))
      .map(r -> inserted)
      .recover(e -> {
        if (!(e instanceof MongoBulkWriteException bulk) || bulk.getWriteConcernError() != null
          || bulk.getWriteErrors().stream().anyMatch(w -> w.getCode() != DUPLICATE_KEY)) {
          return Future.failedFuture(e);
        }
        bulk.getWriteErrors().forEach(w -> inserted.clear(w.getIndex()));
        return Future.succeededFuture(inserted);
      });
  }
}
