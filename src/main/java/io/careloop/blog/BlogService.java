package io.careloop.blog;

import io.careloop.audit.AuditLog;
import io.careloop.cycle.ClusterService;
import io.careloop.errors.NotFound;
import io.careloop.errors.Conflict;
import io.careloop.errors.Invalid;
import io.careloop.kb.Article;
import io.careloop.kb.KbService;
import io.careloop.kb.Slugs;
import io.careloop.links.TrackedLinks;
import io.careloop.outbox.Delivery;
import io.careloop.outbox.Network;
import io.careloop.meaning.Embeddings;
import io.careloop.meaning.Vectors;
import io.careloop.outbox.Outbox;
import io.careloop.outbox.PostState;
import io.careloop.reply.ReplyLength;
import io.careloop.store.Database;
import io.careloop.store.Dates;
import io.careloop.store.MongoErrors;
import io.careloop.x.XNetwork;
import io.careloop.x.XService;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The support blog: posts drafted from a frequent-question cluster, edited, published under a slug that never changes,
 * unpublished (the address then answers 410), and announced with a proactive tweet. The tweet is sent at most once
 * through the {@link Outbox}, like a reply; its entry is the post's {@code tweet} field.
 */
public final class BlogService {
  public static final String POSTS = MongoBlogPostRepository.POSTS;
  public static final String STATS = MongoBlogPostRepository.STATS;
  /** The newest askings a draft is made from: plenty to find three different ones, few enough to compare all pairs. */
  private static final int MEMBERS_READ = 50;

  private final MongoBlogPostRepository posts;
  private final Database database;
  private final AuditLog audit;
  private final Clock clock;
  private final ClusterService clusters;
  private final KbService kb;
  private final TrackedLinks links;
  /** The brand's own timeline on X, where proactive tweets go. */
  private final Network network;
  private final ProactiveTweet proactive;
  private final String publicUrl;
  private final Outbox outbox;
  private final Embeddings embeddings;
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BlogService.class);

  public BlogService(Database database, AuditLog audit, Clock clock, ClusterService clusters, KbService kb, TrackedLinks links,
                     XService x, ProactiveTweet proactive, String publicUrl, String brandUserId, Outbox outbox, Embeddings embeddings) {
    this.outbox = outbox;
    this.embeddings = embeddings;
    this.posts = new MongoBlogPostRepository(database.mongo());
    this.database = database;
    this.audit = audit;
    this.clock = clock;
    this.clusters = clusters;
    this.kb = kb;
    this.links = links;
    this.network = XNetwork.timeline(x, brandUserId);
    this.proactive = proactive;
    this.publicUrl = publicUrl;
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
      return article.compose(a -> clusters.membersWithVectors(clusterId, MEMBERS_READ).compose(members -> {
        Draft composed = Draft.of(new Draft.Source(Optional.ofNullable(v.getString("question")).orElse(""), draftMembers(members),
          v.getString("answer"), a.orElse(null), anonymise, publicUrl));
        // One draft per cluster however many promote it at once, on however many nodes: the id is the cluster's.
        String id = UUID.nameUUIDFromBytes(("blog-post:" + clusterId).getBytes(java.nio.charset.StandardCharsets.UTF_8)).toString().substring(0, 12);
        Instant now = clock.instant();
        BlogPost draft = new BlogPost(id, clusterId, null, composed.title(), composed.question(), composed.body(),
          a.map(Article::id).orElse(null), new ArrayList<>(a.map(Article::tags).orElse(List.of())), anonymise,
          MongoBlogPostRepository.quotes(quotes(composed.quotes())), BlogPost.Status.DRAFT, 0, 1, author, now, now, null, null);
        return posts.insert(draft)
          .recover(e -> MongoErrors.isDuplicateKey(e) ? Future.failedFuture(new AlreadyPromoted()) : Future.failedFuture(e))
          .compose(r -> clusters.promoted(clusterId, id))
          .compose(r -> audit.record(author, "blog.promoted", id, null, new JsonObject().put("clusterId", clusterId)))
          .compose(r -> database.durable())
          .compose(r -> understood(id))
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
    return find(id).compose(before -> {
      JsonObject set = new JsonObject().put("updatedAt", Dates.bson(clock.instant()));
      if (edit.title() != null) set.put("title", edit.title().trim());
      if (edit.body() != null) set.put("body", edit.body());
      if (edit.tags() != null) set.put("tags", new JsonArray(edit.tags()));
      Future<Void> quotes = Future.succeededFuture();
      if (edit.anonymise() != null && edit.anonymise() != before.anonymise()) {
        set.put("anonymise", edit.anonymise());
        quotes = clusters.membersWithVectors(before.clusterId(), MEMBERS_READ).map(json -> {
          List<Draft.Member> m = draftMembers(json);
          set.put("quotes", quotes(DraftQuotes.pick(m, edit.anonymise())));
          set.put("title", Draft.scrub(set.getString("title", before.title()), m, edit.anonymise(), publicUrl));
          set.put("body", Draft.scrub(set.getString("body", before.body()), m, edit.anonymise(), publicUrl));
          return null;
        });
      }
      return quotes.compose(v -> posts.set(id, set, true))
        .compose(v -> audit.record(author, "blog.edited", id, view(before), set))
        .compose(v -> database.durable()).compose(v -> understood(id)).compose(v -> get(id));
    });
  }

  /**
   * Embeds what the post says (title, question, body) and stores it with the post. Never fails the save: without a
   * vector the post is simply offered as nobody's related answer until the next start embeds it.
   */
  private Future<Void> understood(String id) {
    return raw(id).compose(p -> embeddings.embed(p.getString("title", "") + ". " + p.getString("question", "") + " " + p.getString("body", "")))
      .compose(v -> posts.meaning(id, v))
      .recover(e -> {
        log.debug("Post {} saved without its vector ({})", id, e.toString());
        return Future.succeededFuture();
      });
  }

  /** Start-up: embeds the posts saved before there were vectors (a handful; in the background). */
  public Future<Integer> understandUnembedded() {
    return posts.withoutMeaning().compose(ids -> {
      Future<Void> chain = Future.succeededFuture();
      for (String id : ids) chain = chain.compose(v -> understood(id));
      return chain.map(ids.size());
    });
  }

  /** Up to {@code n} published posts closest in meaning to this one (title and public URL), for its page. */
  public Future<List<JsonObject>> related(JsonObject post, int n) {
    float[] vector = MongoBlogPostRepository.meaning(post);
    if (vector == null) return Future.succeededFuture(List.of());
    return published().map(all -> {
      Map<String, JsonObject> byId = new java.util.HashMap<>();
      List<RelatedPosts.Candidate> candidates = new ArrayList<>();
      for (JsonObject p : all) {
        byId.put(p.getString("_id"), p);
        candidates.add(new RelatedPosts.Candidate(p.getString("_id"), MongoBlogPostRepository.meaning(p)));
      }
      return RelatedPosts.pick(vector, post.getString("_id"), candidates, n).stream().map(byId::get)
        .map(p -> new JsonObject().put("title", p.getString("title")).put("url", publicUrl + "/blog/" + p.getString("slug"))).toList();
    });
  }

  /** Publishes (first time: fixes the slug for good), then sends the proactive tweet when asked. */
  public Future<JsonObject> publish(String id, boolean tweet, String tweetText, String author) {
    return find(id).compose(p -> {
      if (tweet && tweetText != null) {
        ReplyLength length = ReplyLength.of(withLink(tweetText, "https://x.co/12345678"));
        if (!length.valid()) return Future.failedFuture(tooLong(length));
      }
      Instant now = clock.instant();
      Future<String> slug = p.slug() != null ? Future.succeededFuture(p.slug()) : posts.freeSlug(Slugs.of(p.title()), id);
      return slug.compose(s -> {
        JsonObject set = new JsonObject().put("status", BlogPost.Status.PUBLISHED.stored()).put("slug", s).put("updatedAt", Dates.bson(now));
        if (p.publishedAt() == null) set.put("publishedAt", Dates.bson(now));
        return posts.set(id, set, false);
      }).compose(v -> audit.record(author, "blog.published", id, null, null))
        .compose(v -> database.durable())
        .compose(v -> tweet ? tweet(id, tweetText, author).mapEmpty() : Future.succeededFuture())
        .compose(v -> get(id));
    });
  }

  /** Takes the post off the blog and feeds; its address answers 410 Gone from now on. */
  public Future<JsonObject> unpublish(String id, String author) {
    return raw(id).compose(p -> posts.set(id,
        new JsonObject().put("status", BlogPost.Status.UNPUBLISHED.stored()).put("updatedAt", Dates.bson(clock.instant())), false))
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
    return raw(id).compose(doc -> {
      BlogPost p = MongoBlogPostRepository.post(doc);
      if (p.status() != BlogPost.Status.PUBLISHED) {
        return Future.failedFuture(new Conflict("not-published", "publish the post before tweeting about it"));
      }
      if (p.tweet() != null && p.tweet().state() != PostState.FAILED) return Future.succeededFuture(doc.getJsonObject("tweet"));
      if (p.tweet() != null) return send(id, p.tweet());
      return preview(id, text).compose(pv -> {
        if (!pv.getBoolean("valid")) return Future.failedFuture(tooLong(ReplyLength.of(pv.getString("text"))));
        JsonObject intent = new JsonObject().put("text", pv.getString("text")).put("link", pv.getString("link"))
          .put("author", author).put("createdAt", Dates.bson(clock.instant()));
        // Only the first request stores an intent; a simultaneous second one finds it and does not post again.
        return outbox.store(MongoBlogPostRepository.TWEETS, id, intent)
          .compose(mine -> mine ? send(id, MongoBlogPostRepository.tweet(intent.copy().put("state", PostState.PENDING.stored()).put("attempts", 0)))
            : raw(id).map(now -> now.getJsonObject("tweet")));
      });
    });
  }

  /** Proactive tweets stored or under way when their sender stopped (see {@code ReplyService#recoverUnfinished}). */
  public Future<Integer> recoverUnfinished(boolean atStart) {
    return outbox.recoverUnfinished(MongoBlogPostRepository.TWEETS, atStart,
      p -> send(p.getString("_id"), MongoBlogPostRepository.tweet(p.getJsonObject("tweet"))));
  }

  private Future<JsonObject> send(String id, BlogPost.Tweet tweet) {
    return outbox.send(MongoBlogPostRepository.TWEETS, id, tweet.state(), tweet.attempts(), network).compose(d -> {
      if (d.outcome() != Delivery.Outcome.POSTED) return Future.succeededFuture(d.entry());
      return audit.record(tweet.author(), "blog.tweeted", id, null, new JsonObject().put("xTweetId", d.posted().id()).put("text", tweet.text()))
        .map(d.entry());
    });
  }

  public Future<JsonObject> get(String id) {
    return raw(id).compose(this::withClicks);
  }

  /** The post, or a {@link NotFound}. */
  Future<BlogPost> find(String id) {
    return raw(id).map(MongoBlogPostRepository::post);
  }

  private Future<JsonObject> withClicks(JsonObject p) {
    return links.clicks(linkTarget(p.getString("_id"))).map(clicks -> view(p).put("clicks", clicks));
  }

  public Future<JsonObject> raw(String id) {
    return posts.document(id)
      .compose(p -> p == null ? Future.failedFuture(new NotFound("blog post " + id)) : Future.succeededFuture(p));
  }

  public Future<List<JsonObject>> list(String status) {
    return posts.documents(status).map(l -> l.stream().map(BlogService::view).toList());
  }

  /** Published posts, newest first: what the blog, its tag pages and the feeds show. */
  public Future<List<JsonObject>> published() {
    return posts.published();
  }

  public Future<Optional<JsonObject>> bySlug(String slug) {
    return posts.bySlug(slug);
  }

  /** A page view of a published post, for the cycle's funnel. */
  public Future<Void> viewed(String id) {
    return posts.viewed(id);
  }

  /** A feed fetch (not a 304), for the funnel. */
  public Future<Void> feedFetched(String format) {
    return posts.feedFetched(format);
  }

  /** Every post (the cycle's funnel counts them). */
  Future<List<BlogPost>> all() {
    return posts.all();
  }

  /** Feed fetches by format ({@code atom}, {@code rss}). */
  Future<JsonObject> feedFetches() {
    return posts.feedFetches();
  }

  public static JsonObject linkTarget(String postId) {
    return new JsonObject().put("postId", postId).put("purpose", "proactive-tweet");
  }

  public static JsonObject view(JsonObject p) {
    return view(MongoBlogPostRepository.post(p));
  }

  static JsonObject view(BlogPost p) {
    return new JsonObject().put("id", p.id()).put("clusterId", p.clusterId())
      .put("slug", p.slug()).put("title", p.title()).put("question", p.question())
      .put("body", p.body()).put("kbArticleId", p.kbArticleId()).put("tags", new JsonArray(p.tags()))
      .put("anonymise", p.anonymise()).put("quotes", MongoBlogPostRepository.quotes(p.quotes()))
      .put("status", p.status() == null ? null : p.status().stored()).put("views", p.views()).put("revision", p.revision())
      .put("author", p.author())
      .put("createdAt", Dates.iso(p.createdAt())).put("updatedAt", Dates.iso(p.updatedAt()))
      .put("publishedAt", Dates.iso(p.publishedAt()))
      .put("tweet", tweetView(p.tweet()));
  }

  private static JsonObject tweetView(BlogPost.Tweet t) {
    if (t == null) return null;
    return new JsonObject().put("text", t.text()).put("link", t.link()).put("state", t.state() == null ? null : t.state().stored())
      .put("attempts", t.attempts()).put("xTweetId", t.xTweetId()).put("error", t.error())
      .put("postedAt", Dates.iso(t.postedAt()));
  }

  /** The quotes as stored: {@code text}, {@code by}, and for a customer quoted by name {@code handle} and {@code tweetId}. */
  static JsonArray quotes(List<Draft.Quote> quotes) {
    JsonArray out = new JsonArray();
    for (Draft.Quote q : quotes) {
      JsonObject o = new JsonObject().put("text", q.text()).put("by", q.by());
      if (q.handle() != null) o.put("handle", q.handle()).put("tweetId", q.tweetId());
      out.add(o);
    }
    return out;
  }

  /** Cluster members as stored (see {@code cycle.MongoClusterRepository#member}) as the draft reads them. */
  static List<Draft.Member> draftMembers(List<JsonObject> members) {
    List<Draft.Member> out = new ArrayList<>();
    for (JsonObject m : members) {
      String v = m.getString("v");
      out.add(new Draft.Member(m.getString("tweetId"), m.getString("handle"), m.getString("name"), m.getString("text", ""),
        m.getBoolean("protected", true), v == null ? null : Vectors.decode(v)));
    }
    return out;
  }

  /** The link goes where the author put {@code {{link}}}, or at the end. */
  static String withLink(String text, String url) {
    return text.contains("{{link}}") ? text.replace("{{link}}", url) : text.trim() + " " + url;
  }

  private static Invalid tooLong(ReplyLength length) {
    return new Invalid("tweet-too-long", "the tweet is " + length.weightedLength() + " characters as X counts them; the limit is " + length.limit(),
      Map.of("weightedLength", length.weightedLength(), "limit", length.limit()));
  }

  /** The posts built on an article, whatever their status: id, title, slug and status. */
  public Future<List<JsonObject>> builtOn(String articleId) {
    return posts.builtOn(articleId).map(ps -> ps.stream().map(p -> new JsonObject().put("id", p.id()).put("title", p.title())
      .put("slug", p.slug()).put("status", p.status().stored())).toList());
  }
}
