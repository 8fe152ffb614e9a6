package io.careloop.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.util.List;
import java.util.function.Consumer;

/**
 * Reads a whole collection (or a query's matches) in pages ordered by {@code _id}. Start-up rebuilds read hundreds of
 * thousands of documents; in one reply they would pass the wire protocol's 48 MB message limit (the embedded server
 * answers a find in one batch).
 */
public final class Paged {
  public static final int PAGE = 5_000;

  private Paged() {}

  public static Future<Long> forEach(MongoClient mongo, String collection, JsonObject query, JsonObject fields, Consumer<JsonObject> each) {
    return page(mongo, collection, query, fields, null, each, 0L);
  }

  private static Future<Long> page(MongoClient mongo, String collection, JsonObject query, JsonObject fields, Object after,
                                   Consumer<JsonObject> each, long seen) {
    JsonObject q = after == null ? query : new JsonObject().put("$and", new io.vertx.core.json.JsonArray().add(query)
      .add(new JsonObject().put("_id", new JsonObject().put("$gt", after))));
    FindOptions options = new FindOptions().setSort(new JsonObject().put("_id", 1)).setLimit(PAGE);
    if (fields != null) options.setFields(fields);
    return mongo.findWithOptions(collection, q, options).compose((List<JsonObject> docs) -> {
      docs.forEach(each);
      if (docs.size() < PAGE) return Future.succeededFuture(seen + docs.size());
      return page(mongo, collection, query, fields, docs.get(docs.size() - 1).getValue("_id"), each, seen + docs.size());
    });
  }
}
