package io.careloop.web;

import io.careloop.config.TrustedProxies;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("The client's address behind proxies")
class ClientAddressTest {
  static InetAddress ip(String literal) { return TrustedProxies.literal(literal); }

  static String resolve(String proxies, String peer, String... forwardedFor) {
    return ClientAddress.resolve(TrustedProxies.parse(proxies), ip(peer), List.of(forwardedFor)).getHostAddress();
  }

  @Test
  @DisplayName("with no trusted proxy, X-Forwarded-For is ignored and the TCP peer is the client")
  void untrustedPeer() {
    assertEquals("198.51.100.7", resolve("", "198.51.100.7", "203.0.113.1"));
    assertEquals("198.51.100.7", resolve("10.0.0.0/8", "198.51.100.7", "203.0.113.1"));
  }

  @Test
  @DisplayName("from a trusted proxy, the right-most entry that is not itself a trusted proxy; what the client wrote left of it does not count")
  void trustedPeer() {
    assertEquals("203.0.113.9", resolve("10.0.0.5", "10.0.0.5", "203.0.113.9"));
    assertEquals("203.0.113.9", resolve("10.0.0.5", "10.0.0.5", "1.2.3.4, 203.0.113.9"));
    assertEquals("203.0.113.9", resolve("10.0.0.0/8", "10.0.0.5", "1.2.3.4, 203.0.113.9, 10.1.2.3"));
    assertEquals("203.0.113.9", resolve("10.0.0.0/8", "10.0.0.5", "1.2.3.4", "203.0.113.9,10.9.9.9"), "several header lines are one list");
    assertEquals("203.0.113.9", resolve("10.0.0.5", "10.0.0.5", "203.0.113.9:51234"), "a port is dropped");
    assertEquals("2001:db8:0:0:0:0:0:9", resolve("fd00::/8", "fd00::1", "[2001:db8::9]:443"));
    assertEquals("10.0.0.5", resolve("10.0.0.5", "10.0.0.5"), "no header: the proxy itself");
    assertEquals("10.0.0.5", resolve("10.0.0.5", "10.0.0.5", "not-an-address"), "garbage: nobody vouches for it");
    assertEquals("10.0.0.7", resolve("10.0.0.0/8", "10.0.0.5", "evil.example, 10.0.0.7"), "a garbled hop ends the walk at the last trusted one");
  }

  @Test
  @DisplayName("trusted proxies are IP addresses or CIDRs; host names and bad prefixes are refused by name")
  void parsing() {
    TrustedProxies p = TrustedProxies.parse(" 10.0.0.5 , 172.16.0.0/12, 2001:db8::/32");
    assertTrue(p.contains(ip("10.0.0.5")));
    assertFalse(p.contains(ip("10.0.0.6")));
    assertTrue(p.contains(ip("172.31.255.255")));
    assertFalse(p.contains(ip("172.32.0.1")));
    assertTrue(p.contains(ip("2001:db8:ffff::1")));
    assertFalse(p.contains(ip("2001:db9::1")));
    assertTrue(p.contains(ip("::ffff:10.0.0.5")), "IPv4-mapped IPv6 is the IPv4 address");
    assertTrue(TrustedProxies.parse("").isEmpty());
    for (String bad : List.of("proxy.internal", "10.0.0.0/33", "10.0.0.0/x", "::1/129", "10.0.0")) {
      var e = assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse(bad));
      assertTrue(e.getMessage().contains("CARELOOP_TRUSTED_PROXIES"), e.getMessage());
    }
  }
}
