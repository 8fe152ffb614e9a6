package io.careloop.web;

import io.vertx.core.json.JsonObject;

/** A listening source as the console shows it: checkpoint and health, never credentials. */
final class SourceJson {
  private SourceJson() {}

  static JsonObject view(JsonObject doc) {
    JsonObject health = doc.getJsonObject("health", new JsonObject());
    JsonObject reads = health.getJsonObject("reads", new JsonObject());
    String month = health.getString("month");
    return new JsonObject()
      .put("id", doc.getString("_id")).put("kind", doc.getString("kind")).put("brand", doc.getString("brand"))
      .put("query", doc.getString("query")).put("userId", doc.getString("userId"))
      .put("sinceId", doc.getString("sinceId")).put("paused", doc.getBoolean("paused", false))
      .put("lastPollAt", CaseJson.iso(health.getValue("lastPollAt")))
      .put("lastSuccessAt", CaseJson.iso(health.getValue("lastSuccessAt")))
      .put("lastErrorAt", CaseJson.iso(health.getValue("lastErrorAt")))
      .put("lastError", health.getString("lastError"))
      .put("consecutiveFailures", health.getInteger("consecutiveFailures", 0))
      .put("newestPostAt", CaseJson.iso(health.getValue("newestPostAt")))
      .put("nextPollAt", CaseJson.iso(health.getValue("nextPollAt")))
      .put("requests", health.getLong("requests", 0L))
      .put("postsRead", health.getLong("postsRead", 0L))
      .put("postsReadThisMonth", month == null ? 0L : reads.getLong(month, 0L));
  }
}
