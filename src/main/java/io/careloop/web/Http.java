package io.careloop.web;

import io.careloop.audit.AuditLog;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.RequestParameter;
import io.vertx.openapi.validation.ValidatedRequest;

/** What every route class shares: the validated request, JSON answers, and recording changes in the audit log. */
final class Http {
  static final String VALIDATED = "careloop.validated";

  private Http() {}

  /** Records the change in the audit log once it has happened. */
  static Future<JsonObject> audited(AuditLog audit, RoutingContext ctx, String action, String target, Object before, JsonObject after) {
    return audit.record(Access.user(ctx).username(), action, target, before, after).map(after);
  }

  static String caseId(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    return v.getPathParameters().get("id").getString();
  }

  static JsonObject body(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    return v.getBody().getJsonObject();
  }

  static String string(RequestParameter p) {
    return p == null || p.isNull() ? null : p.getString();
  }

  static void respond(RoutingContext ctx, int status, Future<JsonObject> result) {
    Answer.after(ctx, result, body -> json(ctx, status, body));
  }

  static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response().setStatusCode(status).putHeader("content-type", "application/json; charset=utf-8")
      .putHeader("cache-control", "no-store").end(body.encode());
  }
}
