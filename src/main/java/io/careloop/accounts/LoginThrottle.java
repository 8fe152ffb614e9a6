package io.careloop.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows down password guessing, per client address and per account. The first {@value #FREE_FAILURES} failures
 * cost nothing; after that each failure blocks the key for 1 s, doubling, up to {@link #MAX_BLOCK}, so an attacker who
 * guesses at someone's account can never lock its owner out for more than a few minutes. A success clears the key.
 * In memory on purpose: it is a brake, not a record (each node brakes on its own).
 */
public final class LoginThrottle {
  static final int FREE_FAILURES = 5;
  static final Duration MAX_BLOCK = Duration.ofMinutes(5);
  private static final Duration FORGET_AFTER = Duration.ofHours(1);

  private record State(int failures, Instant blockedUntil, Instant lastFailure) {}

  private final Map<String, State> keys = new ConcurrentHashMap<>();
  private final Clock clock;

  public LoginThrottle(Clock clock) {
    this.clock = clock;
  }

  /** How long the key is still blocked, if it is. */
  public Optional<Duration> blocked(String key) {
    Instant now = clock.instant();
    State s = keys.get(key);
    if (s == null) return Optional.empty();
    if (s.lastFailure().plus(FORGET_AFTER).isBefore(now)) {
      keys.remove(key);
      return Optional.empty();
    }
    return s.blockedUntil().isAfter(now) ? Optional.of(Duration.between(now, s.blockedUntil())) : Optional.empty();
  }

  public void failed(String key) {
    Instant now = clock.instant();
    keys.compute(key, (k, s) -> {
      int failures = s == null || s.lastFailure().plus(FORGET_AFTER).isBefore(now) ? 1 : s.failures() + 1;
      return new State(failures, now.plus(block(failures)), now);
    });
  }

  public void succeeded(String key) { keys.remove(key); }

  static Duration block(int failures) {
    if (failures <= FREE_FAILURES) return Duration.ZERO;
    int doublings = Math.min(failures - FREE_FAILURES - 1, 20);
    Duration d = Duration.ofSeconds(1L << doublings);
    return d.compareTo(MAX_BLOCK) > 0 ? MAX_BLOCK : d;
  }
}
