package io.careloop.web;

import io.careloop.audit.AuditLog;
import io.careloop.accounts.LoginThrottle;
import io.careloop.accounts.DeviceCookies;
import io.careloop.accounts.UserService;
import io.careloop.errors.Invalid;
import io.careloop.errors.Invalid;
import io.careloop.errors.TooManyAttempts;
import io.careloop.errors.Unauthenticated;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.ValidatedRequest;

import java.util.List;
import java.util.Map;

import static io.careloop.web.Http.*;

/** Signing in and out, and staff accounts. Thin handlers: the contract has validated the input, one service call does the work. */
public final class AccountRoutes implements Operations {
  /** One key per node, made at start: see {@link DeviceCookies}. */
  private static final DeviceCookies devices = new DeviceCookies();
  private final UserService users;
  private final LoginThrottle throttle;
  private final AuditLog audit;
  private final Access access;

  public AccountRoutes(UserService users, LoginThrottle throttle, AuditLog audit, Access access) {
    this.users = users;
    this.throttle = throttle;
    this.audit = audit;
    this.access = access;
  }

  @Override
  public Map<String, Handler<RoutingContext>> handlers() {
    return Map.ofEntries(
      Map.entry("login", this::login),
      Map.entry("logout", this::logout),
      Map.entry("me", this::me),
      Map.entry("listUsers", this::listUsers),
      Map.entry("createUser", this::createUser),
      Map.entry("updateUser", this::updateUser),
      Map.entry("resetPassword", this::resetPassword),
      Map.entry("changeOwnPassword", this::changeOwnPassword));
  }

  private void login(RoutingContext ctx) {
    JsonObject body = body(ctx);
    Answer.after(ctx, checkPassword(ctx, body.getString("username"), body.getString("password"))
      .compose(user -> users.epoch(user.username()).map(epoch -> new JsonObject().put("user", user.username())
        .put("roles", user.rolesJson()).put("csrfToken", access.signIn(ctx, user, epoch)))),
      signedIn -> json(ctx, 200, signedIn));
  }

  /**
   * Every password check goes through the throttle, sign-in and the own-password change alike (else the change would
   * be an unthrottled oracle for whoever holds a session). The attempt is reserved before the check, so parallel
   * guesses count against each other, and settled by the outcome: only a wrong password, an unknown or a disabled
   * account is a failure. Refused: 429 with Retry-After.
   */
  private Future<UserService.User> checkPassword(RoutingContext ctx, String username, String password) {
    io.vertx.core.http.Cookie cookie = ctx.request().getCookie(DeviceCookies.NAME);
    DeviceCookies.Device device = devices.of(cookie == null ? null : cookie.getValue(), username);
    LoginThrottle.Admission admission = throttle.admit(username, ClientAddress.of(ctx), device.id(), device.verified());
    if (admission instanceof LoginThrottle.Refused refused) {
      long seconds = Math.max(1, (refused.retryAfter().toMillis() + 999) / 1000);
      return Future.failedFuture(new TooManyAttempts("too many sign-in attempts; try again in " + seconds + " s", seconds));
    }
    LoginThrottle.Attempt attempt = (LoginThrottle.Attempt) admission;
    // Through compose, so even a check that throws at once settles the reservation.
    return Future.<Void>succeededFuture().compose(v -> users.authenticate(username, password))
      .andThen(ar -> {
        if (ar.succeeded()) {
          attempt.succeeded();
          rememberDevice(ctx, device, username);
        } else if (ar.cause() instanceof Unauthenticated) {
          attempt.failed();
        } else {
          attempt.abandoned();
        }
      });
  }

  /**
   * The browser keeps its device cookie for 30 days (as long as a known place is known), sent only to sign-in and the
   * password change; Secure when the request came over TLS, here or at the proxy.
   */
  private static void rememberDevice(RoutingContext ctx, DeviceCookies.Device device, String username) {
    boolean tls = ctx.request().isSSL() || "https".equalsIgnoreCase(ctx.request().getHeader("X-Forwarded-Proto"));
    ctx.response().addCookie(io.vertx.core.http.Cookie.cookie(DeviceCookies.NAME, devices.value(device, username))
      .setPath("/api").setHttpOnly(true).setSecure(tls).setSameSite(io.vertx.core.http.CookieSameSite.STRICT)
      .setMaxAge(LoginThrottle.KNOWN_FOR.toSeconds()));
  }

  private void logout(RoutingContext ctx) {
    // Every node's event streams of this session end with it.
    ctx.vertx().eventBus().publish(LiveEvents.SESSION_ENDED, ctx.session().id());
    ctx.session().destroy();
    ctx.response().setStatusCode(204).end();
  }

  private void me(RoutingContext ctx) {
    UserService.User user = Access.user(ctx);
    json(ctx, 200, new JsonObject().put("user", user.username()).put("roles", user.rolesJson()).put("csrfToken", Access.csrfToken(ctx)));
  }

  private void listUsers(RoutingContext ctx) {
    respond(ctx, 200, users.list().map(list -> new JsonObject().put("items", new JsonArray(list))));
  }

  private void createUser(RoutingContext ctx) {
    JsonObject body = body(ctx);
    List<String> roles = body.getJsonArray("roles").stream().map(String::valueOf).toList();
    respond(ctx, 201, users.create(body.getString("username"), body.getString("password"), roles)
      .map(u -> new JsonObject().put("username", u.username()).put("roles", u.rolesJson()))
      .compose(u -> audited(audit, ctx, "user.created", u.getString("username"), null, u)));
  }

  private void updateUser(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    String username = v.getPathParameters().get("username").getString();
    JsonObject b = body(ctx);
    List<String> roles = b.getJsonArray("roles") == null ? null : b.getJsonArray("roles").stream().map(String::valueOf).toList();
    respond(ctx, 200, users.update(username, roles, b.getBoolean("disabled"))
      .compose(after -> audited(audit, ctx, "user.updated", after.getString("username"), null, after)));
  }

  private void resetPassword(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(VALIDATED);
    String username = v.getPathParameters().get("username").getString();
    Answer.after(ctx, users.setPassword(username, body(ctx).getString("password"))
      .compose(stored -> audited(audit, ctx, "user.password-reset", stored, null, null)),
      x -> ctx.response().setStatusCode(204).end());
  }

  /** The user's own change: the old password is checked, other sessions end, this one is renewed. */
  private void changeOwnPassword(RoutingContext ctx) {
    UserService.User me = Access.user(ctx);
    JsonObject b = body(ctx);
    Answer.after(ctx, checkPassword(ctx, me.username(), b.getString("currentPassword"))
      // Only a wrong password is the caller's mistake; anything else (the database away) passes as it is.
      .recover(e -> Future.failedFuture(e instanceof Unauthenticated
        ? new Invalid("wrong-password", "the current password is not right", null, e) : e))
      .compose(u -> users.setPassword(me.username(), b.getString("newPassword")))
      .compose(x -> users.epoch(me.username()))
      .compose(epoch -> audited(audit, ctx, "user.password-changed", me.username(), null, null).map(epoch)),
      epoch -> json(ctx, 200, new JsonObject().put("user", me.username()).put("roles", me.rolesJson())
        .put("csrfToken", access.signIn(ctx, me, epoch))));
  }
}
