package io.careloop.listening;

import io.careloop.x.RetryPolicy;
import io.careloop.x.XFailure;

import java.time.Duration;
import java.time.Instant;

/**
 * How long a source waits after a failed poll. X's rules ({@link RetryPolicy}) grow with the run of failures of the
 * same family only: a 503 after a string of 429s is the first server error, not the sixth (otherwise a few mixed
 * faults would park polling for minutes). A database fault costs no X reads, so it is retried soon: 1 s doubling to
 * 15 s, and polling resumes within seconds of the database coming back.
 */
final class Backoff {
  private static final long STORAGE_MAX_MS = 15_000;

  private final RetryPolicy x;
  private String family;
  private int run;

  Backoff(RetryPolicy x) { this.x = x; }

  void succeeded() {
    family = null;
    run = 0;
  }

  Duration after(Throwable failure, Instant now) {
    String f = failure instanceof XFailure xf ? familyOf(xf.kind()) : "storage";
    run = f.equals(family) ? run + 1 : 1;
    family = f;
    if (failure instanceof XFailure xf) return x.delayAfter(xf, run, now);
    return Duration.ofMillis(Math.min(STORAGE_MAX_MS, 1_000L << Math.min(run - 1, 4)));
  }

  private static String familyOf(XFailure.Kind kind) {
    return switch (kind) {
      case RATE_LIMITED -> "rate";
      case NETWORK -> "network";
      case SERVER_ERROR, MALFORMED, REJECTED -> "server";
    };
  }
}
