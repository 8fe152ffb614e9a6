package io.careloop.web;

import io.careloop.audit.AuditLog;
import io.careloop.queue.CaseSafety;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

import static io.careloop.web.Http.*;

/** Taking a close back: undo a dismiss or resolve within seconds, or reopen a closed case. Both audited. */
public final class SafetyRoutes implements Operations {
  private final CaseSafety safety;
  private final AuditLog audit;

  public SafetyRoutes(CaseSafety safety, AuditLog audit) {
    this.safety = safety;
    this.audit = audit;
  }

  @Override
  public Map<String, Handler<RoutingContext>> handlers() {
    return Map.of("undoClose", this::undoClose, "reopenCase", this::reopenCase);
  }

  /** A close's answer: the case, and the token that undoes it for a few seconds ({@code POST /api/cases/{id}/undo}). */
  static JsonObject withUndo(io.careloop.queue.QueueService.Closed closed) {
    return CaseJson.view(closed.after()).put("undo", new JsonObject().put("token", closed.undo())
      .put("expiresAt", closed.undoExpiresAt().toString()));
  }

  private void undoClose(RoutingContext ctx) {
    respond(ctx, 200, CaseActions.undo(safety, audit, Access.user(ctx).username(), caseId(ctx), body(ctx).getString("token")));
  }

  private void reopenCase(RoutingContext ctx) {
    respond(ctx, 200, safety.reopen(caseId(ctx), Access.user(ctx).username()).map(CaseJson::view)
      .compose(c -> audited(audit, ctx, "case.reopened", c.getString("id"), null, new JsonObject().put("state", c.getString("state"))).map(c)));
  }
}
