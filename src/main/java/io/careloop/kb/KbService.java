package io.careloop.kb;

import io.careloop.audit.AuditLog;
import io.careloop.errors.NotFound;
import io.careloop.errors.Conflict;
import io.careloop.links.TrackedLinks;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.careloop.store.MongoErrors;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Knowledge-base articles: written from the template, revised with history, found through the Lucene index (kept in
 * step with every write and rebuilt from the database at start), checked for duplicates, and linked from replies
 * with tracked short links.
 */
public final class KbService {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(KbService.class);
  public static final String ARTICLES = "kb_articles";
  public static final String REVISIONS = "kb_revisions";
  /** Share of shared (stemmed) question words above which a new article is flagged as a duplicate. */
  static final double DUPLICATE_SIMILARITY = 0.6;

  private final Vertx vertx;
  private final MongoClient mongo;
  private final Database database;
  private final AuditLog audit;
  private final Clock clock;
  private final KbIndex index = new KbIndex();
  private final TrackedLinks links;

  public KbService(Vertx vertx, Database database, AuditLog audit, Clock clock, TrackedLinks links) {
    this.links = links;
    this.vertx = vertx;
    this.mongo = database.mongo();
    this.database = database;
    this.audit = audit;
    this.clock = clock;
  }

  /** Published (cluster-wide) with {@code {"id", "from"}} after an article was written, so every node's index takes the change. */
  public static final String CHANGED = "careloop.kb.changed";
  /** Tells this node's own change events from other nodes'. */
  private final String self = java.util.UUID.randomUUID().toString();

  /** Keeps this node's index in step with articles written through other nodes. */
  public void followOtherNodes() {
    vertx.eventBus().<JsonObject>consumer(CHANGED, m -> {
      // This node indexed its own writes already.
      if (!self.equals(m.body().getString("from"))) reindex(m.body().getString("id"));
    });
  }

  private void reindex(String id) {
    mongo.findOne(ARTICLES, new JsonObject().put("_id", id), null)
      .compose(d -> d == null ? Future.succeededFuture() : vertx.executeBlocking(() -> {
        index.put(fromDoc(d));
        return null;
      }, false))
      .onFailure(e -> log.warn("Article {} changed on another node but could not be re-indexed here (next start does)", id, e));
  }

  /** Rebuilds the index from the database (start-up). */
  public Future<Integer> rebuildIndex() {
    return mongo.find(ARTICLES, new JsonObject()).compose(docs -> vertx.executeBlocking(() -> {
      index.putAll(docs.stream().map(KbService::fromDoc).toList());
      return docs.size();
    }));
  }

  public Future<Article> get(String id) {
    return mongo.findOne(ARTICLES, new JsonObject().put("_id", id), null)
      .compose(d -> d == null ? Future.failedFuture(new NotFound("article " + id)) : Future.succeededFuture(fromDoc(d)));
  }

  /** By current slug, or by an old one (the caller redirects). */
  public Future<Optional<Article>> bySlug(String slug) {
    JsonObject q = new JsonObject().put("$or", new JsonArray()
      .add(new JsonObject().put("slug", slug)).add(new JsonObject().put("oldSlugs", slug)));
    return mongo.findOne(ARTICLES, q, null).map(d -> Optional.ofNullable(d).map(KbService::fromDoc));
  }

  public Future<List<Article>> list(String status) {
    JsonObject q = status == null ? new JsonObject() : new JsonObject().put("status", status);
    return mongo.findWithOptions(ARTICLES, q, new FindOptions().setSort(new JsonObject().put("title", 1)))
      .map(l -> l.stream().map(KbService::fromDoc).toList());
  }

  /** Ranked search; customers and suggestions see published articles only. */
  public Future<List<Article>> search(String text, int limit, boolean publishedOnly) {
    return vertx.executeBlocking(() -> index.search(text, limit, publishedOnly), false)
      .compose(hits -> Future.all(hits.stream().map(h -> get(h.id())).toList()).map(all -> all.<Article>list()));
  }

  /** An article after a revision: its view, and whether the version it replaced was public. */
  public record Revised(JsonObject view, boolean wasPublished) {}

  /** The template as submitted: validated by the contract, completed here. */
  public record Draft(String title, String question, List<String> steps, String product, List<String> tags, String status) {}

  /**
   * Creates an article. A question close to an existing article's is refused with 409 {@code duplicateOf} unless
   * {@code allowDuplicate}: the author can still save on purpose.
   */
  public Future<JsonObject> create(Draft draft, String author, boolean allowDuplicate) {
    return duplicateOf(null, draft).compose(dup -> {
      if (dup.isPresent() && !allowDuplicate) return Future.failedFuture(duplicate(dup.get()));
      String id = UUID.randomUUID().toString().substring(0, 12);
      return freeSlug(Slugs.of(draft.title()), id).compose(slug -> {
        Article a = new Article(id, slug, draft.title(), draft.question(), draft.steps(), draft.product(), draft.tags(),
          draft.status(), author, clock.instant(), 1);
        return mongo.insert(ARTICLES, toDoc(a).put("oldSlugs", new JsonArray()).put("createdAt", Dates.bson(clock.instant())))
          .compose(r -> afterWrite(a, author, "kb.created", null))
          .map(v -> view(a).put("duplicateOf", dup.map(KbService::summary).orElse(null)));
      });
    });
  }

  /**
   * Revises an article; the previous version goes to the history, a new title gets a new slug and the old one keeps
   * redirecting. Returns the article's view and whether it was published before (then the console lists where it was
   * used: its customers may be waiting on an answer that changed).
   */
  public Future<Revised> update(String id, Draft draft, String author, boolean allowDuplicate) {
    return get(id).compose(before -> duplicateOf(id, draft).compose(dup -> {
      if (dup.isPresent() && !allowDuplicate) return Future.failedFuture(duplicate(dup.get()));
      String wanted = Slugs.of(draft.title());
      Future<String> slug = wanted.equals(before.slug()) ? Future.succeededFuture(before.slug()) : freeSlug(wanted, id);
      return slug.compose(s -> {
        Article after = new Article(id, s, draft.title(), draft.question(), draft.steps(), draft.product(), draft.tags(),
          draft.status(), before.owner(), clock.instant(), before.revision() + 1);
        JsonObject update = new JsonObject().put("$set", toDoc(after));
        if (!s.equals(before.slug())) update.put("$addToSet", new JsonObject().put("oldSlugs", before.slug()));
        // Optimistic on the revision: two editors cannot overwrite each other silently.
        JsonObject query = new JsonObject().put("_id", id).put("revision", before.revision());
        return mongo.insert(REVISIONS, new JsonObject().put("_id", id + ":" + before.revision()).put("articleId", id)
            .put("revision", before.revision()).put("snapshot", view(before)).put("replacedBy", author).put("at", Dates.bson(clock.instant())))
          // The snapshot doubles as the edit lock. Already there: either another editor won (conflict), or a crash
          // came between snapshot and update (the article is still at this revision: carry on).
          .recover(e -> !MongoErrors.isDuplicateKey(e) ? Future.<String>failedFuture(e) : get(id).compose(now -> now.revision() == before.revision()
            ? Future.<String>succeededFuture() : Future.<String>failedFuture(new Conflict("edited-meanwhile", "someone else saved this article first; reload it"))))
          .compose(r -> mongo.updateCollection(ARTICLES, query, update))
          .compose(r -> r.getDocModified() == 0 ? Future.failedFuture(new Conflict("edited-meanwhile", "someone else saved this article first; reload it"))
            : afterWrite(after, author, "kb.updated", view(before)))
          .map(v -> new Revised(view(after).put("duplicateOf", dup.map(KbService::summary).orElse(null)), before.published()));
      });
    }));
  }

  public Future<List<JsonObject>> revisions(String id) {
    return mongo.findWithOptions(REVISIONS, new JsonObject().put("articleId", id), new FindOptions().setSort(new JsonObject().put("revision", -1)))
      .map(l -> l.stream().map(r -> new JsonObject().put("revision", r.getInteger("revision")).put("replacedBy", r.getString("replacedBy"))
        .put("at", Dates.instant(r.getValue("at")).toString()).put("article", r.getJsonObject("snapshot"))).toList());
  }

  /** A short tracked link for this article in this case (the same link when asked again). */
  public Future<JsonObject> link(String articleId, String caseId, String publicUrl) {
    return get(articleId).compose(a -> links.linkFor(new JsonObject().put("articleId", articleId).put("caseId", caseId)))
      .map(l -> new JsonObject().put("code", l.getString("_id")).put("url", publicUrl + "/l/" + l.getString("_id"))
        .put("articleId", articleId).put("caseId", caseId).put("clicks", l.getInteger("clicks", 0)));
  }

  private Future<Void> afterWrite(Article a, String author, String action, Object before) {
    return vertx.executeBlocking(() -> {
      index.put(a);
      return null;
    }, false).compose(v -> audit.record(author, action, a.id(), before, view(a))).compose(v -> database.durable())
      .onSuccess(v -> vertx.eventBus().publish(CHANGED, new JsonObject().put("id", a.id()).put("from", self)));
  }

  /** The closest existing article by shared question-and-title words, when close enough to be the same answer. */
  Future<Optional<Article>> duplicateOf(String selfId, Draft draft) {
    String text = draft.title() + " " + draft.question();
    return vertx.executeBlocking(() -> index.search(text, 5, false), false).compose(hits -> {
      Set<String> mine = new HashSet<>(index.analyze(text));
      Future<Optional<Article>> best = Future.succeededFuture(Optional.empty());
      for (KbIndex.Hit h : hits) {
        if (h.id().equals(selfId)) continue;
        best = best.compose(found -> found.isPresent() ? Future.succeededFuture(found) : get(h.id()).map(other ->
          similarity(mine, new HashSet<>(index.analyze(other.title() + " " + other.question()))) >= DUPLICATE_SIMILARITY
            ? Optional.of(other) : Optional.<Article>empty()));
      }
      return best;
    });
  }

  static double similarity(Set<String> a, Set<String> b) {
    if (a.isEmpty() || b.isEmpty()) return 0;
    Set<String> both = new HashSet<>(a);
    both.retainAll(b);
    Set<String> either = new HashSet<>(a);
    either.addAll(b);
    return (double) both.size() / either.size();
  }

  private Future<String> freeSlug(String base, String selfId) {
    return mongo.find(ARTICLES, new JsonObject().put("$or", new JsonArray()
        .add(new JsonObject().put("slug", new JsonObject().put("$regex", Slugs.numberedFrom(base))))
        .add(new JsonObject().put("oldSlugs", base))))
      .map(taken -> {
        Set<String> used = new HashSet<>();
        taken.stream().filter(d -> !d.getString("_id").equals(selfId)).forEach(d -> {
          used.add(d.getString("slug"));
          d.getJsonArray("oldSlugs", new JsonArray()).forEach(o -> used.add(String.valueOf(o)));
        });
        return Slugs.firstFree(base, used);
      });
  }

  private static Conflict duplicate(Article other) {
    return new Conflict("duplicate-article", "an article already answers this: " + other.title(),
      Map.of("duplicateOf", summary(other)));
  }

  static JsonObject summary(Article a) {
    return new JsonObject().put("id", a.id()).put("slug", a.slug()).put("title", a.title());
  }

  public static JsonObject view(Article a) {
    return new JsonObject().put("id", a.id()).put("slug", a.slug()).put("title", a.title()).put("question", a.question())
      .put("steps", new JsonArray(a.steps())).put("product", a.product()).put("tags", new JsonArray(a.tags()))
      .put("status", a.status()).put("owner", a.owner()).put("updatedAt", a.updatedAt().toString()).put("revision", a.revision());
  }

  private static JsonObject toDoc(Article a) {
    return new JsonObject().put("_id", a.id()).put("slug", a.slug()).put("title", a.title()).put("question", a.question())
      .put("steps", new JsonArray(a.steps())).put("product", a.product()).put("tags", new JsonArray(a.tags()))
      .put("status", a.status()).put("owner", a.owner()).put("updatedAt", Dates.bson(a.updatedAt())).put("revision", a.revision());
  }

  static Article fromDoc(JsonObject d) {
    return new Article(d.getString("_id"), d.getString("slug"), d.getString("title"), d.getString("question"),
      d.getJsonArray("steps", new JsonArray()).stream().map(String::valueOf).toList(), d.getString("product"),
      d.getJsonArray("tags", new JsonArray()).stream().map(String::valueOf).toList(), d.getString("status"), d.getString("owner"),
      Dates.instant(d.getValue("updatedAt")), d.getInteger("revision", 1));
  }

  public void close() { index.close(); }

  public KbIndex index() { return index; }

}
