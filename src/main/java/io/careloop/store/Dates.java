package io.careloop.store;

import io.vertx.core.json.JsonObject;

import java.time.Instant;

/** BSON dates as the Vert.x Mongo client writes and reads them ({@code {"$date": "…"}}). */
public final class Dates {
  private Dates() {}

  /** A BSON date holds milliseconds: finer digits are dropped here, so a document in hand equals it as read back. */
  public static JsonObject bson(Instant instant) {
    return new JsonObject().put("$date", instant.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString());
  }

  /** The BSON date as the API shows it (ISO-8601, UTC), or null. */
  public static String iso(Object bsonDate) {
    Instant i = instant(bsonDate);
    return i == null ? null : i.toString();
  }

  public static Instant instant(Object value) {
    if (value == null) return null;
    if (value instanceof JsonObject json) return Instant.parse(json.getString("$date"));
    if (value instanceof Instant instant) return instant;
    return Instant.parse(value.toString());
  }
}
