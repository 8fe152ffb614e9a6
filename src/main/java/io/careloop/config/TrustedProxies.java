package io.careloop.config;

import io.netty.util.NetUtil;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * The reverse proxies whose {@code X-Forwarded-For} CareLoop believes ({@code CARELOOP_TRUSTED_PROXIES}): IP
 * addresses and CIDR ranges. Anyone else can write that header, so by default the list is empty and the TCP peer is
 * the client. Only literals are accepted, never host names: resolving a name per request would put DNS in the path
 * of every sign-in, and a name can be made to point anywhere.
 */
public final class TrustedProxies {
  private record Range(byte[] network, int prefix, String text) {
    boolean contains(byte[] address) {
      if (address.length != network.length) return false;
      int full = prefix / 8;
      for (int i = 0; i < full; i++) if (address[i] != network[i]) return false;
      int rest = prefix % 8;
      if (rest == 0) return true;
      int mask = (0xff << (8 - rest)) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  private final List<Range> ranges;

  private TrustedProxies(List<Range> ranges) {
    this.ranges = List.copyOf(ranges);
  }

  public static TrustedProxies none() { return new TrustedProxies(List.of()); }

  /** Comma-separated addresses or CIDRs ({@code 10.0.0.5, 10.1.0.0/16, fd00::/8}); a bad entry is refused by name. */
  public static TrustedProxies parse(String list) {
    if (list == null || list.isBlank()) return none();
    return of(List.of(list.split(",")));
  }

  public static TrustedProxies of(List<String> entries) {
    List<Range> ranges = new ArrayList<>();
    for (String raw : entries) {
      String entry = raw.trim();
      if (entry.isEmpty()) continue;
      int slash = entry.indexOf('/');
      InetAddress address = literal(slash < 0 ? entry : entry.substring(0, slash));
      if (address == null) throw new IllegalArgumentException("CARELOOP_TRUSTED_PROXIES: not an IP address or CIDR: " + entry);
      byte[] network = address.getAddress();
      int prefix = network.length * 8;
      if (slash >= 0) {
        try {
          prefix = Integer.parseInt(entry.substring(slash + 1));
        } catch (NumberFormatException e) {
          prefix = -1;
        }
        if (prefix < 0 || prefix > network.length * 8) {
          throw new IllegalArgumentException("CARELOOP_TRUSTED_PROXIES: bad prefix length in " + entry);
        }
      }
      ranges.add(new Range(network, prefix, entry));
    }
    return new TrustedProxies(ranges);
  }

  public boolean isEmpty() { return ranges.isEmpty(); }

  public boolean contains(InetAddress address) {
    if (address == null) return false;
    byte[] bytes = address.getAddress();
    for (Range r : ranges) if (r.contains(bytes)) return true;
    return false;
  }

  /**
   * An IP literal, or null when the text is anything else (never a DNS lookup). IPv4-mapped IPv6 comes back as the
   * IPv4 address, so {@code ::ffff:10.0.0.5} and {@code 10.0.0.5} are one client.
   */
  public static InetAddress literal(String text) {
    if (text == null) return null;
    String t = text.trim();
    if (t.startsWith("[") && t.endsWith("]")) t = t.substring(1, t.length() - 1);
    if (t.isEmpty() || t.indexOf('%') >= 0) return null;
    return NetUtil.createInetAddressFromIpAddressString(t);
  }

  @Override public String toString() {
    return ranges.isEmpty() ? "none" : String.join(",", ranges.stream().map(Range::text).toList());
  }
}
