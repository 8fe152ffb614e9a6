package io.careloop.web;

import io.careloop.errors.NotFound;
import io.careloop.errors.Upstream;
import io.careloop.x.AvatarUrls;
import io.careloop.support.TestClock;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("Avatars are fetched only from allowed URLs, bounded in size and type, and kept for an hour")
class AvatarsTest {
  static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 0};
  static Vertx vertx;
  static HttpServer server;
  static String base;
  static final AtomicInteger hits = new AtomicInteger();
  static final java.util.concurrent.CountDownLatch trickleClosed = new java.util.concurrent.CountDownLatch(1);
  static final TestClock clock = new TestClock();

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    server = vertx.createHttpServer().requestHandler(r -> {
      hits.incrementAndGet();
      switch (r.path()) {
        case "/ok.png" -> r.response().putHeader("Content-Type", "image/png").end(Buffer.buffer(PNG));
        case "/page.html" -> r.response().putHeader("Content-Type", "text/html").end("<script>alert(1)</script>");
        case "/big.png" -> r.response().putHeader("Content-Type", "image/png").end(Buffer.buffer(new byte[Avatars.MAX_BYTES + 1]));
        case "/chunked.png" -> {
          // No Content-Length: the limit must hold while reading.
          r.response().setChunked(true).putHeader("Content-Type", "image/png");
          for (int i = 0; i < 40; i++) r.response().write(Buffer.buffer(new byte[8 * 1024]));
          r.response().end();
        }
        case "/moved.png" -> r.response().setStatusCode(302).putHeader("Location", "https://evil.example/x.png").end();
        case "/trickle.png" -> {
          // A byte a second, for ever: only the deadline ends it, and CareLoop must let the connection go.
          r.response().setChunked(true).putHeader("Content-Type", "image/png");
          long every = vertx.setPeriodic(1000, t -> { if (!r.response().closed()) r.response().write(Buffer.buffer(new byte[1])); });
          r.connection().closeHandler(v -> { vertx.cancelTimer(every); trickleClosed.countDown(); });
        }
        default -> r.response().setStatusCode(404).end();
      }
    }).listen(0, "127.0.0.1").await();
    base = "http://127.0.0.1:" + server.actualPort();
    // A cold JVM's first HTTP client request (class loading on a busy machine) can take most of the 3 s allowed.
    avatars(base).image("0", base + "/ok.png").await();
  }

  @AfterAll
  static void stop() {
    vertx.close().await();
  }

  static Avatars avatars(String allowedBase) {
    return new Avatars(vertx, new AvatarUrls(allowedBase), clock);
  }

  static Throwable failure(Future<?> f) {
    return assertThrows(Exception.class, f::await);
  }

  @Test
  @DisplayName("an image is fetched once and served from memory for an hour, then fetched again")
  void cached() {
    Avatars a = avatars(base);
    int before = hits.get();
    assertArrayEquals(PNG, a.image("1", base + "/ok.png").await().bytes());
    assertEquals("image/png", a.image("1", base + "/ok.png").await().contentType());
    assertEquals(before + 1, hits.get(), "the second answer came from memory");
    clock.advance(Duration.ofMinutes(61));
    a.image("1", base + "/ok.png").await();
    assertEquals(before + 2, hits.get(), "an hour later it is fetched again");
  }

  @Test
  @DisplayName("not an image, too large (declared or streamed), a redirect or a 404: avatar-unavailable")
  void refused() {
    Avatars a = avatars(base);
    for (String path : new String[] {"/page.html", "/big.png", "/chunked.png", "/moved.png", "/gone.png"}) {
      Throwable e = failure(a.image("2" + path.length(), base + path));
      assertInstanceOf(Upstream.class, e, path);
      assertEquals("avatar-unavailable", ((Upstream) e).code(), path);
    }
  }

  @Test
  @DisplayName("a URL outside the allow-list is not requested at all")
  void notAllowed() {
    Avatars a = avatars("https://api.x.com");
    int before = hits.get();
    assertInstanceOf(NotFound.class, failure(a.image("3", base + "/ok.png")));
    assertEquals(before, hits.get());
  }

  @Test
  @DisplayName("nothing listening at the image host: avatar-unavailable, with the cause kept")
  void hostDown() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0)) {
      closed = s.getLocalPort();
    }
    String down = "http://127.0.0.1:" + closed;
    Throwable e = failure(avatars(down).image("4", down + "/a.png"));
    assertInstanceOf(Upstream.class, e);
    assertNotNull(e.getCause());
  }

  @Test
  @DisplayName("a host that trickles bytes: avatar-unavailable at the deadline, and the connection is let go")
  void trickle() throws Exception {
    long t0 = System.nanoTime();
    Throwable e = failure(avatars(base).image("5", base + "/trickle.png"));
    assertInstanceOf(Upstream.class, e);
    assertTrue((System.nanoTime() - t0) / 1_000_000 < Avatars.TIMEOUT.toMillis() + 2000, "ended by the deadline");
    assertTrue(trickleClosed.await(5, java.util.concurrent.TimeUnit.SECONDS), "the request was reset, not left trickling");
  }

}
