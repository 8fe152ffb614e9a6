package io.careloop.web;

import io.careloop.config.Settings;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Deadlines Vert.x does not have: a connection must complete a request's head within the header timeout of being
 * opened (or of its previous response ending, for a kept-alive one), and a request's body within the body timeout of
 * its head; and at most so many connections are open at once. Vert.x's idle timeout alone lets a client that sends a
 * byte every few seconds hold a connection for ever (slowloris), and it has no connection cap.
 *
 * <p>The clocks are checked by one sweep a second (so a deadline is kept to within a second): cheaper than a timer per
 * request, and a streaming response (the console's event stream) is never cut, since its request has ended and its
 * response is still being written.
 */
final class ConnectionGuard {
  private static final Logger log = LoggerFactory.getLogger(ConnectionGuard.class);

  private final Settings.Connections limits;
  private final io.careloop.config.TrustedProxies proxies;
  private final Map<HttpConnection, Tracked> open = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();
  /** Open connections per peer address: one client (or one office behind one address) cannot take every slot. */
  private final Map<String, AtomicInteger> perAddress = new ConcurrentHashMap<>();

  /** What a connection is doing: waiting for a request head since {@code idleSince}, or serving {@code request}. */
  private static final class Tracked {
    volatile HttpServerRequest request;
    volatile long requestSince;
    volatile long idleSince;

    Tracked(long now) { idleSince = now; }
  }

  ConnectionGuard(Settings.Connections limits, io.careloop.config.TrustedProxies proxies) {
    this.limits = limits;
    this.proxies = proxies;
  }

  /**
   * Counts and watches each new connection; beyond the cap, or beyond the cap for its peer address, closes it at once.
   * A trusted proxy carries everyone's connections and is held only to the overall cap.
   */
  Handler<HttpConnection> onConnection() {
    return conn -> {
      String peer = conn.remoteAddress() == null ? "" : conn.remoteAddress().hostAddress();
      java.net.InetAddress address = io.careloop.config.TrustedProxies.literal(peer);
      boolean limited = address == null || !proxies.contains(address);
      if (count.incrementAndGet() > limits.maxConnections()) {
        count.decrementAndGet();
        log.warn("Refused a connection from {}: {} connections are open (CARELOOP_HTTP_MAX_CONNECTIONS)", peer, limits.maxConnections());
        conn.close();
        return;
      }
      AtomicInteger mine = limited ? perAddress.computeIfAbsent(peer, k -> new AtomicInteger()) : null;
      if (mine != null && mine.incrementAndGet() > limits.maxConnectionsPerAddress()) {
        release(peer, mine);
        count.decrementAndGet();
        log.warn("Refused a connection from {}: it has {} open (CARELOOP_HTTP_MAX_CONNECTIONS_PER_ADDRESS)", peer, limits.maxConnectionsPerAddress());
        conn.close();
        return;
      }
      open.put(conn, new Tracked(System.nanoTime()));
      conn.closeHandler(v -> {
        if (open.remove(conn) != null) {
          count.decrementAndGet();
          if (mine != null) release(peer, mine);
        }
      });
    };
  }

  private void release(String peer, AtomicInteger counter) {
    if (counter.decrementAndGet() <= 0) perAddress.remove(peer, counter);
  }

  /** Wraps the router: notes that a request head arrived on its connection. */
  Handler<HttpServerRequest> onRequest(Handler<HttpServerRequest> next) {
    return req -> {
      Tracked t = open.get(req.connection());
      if (t != null) {
        t.request = req;
        t.requestSince = System.nanoTime();
        t.idleSince = 0;
      }
      next.handle(req);
    };
  }

  /** Starts the once-a-second sweep; returns its timer id. */
  long start(Vertx vertx) {
    return vertx.setPeriodic(1_000, id -> sweep(System.nanoTime()));
  }

  void sweep(long now) {
    long header = limits.headerTimeout().toNanos();
    long body = limits.bodyTimeout().toNanos();
    open.forEach((conn, t) -> {
      HttpServerRequest req = t.request;
      if (req == null || req.response().ended() || req.response().closed()) {
        // Waiting for a (next) request head: the clock starts when the connection opened or the last response ended.
        if (req != null && t.idleSince == 0) t.idleSince = now;
        if (now - t.idleSince > header) conn.close();
      } else if (!req.isEnded() && now - t.requestSince > body) {
        // The head came but the body is still trickling in: 408, and the connection ends.
        log.info("Closing a connection from {}: request body not received within {} s", conn.remoteAddress(), limits.bodyTimeout().toSeconds());
        if (!req.response().headWritten()) {
          req.response().setStatusCode(408).putHeader("content-type", "application/json").putHeader("connection", "close")
            .end(new JsonObject().put("error", "request-timeout")
              .put("message", "the request body did not arrive within " + limits.bodyTimeout().toSeconds() + " s").encode())
            .onComplete(ar -> conn.close());
        } else {
          conn.close();
        }
      }
    });
  }
}
