package io.careloop.web;

import io.careloop.accounts.Role;
import io.careloop.accounts.UserService;
import io.careloop.audit.AuditLog;
import io.careloop.queue.AutoAssign;
import io.careloop.queue.QueueService;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.Map;

import static io.careloop.web.Http.*;

/**
 * Who a case can go to, and claims that follow the work: the agents a lead picks from (with their open load and
 * availability), each agent's own available/away mark, the lead's auto-assignment setting, and the composer's typing
 * signal that keeps the holder's claim running. Thin handlers over the accounts and the queue.
 */
public final class AssignRoutes implements Operations {
  private final UserService users;
  private final QueueService queue;
  private final AutoAssign autoAssign;
  private final AuditLog audit;
  private final Clock clock;

  public AssignRoutes(UserService users, QueueService queue, AutoAssign autoAssign, AuditLog audit, Clock clock) {
    this.users = users;
    this.queue = queue;
    this.autoAssign = autoAssign;
    this.audit = audit;
    this.clock = clock;
  }

  @Override
  public Map<String, Handler<RoutingContext>> handlers() {
    return Map.ofEntries(
      Map.entry("listAgents", this::listAgents),
      Map.entry("myAvailability", this::myAvailability),
      Map.entry("setMyAvailability", this::setMyAvailability),
      Map.entry("autoAssignSetting", this::autoAssignSetting),
      Map.entry("setAutoAssignSetting", this::setAutoAssignSetting),
      Map.entry("typingInCase", this::typingInCase));
  }

  /** Enabled users who work cases, each with how many cases they hold that wait on us, and whether they are available. */
  private void listAgents(RoutingContext ctx) {
    respond(ctx, 200, users.caseWorkers().compose(workers -> queue.loadByAssignee().map(load -> new JsonObject()
      .put("items", new JsonArray(workers.stream().map(w -> new JsonObject().put("username", w.user().username())
        .put("roles", new JsonArray(w.user().roles().stream().map(Role::wire).sorted().toList()))
        .put("openLoad", load.getOrDefault(w.user().username(), 0L))
        .put("available", w.available())).toList())))));
  }

  private void myAvailability(RoutingContext ctx) {
    respond(ctx, 200, users.availability(Access.user(ctx).username()).map(AssignRoutes::availability));
  }

  /** Audited under the user's own name: who marked themselves available or away, and when. */
  private void setMyAvailability(RoutingContext ctx) {
    String me = Access.user(ctx).username();
    respond(ctx, 200, users.setAvailability(me, body(ctx).getBoolean("available")).compose(change ->
      audited(audit, ctx, "availability.changed", me, availability(change.before()), availability(change.after()))));
  }

  private static JsonObject availability(UserService.Availability a) {
    return new JsonObject().put("available", a.available()).put("changedAt", a.changedAt() == null ? null : a.changedAt().toString());
  }

  private void autoAssignSetting(RoutingContext ctx) {
    respond(ctx, 200, autoAssign.setting().map(AssignRoutes::setting));
  }

  /** A field left out keeps its stored value; the range was checked by the contract, and again by the setting itself. */
  private void setAutoAssignSetting(RoutingContext ctx) {
    JsonObject body = body(ctx);
    respond(ctx, 200, autoAssign.setting()
      .compose(now -> autoAssign.change(new AutoAssign.Setting(body.getBoolean("enabled", now.enabled()),
        body.getInteger("maxOpenPerAgent", now.maxOpenPerAgent())), Access.user(ctx).username()))
      .map(AssignRoutes::setting));
  }

  private static JsonObject setting(AutoAssign.Setting s) {
    return new JsonObject().put("enabled", s.enabled()).put("maxOpenPerAgent", s.maxOpenPerAgent());
  }

  /** The holder types in the composer: their claim runs another idle period. Anyone else's typing changes nothing. */
  private void typingInCase(RoutingContext ctx) {
    respond(ctx, 200, queue.renewClaim(caseId(ctx), Access.user(ctx).username()).map(c -> new JsonObject()
      .put("state", c.state().wire()).put("assignee", c.assignee())
      .put("claimExpiresAt", CaseJson.iso(c.claimExpiresAt())).put("serverTime", clock.instant().toString())));
  }
}
