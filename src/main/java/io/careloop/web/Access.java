package io.careloop.web;

import io.careloop.accounts.Role;
import io.careloop.accounts.UserService.User;
import io.careloop.errors.Forbidden;
import io.careloop.errors.Unauthenticated;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Who is calling, checked on the server for every route: the session's user, the roles the route allows
 * (admin passes everywhere), the absolute session lifetime, and the CSRF token of state-changing requests.
 */
public final class Access {
  static final String USER = "user";
  static final String ROLES = "roles";
  static final String CSRF = "csrf";
  static final String LOGIN_AT = "loginAt";
  static final String EPOCH = "epoch";
  static final String CSRF_HEADER = "X-CSRF-Token";
  private static final String CURRENT = "careloop.user";

  private final Clock clock;
  private final Duration absoluteLifetime;
  private final io.careloop.accounts.UserService users;
  private final SecureRandom random = new SecureRandom();

  public Access(Clock clock, Duration absoluteLifetime, io.careloop.accounts.UserService users) {
    this.clock = clock;
    this.absoluteLifetime = absoluteLifetime;
    this.users = users;
  }

  /**
   * A route handler that lets through only a signed-in user holding one of {@code roles}. The account is read on every
   * request, so disabling a user, changing their roles or their password takes effect at once.
   */
  public io.vertx.core.Handler<RoutingContext> require(List<Role> roles) {
    return ctx -> {
      User claimed = sessionUser(ctx);
      if (claimed == null) {
        ctx.fail(new Unauthenticated("sign in first"));
        return;
      }
      Long epoch = ctx.session().get(EPOCH);
      users.current(claimed.username(), epoch == null ? -1 : epoch).onSuccess(current -> {
        if (current.isEmpty()) {
          ctx.session().destroy();
          ctx.fail(new Unauthenticated("your session has ended; sign in again"));
          return;
        }
        User user = current.get();
        if (roles.stream().noneMatch(user::has)) {
          ctx.fail(new Forbidden("your roles do not allow this"));
          return;
        }
        if (changesState(ctx.request().method()) && !csrfMatches(ctx)) {
          ctx.fail(new Forbidden("csrf", "missing or wrong " + CSRF_HEADER + " header"));
          return;
        }
        ctx.put(CURRENT, user);
        ctx.next();
      }).onFailure(ctx::fail);
    };
  }

  public static User user(RoutingContext ctx) { return ctx.get(CURRENT); }

  /** Starts a fresh session for the user (new id against fixation); returns its CSRF token. */
  public String signIn(RoutingContext ctx, User user, long epoch) {
    Session session = ctx.session();
    session.regenerateId();
    byte[] token = new byte[32];
    random.nextBytes(token);
    String csrf = Base64.getUrlEncoder().withoutPadding().encodeToString(token);
    session.put(USER, user.username());
    session.put(ROLES, user.rolesJson().encode());
    session.put(CSRF, csrf);
    session.put(LOGIN_AT, clock.millis());
    session.put(EPOCH, epoch);
    return csrf;
  }

  public static String csrfToken(RoutingContext ctx) { return ctx.session().get(CSRF); }

  private User sessionUser(RoutingContext ctx) {
    Session session = ctx.session();
    if (session == null || session.get(USER) == null) return null;
    Long loginAt = session.get(LOGIN_AT);
    if (loginAt == null || Instant.ofEpochMilli(loginAt).plus(absoluteLifetime).isBefore(clock.instant())) {
      session.destroy();
      return null;
    }
    Set<Role> roles = new LinkedHashSet<>();
    new JsonArray((String) session.get(ROLES)).forEach(r -> roles.add(Role.fromWire(String.valueOf(r))));
    return new User(session.get(USER), Set.copyOf(roles));
  }

  private static boolean changesState(HttpMethod method) {
    return !(method == HttpMethod.GET || method == HttpMethod.HEAD || method == HttpMethod.OPTIONS);
  }

  private static boolean csrfMatches(RoutingContext ctx) {
    String expected = ctx.session().get(CSRF);
    String given = ctx.request().getHeader(CSRF_HEADER);
    return expected != null && given != null
      && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
  }
}
