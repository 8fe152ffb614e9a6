package io.careloop.errors;

import io.vertx.core.json.JsonObject;

/**
 * A failure with a meaning for the caller: the web layer maps it to its status and a JSON body
 * {@code {"error": code, "message": text}} plus any {@link #details()}. Never carries internals.
 */
public class Problem extends RuntimeException {
  private final int status;
  private final String code;
  private final JsonObject details;

  public Problem(int status, String code, String message, JsonObject details) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
    this.details = details == null ? new JsonObject() : details;
  }

  public int status() { return status; }

  public String code() { return code; }

  public JsonObject details() { return details; }

  public static Problem notFound(String what) { return new Problem(404, "not-found", what + " not found", null); }

  public static Problem conflict(String code, String message) { return new Problem(409, code, message, null); }

  public static Problem conflict(String code, String message, JsonObject details) { return new Problem(409, code, message, details); }

  public static Problem invalid(String code, String message) { return new Problem(400, code, message, null); }

  public static Problem forbidden(String message) { return new Problem(403, "forbidden", message, null); }

  public static Problem unauthenticated(String message) { return new Problem(401, "unauthenticated", message, null); }

  public static Problem upstream(String message) { return new Problem(502, "upstream", message, null); }
}
