package io.careloop.x;

import java.time.Duration;
import java.time.Instant;

/**
 * How long to wait after a failed call, per X's guidance: on 429 until {@code x-rate-limit-reset}; on 5xx (and
 * malformed bodies, which are a server fault) exponentially from 5 s doubling to 320 s; on network errors linearly.
 * Plain Java so the arithmetic is unit-tested without a clock or Vert.x.
 */
public record RetryPolicy(Duration serverErrorInitial, Duration serverErrorMax, Duration networkStep, Duration networkMax) {

  public static RetryPolicy xDefaults() {
    return new RetryPolicy(Duration.ofSeconds(5), Duration.ofSeconds(320), Duration.ofMillis(250), Duration.ofSeconds(16));
  }

  /**
   * @param consecutiveFailures 1 for the first failure in a row
   */
  public Duration delayAfter(XFailure failure, int consecutiveFailures, Instant now) {
    int n = Math.max(1, consecutiveFailures);
    return switch (failure.kind()) {
      case RATE_LIMITED -> {
        Instant reset = failure.resetAt();
        Duration untilReset = reset == null ? Duration.ofSeconds(60) : Duration.between(now, reset);
        // One extra second: the reset is whole epoch seconds and clocks differ slightly.
        yield untilReset.isNegative() ? Duration.ofSeconds(1) : untilReset.plusSeconds(1);
      }
      case SERVER_ERROR, MALFORMED, REJECTED -> exponential(n);
      case NETWORK -> min(networkStep.multipliedBy(n), networkMax);
    };
  }

  private Duration exponential(int n) {
    Duration d = serverErrorInitial;
    for (int i = 1; i < n && d.compareTo(serverErrorMax) < 0; i++) d = d.multipliedBy(2);
    return min(d, serverErrorMax);
  }

  private static Duration min(Duration a, Duration b) { return a.compareTo(b) <= 0 ? a : b; }
}
