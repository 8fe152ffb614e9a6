package io.careloop.x;

import java.net.URI;
import java.util.Locale;
import java.util.Set;

/**
 * Which profile image URLs CareLoop stores and fetches: https on X's own image hosts, or the configured X base URL's
 * origin (the stand-in serves its avatars there, over plain http on loopback). Anything else is dropped, so a URL in a
 * response can never make the server fetch from an address of an attacker's choosing.
 */
public final class AvatarUrls {
  static final Set<String> X_IMAGE_HOSTS = Set.of("pbs.twimg.com", "abs.twimg.com");

  private final String baseScheme;
  private final String baseHost;
  private final int basePort;

  public AvatarUrls(String xBaseUrl) {
    URI base = xBaseUrl == null ? null : parse(xBaseUrl);
    this.baseScheme = base == null || base.getScheme() == null ? null : base.getScheme().toLowerCase(Locale.ROOT);
    this.baseHost = base == null || base.getHost() == null ? null : base.getHost().toLowerCase(Locale.ROOT);
    this.basePort = base == null ? -1 : port(base);
  }

  /** The URL if it may be stored and fetched, else null. */
  public String allowed(String url) {
    if (url == null || url.length() > 2048) return null;
    URI u = parse(url);
    if (u == null || !u.isAbsolute() || u.getHost() == null || u.getRawUserInfo() != null) return null;
    String scheme = u.getScheme().toLowerCase(Locale.ROOT);
    String host = u.getHost().toLowerCase(Locale.ROOT);
    if (scheme.equals("https") && X_IMAGE_HOSTS.contains(host) && port(u) == 443) return url;
    if (baseHost != null && scheme.equals(baseScheme) && host.equals(baseHost) && port(u) == basePort) return url;
    return null;
  }

  private static int port(URI u) {
    if (u.getPort() != -1) return u.getPort();
    return "https".equalsIgnoreCase(u.getScheme()) ? 443 : "http".equalsIgnoreCase(u.getScheme()) ? 80 : -1;
  }

  private static URI parse(String s) {
    try {
      URI u = new URI(s);
      return u.getScheme() == null ? null : u;
    } catch (java.net.URISyntaxException e) {
      return null;
    }
  }
}
