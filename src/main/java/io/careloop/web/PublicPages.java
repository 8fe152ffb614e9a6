package io.careloop.web;

import io.careloop.blog.BlogPost;
import com.github.jknack.handlebars.Template;
import io.careloop.blog.BlogService;
import io.careloop.errors.NotFound;
import io.careloop.kb.Article;
import io.careloop.links.TrackedLinks;
import io.careloop.text.XmlText;
import io.careloop.text.Templates;
import io.vertx.core.Future;
import io.careloop.kb.KbService;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The public help centre (no login): {@code /kb/}, {@code /kb/{slug}}, and tracked links {@code /l/{code}}.
 * Server-rendered with Handlebars and its default HTML escaping; the only unescaped value is the JSON-LD block,
 * which is JSON encoded with {@code <}, {@code >} and {@code &} escaped so no text can close the script element.
 */
public final class PublicPages {
  static final String HTML = "text/html; charset=utf-8";
  private static final Logger log = LoggerFactory.getLogger(PublicPages.class);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("d MMMM yyyy", java.util.Locale.ENGLISH).withZone(ZoneOffset.UTC);

  private final KbService kb;
  private final String publicUrl;
  private final String brand;
  private final Template index;
  private final Template article;
  private final Template notFound;

  private final TrackedLinks links;
  private final BlogService blog;

  public PublicPages(KbService kb, TrackedLinks links, BlogService blog, String publicUrl, String brand) {
    this.kb = kb;
    this.links = links;
    this.blog = blog;
    this.publicUrl = publicUrl;
    this.brand = brand;
    this.index = Templates.compile(Templates.pages(), "kb/index");
    this.article = Templates.compile(Templates.pages(), "kb/article");
    this.notFound = Templates.compile(Templates.pages(), "kb/not-found");
  }

  void mount(Router router) {
    // Vert.x 5 does not match "/kb" to "/kb/": the bare form is its own route, a permanent redirect.
    router.get("/kb").handler(ctx -> canonicalSlash(ctx, "/kb/"));
    router.get("/kb/").handler(this::index);
    router.get("/kb/:slug").handler(this::article);
    router.get("/l/:code").handler(this::follow);
    new SiteIndex(kb, blog, publicUrl).mount(router);
  }

  /**
   * 301 to the canonical address of a page (its trailing slash). Nothing of the request goes into the Location, the
   * query neither: a header never echoes what a client sent (SessionAndHeaderTest.responseSplitting). The canonical
   * address itself goes on to its own route (should the bare route match it too).
   */
  static void canonicalSlash(RoutingContext ctx, String canonical) {
    if (ctx.request().path().endsWith("/")) {
      ctx.next();
      return;
    }
    ctx.response().setStatusCode(301).putHeader("Location", canonical).end();
  }

  private void index(RoutingContext ctx) {
    String q = ctx.request().getParam("q");
    var found = q == null || q.isBlank() ? kb.list("published") : kb.search(q.length() > 200 ? q.substring(0, 200) : q, 20, true);
    Answer.after(ctx, found, list -> {
      Map<String, Object> page = page("Help centre", publicUrl + "/kb/", "Answers to the questions our customers ask most.");
      page.put("q", q);
      page.put("count", list.size());
      page.put("countNoun", list.size() == 1 ? "answer" : "answers");
      page.put("articles", list.stream().map(a -> KbService.view(a).getMap()).toList());
      Instant modified = list.stream().map(Article::updatedAt).max(Instant::compareTo).orElse(Instant.EPOCH);
      ConditionalGet.answer(ctx, HTML, Answer.render(index, page), modified);
    });
  }

  private void article(RoutingContext ctx) {
    String slug = ctx.pathParam("slug");
    Answer.after(ctx, kb.bySlug(slug), found -> {
      if (found.isEmpty() || !found.get().published()) {
        html(ctx, 404, notFound, page("Not found", publicUrl + "/kb/", "Not found"));
        return;
      }
      Article a = found.get();
      if (!a.slug().equals(slug)) {
        // A renamed article keeps its old address as a permanent redirect.
        ctx.response().setStatusCode(301).putHeader("Location", "/kb/" + a.slug()).end();
        return;
      }
      Map<String, Object> page = page(a.title(), publicUrl + "/kb/" + a.slug(), a.question());
      page.put("article", KbService.view(a).getMap());
      page.put("updated", DAY.format(a.updatedAt()));
      page.put("jsonLd", scriptSafe(new JsonObject().put("@context", "https://schema.org").put("@type", "FAQPage")
        .put("mainEntity", new JsonArray().add(new JsonObject().put("@type", "Question").put("name", XmlText.clean(a.question()))
          .put("acceptedAnswer", new JsonObject().put("@type", "Answer").put("text", XmlText.clean(String.join(" ", a.steps()))))))));
      ConditionalGet.answer(ctx, HTML, Answer.render(article, page), a.updatedAt());
    });
  }

  private void follow(RoutingContext ctx) {
    // Never cached: a draft's link answers 404 now and redirects once the article is published.
    ctx.response().putHeader("Cache-Control", "no-store");
    String code = ctx.pathParam("code");
    if (!code.matches("[A-Za-z0-9]{8}")) {
      html(ctx, 404, notFound, page("Not found", publicUrl + "/kb/", "Not found"));
      return;
    }
    Future<Optional<String>> path = links.find(code).compose(this::target).compose(p -> p.isEmpty() ? Future.succeededFuture(p)
      : links.click(code, clientAddress(ctx), ctx.request().getHeader("User-Agent"), referrerHost(ctx.request().getHeader("Referer")))
        // The reader still gets the page when the count cannot be written; the count is the lesser loss.
        .recover(e -> {
          log.warn("Click on tracked link {} not counted", code, e);
          return Future.succeededFuture(false);
        })
        .map(p));
    Answer.after(ctx, path, to -> {
      if (to.isEmpty()) {
        // The same page as an unknown code: nothing tells that the link exists, or what it leads to.
        html(ctx, 404, notFound, page("Not found", publicUrl + "/kb/", "Not found"));
        return;
      }
      // Always one of our own pages: the target never comes from the request, so this is no open redirect.
      ctx.response().setStatusCode(302).putHeader("Location", to.get()).end();
    });
  }

  /**
   * Where a tracked link leads: its KB article or its blog post, by their current slugs, and only while that is
   * published. A link made for a draft (or for an article taken back to draft, or a post unpublished) leads nowhere
   * until it is published (again), so it never reveals a slug that is not public.
   */
  private Future<Optional<String>> target(Optional<JsonObject> link) {
    if (link.isEmpty()) return Future.succeededFuture(Optional.empty());
    JsonObject l = link.get();
    if (l.getString("postId") != null) {
      return blog.raw(l.getString("postId"))
        .map(p -> BlogPost.Status.PUBLISHED.stored().equals(p.getString("status")) ? Optional.ofNullable(p.getString("slug")).map(s -> "/blog/" + s) : Optional.<String>empty())
        .recover(e -> e instanceof NotFound ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e));
    }
    return kb.get(l.getString("articleId")).map(a -> a.published() ? Optional.of("/kb/" + a.slug()) : Optional.<String>empty())
      .recover(e -> e instanceof NotFound ? Future.succeededFuture(Optional.empty()) : Future.failedFuture(e));
  }

  Map<String, Object> page(String title, String canonical, String description) {
    Map<String, Object> page = new HashMap<>();
    page.put("title", title);
    page.put("canonical", canonical);
    page.put("description", description);
    page.put("brand", brand);
    page.put("publicUrl", publicUrl);
    return page;
  }

  static void html(RoutingContext ctx, int status, Template template, Map<String, Object> context) {
    String body = Answer.render(template, context);
    ctx.response().setStatusCode(status).putHeader("content-type", HTML).end(body);
  }

  /** JSON as plain maps and lists, which is what Handlebars' resolvers walk into. */
  static Object plain(Object value) {
    if (value instanceof JsonObject o) {
      Map<String, Object> m = new HashMap<>();
      o.forEach(e -> m.put(e.getKey(), plain(e.getValue())));
      return m;
    }
    if (value instanceof JsonArray a) return a.stream().map(PublicPages::plain).toList();
    return value;
  }

  static String scriptSafe(JsonObject json) {
    return json.encode().replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026");
  }

  static String referrerHost(String referer) {
    if (referer == null) return null;
    try {
      return URI.create(referer).getHost();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }


  /** Readers told apart as the sign-in throttle tells clients apart: behind a trusted proxy, by X-Forwarded-For. */
  private static String clientAddress(RoutingContext ctx) {
    java.net.InetAddress address = ClientAddress.of(ctx);
    return address == null ? "" : address.getHostAddress();
  }
}
