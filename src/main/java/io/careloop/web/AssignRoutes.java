package io.careloop.web;

import io.careloop.accounts.Role;
import io.careloop.accounts.UserService;
import io.careloop.queue.QueueService;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.time.Clock;
import java.util.Map;

import static io.careloop.web.Http.*;

/**
 * Who a case can go to, and claims that follow the work: the agents a lead picks from (with their open load), and
 * the composer's typing signal that keeps the holder's claim running. Thin handlers over the accounts and the queue.
 */
public final class AssignRoutes implements Operations {
  private final UserService users;
  private final QueueService queue;
  private final Clock clock;

  public AssignRoutes(UserService users, QueueService queue, Clock clock) {
    this.users = users;
    this.queue = queue;
    this.clock = clock;
  }

  @Override
  public Map<String, Handler<RoutingContext>> handlers() {
    return Map.ofEntries(
      Map.entry("listAgents", this::listAgents),
      Map.entry("typingInCase", this::typingInCase));
  }

  /** Enabled users who work cases, each with how many cases they hold that wait on us. */
  private void listAgents(RoutingContext ctx) {
    respond(ctx, 200, users.enabledCaseWorkers().compose(workers -> queue.loadByAssignee().map(load -> new JsonObject()
      .put("items", new JsonArray(workers.stream().map(u -> new JsonObject().put("username", u.username())
        .put("roles", new JsonArray(u.roles().stream().map(Role::wire).sorted().toList()))
        .put("openLoad", load.getOrDefault(u.username(), 0L))).toList())))));
  }

  /** The holder types in the composer: their claim runs another idle period. Anyone else's typing changes nothing. */
  private void typingInCase(RoutingContext ctx) {
    respond(ctx, 200, queue.renewClaim(caseId(ctx), Access.user(ctx).username()).map(c -> new JsonObject()
      .put("state", c.state().wire()).put("assignee", c.assignee())
      .put("claimExpiresAt", CaseJson.iso(c.claimExpiresAt())).put("serverTime", clock.instant().toString())));
  }
}
