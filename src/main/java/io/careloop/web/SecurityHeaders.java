package io.careloop.web;

import io.vertx.ext.web.handler.PlatformHandler;
import io.vertx.ext.web.RoutingContext;

/** Headers of the security baseline on every response (PRODUCT.md section 3). */
public final class SecurityHeaders implements PlatformHandler {
  static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    + "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

  private final boolean tls;

  public SecurityHeaders(boolean tls) { this.tls = tls; }

  @Override
  public void handle(RoutingContext ctx) {
    var h = ctx.response().headers();
    h.set("Content-Security-Policy", CSP);
    h.set("X-Content-Type-Options", "nosniff");
    h.set("Referrer-Policy", "strict-origin-when-cross-origin");
    h.set("X-Frame-Options", "DENY");
    if (tls) h.set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    ctx.next();
  }
}
