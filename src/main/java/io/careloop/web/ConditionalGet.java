package io.careloop.web;

import io.careloop.text.Hashes;
import io.vertx.ext.web.RoutingContext;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;

/**
 * The public pages' caching: an ETag (a hash of the bytes), a Last-Modified date and a minute of public caching on
 * every answer, and 304 without a body when the client's copy is current (RFC 9110 §13.1: If-None-Match first;
 * If-Modified-Since only when the request has no If-None-Match).
 */
final class ConditionalGet {
  static final String CACHE_CONTROL = "public, max-age=60";

  private ConditionalGet() {}

  /** Sends 304 or the body with status 200. True when the body was sent (false for a 304). */
  static boolean answer(RoutingContext ctx, String contentType, String body, Instant lastModified) {
    String etag = "\"" + Hashes.sha256Hex(body).substring(0, 32) + "\"";
    Instant modified = lastModified.truncatedTo(ChronoUnit.SECONDS);
    var response = ctx.response().putHeader("ETag", etag)
      .putHeader("Last-Modified", HttpDate.format(modified))
      .putHeader("Cache-Control", CACHE_CONTROL);
    String ifNoneMatch = ctx.request().getHeader("If-None-Match");
    String ifModifiedSince = ctx.request().getHeader("If-Modified-Since");
    boolean fresh = ifNoneMatch != null ? Arrays.stream(ifNoneMatch.split(",")).map(String::trim)
        .anyMatch(t -> t.equals(etag) || t.equals("W/" + etag) || t.equals("*"))
      : ifModifiedSince != null && HttpDate.parse(ifModifiedSince).map(since -> !modified.isAfter(since)).orElse(false);
    if (fresh) {
      response.setStatusCode(304).end();
      return false;
    }
    response.setStatusCode(200).putHeader("content-type", contentType).end(body);
    return true;
  }
}
