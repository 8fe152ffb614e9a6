package io.careloop.web;

import com.github.jknack.handlebars.Template;
import io.careloop.analytics.AnalyticsService;
import io.careloop.config.Settings;
import io.careloop.text.Templates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * "We typically reply within N minutes": the median first response in business hours over the last days, from the
 * same rollups as the leads' dashboard, with the p90, the SLA attainment and the number of replies it rests on, and
 * an honest "not enough replies yet" below a minimum. Computed at most once a minute, so the public page, its JSON
 * and its badge are cheap to serve. Nothing about a customer or an agent is in it.
 */
public final class PublicStatus {
  private static final Duration FRESH = Duration.ofSeconds(60);

  private final AnalyticsService analytics;
  private final Settings.StatusSettings settings;
  private final Clock clock;
  private final PublicPages pages;
  private final String publicUrl;
  private final Template page;
  private final Template badge;
  private Future<JsonObject> cached;
  private Instant cachedAt = Instant.MIN;

  public PublicStatus(AnalyticsService analytics, Settings.StatusSettings settings, Clock clock, PublicPages pages, String publicUrl) {
    this.analytics = analytics;
    this.settings = settings;
    this.clock = clock;
    this.pages = pages;
    this.publicUrl = publicUrl;
    this.page = Templates.compile(Templates.pages(), "status/page");
    this.badge = Templates.compile(Templates.pages(), "status/badge.svg");
  }

  void mount(Router router) {
    router.get("/status").handler(this::page);
    router.get("/status/badge.svg").handler(this::badge);
  }

  Future<JsonObject> current() {
    Instant now = clock.instant();
    if (cached == null || cached.failed() || Duration.between(cachedAt, now).compareTo(FRESH) > 0) {
      cachedAt = now;
      var to = analytics.today();
      var from = to.minusDays(settings.windowDays() - 1L);
      cached = analytics.responseTimes(from, to, null, "first", true).map(r -> {
        JsonObject t = r.getJsonObject("totals");
        long replies = t.getLong("replies");
        boolean enough = replies >= settings.minReplies();
        Long median = t.getLong("medianSeconds");
        return new JsonObject().put("windowDays", settings.windowDays()).put("from", from.toString()).put("to", to.toString())
          .put("time", "business").put("replies", replies)
          .put("state", enough ? "ok" : "too-little-data").put("minReplies", settings.minReplies())
          .put("medianFirstResponseSeconds", enough ? median : null)
          .put("p90FirstResponseSeconds", enough ? t.getLong("p90Seconds") : null)
          .put("slaAttainment", enough ? t.getDouble("slaAttainment") : null)
          .put("typicalMinutes", enough && median != null ? Math.max(1, (median + 59) / 60) : null)
          .put("computedAt", now.toString());
      });
    }
    return cached;
  }

  private void page(RoutingContext ctx) {
    Answer.after(ctx, current(), s -> {
      Map<String, Object> model = pages.page("How fast we reply", publicUrl + "/status", "How fast our care team replies on X");
      model.put("status", PublicPages.plain(s));
      model.put("ok", "ok".equals(s.getString("state")));
      if (s.getDouble("slaAttainment") != null) model.put("attainmentPercent", Math.round(s.getDouble("slaAttainment") * 1000) / 10.0);
      if (s.getLong("p90FirstResponseSeconds") != null) model.put("p90Minutes", (s.getLong("p90FirstResponseSeconds") + 59) / 60);
      PublicPages.html(ctx, 200, page, model);
    });
  }

  private void badge(RoutingContext ctx) {
    Answer.after(ctx, current(), s -> {
      String value = "ok".equals(s.getString("state")) ? "within " + s.getLong("typicalMinutes") + " min" : "not enough data";
      String svg = Answer.render(badge, Map.of("label", "we reply", "value", value, "valueWidth", 7 * value.length() + 10, "width", 70 + 7 * value.length() + 10));
      ctx.response().putHeader("content-type", "image/svg+xml; charset=utf-8").putHeader("cache-control", "public, max-age=60").end(svg);
    });
  }
}
