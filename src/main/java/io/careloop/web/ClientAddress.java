package io.careloop.web;

import io.careloop.config.TrustedProxies;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;

import java.net.InetAddress;
import java.util.List;

/**
 * Who is on the other end of a request: the one place that decides it, so the sign-in throttle (and anything
 * that ever logs or limits by address) cannot be fooled in one spot and not another. It is the TCP peer, unless
 * the peer is one of {@code CARELOOP_TRUSTED_PROXIES}: then the right-most {@code X-Forwarded-For} entry that is not
 * itself a trusted proxy. Right-most, because each proxy appends the address it saw; everything left of what our own
 * proxies wrote is the client's to invent.
 *
 * <p>Only {@code X-Forwarded-For} is read, never {@code Forwarded}: a proxy that writes one of them passes the other
 * through untouched, so believing both would let a client pick its address in whichever the proxy ignores. Vert.x's
 * own {@code router.allowForward} stays off for the same reason (it believes any peer).
 */
final class ClientAddress implements Handler<RoutingContext> {
  private static final String KEY = "careloop.clientAddress";
  /** A header longer than this is not from a proxy chain anyone runs; only its right-hand end is looked at. */
  private static final int MAX_HOPS = 32;

  private final TrustedProxies proxies;

  ClientAddress(TrustedProxies proxies) {
    this.proxies = proxies;
  }

  /** Root handler: resolves the address once per request. */
  @Override public void handle(RoutingContext ctx) {
    InetAddress address = resolve(proxies, peer(ctx.request()), ctx.request().headers().getAll("X-Forwarded-For"));
    if (address != null) ctx.put(KEY, address);
    ctx.next();
  }

  /** The client's address as resolved for this request; null only when the connection has no IP peer at all. */
  static InetAddress of(RoutingContext ctx) {
    InetAddress resolved = ctx.get(KEY);
    return resolved != null ? resolved : peer(ctx.request());
  }

  private static InetAddress peer(HttpServerRequest request) {
    SocketAddress remote = request.connection() == null ? null : request.connection().remoteAddress();
    if (remote == null) remote = request.remoteAddress();
    return remote == null ? null : TrustedProxies.literal(remote.hostAddress());
  }

  /**
   * Pure, for tests: from the peer leftwards through the chain of trusted proxies. A garbled entry ends the walk at
   * the last trusted hop before it: our proxy wrote what is right of it, nobody vouches for the rest.
   */
  static InetAddress resolve(TrustedProxies proxies, InetAddress peer, List<String> forwardedFor) {
    if (peer == null || !proxies.contains(peer) || forwardedFor.isEmpty()) return peer;
    List<String> hops = List.of(String.join(",", forwardedFor).split(","));
    InetAddress client = peer;
    for (int i = hops.size() - 1, seen = 0; i >= 0 && seen < MAX_HOPS; i--, seen++) {
      String hop = hops.get(i).trim();
      if (hop.isEmpty()) continue;
      InetAddress address = hopAddress(hop);
      if (address == null) return client;
      client = address;
      if (!proxies.contains(address)) return address;
    }
    return client;
  }

  /** An entry of the header: an IP, possibly with a port ({@code 1.2.3.4:5678}, {@code [2001:db8::1]:443}). */
  static InetAddress hopAddress(String hop) {
    if (hop.startsWith("[")) {
      int close = hop.indexOf(']');
      return close < 0 ? null : TrustedProxies.literal(hop.substring(1, close));
    }
    int colon = hop.indexOf(':');
    if (colon > 0 && colon == hop.lastIndexOf(':')) return TrustedProxies.literal(hop.substring(0, colon));
    return TrustedProxies.literal(hop);
  }
}
