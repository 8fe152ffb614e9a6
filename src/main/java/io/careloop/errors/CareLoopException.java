package io.careloop.errors;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A failure with a meaning for the caller, named for what happened ({@link NotFound}, {@link Conflict}, {@link Invalid},
 * ...). It knows nothing of HTTP: the web layer's failure handler is the one place that turns each kind into a status
 * and a body {@code {"error": code, "message": text}} plus the {@link #details()}. The message is written for the
 * caller and never carries internals; the cause, when there is one, is kept for the log.
 */
public abstract sealed class CareLoopException extends RuntimeException
  permits NotFound, Conflict, Invalid, Ineligible, Forbidden, Unauthenticated, TooManyAttempts, Upstream, Unavailable {

  private final String code;
  private final Map<String, Object> details;

  protected CareLoopException(String code, String message, Map<String, Object> details, Throwable cause) {
    // No stack trace of its own: these are answers, not bugs; a cause keeps its own stack for the log.
    super(message, cause, false, false);
    this.code = code;
    this.details = details == null || details.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(details));
  }

  /** The stable, machine-readable name of the failure (the body's {@code error}), e.g. {@code case-closed}. */
  public String code() { return code; }

  /** Extra fields for the caller ({@code assignee}, {@code duplicateOf}, {@code reply}...); never internals. */
  public Map<String, Object> details() { return details; }

  /** The kind's name, for carrying a failure across the event bus and {@link #of rebuilding} it on the other side. */
  public String kind() { return getClass().getSimpleName(); }

  /** The failure of this kind, code and message, as it was on another node (its cause stays there, in that node's log). */
  public static CareLoopException of(String kind, String code, String message, Map<String, Object> details) {
    return switch (kind == null ? "" : kind) {
      case "NotFound" -> new NotFound(code, message, details);
      case "Conflict" -> new Conflict(code, message, details);
      case "Invalid" -> new Invalid(code, message, details);
      case "Ineligible" -> new Ineligible(code, message, details);
      case "Forbidden" -> new Forbidden(code, message);
      case "Unauthenticated" -> new Unauthenticated(message);
      case "Upstream" -> new Upstream(code, message, details, null);
      default -> new Unavailable(code, message, null, null);
    };
  }
}
