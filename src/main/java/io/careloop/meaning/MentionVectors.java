package io.careloop.meaning;

import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The stored vectors of customers' posts, by post id ({@code mention_vectors}, owned here), so a restart never embeds
 * again. Each carries the model that made it: a vector of another model is treated as missing. A vector can always be
 * computed again from the post, so writes need no forcing to disk: one lost in a power cut is redone by the
 * back-fill at the next start ({@link MentionBackfill}).
 */
public final class MentionVectors {
  public static final String VECTORS = "mention_vectors";
  private final MongoClient mongo;

  public MentionVectors(MongoClient mongo) {
    this.mongo = mongo;
  }

  public Future<Void> putAll(Map<String, float[]> byPostId, Instant at) {
    if (byPostId.isEmpty()) return Future.succeededFuture();
    List<BulkOperation> ops = new ArrayList<>();
    byPostId.forEach((id, v) -> ops.add(BulkOperation.createReplace(new JsonObject().put("_id", id),
      new JsonObject().put("_id", id).put("model", SentenceModel.ID).put("v", Vectors.encode(v)).put("at", Dates.bson(at)), true)));
    return mongo.bulkWrite(VECTORS, ops).mapEmpty();
  }

  /** The vectors there are of these posts (of the current model); posts without one are left out. */
  public Future<Map<String, float[]>> get(Collection<String> postIds) {
    if (postIds.isEmpty()) return Future.succeededFuture(Map.of());
    JsonObject q = new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(new ArrayList<>(postIds)))).put("model", SentenceModel.ID);
    return mongo.findWithOptions(VECTORS, q, new FindOptions().setFields(new JsonObject().put("v", 1))).map(docs -> {
      Map<String, float[]> out = new HashMap<>();
      for (JsonObject d : docs) out.put(d.getString("_id"), Vectors.decode(d.getString("v")));
      return out;
    });
  }

  /** The post's vector, or null when it has none yet (callers fall back to words). */
  public Future<float[]> get(String postId) {
    if (postId == null) return Future.succeededFuture();
    return get(List.of(postId)).map(m -> m.get(postId));
  }
}
