package io.careloop.web;

import com.mongodb.MongoSocketOpenException;
import com.mongodb.MongoTimeoutException;
import com.mongodb.ServerAddress;
import io.careloop.errors.CareLoopException;
import io.careloop.errors.Conflict;
import io.careloop.errors.Forbidden;
import io.careloop.errors.Ineligible;
import io.careloop.errors.Invalid;
import io.careloop.errors.NotFound;
import io.careloop.errors.TooManyAttempts;
import io.careloop.errors.Unauthenticated;
import io.careloop.errors.Unavailable;
import io.careloop.errors.Upstream;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/** The one mapping from what happened to HTTP: each kind of failure, its status, its body, its headers. No server. */
@DisplayName("Failures become statuses and bodies in one place")
class FailuresTest {

  static Failures.Mapped answer(Throwable t) { return Failures.answer(t); }

  static void assertAnswer(int status, JsonObject body, Throwable failure) {
    Failures.Mapped a = answer(failure);
    assertEquals(status, a.status(), () -> failure + " → " + a.body());
    assertEquals(body, a.body());
    assertFalse(a.internal(), "a known failure is not logged as unhandled");
  }

  static JsonObject error(String code, String message) { return new JsonObject().put("error", code).put("message", message); }

  @Test
  @DisplayName("Each kind of domain failure has its status and the body {error, message, ...details}")
  void eachKind() {
    assertAnswer(400, error("empty-reply", "reply text is empty"), new Invalid("empty-reply", "reply text is empty"));
    assertAnswer(400, error("reply-too-long", "too long").put("weightedLength", 300).put("limit", 280),
      new Invalid("reply-too-long", "too long", Map.of("weightedLength", 300, "limit", 280)));
    assertAnswer(401, error("unauthenticated", "sign in first"), new Unauthenticated("sign in first"));
    assertAnswer(403, error("forbidden", "your roles do not allow this"), new Forbidden("your roles do not allow this"));
    assertAnswer(403, error("csrf", "missing"), new Forbidden("csrf", "missing"));
    assertAnswer(404, error("not-found", "case 42 not found"), new NotFound("case 42"));
    assertAnswer(409, error("held-by-another", "case is held by ann").put("assignee", "ann"),
      new Conflict("held-by-another", "case is held by ann", Map.of("assignee", "ann")));
    JsonObject other = new JsonObject().put("id", "a1").put("title", "Reset your password");
    assertAnswer(409, error("duplicate-article", "an article already answers this").put("duplicateOf", other),
      new Conflict("duplicate-article", "an article already answers this", Map.of("duplicateOf", other)));
    assertAnswer(400, error("user-disabled", "user bob is disabled").put("assignee", "bob"),
      new Ineligible("user-disabled", "user bob is disabled", Map.of("assignee", "bob")));
    JsonObject reply = new JsonObject().put("id", "r1").put("state", "failed");
    assertAnswer(502, error("post-failed", "X did not take the reply").put("reply", reply),
      new Upstream("post-failed", "X did not take the reply", Map.of("reply", reply), null));
    assertAnswer(503, error("clusters-unavailable", "try again"), new Unavailable("clusters-unavailable", "try again", null, null));
  }

  @Test
  @DisplayName("The code and message win over a detail of the same name")
  void codeAndMessageWin() {
    assertAnswer(409, error("x", "y"), new Conflict("x", "y", Map.of("error", "other", "message", "other")));
  }

  @Test
  @DisplayName("Too many attempts is 429 with retryAfterSeconds in the body and a Retry-After header")
  void tooManyAttempts() {
    Failures.Mapped a = answer(new TooManyAttempts("too many sign-in attempts; try again in 7 s", 7));
    assertEquals(429, a.status());
    assertEquals(error("too-many-attempts", "too many sign-in attempts; try again in 7 s").put("retryAfterSeconds", 7L), a.body());
    assertEquals(Map.of("Retry-After", "7"), a.headers());
  }

  @Test
  @DisplayName("A database that does not answer is 503 database-unavailable with Retry-After, however deep it is wrapped")
  void databaseOutage() {
    JsonObject expected = error("database-unavailable", "the database cannot be reached; nothing was changed, try again shortly");
    MongoTimeoutException timeout = new MongoTimeoutException("Timed out while waiting for a server");
    for (Throwable t : new Throwable[] {timeout, new RuntimeException("wrapped", timeout),
      new MongoSocketOpenException("refused", new ServerAddress("127.0.0.1", 1), new IOException("Connection refused"))}) {
      Failures.Mapped a = answer(t);
      assertEquals(503, a.status(), t::toString);
      assertEquals(expected, a.body());
      assertEquals(Map.of("Retry-After", "5"), a.headers());
      assertFalse(a.internal());
    }
    Unavailable named = new Unavailable("database-unavailable", "cluster state is kept in the database, which did not answer", 5L, timeout);
    assertEquals(503, answer(named).status());
    assertEquals("cluster state is kept in the database, which did not answer", answer(named).body().getString("message"));
    assertEquals(Map.of("Retry-After", "5"), answer(named).headers());
  }

  @Test
  @DisplayName("Anything unexpected is 500 internal, flagged to be logged, and tells the caller nothing of it")
  void unexpected() {
    Failures.Mapped a = answer(new IllegalStateException("secret internals: index 7 of /var/lib/careloop"));
    assertEquals(500, a.status());
    assertEquals(error("internal", "internal error; it has been logged"), a.body());
    assertTrue(a.internal());
    assertFalse(a.body().encode().contains("secret"));
  }

  @Test
  @DisplayName("A body the contract refuses is 400 invalid-request naming the field and the innermost reason, not the outer additionalProperties")
  void schemaReason() {
    var unit = new io.vertx.json.schema.OutputUnit(new JsonObject().put("valid", false).put("errors", new io.vertx.core.json.JsonArray()
      .add(new JsonObject().put("keywordLocation", "#/properties").put("instanceLocation", "#/caseIds").put("error", "Property \"caseIds\" does not match schema"))
      .add(new JsonObject().put("keywordLocation", "#/properties/caseIds/minItems").put("instanceLocation", "#/caseIds").put("error", "Array has too few items ( + 0 < 1)"))
      .add(new JsonObject().put("keywordLocation", "#/additionalProperties").put("instanceLocation", "#/caseIds")
        .put("error", "Property \"caseIds\" does not match additional properties schema"))));
    var refused = new io.vertx.openapi.validation.SchemaValidationException(
      "The value of the request body is invalid. Reason: Property \"caseIds\" does not match additional properties schema at #/caseIds",
      io.vertx.openapi.validation.ValidatorErrorType.INVALID_VALUE, unit, null);
    assertAnswer(400, error("invalid-request", "caseIds: Array has too few items (0 < 1)").put("field", "/caseIds"), refused);
    var extra = new io.vertx.json.schema.OutputUnit(new JsonObject().put("valid", false).put("errors", new io.vertx.core.json.JsonArray()
      .add(new JsonObject().put("keywordLocation", "#/additionalProperties").put("instanceLocation", "#/extra")
        .put("error", "Property \"extra\" does not match additional properties schema"))));
    assertAnswer(400, error("invalid-request", "extra: not allowed here (no such field)").put("field", "/extra"),
      new io.vertx.openapi.validation.SchemaValidationException("The value of the request body is invalid. Reason: x",
        io.vertx.openapi.validation.ValidatorErrorType.INVALID_VALUE, extra, null));
  }

  @Test
  @DisplayName("A body that is not JSON is 400 invalid-request")
  void notJson() {
    assertAnswer(400, error("invalid-request", "the request body is not valid JSON"), new DecodeException("Unexpected character"));
  }

  @Test
  @DisplayName("A domain failure keeps the failure that caused it, and has no HTTP status of its own")
  void causeKept() {
    NotFound missing = new NotFound("article a1");
    Invalid unknown = new Invalid("unknown-article", "no KB article a1", null, missing);
    assertSame(missing, unknown.getCause());
    assertEquals(400, answer(unknown).status(), "the outer meaning decides, not the cause");
    MongoTimeoutException timeout = new MongoTimeoutException("down");
    assertSame(timeout, new Upstream("upstream", "X failed", null, timeout).getCause());
    for (Class<?> c = Invalid.class; c != null; c = c.getSuperclass()) {
      for (var m : c.getDeclaredMethods()) assertFalse(m.getName().toLowerCase().contains("status"), c + " has " + m);
    }
  }

  @Test
  @DisplayName("A failure rebuilt from another node (the event bus) is of the same kind, code, message and details")
  void rebuilt() {
    CareLoopException e = CareLoopException.of("Conflict", "cluster-merged", "cluster c1 was merged into c2", Map.of("into", "c2"));
    assertInstanceOf(Conflict.class, e);
    assertEquals(error("cluster-merged", "cluster c1 was merged into c2").put("into", "c2"), answer(e).body());
    assertInstanceOf(NotFound.class, CareLoopException.of("NotFound", "not-found", "cluster c1 not found", Map.of()));
    assertInstanceOf(Invalid.class, CareLoopException.of("Invalid", "same-cluster", "no", null));
    assertInstanceOf(Unavailable.class, CareLoopException.of("SomethingNew", "x", "y", null));
  }
}
