package io.careloop.web;

import io.careloop.errors.Problem;
import io.careloop.store.MongoErrors;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.SchemaValidationException;
import io.vertx.openapi.validation.ValidatorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where failures become HTTP answers: a status and {@code {"error", "message"}}. Internals (stack
 * traces, driver messages) go to the log with the cause, never to the caller.
 */
public final class Failures {
  private static final Logger log = LoggerFactory.getLogger(Failures.class);

  private Failures() {}

  public static void handle(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    int status;
    JsonObject body;
    if (failure instanceof Problem p) {
      status = p.status();
      body = p.details().copy().put("error", p.code()).put("message", p.getMessage());
    } else if (failure instanceof SchemaValidationException e) {
      status = 400;
      body = error("invalid-request", e.getMessage());
    } else if (failure instanceof ValidatorException e) {
      status = 400;
      body = error("invalid-request", e.getMessage());
    } else if (failure instanceof DecodeException) {
      status = 400;
      body = error("invalid-request", "the request body is not valid JSON");
    } else if (MongoErrors.isUnavailable(failure)) {
      // Nothing was changed: the caller can try again once the database is back (the console says so meanwhile).
      status = 503;
      body = error("database-unavailable", "the database cannot be reached; nothing was changed, try again shortly");
      ctx.response().putHeader("retry-after", "5");
      log.warn("Database unavailable on {} {}: {}", ctx.request().method(), ctx.normalizedPath(), failure.toString());
    } else if (failure == null && ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
      status = ctx.statusCode();
      body = error(statusCode(status), statusMessage(status));
    } else {
      status = 500;
      body = error("internal", "internal error; it has been logged");
      log.error("Unhandled failure on {} {}", ctx.request().method(), ctx.normalizedPath(), failure);
    }
    if (ctx.response().ended()) return;
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8").end(body.encode());
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
