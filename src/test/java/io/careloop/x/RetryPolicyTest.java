package io.careloop.x;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("Backoff after X failures")
class RetryPolicyTest {
  final RetryPolicy policy = RetryPolicy.xDefaults();
  final Instant now = Instant.parse("2026-11-23T10:00:00Z");

  XFailure failure(XFailure.Kind kind, Instant reset) { return new XFailure(kind, 0, reset, "test", null); }

  @Test
  @DisplayName("429 waits until x-rate-limit-reset (plus a second of clock slack)")
  void rateLimit() {
    assertEquals(Duration.ofSeconds(91), policy.delayAfter(failure(XFailure.Kind.RATE_LIMITED, now.plusSeconds(90)), 1, now));
    assertEquals(Duration.ofSeconds(1), policy.delayAfter(failure(XFailure.Kind.RATE_LIMITED, now.minusSeconds(5)), 3, now));
    assertEquals(Duration.ofSeconds(61), policy.delayAfter(failure(XFailure.Kind.RATE_LIMITED, null), 1, now));
  }

  @Test
  @DisplayName("5xx and malformed bodies back off from 5 s doubling to 320 s")
  void exponential() {
    long[] expected = {5, 10, 20, 40, 80, 160, 320, 320, 320};
    for (int n = 1; n <= expected.length; n++) {
      assertEquals(Duration.ofSeconds(expected[n - 1]), policy.delayAfter(failure(XFailure.Kind.SERVER_ERROR, null), n, now));
      assertEquals(Duration.ofSeconds(expected[n - 1]), policy.delayAfter(failure(XFailure.Kind.MALFORMED, null), n, now));
    }
    assertEquals(Duration.ofSeconds(320), policy.delayAfter(failure(XFailure.Kind.SERVER_ERROR, null), 1_000, now));
  }

  @Test
  @DisplayName("network errors back off linearly by 250 ms up to 16 s")
  void linear() {
    assertEquals(Duration.ofMillis(250), policy.delayAfter(failure(XFailure.Kind.NETWORK, null), 1, now));
    assertEquals(Duration.ofMillis(750), policy.delayAfter(failure(XFailure.Kind.NETWORK, null), 3, now));
    assertEquals(Duration.ofSeconds(16), policy.delayAfter(failure(XFailure.Kind.NETWORK, null), 500, now));
  }
}
