package io.careloop.web;

import io.careloop.analytics.AnalyticsService;
import io.careloop.analytics.Csv;
import io.careloop.errors.Invalid;
import io.careloop.store.Dates;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.ValidatedRequest;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;

import static io.careloop.web.Http.*;

/** Analytics for leads (response times, CSV export) and the public response-time figure. Thin handlers. */
public final class AnalyticsRoutes implements Operations {
  static final int MAX_DAYS = 400;
  private final AnalyticsService analytics;
  private final PublicStatus status;
  /** The queue's count of customer-confirmed cases opened in a range of instants. */
  private final java.util.function.BiFunction<java.time.Instant, java.time.Instant, io.vertx.core.Future<Long>> customerConfirmed;

  public AnalyticsRoutes(AnalyticsService analytics, PublicStatus status,
                         java.util.function.BiFunction<java.time.Instant, java.time.Instant, io.vertx.core.Future<Long>> customerConfirmed) {
    this.analytics = analytics;
    this.status = status;
    this.customerConfirmed = customerConfirmed;
  }

  @Override
  public Map<String, Handler<RoutingContext>> handlers() {
    return Map.of(
      "analyticsResponseTimes", this::responseTimes,
      "analyticsExport", this::export,
      "publicResponseTimes", ctx -> Answer.after(ctx, status.current(), body -> ctx.response().setStatusCode(200)
        .putHeader("content-type", "application/json; charset=utf-8").putHeader("cache-control", "public, max-age=60")
        .end(body.encode())));
  }

  private void responseTimes(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    LocalDate[] range = range(ctx);
    if (range == null) return;
    String metric = v.getQuery().get("metric") == null || v.getQuery().get("metric").isNull() ? "first" : v.getQuery().get("metric").getString();
    boolean business = "business".equals(string(v.getQuery().get("time")));
    // Cases of the range (whole UTC days, both ends included) the customer confirmed, beside the response times.
    var confirmed = customerConfirmed.apply(range[0].atStartOfDay(java.time.ZoneOffset.UTC).toInstant(),
      range[1].plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant());
    respond(ctx, 200, analytics.responseTimes(range[0], range[1], string(v.getQuery().get("groupBy")), metric, business)
      .compose(report -> confirmed.map(n -> report.put("customerConfirmed", n))));
  }

  private void export(RoutingContext ctx) {
    LocalDate[] range = range(ctx);
    if (range == null) return;
    // Inside Answer.after: a row that cannot be written (a fact missing a date) fails the request instead of hanging it.
    Answer.after(ctx, analytics.responses(range[0], range[1]), rows -> {
      StringBuilder csv = new StringBuilder(Csv.row(List.of("case", "metric", "brand", "source", "priority", "agent", "customer",
        "mention", "started", "responded", "seconds", "businessSeconds", "met")));
      for (JsonObject r : rows) {
        csv.append(Csv.row(java.util.Arrays.asList(r.getString("caseId"), r.getString("metric"), r.getString("brand"), r.getString("source"),
          r.getString("priority"), r.getString("agent"), r.getString("handle"), r.getString("text"),
          Dates.instant(r.getValue("startedAt")).toString(), Dates.instant(r.getValue("respondedAt")).toString(),
          r.getLong("seconds"), r.getLong("businessSeconds"), String.valueOf(r.getBoolean("met")))));
      }
      ctx.response().putHeader("content-type", "text/csv; charset=utf-8").putHeader("cache-control", "no-store")
        .putHeader("content-disposition", "attachment; filename=\"careloop-responses-" + range[0] + "-to-" + range[1] + ".csv\"")
        .end(csv.toString());
    });
  }

  /** The validated from/to (UTC dates, inclusive), defaulting to the last 30 days; null after answering 400. */
  private LocalDate[] range(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    try {
      String toParam = string(v.getQuery().get("to"));
      String fromParam = string(v.getQuery().get("from"));
      LocalDate to = toParam == null ? analytics.today() : LocalDate.parse(toParam);
      LocalDate from = fromParam == null ? to.minusDays(29) : LocalDate.parse(fromParam);
      if (from.isAfter(to)) throw new Invalid("bad-range", "from is after to");
      if (ChronoUnit.DAYS.between(from, to) >= MAX_DAYS) throw new Invalid("bad-range", "at most " + MAX_DAYS + " days at a time");
      return new LocalDate[] {from, to};
    } catch (DateTimeParseException e) {
      ctx.fail(new Invalid("bad-date", "from and to are dates like 2026-11-23"));
    } catch (Invalid p) {
      ctx.fail(p);
    }
    return null;
  }
}
