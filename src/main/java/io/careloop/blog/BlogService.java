package io.careloop.blog;

import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.io.ClassPathTemplateLoader;
import io.careloop.audit.AuditLog;
import io.careloop.cycle.ClusterService;
import io.careloop.cycle.QuestionText;
import io.careloop.errors.NotFound;
import io.careloop.errors.Conflict;
import io.careloop.errors.Invalid;
import io.careloop.kb.Article;
import io.careloop.kb.KbService;
import io.careloop.scaleout.PostingClaims;
import io.careloop.kb.Slugs;
import io.careloop.links.TrackedLinks;
import io.careloop.reply.ReplyLength;
import io.careloop.store.Collections;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.careloop.store.MongoErrors;
import io.careloop.x.Post;
import io.careloop.x.XFailure;
import io.careloop.x.XService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.FindOptions;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.mongo.UpdateOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The support blog: posts drafted from a frequent-question cluster, edited, published under a slug that never changes,
 * unpublished (the address then answers 410), and announced with a proactive tweet. The tweet is sent at most once,
 * like a reply: its intent is stored before the call, each attempt is recorded before it leaves, and an attempt that
 * may have reached X first looks for the post on X.
 */
public final class BlogService {
  private static final Logger log = LoggerFactory.getLogger(BlogService.class);
  public static final String POSTS = Collections.BLOG_POSTS;
  public static final String STATS = "blog_stats";
  private static final int QUOTES = 3;

  private final MongoClient mongo;
  private final Database database;
  private final AuditLog audit;
  private final Clock clock;
  private final ClusterService clusters;
  private final KbService kb;
  private final TrackedLinks links;
  private final XService x;
  private final ProactiveTweet proactive;
  private final String publicUrl;
  private final String brandUserId;
  private final Template draft;
  private final PostingClaims claims;

  public BlogService(Database database, AuditLog audit, Clock clock, ClusterService clusters, KbService kb, TrackedLinks links,
                     XService x, ProactiveTweet proactive, String publicUrl, String brandUserId, PostingClaims claims) {
    this.claims = claims;
    this.mongo = database.mongo();
    this.database = database;
    this.audit = audit;
    this.clock = clock;
    this.clusters = clusters;
    this.kb = kb;
    this.links = links;
    this.x = x;
    this.proactive = proactive;
    this.publicUrl = publicUrl;
    this.brandUserId = brandUserId;
    try {
      // The draft is plain text (rendered escaped on the page), so the template itself must not HTML-escape.
      this.draft = new Handlebars(new ClassPathTemplateLoader("/templates", ".hbs")).with(EscapingStrategy.NOOP).compile("blog/draft");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Drafts a post from the cluster (or answers the post it already has): question, answer, KB link, public quotes. */
  public Future<JsonObject> promote(String clusterId, boolean anonymise, String author) {
    return clusters.get(clusterId).compose(v -> {
      if (v.getString("postId") != null) return get(v.getString("postId"));
      if (!"open".equals(v.getString("status"))) {
        return Future.failedFuture(new Conflict("cluster-not-open", "cluster " + clusterId + " is " + v.getString("status")));
      }
      String kbId = v.getString("kbArticleId");
      Future<Optional<Article>> article = kbId == null ? Future.succeededFuture(Optional.empty())
        : kb.get(kbId).map(Optional::of).recover(e -> e instanceof NotFound ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e));
      return article.compose(a -> clusters.members(clusterId, 50).compose(members -> {
        String question = scrub(Optional.ofNullable(v.getString("question")).orElse(""), members, anonymise);
        // One draft per cluster however many promote it at once, on however many nodes: the id is the cluster's.
        String id = UUID.nameUUIDFromBytes(("blog-post:" + clusterId).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString().substring(0, 12);
        Instant now = clock.instant();
        JsonObject post = new JsonObject().put("_id", id).put("clusterId", clusterId)
          .put("title", title(question)).put("question", question)
          .put("body", scrub(body(question, answer(v.getString("answer")), a.map(Article::steps).orElse(List.of())), members, anonymise))
          .put("kbArticleId", a.map(Article::id).orElse(null))
          .put("tags", new JsonArray(a.map(Article::tags).orElse(List.of())))
          .put("anonymise", anonymise).put("quotes", quotes(members, anonymise))
          .put("status", "draft").put("slug", (Object) null).put("views", 0).put("revision", 1)
          .put("author", author).put("createdAt", Dates.bson(now)).put("updatedAt", Dates.bson(now));
        return mongo.insert(POSTS, post)
          .recover(e -> MongoErrors.isDuplicateKey(e) ? Future.failedFuture(new AlreadyPromoted()) : Future.failedFuture(e))
          .compose(r -> clusters.promoted(clusterId, id))
          .compose(r -> audit.record(author, "blog.promoted", id, null, new JsonObject().put("clusterId", clusterId)))
          .compose(r -> database.durable())
          .compose(r -> get(id))
          .recover(e -> e instanceof AlreadyPromoted ? get(id) : Future.failedFuture(e));
      }));
    });
  }

  /** Another request promoted the same cluster first: its draft is the answer. */
  private static final class AlreadyPromoted extends RuntimeException {
    AlreadyPromoted() { super("already promoted", null, false, false); }
  }

  public record Edit(String title, String body, List<String> tags, Boolean anonymise) {}

  public Future<JsonObject> update(String id, Edit edit, String author) {
    return raw(id).compose(before -> {
      JsonObject set = new JsonObject().put("updatedAt", Dates.bson(clock.instant()));
      if (edit.title() != null) set.put("title", edit.title().trim());
      if (edit.body() != null) set.put("body", edit.body());
      if (edit.tags() != null) set.put("tags", new JsonArray(edit.tags()));
      Future<Void> quotes = Future.succeededFuture();
      if (edit.anonymise() != null && edit.anonymise() != before.getBoolean("anonymise", false)) {
        set.put("anonymise", edit.anonymise());
        quotes = clusters.members(before.getString("clusterId"), 50).map(m -> {
          set.put("quotes", quotes(m, edit.anonymise()));
          set.put("title", scrub(set.getString("title", before.getString("title")), m, edit.anonymise()));
          set.put("body", scrub(set.getString("body", before.getString("body")), m, edit.anonymise()));
          return null;
        });
      }
      return quotes.compose(v -> mongo.updateCollection(POSTS, new JsonObject().put("_id", id),
          new JsonObject().put("$set", set).put("$inc", new JsonObject().put("revision", 1))))
        .compose(v -> audit.record(author, "blog.edited", id, view(before), set))
        .compose(v -> database.durable()).compose(v -> get(id));
    });
  }

  /** Publishes (first time: fixes the slug for good), then sends the proactive tweet when asked. */
  public Future<JsonObject> publish(String id, boolean tweet, String tweetText, String author) {
    return raw(id).compose(p -> {
      if (tweet && tweetText != null) {
        ReplyLength length = ReplyLength.of(withLink(tweetText, "https://x.co/12345678"));
        if (!length.valid()) return Future.failedFuture(tooLong(length));
      }
      Instant now = clock.instant();
      Future<String> slug = p.getString("slug") != null ? Future.succeededFuture(p.getString("slug")) : freeSlug(Slugs.of(p.getString("title")), id);
      return slug.compose(s -> {
        JsonObject set = new JsonObject().put("status", "published").put("slug", s).put("updatedAt", Dates.bson(now));
        if (p.getValue("publishedAt") == null) set.put("publishedAt", Dates.bson(now));
        return mongo.updateCollection(POSTS, new JsonObject().put("_id", id), new JsonObject().put("$set", set));
      }).compose(v -> audit.record(author, "blog.published", id, null, null))
        .compose(v -> database.durable())
        .compose(v -> tweet ? tweet(id, tweetText, author).mapEmpty() : Future.succeededFuture())
        .compose(v -> get(id));
    });
  }

  /** Takes the post off the blog and feeds; its address answers 410 Gone from now on. */
  public Future<JsonObject> unpublish(String id, String author) {
    return raw(id).compose(p -> mongo.updateCollection(POSTS, new JsonObject().put("_id", id),
        new JsonObject().put("$set", new JsonObject().put("status", "unpublished").put("updatedAt", Dates.bson(clock.instant())))))
      .compose(v -> audit.record(author, "blog.unpublished", id, null, null))
      .compose(v -> database.durable()).compose(v -> get(id));
  }

  /** What the tweet would say, measured as X counts it (the link counts 23 whatever its length). */
  public Future<JsonObject> preview(String id, String text) {
    return preview(id, text, null);
  }

  /** As {@link #preview(String, String)}; with no text, composed from the template for {@code title} (or the saved title). */
  public Future<JsonObject> preview(String id, String text, String title) {
    return raw(id).compose(p -> links.linkFor(linkTarget(id)).map(l -> {
      String url = publicUrl + "/l/" + l.getString("_id");
      String composed = text != null ? withLink(text, url) : proactive.compose(title != null ? title : p.getString("title"), url);
      ReplyLength length = ReplyLength.of(composed);
      return new JsonObject().put("text", composed).put("link", url).put("weightedLength", length.weightedLength())
        .put("limit", length.limit()).put("valid", length.valid());
    }));
  }

  /**
   * Sends the proactive tweet once. Asking again after it was posted answers the posted tweet; after a failure it
   * retries. Only a published post is announced.
   */
  public Future<JsonObject> tweet(String id, String text, String author) {
    return raw(id).compose(p -> {
      if (!"published".equals(p.getString("status"))) {
        return Future.failedFuture(new Conflict("not-published", "publish the post before tweeting about it"));
      }
      JsonObject existing = p.getJsonObject("tweet");
      if (existing != null && !"failed".equals(existing.getString("state"))) return Future.succeededFuture(existing);
      if (existing != null) return send(id, existing);
      return preview(id, text).compose(pv -> {
        if (!pv.getBoolean("valid")) return Future.failedFuture(tooLong(ReplyLength.of(pv.getString("text"))));
        JsonObject intent = new JsonObject().put("text", pv.getString("text")).put("link", pv.getString("link"))
          .put("state", "pending").put("attempts", 0).put("author", author).put("createdAt", Dates.bson(clock.instant()))
          .mergeIn(claims.stamp(""));
        // Only the first request stores an intent; a simultaneous second one finds it and does not post again.
        return mongo.updateCollection(POSTS, new JsonObject().put("_id", id).put("tweet", new JsonObject().put("$exists", false)),
            new JsonObject().put("$set", new JsonObject().put("tweet", intent)))
          .compose(r -> database.durable().map(r.getDocModified() == 1))
          .compose(mine -> mine ? send(id, intent) : raw(id).map(now -> now.getJsonObject("tweet")));
      });
    });
  }

  /** Proactive tweets stored or under way when their sender stopped (see {@code ReplyService#recoverUnfinished}). */
  public Future<Integer> recoverUnfinished(boolean atStart) {
    return mongo.find(POSTS, claims.takeable("tweet.", atStart).put("tweet.state", new JsonObject().put("$in", new JsonArray().add("pending").add("posting"))))
      .compose(list -> {
        Future<Integer> chain = Future.succeededFuture(0);
        // One tweet that cannot be finished now must not hold up the others; the sweep takes it again.
        for (JsonObject p : list) chain = chain.compose(n -> send(p.getString("_id"), p.getJsonObject("tweet"))
          .onFailure(e -> log.warn("Proactive tweet of post {} not recovered yet (the sweep tries again)", p.getString("_id"), e))
          .transform(ar -> Future.succeededFuture(n + 1)));
        return chain;
      });
  }

  private Future<JsonObject> send(String id, JsonObject tweet) {
    int attempts = tweet.getInteger("attempts", 0);
    JsonObject claim = new JsonObject().put("_id", id).put("tweet.state", tweet.getString("state")).put("tweet.attempts", attempts);
    JsonObject update = new JsonObject().put("$set", new JsonObject().put("tweet.state", "posting").put("tweet.lastAttemptAt", Dates.bson(clock.instant()))
        .mergeIn(claims.stamp("tweet.")))
      .put("$inc", new JsonObject().put("tweet.attempts", 1));
    return mongo.updateCollection(POSTS, claim, update).compose(r -> {
      if (r.getDocModified() == 0) return raw(id).map(p -> p.getJsonObject("tweet"));
      return database.durable().compose(v -> {
        String text = tweet.getString("text");
        // An earlier attempt may have reached X (crash, timeout, lost answer): look before posting again.
        Future<Post> posted = attempts > 0
          ? x.findPost(brandUserId, text).compose(found -> found.map(Future::succeededFuture).orElseGet(() -> x.post(text)))
          : x.post(text);
        return posted.compose(post -> settle(id, new JsonObject().put("tweet.state", "posted").put("tweet.xTweetId", post.id())
              .put("tweet.postedAt", Dates.bson(Optional.ofNullable(post.createdAt()).orElse(clock.instant()))).put("tweet.error", (Object) null))
            .compose(t -> audit.record(tweet.getString("author"), "blog.tweeted", id, null, new JsonObject().put("xTweetId", post.id()).put("text", text)).map(t)),
          failure -> {
            String error = failure instanceof XFailure xf ? xf.toString() : "could not post: " + failure.getMessage();
            log.warn("Proactive tweet for post {} failed: {}", id, error);
            // Only this attempt's failure; a later attempt by another node (this one hung past its claim) decides.
            return mongo.updateCollection(POSTS, new JsonObject().put("_id", id).put("tweet.state", "posting").put("tweet.attempts", attempts + 1),
                new JsonObject().put("$set", new JsonObject().put("tweet.state", "failed").put("tweet.error", error)))
              .compose(done -> database.durable()).compose(durable -> raw(id)).map(p -> p.getJsonObject("tweet"));
          });
      });
    });
  }

  private Future<JsonObject> settle(String id, JsonObject set) {
    return mongo.updateCollection(POSTS, new JsonObject().put("_id", id), new JsonObject().put("$set", set))
      .compose(r -> database.durable()).compose(v -> raw(id)).map(p -> p.getJsonObject("tweet"));
  }

  public Future<JsonObject> get(String id) {
    return raw(id).compose(this::withClicks);
  }

  private Future<JsonObject> withClicks(JsonObject p) {
    return links.clicks(linkTarget(p.getString("_id"))).map(clicks -> view(p).put("clicks", clicks));
  }

  public Future<JsonObject> raw(String id) {
    return mongo.findOne(POSTS, new JsonObject().put("_id", id), null)
      .compose(p -> p == null ? Future.failedFuture(new NotFound("blog post " + id)) : Future.succeededFuture(p));
  }

  public Future<List<JsonObject>> list(String status) {
    JsonObject q = status == null ? new JsonObject() : new JsonObject().put("status", status);
    return mongo.findWithOptions(POSTS, q, new FindOptions().setSort(new JsonObject().put("updatedAt", -1)))
      .map(l -> l.stream().map(BlogService::view).toList());
  }

  /** Published posts, newest first: what the blog, its tag pages and the feeds show. */
  public Future<List<JsonObject>> published() {
    return mongo.findWithOptions(POSTS, new JsonObject().put("status", "published"),
      new FindOptions().setSort(new JsonObject().put("publishedAt", -1).put("_id", 1)));
  }

  public Future<Optional<JsonObject>> bySlug(String slug) {
    return mongo.findOne(POSTS, new JsonObject().put("slug", slug), null).map(Optional::ofNullable);
  }

  /** A page view of a published post, for the cycle's funnel. */
  public Future<Void> viewed(String id) {
    return mongo.updateCollection(POSTS, new JsonObject().put("_id", id), new JsonObject().put("$inc", new JsonObject().put("views", 1))).mapEmpty();
  }

  /** A feed fetch (not a 304), for the funnel. */
  public Future<Void> feedFetched(String format) {
    return mongo.updateCollectionWithOptions(STATS, new JsonObject().put("_id", "feeds"),
      new JsonObject().put("$inc", new JsonObject().put(format, 1)), new UpdateOptions().setUpsert(true)).mapEmpty();
  }

  public static JsonObject linkTarget(String postId) {
    return new JsonObject().put("postId", postId).put("purpose", "proactive-tweet");
  }

  public static JsonObject view(JsonObject p) {
    return new JsonObject().put("id", p.getString("_id")).put("clusterId", p.getString("clusterId"))
      .put("slug", p.getString("slug")).put("title", p.getString("title")).put("question", p.getString("question"))
      .put("body", p.getString("body")).put("kbArticleId", p.getString("kbArticleId")).put("tags", p.getJsonArray("tags", new JsonArray()))
      .put("anonymise", p.getBoolean("anonymise", false)).put("quotes", p.getJsonArray("quotes", new JsonArray()))
      .put("status", p.getString("status")).put("views", p.getInteger("views", 0)).put("revision", p.getInteger("revision", 1))
      .put("author", p.getString("author"))
      .put("createdAt", iso(p.getValue("createdAt"))).put("updatedAt", iso(p.getValue("updatedAt")))
      .put("publishedAt", iso(p.getValue("publishedAt")))
      .put("tweet", tweetView(p.getJsonObject("tweet")));
  }

  private static JsonObject tweetView(JsonObject t) {
    if (t == null) return null;
    return new JsonObject().put("text", t.getString("text")).put("link", t.getString("link")).put("state", t.getString("state"))
      .put("attempts", t.getInteger("attempts", 0)).put("xTweetId", t.getString("xTweetId")).put("error", t.getString("error"))
      .put("postedAt", iso(t.getValue("postedAt")));
  }

  private static String iso(Object bson) {
    Instant i = Dates.instant(bson);
    return i == null ? null : i.toString();
  }

  /**
   * Quotes only customers whose account is public; anonymised quotes lose the handle, name and identifying details.
   * One quote per customer, most recent first.
   */
  static JsonArray quotes(List<JsonObject> members, boolean anonymise) {
    JsonArray out = new JsonArray();
    Set<String> seen = new HashSet<>();
    for (JsonObject m : members) {
      if (out.size() >= QUOTES) break;
      if (m.getBoolean("protected", true) || !seen.add(String.valueOf(m.getString("handle")))) continue;
      String handle = m.getString("handle");
      out.add(anonymise
        ? new JsonObject().put("text", Anonymiser.text(m.getString("text"), handle, m.getString("name"))).put("by", Anonymiser.attribution())
        : new JsonObject().put("text", withoutReplyPrefix(m.getString("text"))).put("by", "@" + handle).put("handle", handle).put("tweetId", m.getString("tweetId")));
    }
    return out;
  }

  /** When anonymising, every asking customer's handle and name leave the text too, not only the quotes. */
  static String scrub(String text, List<JsonObject> members, boolean anonymise) {
    if (!anonymise) return text;
    String t = text;
    for (JsonObject m : members) t = Anonymiser.text(t, m.getString("handle"), m.getString("name"));
    return t;
  }

  /** The handles a reply starts with ("@AcmeCloud @sam how do I…"), which X itself does not show as text. */
  static String withoutReplyPrefix(String text) {
    return text.replaceFirst("^(\\s*@\\w{1,15})+\\s*", "");
  }

  static String title(String question) {
    String t = QuestionText.withoutHandlesAndLinks(question).replaceAll("[#]", "").trim();
    if (t.isEmpty()) return "A question our customers ask";
    if (t.length() > 120) t = t.substring(0, 117).replaceAll("\\s+\\S*$", "") + "…";
    return Character.toUpperCase(t.charAt(0)) + t.substring(1);
  }

  private static String answer(String reply) {
    // The reply was addressed to one customer and carried that case's tracked link: neither belongs in a post.
    return reply == null ? "" : QuestionText.withoutHandlesAndLinks(reply);
  }

  private String body(String question, String answer, List<String> steps) {
    List<String> numbered = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) numbered.add((i + 1) + ". " + steps.get(i));
    Map<String, Object> context = new HashMap<>();
    context.put("question", QuestionText.withoutHandlesAndLinks(question));
    context.put("answer", answer);
    context.put("steps", String.join("\n", numbered));
    try {
      return draft.apply(context).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The link goes where the author put {@code {{link}}}, or at the end. */
  static String withLink(String text, String url) {
    return text.contains("{{link}}") ? text.replace("{{link}}", url) : text.trim() + " " + url;
  }

  private static Invalid tooLong(ReplyLength length) {
    return new Invalid("tweet-too-long", "the tweet is " + length.weightedLength() + " characters as X counts them; the limit is " + length.limit(),
      Map.of("weightedLength", length.weightedLength(), "limit", length.limit()));
  }

  private Future<String> freeSlug(String base, String selfId) {
    return mongo.find(POSTS, new JsonObject().put("slug", new JsonObject().put("$regex", "^" + java.util.regex.Pattern.quote(base) + "(-[0-9]+)?$")))
      .map(taken -> {
        Set<String> used = new HashSet<>();
        taken.stream().filter(d -> !d.getString("_id").equals(selfId)).forEach(d -> used.add(d.getString("slug")));
        if (!used.contains(base)) return base;
        for (int i = 2; ; i++) if (!used.contains(base + "-" + i)) return base + "-" + i;
      });
  }

  /** The posts built on an article, whatever their status: id, title, slug and status. */
  public Future<List<JsonObject>> builtOn(String articleId) {
    return mongo.findWithOptions(POSTS, new JsonObject().put("kbArticleId", articleId),
        new FindOptions().setFields(new JsonObject().put("title", 1).put("slug", 1).put("status", 1)))
      .map(ps -> ps.stream().map(p -> new JsonObject().put("id", p.getString("_id")).put("title", p.getString("title"))
        .put("slug", p.getString("slug")).put("status", p.getString("status"))).toList());
  }
}
