package io.careloop.web;

import io.careloop.store.Dates;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.List;

/** Case documents as the API shows them (section 4 of PRODUCT.md): ISO dates, ids as strings, no internals. */
public final class CaseJson {
  private CaseJson() {}

  /** The API form of a case, encoded: what the queue in memory keeps for each open case. */
  public static byte[] encoded(JsonObject doc) {
    return view(doc).toBuffer().getBytes();
  }

  static JsonObject view(JsonObject doc) {
    JsonArray messages = new JsonArray();
    doc.getJsonArray("messages", new JsonArray()).forEach(m -> {
      JsonObject msg = (JsonObject) m;
      messages.add(new JsonObject().put("tweetId", msg.getString("tweetId")).put("from", msg.getString("from"))
        .put("handle", msg.getString("handle")).put("text", msg.getString("text")).put("at", Dates.iso(msg.getValue("at")))
        .put("replyId", msg.getString("replyId")).put("agent", msg.getString("agent")));
    });
    return new JsonObject()
      .put("id", doc.getString("_id"))
      .put("brand", doc.getString("brand"))
      .put("tweetId", doc.getString("tweetId"))
      .put("conversationId", doc.getString("conversationId"))
      .put("customer", doc.getJsonObject("customer"))
      .put("text", doc.getString("text"))
      .put("createdAt", Dates.iso(doc.getValue("createdAt")))
      .put("priority", doc.getString("priority"))
      .put("state", doc.getString("state"))
      .put("dueAt", Dates.iso(doc.getValue("dueAt")))
      .put("firstResponseDueAt", Dates.iso(doc.getValue("firstResponseDueAt")))
      .put("firstResponseAt", Dates.iso(doc.getValue("firstResponseAt")))
      .put("firstResponseSeconds", doc.getLong("firstResponseSeconds"))
      .put("nextResponseDueAt", Dates.iso(doc.getValue("nextResponseDueAt")))
      .put("assignee", doc.getString("assignee"))
      .put("claimExpiresAt", Dates.iso(doc.getValue("claimExpiresAt")))
      .put("dismissReason", doc.getString("dismissReason"))
      .put("updatedAt", Dates.iso(doc.getValue("updatedAt")))
      .put("sourceId", doc.getString("sourceId"))
      .put("warnAt", Dates.iso(doc.getValue("warnAt")))
      .put("slaMetric", doc.getString("slaMetric"))
      .put("slaPolicyId", doc.getString("slaPolicyId"))
      .put("breached", doc.getBoolean("breached", false))
      .put("escalated", doc.getBoolean("escalated", false))
      .put("tags", doc.getJsonArray("tags", new JsonArray()))
      .put("notes", notes(doc.getJsonArray("notes", new JsonArray())))
      .put("messages", messages);
  }

  private static JsonArray notes(JsonArray stored) {
    JsonArray out = new JsonArray();
    stored.forEach(n -> {
      JsonObject note = (JsonObject) n;
      out.add(new JsonObject().put("id", note.getString("id")).put("author", note.getString("author"))
        .put("text", note.getString("text")).put("at", Dates.iso(note.getValue("at"))));
    });
    return out;
  }

  static JsonArray history(List<JsonObject> cases) {
    return new JsonArray(cases.stream().map(c -> new JsonObject().put("id", c.getString("_id")).put("text", c.getString("text"))
      .put("state", c.getString("state")).put("priority", c.getString("priority")).put("createdAt", Dates.iso(c.getValue("createdAt")))).toList());
  }
}
