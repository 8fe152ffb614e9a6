package io.careloop.web;

import com.github.jknack.handlebars.Template;
import io.careloop.analytics.AnalyticsService;
import io.careloop.analytics.PublicClock;
import io.careloop.config.Settings;
import io.careloop.queue.SlaBook;
import io.careloop.queue.SlaBookJson;
import io.careloop.text.Templates;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Map;
import java.util.function.Supplier;

/**
 * "We typically reply within N minutes": the median first response over the last days, with the p90, the SLA
 * attainment and the number of replies it rests on, and an honest "not enough replies yet" below a minimum. The
 * figures are the leads' dashboard's for the same days, counted on the clock the brand's targets count
 * ({@link PublicClock}: calendar time unless every policy counts business hours, and then the hours are said).
 *
 * <p>Computed at most once a minute, so the public page, its JSON and its badge are cheap to serve; the SLA book is
 * read at every request, and a change of clock or hours is computed afresh at once rather than waiting out the
 * minute. Nothing about a customer or an agent is in it.
 */
public final class PublicStatus {
  private static final Duration FRESH = Duration.ofSeconds(60);
  private static final String GREEN = "#2e7d32";
  private static final String GREY = "#9f9f9f";

  private final AnalyticsService analytics;
  private final Supplier<SlaBook> slaBook;
  private final Settings.StatusSettings settings;
  private final Clock clock;
  private final PublicPages pages;
  private final String publicUrl;
  private final Template page;
  private final Template badge;
  private Future<JsonObject> cached;
  private PublicClock cachedClock;
  private Instant cachedAt = Instant.MIN;

  /** @param slaBook the SLA book in force now (it changes at runtime through the admin routes) */
  public PublicStatus(AnalyticsService analytics, Supplier<SlaBook> slaBook, Settings.StatusSettings settings, Clock clock,
                      PublicPages pages, String publicUrl) {
    this.analytics = analytics;
    this.slaBook = slaBook;
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
    SlaBook book = slaBook.get();
    PublicClock time = PublicClock.of(book);
    if (cached == null || cached.failed() || !time.equals(cachedClock) || Duration.between(cachedAt, now).compareTo(FRESH) > 0) {
      cachedAt = now;
      cachedClock = time;
      var to = analytics.today();
      var from = to.minusDays(settings.windowDays() - 1L);
      // The very call the dashboard makes for these days and this clock, so the figures agree to the second.
      cached = analytics.responseTimes(from, to, null, "first", time.business())
        .map(r -> figures(r.getJsonObject("totals"), time, book, from, to, now));
    }
    return cached;
  }

  private JsonObject figures(JsonObject t, PublicClock time, SlaBook book, LocalDate from, LocalDate to, Instant now) {
    long replies = t.getLong("replies");
    boolean enough = replies >= settings.minReplies();
    Long median = t.getLong("medianSeconds");
    JsonObject s = new JsonObject().put("windowDays", settings.windowDays()).put("from", from.toString()).put("to", to.toString())
      .put("time", time.time());
    if (time.business()) {
      JsonObject hours = SlaBookJson.write(book).getJsonObject("hours").put("description", StatusWords.openingHours(time.hours()));
      String holidays = StatusWords.holidays(time.hours(), from, to);
      if (holidays != null) hours.put("holidaysNote", holidays);
      s.put("hours", hours);
    }
    return s.put("replies", replies)
      .put("state", enough ? "ok" : "too-little-data").put("minReplies", settings.minReplies())
      .put("medianFirstResponseSeconds", enough ? median : null)
      .put("p90FirstResponseSeconds", enough ? t.getLong("p90Seconds") : null)
      .put("slaAttainment", enough ? t.getDouble("slaAttainment") : null)
      .put("typicalMinutes", enough && median != null ? Math.max(1, (median + 59) / 60) : null)
      .put("computedAt", now.toString());
  }

  private void page(RoutingContext ctx) {
    Answer.after(ctx, current(), s -> {
      Map<String, Object> model = pages.page("How fast we reply", publicUrl + "/status", "How fast our care team replies on X");
      model.put("status", PublicPages.plain(s));
      model.put("ok", "ok".equals(s.getString("state")));
      model.put("business", "business".equals(s.getString("time")));
      Long median = s.getLong("medianFirstResponseSeconds");
      Long p90 = s.getLong("p90FirstResponseSeconds");
      Double attainment = s.getDouble("slaAttainment");
      if (median != null) model.put("typical", StatusWords.within(median));
      if (p90 != null) model.put("p90", StatusWords.within(p90));
      if (attainment != null) model.put("attainment", StatusWords.percent(attainment));
      ConditionalGet.answer(ctx, PublicPages.HTML, Answer.render(page, model), Instant.parse(s.getString("computedAt")));
    });
  }

  private void badge(RoutingContext ctx) {
    Answer.after(ctx, current(), s -> {
      Long median = s.getLong("medianFirstResponseSeconds");
      boolean ok = "ok".equals(s.getString("state")) && median != null;
      String value = ok ? StatusWords.badge(median) : "not enough data";
      String svg = Answer.render(badge, Map.of("label", "we reply", "value", value, "colour", ok ? GREEN : GREY,
        "valueWidth", 7 * value.length() + 10, "width", 70 + 7 * value.length() + 10));
      ConditionalGet.answer(ctx, "image/svg+xml; charset=utf-8", svg, Instant.parse(s.getString("computedAt")));
    });
  }
}
