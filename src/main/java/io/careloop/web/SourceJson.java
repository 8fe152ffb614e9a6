package io.careloop.web;

import io.careloop.store.Dates;
import io.vertx.core.json.JsonObject;

/** A listening source as the console shows it: checkpoint and health, never credentials. */
final class SourceJson {
  private SourceJson() {}

  /**
   * With the read budget: reads this month against the cap, and the month-end projection at the rate so far (polling
   * must stay under the cap; PRODUCT.md section 2.1).
   */
  static JsonObject view(JsonObject doc, long monthlyCap, java.time.Instant now) {
    JsonObject v = view(doc);
    var day = now.atZone(java.time.ZoneOffset.UTC);
    double elapsed = (day.getDayOfMonth() - 1 + day.toLocalTime().toSecondOfDay() / 86_400.0) / day.toLocalDate().lengthOfMonth();
    long read = v.getLong("postsReadThisMonth", 0L);
    return v.put("monthlyReadCap", monthlyCap)
      .put("projectedMonthReads", elapsed <= 0 ? read : Math.round(read / Math.max(elapsed, 1.0 / 31 / 24)));
  }

  static JsonObject view(JsonObject doc) {
    JsonObject health = doc.getJsonObject("health", new JsonObject());
    JsonObject reads = health.getJsonObject("reads", new JsonObject());
    String month = health.getString("month");
    return new JsonObject()
      .put("id", doc.getString("_id")).put("kind", doc.getString("kind")).put("brand", doc.getString("brand"))
      .put("query", doc.getString("query")).put("userId", doc.getString("userId"))
      .put("sinceId", doc.getString("sinceId")).put("paused", doc.getBoolean("paused", false))
      .put("lastPollAt", Dates.iso(health.getValue("lastPollAt")))
      .put("lastSuccessAt", Dates.iso(health.getValue("lastSuccessAt")))
      .put("lastErrorAt", Dates.iso(health.getValue("lastErrorAt")))
      .put("lastError", health.getString("lastError"))
      .put("consecutiveFailures", health.getInteger("consecutiveFailures", 0))
      .put("capReached", health.getBoolean("capReached", false))
      .put("newestPostAt", Dates.iso(health.getValue("newestPostAt")))
      .put("nextPollAt", Dates.iso(health.getValue("nextPollAt")))
      .put("requests", health.getLong("requests", 0L))
      .put("postsRead", health.getLong("postsRead", 0L))
      .put("postsReadThisMonth", month == null ? 0L : reads.getLong(month, 0L));
  }
}
