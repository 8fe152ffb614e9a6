package io.careloop.errors;

import java.util.Map;
import java.util.OptionalLong;

/**
 * CareLoop cannot do this right now (the database does not answer, no node keeps the question clusters); nothing was
 * changed and the same request may succeed shortly.
 */
public final class Unavailable extends CareLoopException {
  private final Long retryAfterSeconds;

  public Unavailable(String code, String message, Long retryAfterSeconds, Throwable cause) {
    super(code, message, Map.of(), cause);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** When to try again, if known. */
  public OptionalLong retryAfterSeconds() { return retryAfterSeconds == null ? OptionalLong.empty() : OptionalLong.of(retryAfterSeconds); }
}
