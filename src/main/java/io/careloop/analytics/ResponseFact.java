package io.careloop.analytics;

import io.careloop.queue.BusinessHours;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.time.Instant;

/**
 * One response the SLA log recorded: from the start of its clock (the customer's post, or their follow-up) to X's
 * confirmation of the reply, in calendar seconds and in the brand's open hours. Plain Java.
 */
public record ResponseFact(String id, String caseId, String metric, String brand, String source, String priority, String agent,
                           Instant startedAt, Instant respondedAt, Instant dueAt, long seconds, long businessSeconds, boolean met) {

  public static ResponseFact of(String id, String caseId, String metric, String brand, String source, String priority, String agent,
                                Instant startedAt, Instant respondedAt, Instant dueAt, boolean met, BusinessHours hours) {
    Instant end = respondedAt.isBefore(startedAt) ? startedAt : respondedAt;
    return new ResponseFact(id, caseId, metric, brand, source, priority, agent, startedAt, end, dueAt,
      Duration.between(startedAt, end).toSeconds(), hours.between(startedAt, end).toSeconds(), met);
  }

  public JsonObject toJson() {
    return new JsonObject().put("_id", id).put("kind", "fulfilled").put("caseId", caseId).put("metric", metric).put("brand", brand)
      .put("source", source).put("priority", priority).put("agent", agent)
      .put("startedAt", new JsonObject().put("$date", startedAt.toString()))
      .put("respondedAt", new JsonObject().put("$date", respondedAt.toString()))
      .put("dueAt", dueAt == null ? null : new JsonObject().put("$date", dueAt.toString()))
      .put("seconds", seconds).put("businessSeconds", businessSeconds).put("met", met).put("day", Rollup.day(respondedAt));
  }

  public static ResponseFact fromJson(JsonObject d) {
    return new ResponseFact(d.getString("_id"), d.getString("caseId"), d.getString("metric"), d.getString("brand"), d.getString("source"),
      d.getString("priority"), d.getString("agent"), instant(d.getValue("startedAt")), instant(d.getValue("respondedAt")),
      instant(d.getValue("dueAt")), d.getLong("seconds"), d.getLong("businessSeconds"), d.getBoolean("met"));
  }

  private static Instant instant(Object v) {
    return io.careloop.store.Dates.instant(v);
  }
}
