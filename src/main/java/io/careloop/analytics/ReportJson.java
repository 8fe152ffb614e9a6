package io.careloop.analytics;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.DayOfWeek;

/** The response-time report as the API shows it (the JSON edge of analytics). */
public final class ReportJson {
  private ReportJson() {}

  public static JsonObject of(ResponseReport.Report r) {
    JsonArray groups = new JsonArray();
    r.groups().forEach(g -> groups.add(summary(g.figures()).put("key", g.key()).put("breaches", g.breaches())));
    JsonArray series = new JsonArray();
    r.series().forEach(d -> series.add(summary(d.figures()).put("day", d.day().toString()).put("breaches", d.breaches())
      .put("newCases", d.newCases()).put("backlog", d.backlog())));
    JsonArray weekdays = new JsonArray();
    for (DayOfWeek w : ResponseReport.weekdays()) {
      weekdays.add(new JsonObject().put("day", w.name()).put("newCases", r.newCasesByWeekday()[w.getValue() - 1]));
    }
    JsonArray hours = new JsonArray();
    for (long h : r.newCasesByHour()) hours.add(h);
    return new JsonObject().put("from", r.from().toString()).put("to", r.to().toString()).put("metric", r.metric())
      .put("time", r.business() ? "business" : "calendar").put("groupBy", r.groupBy())
      .put("totals", summary(r.totals()).put("breaches", r.breaches())).put("groups", groups).put("series", series)
      .put("newCasesByHour", hours).put("newCasesByWeekday", weekdays);
  }

  /** A set of responses' figures (null figures with no responses). */
  public static JsonObject summary(ResponseTimes.Summary s) {
    return new JsonObject().put("replies", s.replies()).put("met", s.met()).put("slaAttainment", s.slaAttainment())
      .put("medianSeconds", s.medianSeconds()).put("p90Seconds", s.p90Seconds()).put("p99Seconds", s.p99Seconds())
      .put("meanSeconds", s.meanSeconds());
  }
}
