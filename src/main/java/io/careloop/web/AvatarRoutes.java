package io.careloop.web;

import io.careloop.errors.NotFound;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.validation.ValidatedRequest;

import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Authors' profile images from CareLoop's own origin ({@code GET /api/avatars/{authorId}}), so the console's CSP keeps
 * {@code img-src 'self'}. The bytes are X's, so hostile: every answer is sandboxed by its own CSP and never sniffed,
 * which keeps an SVG's script (if any) from running even when the image is opened on its own.
 */
public final class AvatarRoutes implements Operations {
  /** What an image answer's CSP allows: nothing but an SVG's inline styles; sandboxed, so no script and no same origin. */
  static final String IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

  private final Function<String, Future<Optional<String>>> storedUrl;
  private final Avatars avatars;

  /** {@code storedUrl}: the profile image URL stored for an author, as intake read it. */
  public AvatarRoutes(Function<String, Future<Optional<String>>> storedUrl, Avatars avatars) {
    this.storedUrl = storedUrl;
    this.avatars = avatars;
  }

  @Override
  public Map<String, Handler<RoutingContext>> handlers() {
    return Map.of("getAvatar", this::avatar);
  }

  private void avatar(RoutingContext ctx) {
    ValidatedRequest v = ctx.get(Http.VALIDATED);
    String authorId = v.getPathParameters().get("authorId").getString();
    Future<Avatars.Image> image = storedUrl.apply(authorId).compose(url -> url
      .map(u -> avatars.image(authorId, u))
      .orElseGet(() -> Future.failedFuture(new NotFound("not-found", "no avatar for author " + authorId, null))));
    Answer.after(ctx, image, img -> ctx.response().setStatusCode(200)
      .putHeader("Content-Type", img.contentType())
      .putHeader("Cache-Control", "private, max-age=3600")
      .putHeader("Content-Security-Policy", IMAGE_CSP)
      .putHeader("X-Content-Type-Options", "nosniff")
      .putHeader("Content-Disposition", "inline")
      .end(io.vertx.core.buffer.Buffer.buffer(img.bytes())));
  }
}
