package io.careloop.outbox;

import io.vertx.core.json.JsonObject;

/**
 * Where an owning feature keeps its outbox entries: a document of their own in {@code collection} (replies) or the
 * {@code field} subdocument of the owner's document (a blog post's {@code tweet}). The protocol works on the data where
 * it already lies, so entries stored before the outbox existed are finished by it without a migration.
 *
 * @param what     how the log names an entry ("reply", "proactive tweet of post")
 * @param touched  a field of the owner's document set to the time of every change of state, or null
 */
public record Slot(String what, String collection, String field, String touched) {

  /** Each entry is a whole document of {@code collection}. */
  public static Slot document(String what, String collection, String touched) {
    return new Slot(what, collection, null, touched);
  }

  /** Each entry is the {@code field} subdocument of its owner's document in {@code collection}. */
  public static Slot within(String what, String collection, String field) {
    return new Slot(what, collection, field, null);
  }

  /** The prefix of the entry's fields in the document ("" or "tweet."). */
  public String prefix() {
    return field == null ? "" : field + ".";
  }

  /** The entry in its document (null when the owner has none yet). */
  public JsonObject entryOf(JsonObject document) {
    if (document == null) return null;
    return field == null ? document : document.getJsonObject(field);
  }
}
