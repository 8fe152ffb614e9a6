package io.careloop.kb;

import io.careloop.audit.AuditLog;
import io.careloop.config.Settings.KbSettings;
import io.careloop.errors.NotFound;
import io.careloop.errors.Conflict;
import io.careloop.links.TrackedLinks;
import io.careloop.meaning.Embeddings;
import io.careloop.meaning.MentionVectors;
import io.careloop.meaning.SentenceModel;
import io.careloop.meaning.Vectors;
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
 *
 * <p>Every article is embedded on save and its vectors stored on its document ({@code vector}, {@code questionVector},
 * with the model that made them), so a restart never embeds again. Articles stored before vectors were are embedded
 * in the background after start; until then they are found by their words.
 */
public final class KbService {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(KbService.class);
  public static final String ARTICLES = "kb_articles";
  public static final String REVISIONS = "kb_revisions";
  /**
   * Share of shared (stemmed) question words above which a new article is flagged as a duplicate, while some stored
   * articles have no vectors yet (the meaning check cannot see those).
   */
  static final double DUPLICATE_SIMILARITY = 0.6;
  /** Articles a suggestion or a near-copy check looks at closely, by words and by meaning each. */
  static final int CANDIDATES = 20;
  private static final int NEAR_COPY_CANDIDATES = 5;
  /** Two texts an article: a back-fill batch is one {@link Embeddings#BATCH}. */
  private static final int BACKFILL_ARTICLES = Embeddings.BATCH / 2;

  private final Vertx vertx;
  private final MongoClient mongo;
  private final Database database;
  private final AuditLog audit;
  private final Clock clock;
  private final KbIndex index = new KbIndex();
  private final TrackedLinks links;
  private final Embeddings embeddings;
  private final MentionVectors mentionVectors;
  private final KbSettings rules;
  /** False while the start-up back-fill embeds articles stored without vectors. */
  private volatile boolean allEmbedded = true;

  public KbService(Vertx vertx, Database database, AuditLog audit, Clock clock, TrackedLinks links, Embeddings embeddings,
                   MentionVectors mentionVectors, KbSettings rules) {
    this.links = links;
    this.embeddings = embeddings;
    this.mentionVectors = mentionVectors;
    this.rules = rules;
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
        index.put(fromDoc(d), vectorsOf(d));
        return null;
      }, false))
      .onFailure(e -> log.warn("Article {} changed on another node but could not be re-indexed here (next start does)", id, e));
  }

  /**
   * Rebuilds the index from the database (start-up) with the stored vectors. Articles without (stored before vectors
   * were, or by another model) are embedded, stored and re-indexed in the background: 10,000 take some 15 s, which
   * readiness does not wait for; they are suggested by their words meanwhile.
   */
  public Future<Integer> rebuildIndex() {
    return mongo.find(ARTICLES, new JsonObject()).compose(docs -> vertx.executeBlocking(() -> {
      List<KbIndex.Entry> entries = docs.stream().map(d -> new KbIndex.Entry(fromDoc(d), vectorsOf(d))).toList();
      index.putAll(entries);
      return entries;
    }, false)).map(entries -> {
      List<Article> missing = entries.stream().filter(e -> e.vectors() == null).map(KbIndex.Entry::article).toList();
      if (!missing.isEmpty()) embedMissing(missing);
      return entries.size();
    });
  }

  private void embedMissing(List<Article> missing) {
    allEmbedded = false;
    log.info("Embedding {} articles stored without vectors, in the background; until then they are suggested by their words", missing.size());
    Future<Void> chain = Future.succeededFuture();
    for (int from = 0; from < missing.size(); from += BACKFILL_ARTICLES) {
      List<Article> batch = missing.subList(from, Math.min(missing.size(), from + BACKFILL_ARTICLES));
      chain = chain.compose(v -> embedStoreAndIndex(batch));
    }
    chain.onSuccess(v -> {
      allEmbedded = true;
      log.info("Embedded the {} articles stored without vectors", missing.size());
    }).onFailure(e -> log.warn("Could not embed every article stored without vectors (the next start goes on); those left are suggested by their words", e));
  }

  private Future<Void> embedStoreAndIndex(List<Article> batch) {
    List<String> texts = new ArrayList<>();
    for (Article a : batch) {
      texts.add(ArticleVectors.wholeText(a.title(), a.question(), a.steps()));
      texts.add(ArticleVectors.questionText(a.title(), a.question()));
    }
    return embeddings.embedAll(texts).compose(vs -> {
      List<Future<KbIndex.Entry>> stored = new ArrayList<>();
      for (int i = 0; i < batch.size(); i++) {
        Article a = batch.get(i);
        ArticleVectors v = new ArticleVectors(vs.get(2 * i), vs.get(2 * i + 1));
        // Only onto the revision that was embedded: an article edited meanwhile has its own, newer vectors.
        stored.add(mongo.updateCollection(ARTICLES, new JsonObject().put("_id", a.id()).put("revision", a.revision()),
            new JsonObject().put("$set", vectorFields(v)))
          .map(r -> r.getDocModified() == 1 ? new KbIndex.Entry(a, v) : null));
      }
      return Future.all(stored);
    }).compose(all -> vertx.executeBlocking(() -> {
      index.putAll(all.<KbIndex.Entry>list().stream().filter(java.util.Objects::nonNull).toList());
      return null;
    }, false));
  }

  /** Vectors are 2 KB each and read only by the index: left out of everything else's reads. */
  private static final JsonObject WITHOUT_VECTORS = new JsonObject().put("vector", 0).put("questionVector", 0);

  public Future<Article> get(String id) {
    return mongo.findOne(ARTICLES, new JsonObject().put("_id", id), WITHOUT_VECTORS)
      .compose(d -> d == null ? Future.failedFuture(new NotFound("article " + id)) : Future.succeededFuture(fromDoc(d)));
  }

  /** By current slug, or by an old one (the caller redirects). */
  public Future<Optional<Article>> bySlug(String slug) {
    JsonObject q = new JsonObject().put("$or", new JsonArray()
      .add(new JsonObject().put("slug", slug)).add(new JsonObject().put("oldSlugs", slug)));
    return mongo.findOne(ARTICLES, q, WITHOUT_VECTORS).map(d -> Optional.ofNullable(d).map(KbService::fromDoc));
  }

  public Future<List<Article>> list(String status) {
    JsonObject q = status == null ? new JsonObject() : new JsonObject().put("status", status);
    return mongo.findWithOptions(ARTICLES, q, new FindOptions().setSort(new JsonObject().put("title", 1)).setFields(WITHOUT_VECTORS))
      .map(l -> l.stream().map(KbService::fromDoc).toList());
  }

  /** Ranked search; customers and suggestions see published articles only. */
  public Future<List<Article>> search(String text, int limit, boolean publishedOnly) {
    return vertx.executeBlocking(() -> index.search(text, limit, publishedOnly), false)
      .compose(hits -> Future.all(hits.stream().map(h -> get(h.id())).toList()).map(all -> all.<Article>list()));
  }

  /** A customer's post in a case: its id (its vector is stored under it, once made) and its text. */
  public record Post(String id, String text) {}

  /** A suggested article, how sure the suggestion is (0..1, above the floor) and why it was made. */
  public record Suggestion(Article article, double score, Relevance.Why why) {}

  /**
   * Suggestions for what a case's customer wrote: their words, and what they mean as the centre of their posts'
   * vectors (every post, as the words read every post). A post not embedded yet is embedded now (a millisecond or
   * two), and with the model unavailable the words alone decide.
   */
  public Future<List<Suggestion>> suggestFor(List<Post> posts, int limit) {
    String text = String.join(" ", posts.stream().map(Post::text).toList());
    Future<float[]> meaning = mentionVectors.get(posts.stream().map(Post::id).toList()).compose(stored -> {
      List<String> missing = posts.stream().filter(p -> !stored.containsKey(p.id())).map(Post::text).toList();
      return embeddings.embedAll(missing).map(fresh -> {
        List<float[]> all = new ArrayList<>(stored.values());
        all.addAll(fresh);
        return all.isEmpty() ? null : Vectors.centre(all);
      });
    });
    return meaning.recover(e -> byWordsAlone("the case's", e)).compose(v -> suggest(text, v, limit));
  }

  /** Suggestions for free text (an agent's search). */
  public Future<List<Suggestion>> suggest(String text, int limit) {
    return embeddings.embed(text).recover(e -> byWordsAlone("the text's", e)).compose(v -> suggest(text, v, limit));
  }

  /** No vector for this request: the words decide. A machine without the model was told once (Embeddings), not per request. */
  private static Future<float[]> byWordsAlone(String whose, Throwable e) {
    if (!(e instanceof io.careloop.meaning.ModelUnavailable)) log.warn("Suggesting by words alone: {} meaning is unavailable", whose, e);
    return Future.succeededFuture();
  }

  private Future<List<Suggestion>> suggest(String text, float[] meaning, int limit) {
    return vertx.executeBlocking(() -> Relevance.rank(index.candidates(text, meaning, CANDIDATES), rules, limit), false)
      .compose(ranked -> Future.all(ranked.stream().map(r -> get(r.id()).map(a -> new Suggestion(a, r.score(), r.why()))).toList()))
      .map(all -> all.<Suggestion>list());
  }

  /** An article as a suggestion: its view with the score and why. */
  public static JsonObject view(Suggestion s) {
    return view(s.article()).put("score", Math.round(s.score() * 1000) / 1000.0).put("why", s.why().json());
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
    return embed(draft).compose(vectors -> duplicateOf(null, draft, vectors).compose(dup -> {
      if (dup.isPresent() && !allowDuplicate) return Future.failedFuture(duplicate(dup.get()));
      String id = UUID.randomUUID().toString().substring(0, 12);
      return freeSlug(Slugs.of(draft.title()), id).compose(slug -> {
        Article a = new Article(id, slug, draft.title(), draft.question(), draft.steps(), draft.product(), draft.tags(),
          draft.status(), author, clock.instant(), 1);
        return mongo.insert(ARTICLES, toDoc(a).mergeIn(vectorFields(vectors)).put("oldSlugs", new JsonArray()).put("createdAt", Dates.bson(clock.instant())))
          .compose(r -> afterWrite(a, vectors, author, "kb.created", null))
          .map(v -> view(a).put("duplicateOf", dup.map(KbService::summary).orElse(null)));
      });
    }));
  }

  /**
   * Revises an article; the previous version goes to the history, a new title gets a new slug and the old one keeps
   * redirecting. Returns the article's view and whether it was published before (then the console lists where it was
   * used: its customers may be waiting on an answer that changed).
   */
  public Future<Revised> update(String id, Draft draft, String author, boolean allowDuplicate) {
    return get(id).compose(before -> embed(draft).compose(vectors -> duplicateOf(id, draft, vectors).compose(dup -> {
      if (dup.isPresent() && !allowDuplicate) return Future.failedFuture(duplicate(dup.get()));
      String wanted = Slugs.of(draft.title());
      Future<String> slug = wanted.equals(before.slug()) ? Future.succeededFuture(before.slug()) : freeSlug(wanted, id);
      return slug.compose(s -> {
        Article after = new Article(id, s, draft.title(), draft.question(), draft.steps(), draft.product(), draft.tags(),
          draft.status(), before.owner(), clock.instant(), before.revision() + 1);
        JsonObject update = new JsonObject().put("$set", toDoc(after).mergeIn(vectorFields(vectors)));
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
            : afterWrite(after, vectors, author, "kb.updated", view(before)))
          .map(v -> new Revised(view(after).put("duplicateOf", dup.map(KbService::summary).orElse(null)), before.published()));
      });
    })));
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

  private Future<Void> afterWrite(Article a, ArticleVectors vectors, String author, String action, Object before) {
    return vertx.executeBlocking(() -> {
      index.put(a, vectors);
      return null;
    }, false).compose(v -> audit.record(author, action, a.id(), before, view(a))).compose(v -> database.durable())
      .onSuccess(v -> vertx.eventBus().publish(CHANGED, new JsonObject().put("id", a.id()).put("from", self)));
  }

  private Future<ArticleVectors> embed(Draft d) {
    return embeddings.embedAll(List.of(ArticleVectors.wholeText(d.title(), d.question(), d.steps()), ArticleVectors.questionText(d.title(), d.question())))
      .map(vs -> new ArticleVectors(vs.get(0), vs.get(1)));
  }

  /**
   * The closest existing article whose question means the same ({@link Relevance#nearCopy}), paraphrases in other
   * words included. While stored articles still wait for their vectors, those are checked by shared words as before.
   */
  Future<Optional<Article>> duplicateOf(String selfId, Draft draft, ArticleVectors vectors) {
    String mine = ArticleVectors.questionText(draft.title(), draft.question());
    Future<Optional<Article>> byMeaning = vertx.executeBlocking(() -> index.nearestQuestions(vectors.question(), NEAR_COPY_CANDIDATES), false).compose(near -> {
      Future<Optional<Article>> best = Future.succeededFuture(Optional.empty());
      for (KbIndex.Near n : near) {
        if (n.id().equals(selfId) || n.cosine() < rules.nearCopyMeaning()) continue;
        best = best.compose(found -> found.isPresent() ? Future.succeededFuture(found) : get(n.id()).compose(other ->
          residual(mine, ArticleVectors.questionText(other.title(), other.question()), n.cosine())
            .map(r -> Relevance.nearCopy(n.cosine(), r, rules) ? Optional.of(other) : Optional.<Article>empty())));
      }
      return best;
    });
    return byMeaning.compose(found -> found.isPresent() || allEmbedded ? Future.succeededFuture(found) : duplicateByWords(selfId, draft));
  }

  /**
   * The cosine of what two questions say that the other does not. Nothing apart: they say the same. One saying
   * nothing more: what the other adds, against the whole of the one.
   */
  private Future<Double> residual(String a, String b, double whole) {
    String onlyA = index.wordsNotIn(a, b), onlyB = index.wordsNotIn(b, a);
    if (onlyA.isEmpty() && onlyB.isEmpty()) return Future.succeededFuture(whole);
    return embeddings.embedAll(List.of(onlyA.isEmpty() ? a : onlyA, onlyB.isEmpty() ? b : onlyB)).map(vs -> Vectors.cosine(vs.get(0), vs.get(1)));
  }

  /** The closest existing article by shared question-and-title words, when close enough to be the same answer. */
  private Future<Optional<Article>> duplicateByWords(String selfId, Draft draft) {
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

  private static JsonObject vectorFields(ArticleVectors v) {
    return new JsonObject().put("vector", Vectors.encode(v.whole())).put("questionVector", Vectors.encode(v.question()))
      .put("vectorModel", SentenceModel.ID);
  }

  /** The stored vectors, or null when the article has none of the current model (then it is embedded again). */
  static ArticleVectors vectorsOf(JsonObject d) {
    if (!SentenceModel.ID.equals(d.getString("vectorModel")) || d.getString("vector") == null || d.getString("questionVector") == null) return null;
    return new ArticleVectors(Vectors.decode(d.getString("vector")), Vectors.decode(d.getString("questionVector")));
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
