package io.careloop.web;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.MimeMapping;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;

import java.time.Clock;
import java.util.Set;

/**
 * What RFC 9110 asks of every answer, in one place rather than in each route:
 * <ul>
 *   <li>a {@code Date} header in IMF-fixdate (§6.6.1), and any {@code Last-Modified} a handler or a library set (the
 *   static handler writes a one-digit day) rewritten in IMF-fixdate;</li>
 *   <li>HEAD wherever GET is answered (§9.3.2): {@link #headWhereGet} lets every GET route take HEAD too, so a HEAD
 *   runs the very handler GET runs and gets its status and headers; Vert.x sends no body for a HEAD, and the
 *   {@code Content-Length} GET would have carried is set here (Vert.x sets it only for GET).</li>
 * </ul>
 */
public final class HttpStandard implements PlatformHandler {
  /** GET routes that stream without end (Server-Sent Events): a HEAD there would hold the connection open. */
  static final Set<String> STREAMS = Set.of("/api/events");

  private final Clock clock;

  public HttpStandard(Clock clock) { this.clock = clock; }

  @Override
  public void handle(RoutingContext ctx) {
    boolean head = ctx.request().method() == HttpMethod.HEAD;
    // Runs as the head is written, after every handler's headers (end handlers run last-added first, and this one
    // is added before any route's).
    ctx.addHeadersEndHandler(v -> {
      HttpServerResponse response = ctx.response();
      var headers = response.headers();
      headers.set(HttpHeaders.DATE, HttpDate.format(clock.instant()));
      String lastModified = headers.get(HttpHeaders.LAST_MODIFIED);
      if (lastModified != null) {
        HttpDate.parse(lastModified).ifPresentOrElse(t -> headers.set(HttpHeaders.LAST_MODIFIED, HttpDate.format(t)),
          () -> headers.remove(HttpHeaders.LAST_MODIFIED));
      }
      // For a HEAD, Vert.x has counted the bytes of the body it will not send (end(body) counts them before the head
      // is written). A streamed (chunked) answer is never HEAD here: STREAMS are left GET-only.
      if (head && hasBody(response.getStatusCode()) && !headers.contains(HttpHeaders.CONTENT_LENGTH)) {
        headers.set(HttpHeaders.CONTENT_LENGTH, String.valueOf(response.bytesWritten()));
      }
    });
    ctx.next();
  }

  private static boolean hasBody(int status) {
    return status >= 200 && status != 204 && status != 304;
  }

  /**
   * Put before Vert.x's static handler: it answers HEAD itself, with GET's length but without GET's Content-Type
   * (it sets the type only where it sends the file). The same type as GET's, set as the head is written when the
   * file was found: the type of the name, text in UTF-8, as the static handler writes it.
   */
  public static void staticHeadType(RoutingContext ctx) {
    if (ctx.request().method() == HttpMethod.HEAD) {
      String path = ctx.normalizedPath();
      String file = path.endsWith("/") ? path + "index.html" : path;
      ctx.addHeadersEndHandler(v -> {
        var headers = ctx.response().headers();
        int status = ctx.response().getStatusCode();
        String type = MimeMapping.mimeTypeForFilename(file);
        if ((status == 200 || status == 206) && type != null && !headers.contains(HttpHeaders.CONTENT_TYPE)) {
          headers.set(HttpHeaders.CONTENT_TYPE, type.startsWith("text") ? type + ";charset=UTF-8" : type);
        }
      });
    }
    ctx.next();
  }

  /** Adds HEAD to every GET route of the router (call once all routes are mounted), but to {@link #STREAMS}. */
  public static void headWhereGet(Router router) {
    for (Route route : router.getRoutes()) {
      Set<HttpMethod> methods = route.methods();
      if (methods != null && methods.contains(HttpMethod.GET) && !methods.contains(HttpMethod.HEAD) && !STREAMS.contains(route.getPath())) {
        route.method(HttpMethod.HEAD);
      }
    }
  }
}
