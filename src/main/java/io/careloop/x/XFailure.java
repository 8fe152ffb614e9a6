package io.careloop.x;

import java.time.Instant;

/**
 * A failed call to X, classified by what the caller should do about it. The message never carries credentials.
 */
public final class XFailure extends Exception {

  public enum Kind {
    /** 429: wait until {@link #resetAt()}. */
    RATE_LIMITED,
    /** 5xx: back off exponentially. */
    SERVER_ERROR,
    /** Connection refused or reset, timeout: back off linearly. */
    NETWORK,
    /** A 2xx whose body is not the JSON X documents: treated like a server error, never as an empty page. */
    MALFORMED,
    /** 4xx other than 429 (bad credentials, duplicate post, forbidden): retrying the same call will not help soon. */
    REJECTED
  }

  private final Kind kind;
  private final int status;
  private final Instant resetAt;

  public XFailure(Kind kind, int status, Instant resetAt, String message, Throwable cause) {
    super(message, cause, false, false);
    this.kind = kind;
    this.status = status;
    this.resetAt = resetAt;
  }

  public Kind kind() { return kind; }

  public int status() { return status; }

  public Instant resetAt() { return resetAt; }

  /** True when the request may have reached X although we saw a failure (so a post must be looked up first). */
  public boolean outcomeUnknown() {
    return kind == Kind.NETWORK || kind == Kind.SERVER_ERROR || kind == Kind.MALFORMED;
  }

  @Override public String toString() {
    return kind + (status > 0 ? " " + status : "") + ": " + getMessage();
  }
}
