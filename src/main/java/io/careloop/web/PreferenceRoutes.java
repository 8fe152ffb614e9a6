package io.careloop.web;

import io.careloop.accounts.UserService;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.util.Map;

import static io.careloop.web.Http.*;

/** A signed-in user's own console settings (single-key shortcuts on or off, WCAG 2.1.4). */
public final class PreferenceRoutes implements Operations {
  private final UserService users;

  public PreferenceRoutes(UserService users) {
    this.users = users;
  }

  @Override
  public Map<String, Handler<RoutingContext>> handlers() {
    return Map.of("myPreferences", this::myPreferences, "setMyPreferences", this::setMyPreferences);
  }

  private void myPreferences(RoutingContext ctx) {
    respond(ctx, 200, users.preferences(Access.user(ctx).username()));
  }

  private void setMyPreferences(RoutingContext ctx) {
    respond(ctx, 200, users.setPreferences(Access.user(ctx).username(), body(ctx)));
  }
}
