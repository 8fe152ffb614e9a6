package io.careloop.blog;

import io.careloop.kb.Slugs;
import io.careloop.outbox.PostState;
import io.careloop.outbox.Slot;
import io.careloop.store.Dates;
import io.careloop.meaning.SentenceModel;
import io.careloop.meaning.Vectors;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/** The blog's collections (posts, feed counters), owned by the blog: documents to {@link BlogPost} and back in one place. */
public final class MongoBlogPostRepository {
  public static final String POSTS = "blog_posts";
  static final String STATS = "blog_stats";
  /** A post's proactive tweet is the outbox entry in its {@code tweet} field (the post's updatedAt is the editor's). */
  static final Slot TWEETS = Slot.within("proactive tweet of post", POSTS, "tweet");

  private final MongoClient mongo;

  MongoBlogPostRepository(MongoClient mongo) {
    this.mongo = mongo;
  }

  /** The post's document, or null. */
  Future<JsonObject> document(String id) {
    return mongo.findOne(POSTS, new JsonObject().put("_id", id), null);
  }

  /** Inserts a new post; fails with a duplicate key when a post with its id exists. */
  Future<Void> insert(BlogPost post) {
    return mongo.insert(POSTS, document(post)).mapEmpty();
  }

  /** {@code $set}s fields of the post, counting an edit when {@code edit}. */
  Future<Void> set(String id, JsonObject fields, boolean edit) {
    JsonObject update = new JsonObject().put("$set", fields);
    if (edit) update.put("$inc", new JsonObject().put("revision", 1));
    return mongo.updateCollection(POSTS, new JsonObject().put("_id", id), update).mapEmpty();
  }

  /** The posts with {@code status} as the API asked for it (any posts when null; none for a status no post has). */
  Future<List<JsonObject>> documents(String status) {
    return mongo.findWithOptions(POSTS, status == null ? new JsonObject() : new JsonObject().put("status", status),
      new FindOptions().setSort(new JsonObject().put("updatedAt", -1)));
  }

  /** Stores what the post means (its vector and the model that made it); no edit counted, nothing else changed. */
  Future<Void> meaning(String id, float[] vector) {
    return mongo.updateCollection(POSTS, new JsonObject().put("_id", id), new JsonObject().put("$set", new JsonObject()
      .put("meaning", new JsonObject().put("model", SentenceModel.ID).put("v", Vectors.encode(vector))))).mapEmpty();
  }

  /** Ids of posts without a vector of the current model (made before there was one, or by another model). */
  Future<List<String>> withoutMeaning() {
    return mongo.findWithOptions(POSTS, new JsonObject().put("meaning.model", new JsonObject().put("$ne", SentenceModel.ID)),
      new FindOptions().setFields(new JsonObject().put("_id", 1))).map(l -> l.stream().map(d -> d.getString("_id")).toList());
  }

  /** The stored vector of a post document, or null. */
  static float[] meaning(JsonObject p) {
    JsonObject m = p.getJsonObject("meaning");
    return m == null || !SentenceModel.ID.equals(m.getString("model")) ? null : Vectors.decode(m.getString("v"));
  }

  Future<List<JsonObject>> published() {
    return mongo.findWithOptions(POSTS, new JsonObject().put("status", BlogPost.Status.PUBLISHED.stored()),
      new FindOptions().setSort(new JsonObject().put("publishedAt", -1).put("_id", 1)));
  }

  Future<Optional<JsonObject>> bySlug(String slug) {
    return mongo.findOne(POSTS, new JsonObject().put("slug", slug), null).map(Optional::ofNullable);
  }

  Future<List<BlogPost>> all() {
    return mongo.find(POSTS, new JsonObject()).map(l -> l.stream().map(MongoBlogPostRepository::post).toList());
  }

  /** The posts built on an article, whatever their status. */
  Future<List<BlogPost>> builtOn(String articleId) {
    return mongo.find(POSTS, new JsonObject().put("kbArticleId", articleId)).map(l -> l.stream().map(MongoBlogPostRepository::post).toList());
  }

  Future<Void> viewed(String id) {
    return mongo.updateCollection(POSTS, new JsonObject().put("_id", id), new JsonObject().put("$inc", new JsonObject().put("views", 1))).mapEmpty();
  }

  Future<Void> feedFetched(String format) {
    return mongo.updateCollectionWithOptions(STATS, new JsonObject().put("_id", "feeds"),
      new JsonObject().put("$inc", new JsonObject().put(format, 1)), new UpdateOptions().setUpsert(true)).mapEmpty();
  }

  /** Feed fetches by format ({@code atom}, {@code rss}); empty before the first. */
  Future<JsonObject> feedFetches() {
    return mongo.findOne(STATS, new JsonObject().put("_id", "feeds"), null).map(f -> f == null ? new JsonObject() : f);
  }

  /** The first slug from {@code base} that no other post has. */
  Future<String> freeSlug(String base, String selfId) {
    return mongo.find(POSTS, new JsonObject().put("slug", new JsonObject().put("$regex", Slugs.numberedFrom(base))))
      .map(taken -> Slugs.firstFree(base, taken.stream().filter(d -> !d.getString("_id").equals(selfId)).map(d -> d.getString("slug")).collect(Collectors.toSet())));
  }

  /** A new post's document (its tweet is the outbox's to store). */
  static JsonObject document(BlogPost p) {
    JsonObject doc = new JsonObject().put("_id", p.id()).put("clusterId", p.clusterId())
      .put("title", p.title()).put("question", p.question()).put("body", p.body()).put("kbArticleId", p.kbArticleId())
      .put("tags", new JsonArray(new ArrayList<>(p.tags()))).put("anonymise", p.anonymise()).put("quotes", quotes(p.quotes()))
      .put("status", p.status().stored()).put("slug", p.slug()).put("views", p.views()).put("revision", p.revision())
      .put("author", p.author()).put("createdAt", Dates.bson(p.createdAt())).put("updatedAt", Dates.bson(p.updatedAt()));
    if (p.publishedAt() != null) doc.put("publishedAt", Dates.bson(p.publishedAt()));
    return doc;
  }

  static BlogPost post(JsonObject p) {
    if (p == null) return null;
    return new BlogPost(p.getString("_id"), p.getString("clusterId"), p.getString("slug"), p.getString("title"), p.getString("question"),
      p.getString("body"), p.getString("kbArticleId"), p.getJsonArray("tags", new JsonArray()).getList(), p.getBoolean("anonymise", false),
      quotes(p.getJsonArray("quotes", new JsonArray())),
      BlogPost.Status.of(p.getString("status")), p.getInteger("views", 0), p.getInteger("revision", 1), p.getString("author"),
      Dates.instant(p.getValue("createdAt")), Dates.instant(p.getValue("updatedAt")), Dates.instant(p.getValue("publishedAt")),
      tweet(p.getJsonObject("tweet")));
  }

  /** Quotes as stored, field order kept (the API shows them as they are). */
  static List<Map<String, Object>> quotes(JsonArray stored) {
    List<Map<String, Object>> q = new ArrayList<>();
    for (int i = 0; i < stored.size(); i++) q.add(stored.getJsonObject(i).getMap());
    return q;
  }

  static JsonArray quotes(List<Map<String, Object>> quotes) {
    return new JsonArray(quotes.stream().map(JsonObject::new).toList());
  }

  static BlogPost.Tweet tweet(JsonObject t) {
    if (t == null) return null;
    return new BlogPost.Tweet(t.getString("text"), t.getString("link"), PostState.of(t.getString("state")), t.getInteger("attempts", 0),
      t.getString("xTweetId"), t.getString("error"), Dates.instant(t.getValue("postedAt")), t.getString("author"));
  }
}
