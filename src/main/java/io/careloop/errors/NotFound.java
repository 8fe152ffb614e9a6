package io.careloop.errors;

import java.util.Map;

/** What the caller named does not exist (or is not theirs to see). */
public final class NotFound extends CareLoopException {
  /** {@code not-found}, "{what} not found". */
  public NotFound(String what) { this("not-found", what + " not found", null); }

  public NotFound(String code, String message, Map<String, Object> details) { super(code, message, details, null); }
}
