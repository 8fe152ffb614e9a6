package io.careloop.web;

import io.careloop.errors.Unauthenticated;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Guards {@code /metrics} and {@code /health/cluster}, which name the nodes and the brand's X user id: when
 * {@code CARELOOP_METRICS_TOKEN} is set they need {@code Authorization: Bearer <token>}; unset, they stay open for
 * probes on a private network (liveness and readiness always do, they tell nothing). The comparison is of SHA-256
 * digests with {@link MessageDigest#isEqual}, so its time says nothing about how much of a guess was right, nor
 * about the token's length.
 */
final class OperatorToken implements Handler<RoutingContext> {
  private static final String SCHEME = "bearer ";
  private final byte[] expected;

  private OperatorToken(String token) {
    this.expected = token == null ? null : sha256(token);
  }

  static OperatorToken of(String token) { return new OperatorToken(token); }

  @Override public void handle(RoutingContext ctx) {
    if (expected == null || matches(ctx.request().getHeader("Authorization"))) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"careloop-operations\"");
    ctx.fail(new Unauthenticated("this endpoint needs Authorization: Bearer with the operations token (CARELOOP_METRICS_TOKEN)"));
  }

  boolean matches(String authorization) {
    if (authorization == null || authorization.length() <= SCHEME.length()
      || !authorization.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) return false;
    return MessageDigest.isEqual(expected, sha256(authorization.substring(SCHEME.length()).trim()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
