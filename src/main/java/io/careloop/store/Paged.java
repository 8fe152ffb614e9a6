package io.careloop.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.function.Consumer;

/**
 * Reads a whole collection (or a query's matches) through one cursor, a batch at a time. Start-up rebuilds read
 * hundreds of thousands of documents: in one reply they would pass the wire protocol's 48 MB message limit, and paging
 * by {@code _id} ranges made the embedded server (which has no range index) scan the collection once per page.
 */
public final class Paged {
  public static final int PAGE = 5_000;

  private Paged() {}

  /** Calls {@code each} on the event loop for every match, in no particular order; completes with their number. */
  public static Future<Long> forEach(MongoClient mongo, String collection, JsonObject query, JsonObject fields, Consumer<JsonObject> each) {
    return forEach(mongo, collection, query, fields, null, each);
  }

  /** As {@link #forEach(MongoClient, String, JsonObject, JsonObject, Consumer)}, in the order of {@code sort}. */
  public static Future<Long> forEach(MongoClient mongo, String collection, JsonObject query, JsonObject fields, JsonObject sort,
                                     Consumer<JsonObject> each) {
    FindOptions options = new FindOptions().setBatchSize(PAGE);
    if (fields != null) options.setFields(fields);
    if (sort != null) options.setSort(sort);
    Promise<Long> done = Promise.promise();
    long[] seen = {0};
    mongo.findBatchWithOptions(collection, query, options)
      .exceptionHandler(done::tryFail)
      .endHandler(v -> done.tryComplete(seen[0]))
      .handler(doc -> {
        seen[0]++;
        each.accept(doc);
      });
    return done.future();
  }
}
