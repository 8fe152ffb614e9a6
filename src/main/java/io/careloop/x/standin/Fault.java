package io.careloop.x.standin;

/**
 * A fault the stand-in applies to the next {@code count} API requests whose path starts with {@code pathPrefix},
 * once {@code skip} such requests have passed untouched.
 *
 * @param seconds for RATE_LIMIT: seconds until {@code x-rate-limit-reset}; for SLOW: delay in milliseconds
 */
public record Fault(Kind kind, int count, String pathPrefix, long seconds, int skip) {

  public Fault(Kind kind, int count, String pathPrefix, long seconds) {
    this(kind, count, pathPrefix, seconds, 0);
  }

  /** The same fault after {@code skip} more matching requests have been served normally. */
  public Fault afterSkipping(int skip) { return new Fault(kind, count, pathPrefix, seconds, skip); }

  public enum Kind {
    /** 429 with {@code x-rate-limit-reset}. */
    RATE_LIMIT,
    /** 503 Service Unavailable. */
    UNAVAILABLE,
    /** 200 with a truncated JSON body. */
    MALFORMED,
    /** Answers normally after a delay ({@code seconds} is milliseconds here). */
    SLOW,
    /** Closes the connection without an answer. */
    RESET,
    /** Does the work (a post is created) and then closes the connection: the client cannot know it succeeded. */
    LOSE_RESPONSE
  }
}
