package io.careloop.queue;

import io.careloop.store.Bulk;
import io.careloop.store.Dates;
import io.careloop.store.Migrations;
import io.careloop.store.Paged;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.BulkOperation;
import io.vertx.ext.mongo.BulkWriteOptions;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.IndexOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cases and the mentions behind them. Every write is a single-document atomic update (no transactions: the embedded
 * server has none), written so that doing it twice has the effect of doing it once.
 */
public final class MongoCaseRepository {
  /** The mentions read from X, one document per post, each pointing at the case it went to. */
  public static final String MENTIONS = "mentions";
  public static final String CASES = "cases";
  /**
   * X author id to the profile image URL of their most recently read post: what {@code GET /api/avatars/{id}} serves,
   * found by key (the embedded server scans {@link #MENTIONS} for anything but {@code _id}).
   */
  public static final String AUTHOR_AVATARS = "author_avatars";
  /** Post id (conversation root, message, our reply) to the case it leads to. */
  public static final String CASE_THREADS = "case_threads";
  private final MongoClient mongo;
  private final OpenQueueSync openQueue;
  /** Told of every write after the open queue (the case search); nobody until {@link #alsoTell}. */
  private volatile CaseWrites also = NOBODY;
  private static final CaseWrites NOBODY = new CaseWrites() {
    @Override public void created(Case c) {}
    @Override public void written(Case c) {}
    @Override public void changed(String id) {}
  };

  /** Every write to a case is also told to {@code openQueue}, so the queue in memory follows the database. */
  public MongoCaseRepository(MongoClient mongo, OpenQueueSync openQueue) {
    this.mongo = mongo;
    this.openQueue = openQueue;
  }

  /** Tells {@code writes} of every write to a case from now on, as the open queue is told. */
  public void alsoTell(CaseWrites writes) {
    this.also = writes;
  }

  /**
   * Stores a page of mentions in one bulk write, each only if it is new; completes with the ids of those still to
   * route: the new ones, and known ones whose routing a crash interrupted (no case yet).
   */
  public Future<Set<String>> storeMentions(List<Mention> mentions) {
    if (mentions.isEmpty()) return Future.succeededFuture(Set.of());
    return Bulk.insertNew(mongo, MENTIONS, mentions.stream().map(MongoCaseRepository::mentionDocument).toList())
      .compose(inserted -> rememberAvatars(mentions).map(inserted)).compose(inserted -> {
      Set<String> unrouted = new HashSet<>();
      List<Future<Void>> known = new ArrayList<>();
      for (int i = 0; i < mentions.size(); i++) {
        String id = mentions.get(i).id();
        if (inserted.get(i)) {
          unrouted.add(id);
        } else {
          // Read again after a fault or a restart: rare, so one find by key each.
          known.add(mongo.findOne(MENTIONS, new JsonObject().put("_id", id), new JsonObject().put("caseId", 1))
            .map(doc -> {
              if (doc != null && doc.getString("caseId") == null) {
                unrouted.add(id);
              }
              return null;
            }));
        }
      }
      return Future.all(known).map(unrouted);
    });
  }

  /**
   * Each author's profile image as of this page (X sends the author's current one with every post, so the page read last
   * wins; re-reading an older page after a crash only puts back what the next read corrects). A null URL is stored
   * too: the author's picture is then not one CareLoop fetches.
   */
  private Future<Void> rememberAvatars(List<Mention> mentions) {
    Map<String, Mention> byAuthor = new LinkedHashMap<>();
    for (Mention m : mentions) if (m.authorId() != null) byAuthor.putIfAbsent(m.authorId(), m);
    if (byAuthor.isEmpty()) return Future.succeededFuture();
    List<BulkOperation> ops = byAuthor.values().stream().map(m -> BulkOperation.createUpdate(new JsonObject().put("_id", m.authorId()),
      new JsonObject().put("$set", new JsonObject().put("url", m.avatarUrl()).put("postId", m.id()).put("at", Dates.bson(m.receivedAt()))))
      .setUpsert(true)).toList();
    return mongo.bulkWriteWithOptions(AUTHOR_AVATARS, ops, new BulkWriteOptions().setOrdered(false)).mapEmpty();
  }

  /** The stored profile image URL of an X author: empty when none was read (unknown author, or older mentions only). */
  public Future<java.util.Optional<String>> avatarUrl(String authorId) {
    return mongo.findOne(AUTHOR_AVATARS, new JsonObject().put("_id", authorId), new JsonObject().put("url", 1))
      .map(d -> java.util.Optional.ofNullable(d == null ? null : d.getString("url")));
  }

  static JsonObject mentionDocument(Mention m) {
    JsonObject doc = new JsonObject()
      .put("_id", m.id()).put("sourceId", m.sourceId()).put("authorId", m.authorId()).put("handle", m.handle())
      .put("text", m.text()).put("createdAt", Dates.bson(m.createdAt())).put("conversationId", m.conversationId())
      .put("inReplyToId", m.inReplyToId()).put("disposition", m.disposition().wire()).put("caseId", m.caseId())
      .put("receivedAt", Dates.bson(m.receivedAt()));
    if (m.avatarUrl() != null) doc.put("avatarUrl", m.avatarUrl());
    if (m.parent() != null) doc.put("parent", CaseDocuments.parent(m.parent()));
    return doc;
  }

  /** Records which case each mention went to, in one bulk write. */
  /**
   * Customers' posts (not the brand's own, not retweets) with ids after {@code cursor}, in id order: what the
   * back-fill of vectors walks ({@link io.careloop.meaning.MentionEmbedding.Source}).
   */
  public Future<List<io.careloop.meaning.MentionEmbedding.Text>> mentionTextsAfter(String cursor, int limit) {
    return mongo.findWithOptions(MENTIONS, customersPostsAfter(cursor), new FindOptions().setSort(new JsonObject().put("_id", 1))
        .setLimit(limit).setFields(new JsonObject().put("text", 1)))
      .map(docs -> docs.stream().map(d -> new io.careloop.meaning.MentionEmbedding.Text(d.getString("_id"), d.getString("text", ""))).toList());
  }

  public Future<Long> countMentionTextsAfter(String cursor) {
    return mongo.count(MENTIONS, customersPostsAfter(cursor));
  }

  private static JsonObject customersPostsAfter(String cursor) {
    return new JsonObject().put("disposition", Mention.Disposition.QUEUED.wire()).put("_id", new JsonObject().put("$gt", cursor == null ? "" : cursor));
  }

  public Future<Void> markMentionsRouted(Map<String, String> caseByTweet) {
    if (caseByTweet.isEmpty()) return Future.succeededFuture();
    List<BulkOperation> ops = caseByTweet.entrySet().stream().map(e -> BulkOperation.createUpdate(new JsonObject().put("_id", e.getKey()),
      new JsonObject().put("$set", new JsonObject().put("caseId", e.getValue())))).toList();
    return mongo.bulkWriteWithOptions(MENTIONS, ops, new BulkWriteOptions().setOrdered(false)).mapEmpty();
  }

  /**
   * The open case a follow-up belongs to: the case of its conversation, else the case holding the post it replies to.
   * Both are lookups by key in {@link Collections#CASE_THREADS} (finds by {@code _id}), not a query over cases: the
   * embedded server scans a collection for anything but {@code _id}, and this runs for every mention.
   */
  public Future<Case> findOpenCase(String conversationId, String inReplyToId) {
    return openCaseOfPost(conversationId)
      .compose(found -> found != null || inReplyToId == null || inReplyToId.equals(conversationId)
        ? Future.succeededFuture(found) : openCaseOfPost(inReplyToId));
  }

  private Future<Case> openCaseOfPost(String postId) {
    if (postId == null) return Future.succeededFuture();
    return mongo.findOne(CASE_THREADS, new JsonObject().put("_id", postId), null).compose(link -> link == null
      ? Future.succeededFuture()
      : get(link.getString("caseId")).map(c -> c != null && c.state().open() ? c : null));
  }

  /**
   * Builds the post-to-case links from the cases, once (for databases from before the links existed); marked done in
   * {@link Migrations} (marked done only at the end, so a crash half-way starts it again).
   */
  public Future<Void> linkExistingCases(Migrations migrations) {
    return migrations.once("case-threads", () -> {
      Map<String, JsonObject> byConversation = new HashMap<>();
      Map<String, String> links = new HashMap<>();
      JsonObject fields = new JsonObject().put("conversationId", 1).put("state", 1).put("createdAt", 1).put("messages.tweetId", 1);
      return Paged.forEach(mongo, CASES, new JsonObject(), fields, c -> {
          String id = c.getString("_id");
          c.getJsonArray("messages", new JsonArray()).forEach(m -> links.put(((JsonObject) m).getString("tweetId"), id));
          // A conversation leads to its open case if it has one, else to its newest.
          byConversation.merge(c.getString("conversationId", id), c, (a, b) -> rank(b).compareTo(rank(a)) > 0 ? b : a);
        })
        .compose(n -> {
          byConversation.forEach((conversation, c) -> links.put(conversation, c.getString("_id")));
          return linkPosts(links);
        });
    });
  }

  /** The indexes a real MongoDB needs for the queue's queries; the embedded server accepts and ignores them. */
  public Future<Void> createIndexes() {
    return createIndexes(mongo);
  }

  /** The same on any database CareLoop will run on (the import command prepares one with it). */
  public static Future<Void> createIndexes(MongoClient mongo) {
    return Future.all(List.of(
      mongo.createIndexWithOptions(CASES, new JsonObject().put("state", 1).put("dueAt", 1), new IndexOptions().name("state_due")),
      mongo.createIndexWithOptions(CASES, new JsonObject().put("conversationId", 1), new IndexOptions().name("conversation")),
      mongo.createIndexWithOptions(CASES, new JsonObject().put("messages.tweetId", 1), new IndexOptions().name("message_tweet")),
      mongo.createIndexWithOptions(MENTIONS, new JsonObject().put("caseId", 1), new IndexOptions().name("case")))).mapEmpty();
  }

  private static String rank(JsonObject c) {
    boolean open = CaseState.fromWire(c.getString("state")).open();
    Instant created = Dates.instant(c.getValue("createdAt"));
    return (open ? "1" : "0") + String.format("%020d", created == null ? 0 : created.toEpochMilli());
  }

  /**
   * Creates the cases that do not exist yet (a case's id derives from its opening mention, so a retry finds the same
   * case), after linking their posts to them; two bulk writes.
   */
  public Future<Void> createCases(List<Case> opened) {
    if (opened.isEmpty()) return Future.succeededFuture();
    Map<String, String> links = new LinkedHashMap<>();
    for (Case c : opened) {
      links.put(c.conversationId(), c.id());
      links.put(c.tweetId(), c.id());
    }
    List<JsonObject> docs = opened.stream().map(CaseDocuments::toDocument).toList();
    return linkPosts(links).compose(v -> Bulk.insertNew(mongo, CASES, docs)).map(inserted -> {
      for (int i = 0; i < opened.size(); i++) {
        // As stored, not as built: the document holds dates to the millisecond, and the queue shows what it holds.
        if (inserted.get(i)) {
          Case stored = CaseDocuments.fromDocument(docs.get(i));
          openQueue.created(stored);
          also.created(stored);
        } else {
          openQueue.changed(opened.get(i).id());
          also.changed(opened.get(i).id());
        }
      }
      return null;
    });
  }

  /**
   * Remembers which case each post (a conversation root, a customer's message, our reply) leads to. Written before the
   * case or message it points at, so a crash in between leaves a link to nothing (ignored), never a message that
   * cannot be found; the newest case of a conversation takes the conversation over. Null post ids are skipped.
   */
  private Future<Void> linkPosts(Map<String, String> caseByPost) {
    List<BulkOperation> ops = caseByPost.entrySet().stream().filter(e -> e.getKey() != null)
      .map(e -> BulkOperation.createUpdate(new JsonObject().put("_id", e.getKey()),
        new JsonObject().put("$set", new JsonObject().put("caseId", e.getValue())), true, false)).toList();
    if (ops.isEmpty()) return Future.succeededFuture();
    return mongo.bulkWriteWithOptions(CASE_THREADS, ops, new BulkWriteOptions().setOrdered(false)).mapEmpty();
  }

  /** Appends a message unless a message with that post id is already there; extra fields are set in the same update. */
  public Future<Boolean> appendMessage(String caseId, Case.Message message, JsonObject alsoSet) {
    JsonObject query = new JsonObject().put("_id", caseId)
      .put("messages.tweetId", new JsonObject().put("$ne", message.tweetId()));
    JsonObject update = new JsonObject().put("$push", new JsonObject().put("messages", CaseDocuments.message(message)));
    if (alsoSet != null && !alsoSet.isEmpty()) update.put("$set", alsoSet);
    return linkPosts(java.util.Collections.singletonMap(message.tweetId(), caseId))
      .compose(v -> mongo.updateCollection(CASES, query, update)).map(r -> {
        openQueue.changed(caseId);
        also.changed(caseId);
        return r.getDocModified() > 0;
      });
  }

  /** The case, or null when there is none. */
  public Future<Case> get(String caseId) {
    return mongo.findOne(CASES, new JsonObject().put("_id", caseId), null).map(d -> d == null ? null : CaseDocuments.fromDocument(d));
  }

  /** The case's document as stored: with the fields only the queue's own steps read (the undo snapshot, restore rounds). */
  public Future<JsonObject> document(String caseId) {
    return mongo.findOne(CASES, new JsonObject().put("_id", caseId), null);
  }

  /** One page of the queue in {@link QueueOrder}, after the cursor (the order key of the last case seen). */
  public Future<List<Case>> page(JsonObject filter, int limit, String cursor) {
    JsonObject query = filter.copy();
    if (cursor != null) query.put("order", new JsonObject().put("$gt", cursor));
    return mongo.findWithOptions(CASES, query,
      new FindOptions().setSort(new JsonObject().put("order", 1)).setLimit(limit)).map(CaseDocuments::all);
  }

  public Future<Long> count(JsonObject filter) {
    return mongo.count(CASES, filter);
  }

  /** The customer's other cases, newest first (their text, state, priority and age only). */
  public Future<List<Case>> byCustomer(String userId, String exceptCaseId, int limit) {
    JsonObject query = new JsonObject().put("customer.userId", userId).put("_id", new JsonObject().put("$ne", exceptCaseId));
    return mongo.findWithOptions(CASES, query, new FindOptions().setSort(new JsonObject().put("createdAt", -1)).setLimit(limit)
      .setFields(new JsonObject().put("text", 1).put("state", 1).put("createdAt", 1).put("priority", 1))).map(CaseDocuments::all);
  }

  /**
   * Atomically updates the case only if it still matches {@code precondition}; returns the new document, or null
   * when the precondition no longer held (another agent got there first).
   */
  public Future<Case> updateIf(String caseId, JsonObject precondition, JsonObject update) {
    JsonObject query = precondition.copy().put("_id", caseId);
    return mongo.findOneAndUpdateWithOptions(CASES, query, update, new FindOptions(),
      new UpdateOptions().setReturningNewDocument(true)).map(doc -> doc == null ? null : CaseDocuments.fromDocument(doc)).onSuccess(c -> {
        if (c != null) {
          openQueue.written(c);
          also.written(c);
        }
      });
  }

  public static JsonObject stateIn(List<CaseState> states) {
    return new JsonObject().put("state", new JsonObject().put("$in", new JsonArray(CaseState.wire(states))));
  }

  /** Claimable by {@code agent}: unheld, held by them, or held by someone whose claim expired. */
  public static JsonObject claimableBy(String agent, Instant now) {
    return notHeldByAnother(List.of(CaseState.NEW, CaseState.CLAIMED), agent, now);
  }

  /** In one of {@code states} and unheld, held by {@code agent}, or held by someone whose claim expired. */
  public static JsonObject notHeldByAnother(List<CaseState> states, String agent, Instant now) {
    return stateIn(states).put("$or", new JsonArray()
      .add(new JsonObject().put("assignee", (Object) null))
      .add(new JsonObject().put("assignee", agent))
      .add(new JsonObject().put("claimExpiresAt", new JsonObject().put("$lt", Dates.bson(now)))));
  }

  /** The states of these cases, by id; one query on {@code _id}. */
  public Future<Map<String, CaseState>> states(java.util.Collection<String> caseIds) {
    if (caseIds.isEmpty()) return Future.succeededFuture(Map.of());
    return mongo.findWithOptions(CASES, new JsonObject().put("_id", new JsonObject().put("$in", new JsonArray(new ArrayList<>(caseIds)))),
        new FindOptions().setFields(new JsonObject().put("state", 1)))
      .map(list -> {
        Map<String, CaseState> states = new HashMap<>();
        for (JsonObject c : list) states.put(c.getString("_id"), CaseState.fromWire(c.getString("state")));
        return states;
      });
  }
}
