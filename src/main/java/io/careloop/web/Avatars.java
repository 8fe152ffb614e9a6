package io.careloop.web;

import io.careloop.errors.NotFound;
import io.careloop.errors.Upstream;
import io.careloop.x.AvatarUrls;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Authors' profile images, fetched from X on the server and kept in memory, so the console shows them from its own
 * origin and its CSP ({@code img-src 'self'}) holds. Only URLs {@link AvatarUrls} allows are fetched, without following
 * redirects, within {@link #TIMEOUT} and {@link #MAX_BYTES}, and only raster images or SVG (which the route serves
 * sandboxed). Everything runs on Vert.x's non-blocking client: nothing here blocks the event loop.
 */
public final class Avatars {
  static final Duration TIMEOUT = Duration.ofSeconds(3);
  static final int MAX_BYTES = 256 * 1024;
  static final int MAX_ENTRIES = 500;
  /** The cache's bytes at most: 500 pictures of 256 KB would be 128 MB of heap; X's are 2–5 KB, so this is ample. */
  static final long MAX_CACHED_BYTES = 16L * 1024 * 1024;
  static final Duration KEPT = Duration.ofHours(1);
  public static final String SVG = "image/svg+xml";
  static final Set<String> TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp", SVG);

  /** An image as served: its media type (one of {@link #TYPES}) and its bytes. */
  public record Image(String contentType, byte[] bytes) {}

  private record Kept(String url, Image image, Instant until) {}

  private final Vertx vertx;
  private final HttpClient client;
  private final AvatarUrls allowed;
  private final Clock clock;
  /** Least recently used first; locked, since the HTTP server may run on more than one event loop. */
  private final LinkedHashMap<String, Kept> cache = new LinkedHashMap<>(64, 0.75f, true);
  private long cachedBytes;
  /** One fetch per author at a time: a queue page shows the same author many times. */
  private final Map<String, Future<Image>> fetching = new HashMap<>();

  public Avatars(Vertx vertx, AvatarUrls allowed, Clock clock) {
    this.vertx = vertx;
    this.allowed = allowed;
    this.clock = clock;
    this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) TIMEOUT.toMillis())
      .setKeepAlive(true));
  }

  /**
   * The image at {@code url} for this author, from memory when fetched within the hour. Fails with {@link NotFound} when
   * the URL is not one CareLoop fetches (it is never requested), with {@link Upstream} {@code avatar-unavailable} when
   * X does not give a usable image in time.
   */
  public Future<Image> image(String authorId, String url) {
    if (allowed.allowed(url) == null) return Future.failedFuture(new NotFound("not-found", "no avatar for author " + authorId, null));
    Instant now = clock.instant();
    synchronized (this) {
      Kept kept = cache.get(authorId);
      if (kept != null && kept.url().equals(url) && kept.until().isAfter(now)) return Future.succeededFuture(kept.image());
      Future<Image> running = fetching.get(authorId);
      if (running != null) return running;
      Future<Image> fetch = fetch(authorId, url).andThen(ar -> {
        synchronized (this) {
          fetching.remove(authorId);
          if (ar.succeeded()) keep(authorId, new Kept(url, ar.result(), clock.instant().plus(KEPT)));
        }
      });
      // The fetch starts on a later turn of the event loop, so it cannot have completed yet; the check is cheap insurance
      // against an entry that would never be removed.
      if (!fetch.isComplete()) fetching.put(authorId, fetch);
      return fetch;
    }
  }

  /** Kept, and the least recently used let go while there are too many or they weigh too much. Called locked. */
  private void keep(String authorId, Kept kept) {
    Kept before = cache.put(authorId, kept);
    if (before != null) cachedBytes -= before.image().bytes().length;
    cachedBytes += kept.image().bytes().length;
    var eldest = cache.entrySet().iterator();
    while ((cache.size() > MAX_ENTRIES || cachedBytes > MAX_CACHED_BYTES) && eldest.hasNext()) {
      cachedBytes -= eldest.next().getValue().image().bytes().length;
      eldest.remove();
    }
  }

  private Future<Image> fetch(String authorId, String url) {
    Promise<Image> result = Promise.promise();
    // On one context throughout, so the response's handlers are set on the thread that delivers its body (called from
    // outside Vert.x, as a test does, the callbacks would otherwise race the body and could miss its end).
    vertx.getOrCreateContext().runOnContext(v -> request(authorId, url, result));
    return result.future();
  }

  private void request(String authorId, String url, Promise<Image> result) {
    // At the deadline the request is reset too: a host that trickles bytes would otherwise hold a pooled connection.
    java.util.concurrent.atomic.AtomicReference<io.vertx.core.http.HttpClientRequest> sent = new java.util.concurrent.atomic.AtomicReference<>();
    long deadline = vertx.setTimer(TIMEOUT.toMillis(), t -> {
      if (result.tryFail(unavailable(authorId, "no answer within " + TIMEOUT.toSeconds() + " s", null)) && sent.get() != null) sent.get().reset();
    });
    result.future().onComplete(ar -> vertx.cancelTimer(deadline));
    client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setFollowRedirects(false)
        .setIdleTimeout(TIMEOUT.toMillis()).putHeader("Accept", String.join(", ", TYPES)))
      .compose(request -> {
        sent.set(request);
        if (result.future().isComplete()) request.reset(); // the deadline passed while connecting
        return request.send();
      }).onSuccess(response -> {
        io.vertx.core.http.HttpClientRequest request = sent.get();
        String type = mediaType(response.getHeader("Content-Type"));
        String length = response.getHeader("Content-Length");
        if (response.statusCode() != 200) {
          fail(result, request, unavailable(authorId, "X answered " + response.statusCode(), null));
        } else if (!TYPES.contains(type)) {
          fail(result, request, unavailable(authorId, "not an image type CareLoop serves: " + type, null));
        } else if (length != null && tooLong(length)) {
          fail(result, request, unavailable(authorId, "larger than " + MAX_BYTES + " bytes", null));
        } else {
          Buffer body = Buffer.buffer();
          response.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BYTES) fail(result, request, unavailable(authorId, "larger than " + MAX_BYTES + " bytes", null));
            else if (!result.future().isComplete()) body.appendBuffer(chunk);
          });
          response.exceptionHandler(e -> result.tryFail(unavailable(authorId, "the image broke off", e)));
          response.endHandler(v -> result.tryComplete(new Image(type, body.getBytes())));
        }
      })
      .onFailure(e -> result.tryFail(unavailable(authorId, "could not reach the image host", e)));
  }

  private static void fail(Promise<Image> result, io.vertx.core.http.HttpClientRequest request, Upstream why) {
    if (result.tryFail(why)) request.reset();
  }

  private static boolean tooLong(String length) {
    try {
      return Long.parseLong(length.trim()) > MAX_BYTES;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  static String mediaType(String contentType) {
    if (contentType == null) return null;
    int semi = contentType.indexOf(';');
    return (semi < 0 ? contentType : contentType.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
  }

  private static Upstream unavailable(String authorId, String why, Throwable cause) {
    return new Upstream("avatar-unavailable", "the profile image of author " + authorId + " could not be fetched: " + why,
      Map.of("authorId", authorId), cause);
  }

  public Future<Void> close() { return client.close(); }
}
