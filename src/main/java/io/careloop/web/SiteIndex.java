package io.careloop.web;

import io.careloop.blog.BlogService;
import io.careloop.kb.Article;
import io.careloop.kb.KbService;
import io.careloop.store.Dates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * What crawlers and browsers ask a site for: {@code /robots.txt} (the public pages open to crawlers; the console,
 * the API and tracked links closed), {@code /sitemap.xml} (every published article and post with its last change,
 * absolute addresses from the public URL) and {@code /favicon.ico} (a permanent redirect to the SVG icon in
 * {@code webroot/}).
 */
final class SiteIndex {
  static final String SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9";

  private final KbService kb;
  private final BlogService blog;
  private final String publicUrl;

  SiteIndex(KbService kb, BlogService blog, String publicUrl) {
    this.kb = kb;
    this.blog = blog;
    this.publicUrl = publicUrl;
  }

  void mount(Router router) {
    router.get("/robots.txt").handler(this::robots);
    router.get("/sitemap.xml").handler(this::sitemap);
    router.get("/favicon.ico").handler(ctx -> ctx.response().setStatusCode(301).putHeader("Location", "/favicon.svg")
      .putHeader("Cache-Control", "public, max-age=86400").end());
  }

  /**
   * The console lives at the root ("/"), so the root is closed and the public sections opened: RFC 9309 §2.2.2 has
   * the longest matching rule win, so "Allow: /kb/" beats "Disallow: /".
   */
  static String robots(String publicUrl) {
    return String.join("\n",
      "User-agent: *",
      "Allow: /kb/",
      "Allow: /blog/",
      "Allow: /status",
      "Allow: /sitemap.xml",
      "Allow: /favicon.svg",
      "Allow: /public.css",
      "Disallow: /api/",
      "Disallow: /l/",
      "Disallow: /console/",
      "Disallow: /",
      "",
      "Sitemap: " + publicUrl + "/sitemap.xml",
      "");
  }

  private void robots(RoutingContext ctx) {
    ctx.response().putHeader("content-type", "text/plain; charset=utf-8").putHeader("Cache-Control", "public, max-age=3600")
      .end(robots(publicUrl));
  }

  private void sitemap(RoutingContext ctx) {
    Future<List<Article>> articles = kb.list("published");
    Future<List<JsonObject>> posts = blog.published();
    Answer.after(ctx, Future.all(articles, posts), all -> {
      List<Entry> entries = new ArrayList<>();
      Instant kbChanged = articles.result().stream().map(Article::updatedAt).max(Instant::compareTo).orElse(null);
      Instant blogChanged = posts.result().stream().map(p -> Dates.instant(p.getValue("updatedAt"))).max(Instant::compareTo).orElse(null);
      entries.add(new Entry("/kb/", kbChanged));
      articles.result().forEach(a -> entries.add(new Entry("/kb/" + a.slug(), a.updatedAt())));
      entries.add(new Entry("/blog/", blogChanged));
      posts.result().forEach(p -> entries.add(new Entry("/blog/" + p.getString("slug"), Dates.instant(p.getValue("updatedAt")))));
      entries.add(new Entry("/status", null));
      Instant modified = entries.stream().map(Entry::lastmod).filter(t -> t != null).max(Instant::compareTo).orElse(Instant.EPOCH);
      ConditionalGet.answer(ctx, "application/xml; charset=utf-8", xml(publicUrl, entries), modified);
    });
  }

  /** One address of the sitemap; {@code lastmod} null when the page changes with every computation (the status). */
  record Entry(String path, Instant lastmod) {}

  static String xml(String publicUrl, List<Entry> entries) {
    StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"" + SITEMAP_NS + "\">\n");
    for (Entry e : entries) {
      xml.append("  <url><loc>").append(escape(publicUrl + e.path())).append("</loc>");
      if (e.lastmod() != null) xml.append("<lastmod>").append(e.lastmod().truncatedTo(ChronoUnit.SECONDS)).append("</lastmod>");
      xml.append("</url>\n");
    }
    return xml.append("</urlset>\n").toString();
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&apos;");
  }
}
