package io.careloop.web;

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
import io.careloop.store.MongoErrors;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * The one place where failures become HTTP answers: a status and {@code {"error", "message"}} plus the failure's
 * details. The domain says what happened ({@link CareLoopException} and its kinds); only this class decides what that
 * is in HTTP. A database that does not answer is 503 {@code database-unavailable} wherever it shows. Internals (stack
 * traces, driver messages) go to the log with the cause, never to the caller.
 */
public final class Failures {
  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  /** Seconds a caller waits before trying again while the database is away (the console polls meanwhile). */
  static final long DATABASE_RETRY_SECONDS = 5;

  private Failures() {}

  /** What a failure answers: status, body, extra headers; {@code internal} when it is nothing we know (log it). */
  record Mapped(int status, JsonObject body, Map<String, String> headers, boolean internal) {}

  public static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    Mapped answer = failure == null ? bare(ctx.statusCode())
      : failure instanceof SchemaValidationException refused ? refusedBody(refused, ctx) : answer(failure);
    if (answer.internal()) {
      log.error("Unhandled failure on {} {}", ctx.request().method(), ctx.normalizedPath(), failure);
    } else if (answer.status() == 503) {
      log.warn("Unavailable on {} {}", ctx.request().method(), ctx.normalizedPath(), failure);
    }
    if (ctx.response().ended()) return;
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    answer.headers().forEach(ctx.response()::putHeader);
    ctx.response().setStatusCode(answer.status()).putHeader("content-type", "application/json; charset=utf-8").end(answer.body().encode());
  }

  /** The answer to a failure: the mapping from what happened to HTTP, in one place. */
  static Mapped answer(Throwable failure) {
    if (failure instanceof CareLoopException e) {
      JsonObject body = new JsonObject();
      e.details().forEach(body::put);
      body.put("error", e.code()).put("message", e.getMessage());
      Map<String, String> headers = Map.of();
      if (e instanceof TooManyAttempts t) headers = Map.of("Retry-After", String.valueOf(t.retryAfterSeconds()));
      if (e instanceof Unavailable u && u.retryAfterSeconds().isPresent()) headers = Map.of("Retry-After", String.valueOf(u.retryAfterSeconds().getAsLong()));
      return new Mapped(status(e), body, headers, false);
    }
    if (failure instanceof SchemaValidationException e) {
      return new Mapped(400, SchemaRefusal.describe(e, null), Map.of(), false);
    }
    if (failure instanceof ValidatorException) {
      return new Mapped(400, error("invalid-request", failure.getMessage()), Map.of(), false);
    }
    if (failure instanceof DecodeException) {
      return new Mapped(400, error("invalid-request", "the request body is not valid JSON"), Map.of(), false);
    }
    if (MongoErrors.isUnavailable(failure)) {
      // Nothing was changed: the caller can try again once the database is back (the console says so meanwhile).
      return new Mapped(503, error("database-unavailable", "the database cannot be reached; nothing was changed, try again shortly"),
        Map.of("Retry-After", String.valueOf(DATABASE_RETRY_SECONDS)), false);
    }
    return new Mapped(500, error("internal", "internal error; it has been logged"), Map.of(), true);
  }

  /** A body the contract refuses: 400 naming the field and the value given ({@link SchemaRefusal}). */
  private static Mapped refusedBody(SchemaValidationException refused, RoutingContext ctx) {
    Object body = null;
    try {
      body = ctx.body() == null || ctx.body().length() <= 0 ? null : io.vertx.core.json.Json.decodeValue(ctx.body().buffer());
    } catch (RuntimeException notJson) {
      // The validator refused it before it could be read as JSON: the answer names the place without the value.
    }
    return new Mapped(400, SchemaRefusal.describe(refused, body), Map.of(), false);
  }

  /** The status of each kind of failure. */
  static int status(CareLoopException e) {
    if (e instanceof Invalid) return 400;
    if (e instanceof Unauthenticated) return 401;
    if (e instanceof Forbidden) return 403;
    if (e instanceof NotFound) return 404;
    if (e instanceof Conflict) return 409;
    // A name the caller sent that no one can take the case under is bad input to fix, like any other (issue #21).
    if (e instanceof Ineligible) return 400;
    if (e instanceof TooManyAttempts) return 429;
    if (e instanceof Upstream) return 502;
    if (e instanceof Unavailable) return 503;
    // Sealed: a new kind is added to CareLoopException's permits list, and here.
    throw new IllegalStateException("no status for " + e.kind());
  }

  /** A route failed with a status and no exception ({@code ctx.fail(404)}, a body too large): 4xx as such, else 500. */
  private static Mapped bare(int status) {
    if (status >= 400 && status < 500) return new Mapped(status, error(statusCode(status), statusMessage(status)), Map.of(), false);
    return new Mapped(500, error("internal", "internal error; it has been logged"), Map.of(), true);
  }

  private static JsonObject error(String code, String message) {
    return new JsonObject().put("error", code).put("message", message);
  }

  private static String statusCode(int status) {
    return switch (status) {
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 413 -> "too-large";
      case 415 -> "unsupported-media-type";
      default -> "bad-request";
    };
  }

  private static String statusMessage(int status) {
    return switch (status) {
      case 404 -> "no such resource";
      case 405 -> "method not allowed here";
      case 413 -> "request body too large";
      case 415 -> "send application/json";
      default -> "bad request";
    };
  }
}
