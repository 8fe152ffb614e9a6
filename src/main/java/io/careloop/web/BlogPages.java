package io.careloop.web;

import io.careloop.outbox.PostState;
import com.github.jknack.handlebars.Template;
import io.careloop.blog.BlogFeeds;
import io.careloop.blog.BlogService;
import io.careloop.errors.NotFound;
import io.careloop.kb.KbService;
import io.careloop.store.Dates;
import io.careloop.text.Templates;
import io.vertx.core.Future;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public support blog (no login): index with pages, posts, tag pages, and the Atom and RSS feeds. Every answer
 * has an ETag (a hash of the bytes) and a Last-Modified date, and a matching conditional GET gets 304 without a body.
 * An unpublished post answers 410 Gone, so readers and crawlers learn it was taken down on purpose.
 */
public final class BlogPages {
  static final int PER_PAGE = 10;
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", java.util.Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private final BlogService blog;
  private final KbService kb;
  private final PublicPages pages;
  private final String publicUrl;
  private final String brand;
  private final String brandHandle;
  private final Template index;
  private final Template post;
  private final Template gone;
  private final Template notFound;

  public BlogPages(BlogService blog, KbService kb, PublicPages pages, String publicUrl, String brand, String brandHandle) {
    this.blog = blog;
    this.kb = kb;
    this.pages = pages;
    this.publicUrl = publicUrl;
    this.brand = brand;
    this.brandHandle = brandHandle;
    this.index = Templates.compile(Templates.pages(), "blog/index");
    this.post = Templates.compile(Templates.pages(), "blog/post");
    this.gone = Templates.compile(Templates.pages(), "blog/gone");
    this.notFound = Templates.compile(Templates.pages(), "kb/not-found");
  }

  void mount(Router router) {
    router.get("/blog/feed.atom").handler(ctx -> feed(ctx, "atom", "application/atom+xml; charset=utf-8"));
    router.get("/blog/feed.rss").handler(ctx -> feed(ctx, "rss", "application/rss+xml; charset=utf-8"));
    router.get("/blog/tag/:tag").handler(ctx -> list(ctx, ctx.pathParam("tag")));
    // Vert.x 5 does not match "/blog" to "/blog/": the bare form is its own route, a permanent redirect.
    router.get("/blog").handler(ctx -> PublicPages.canonicalSlash(ctx, "/blog/"));
    router.get("/blog/").handler(ctx -> list(ctx, null));
    router.get("/blog/:slug").handler(this::post);
  }

  private void list(RoutingContext ctx, String tag) {
    if (tag != null && !tag.matches("[a-z0-9][a-z0-9-]{0,31}")) {
      notFound(ctx);
      return;
    }
    int page = pageNumber(ctx.request().getParam("page"));
    if (page < 1) {
      notFound(ctx);
      return;
    }
    Answer.after(ctx, blog.published(), all -> {
      List<JsonObject> matching = tag == null ? all : all.stream().filter(p -> p.getJsonArray("tags").contains(tag)).toList();
      int from = (page - 1) * PER_PAGE;
      if (from > 0 && from >= matching.size() || tag != null && matching.isEmpty()) {
        notFound(ctx);
        return;
      }
      List<JsonObject> shown = matching.subList(from, Math.min(matching.size(), from + PER_PAGE));
      String base = tag == null ? "/blog/" : "/blog/tag/" + tag;
      Map<String, Object> model = pages.page(tag == null ? "Support blog" : "Posts tagged " + tag,
        publicUrl + base + (page > 1 ? "?page=" + page : ""), "Answers to the questions " + brand + " customers ask most.");
      model.put("heading", tag == null ? brand + " support blog" : "Posts tagged “" + tag + "”");
      model.put("posts", shown.stream().map(p -> {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) PublicPages.plain(BlogService.view(p));
        m.put("published", DAY.format(Dates.instant(p.getValue("publishedAt"))));
        return m;
      }).toList());
      if (page > 1) model.put("newer", base + (page == 2 ? "" : "?page=" + (page - 1)));
      if (from + PER_PAGE < matching.size()) model.put("older", base + "?page=" + (page + 1));
      conditional(ctx, "text/html; charset=utf-8", Answer.render(index, model), BlogFeeds.lastUpdated(shown));
    });
  }

  private void post(RoutingContext ctx) {
    String slug = ctx.pathParam("slug");
    if (!slug.matches("[a-z0-9-]{1,80}")) {
      notFound(ctx);
      return;
    }
    blog.bySlug(slug).compose(found -> {
      if (found.isEmpty() || "draft".equals(found.get().getString("status"))) {
        notFound(ctx);
        return Future.succeededFuture();
      }
      JsonObject p = found.get();
      if ("unpublished".equals(p.getString("status"))) {
        PublicPages.html(ctx, 410, gone, pages.page("Taken down", publicUrl + "/blog/", "This post was taken down"));
        return Future.succeededFuture();
      }
      String kbId = p.getString("kbArticleId");
      Future<Optional<JsonObject>> article = kbId == null ? Future.succeededFuture(Optional.empty())
        : kb.get(kbId).map(a -> a.published() ? Optional.of(new JsonObject().put("title", a.title()).put("url", publicUrl + "/kb/" + a.slug()))
          : Optional.<JsonObject>empty()).recover(e -> e instanceof NotFound ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e));
      return article.compose(a -> blog.related(p, 3).map(related -> {
        JsonObject view = BlogService.view(p);
        Map<String, Object> model = pages.page(p.getString("title"), publicUrl + "/blog/" + slug, p.getString("question"));
        model.put("post", PublicPages.plain(view));
        model.put("paragraphs", Arrays.stream(p.getString("body", "").split("\\n\\s*\\n")).map(String::trim).filter(s -> !s.isEmpty()).toList());
        model.put("published", DAY.format(Dates.instant(p.getValue("publishedAt"))));
        model.put("updated", DAY.format(Dates.instant(p.getValue("updatedAt"))));
        a.ifPresent(k -> model.put("kb", k.getMap()));
        if (!related.isEmpty()) model.put("related", related.stream().map(JsonObject::getMap).toList());
        JsonObject tweet = view.getJsonObject("tweet");
        if (tweet != null && PostState.of(tweet.getString("state")) == PostState.POSTED) {
          model.put("tweetUrl", "https://x.com/" + brandHandle + "/status/" + tweet.getString("xTweetId"));
        }
        if (conditional(ctx, "text/html; charset=utf-8", Answer.render(this.post, model), Dates.instant(p.getValue("updatedAt")))) {
          blog.viewed(p.getString("_id"));
        }
        return null;
      }));
    }).onFailure(ctx::fail);
  }

  private void feed(RoutingContext ctx, String format, String contentType) {
    Answer.after(ctx, blog.published(), posts -> {
      if (conditional(ctx, contentType, BlogFeeds.write(format, posts, publicUrl, brand), BlogFeeds.lastUpdated(posts))) {
        blog.feedFetched(format);
      }
    });
  }

  /** The body or a 304 ({@link ConditionalGet}); true when a reader got the body by GET (a HEAD is not a read). */
  static boolean conditional(RoutingContext ctx, String contentType, String body, Instant lastModified) {
    return ConditionalGet.answer(ctx, contentType, body, lastModified) && ctx.request().method() != HttpMethod.HEAD;
  }

  private void notFound(RoutingContext ctx) {
    PublicPages.html(ctx, 404, notFound, pages.page("Not found", publicUrl + "/blog/", "Not found"));
  }

  private static int pageNumber(String p) {
    if (p == null) return 1;
    return p.matches("[1-9][0-9]{0,4}") ? Integer.parseInt(p) : -1;
  }
}
