package io.careloop.errors;

import java.util.Map;

/** Refused by a throttle (sign-in attempts): the caller may try again after {@link #retryAfterSeconds()}. */
public final class TooManyAttempts extends CareLoopException {
  private final long retryAfterSeconds;

  /** {@code too-many-attempts}, with {@code retryAfterSeconds} in the details too. */
  public TooManyAttempts(String message, long retryAfterSeconds) {
    super("too-many-attempts", message, Map.of("retryAfterSeconds", retryAfterSeconds), null);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() { return retryAfterSeconds; }
}
