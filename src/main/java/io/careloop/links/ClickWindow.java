package io.careloop.links;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides whether a click counts: at most one per visitor and link within a window, so that reloading, or a script
 * requesting a link over and over, no longer inflates what leads read as "clicks".
 *
 * <p>Nothing more about the visitor is kept than before (a click still stores only its time and the referrer's host):
 * this remembers, in memory only, a keyed hash (HMAC-SHA-256) of client address, user agent and link code. Each
 * generation of hashes has its own random key made when it begins, and is dropped with its key a window after it
 * ends, so after about two windows nobody, not even this process, can tell whose click a hash was. The set is capped;
 * at the cap the oldest hashes go first (a flood of made-up visitors can then make real ones count again, but never
 * costs more memory). Restarting forgets the window, and on several nodes each node keeps its own window, so a
 * visitor whose requests a balancer spreads over N nodes can count up to N clicks per window.
 *
 * <p>This bounds repeats by one client; a script that changes its user agent or address each time still counts each
 * time (an IPv6 reader holds a whole /64 of addresses), so a click count stays a signal, not proof. The address is the
 * client's as the sign-in throttle sees it (behind {@code CARELOOP_TRUSTED_PROXIES}, from {@code X-Forwarded-For}).
 *
 * <p>Thirty minutes: a reader who opens a link, goes back to the tweet and opens it again is one reader, the same
 * span web analytics use for a visit; a reader who comes back in the afternoon counts again. Plain Java, used on the
 * verticle's one event loop only (no locks).
 */
public final class ClickWindow {
  public static final Duration WINDOW = Duration.ofMinutes(30);
  /** About 100 bytes each: two generations at the cap hold some 10 MB. */
  public static final int CAPACITY = 50_000;

  private final Clock clock;
  private final long windowMillis;
  private final int capacity;
  private final SecureRandom random = new SecureRandom();
  private Generation current;
  private Generation previous;

  public ClickWindow(Clock clock) { this(clock, WINDOW, CAPACITY); }

  ClickWindow(Clock clock, Duration window, int capacity) {
    this.clock = clock;
    this.windowMillis = window.toMillis();
    this.capacity = capacity;
  }

  /** True when this visitor's click on this link is the first within the window (and so is counted). */
  public boolean firstInWindow(String clientAddress, String userAgent, String code) {
    long now = clock.millis();
    rotate(now);
    Key mine = current.key(clientAddress, userAgent, code);
    Long at = current.seen.get(mine);
    if (at != null && now - at < windowMillis) return false;
    if (previous != null) {
      Long before = previous.seen.get(previous.key(clientAddress, userAgent, code));
      if (before != null && now - before < windowMillis) return false;
    }
    current.seen.put(mine, now);
    return true;
  }

  /** Hashes held now (for tests of the cap). */
  int size() {
    return (current == null ? 0 : current.seen.size()) + (previous == null ? 0 : previous.seen.size());
  }

  /**
   * A generation takes new hashes for one window, then is only looked up for one more (its newest hash is then a
   * window old), then goes with its key: at the first click after that, since nothing runs in between.
   */
  private void rotate(long now) {
    if (current != null && now - current.startedAt >= windowMillis) {
      previous = current;
      current = null;
    }
    if (previous != null && now - previous.startedAt >= 2 * windowMillis) previous = null;
    if (current == null) current = new Generation(now);
  }

  /** The first 128 bits of the HMAC: collisions are out of reach, and half the memory of the whole value. */
  private record Key(long high, long low) {}

  private final class Generation {
    final long startedAt;
    final Mac mac;
    final Map<Key, Long> seen = new LinkedHashMap<>(1024, 0.75f, false) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<Key, Long> eldest) {
        return size() > capacity;
      }
    };

    Generation(long startedAt) {
      this.startedAt = startedAt;
      byte[] secret = new byte[32];
      random.nextBytes(secret);
      try {
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret, "HmacSHA256"));
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("HMAC-SHA-256 is part of every Java runtime", e);
      }
    }

    Key key(String clientAddress, String userAgent, String code) {
      // Length-prefixed fields, so no two different visitors can make the same input.
      for (String field : new String[] {clientAddress, userAgent, code}) {
        byte[] b = (field == null ? "" : field).getBytes(StandardCharsets.UTF_8);
        mac.update(ByteBuffer.allocate(4).putInt(b.length).array());
        mac.update(b);
      }
      ByteBuffer digest = ByteBuffer.wrap(mac.doFinal());
      return new Key(digest.getLong(), digest.getLong());
    }
  }
}
