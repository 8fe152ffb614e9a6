package io.careloop.errors;

import java.util.Map;

/** The request itself is wrong (a reply too long, a weak password, a bad SLA book): sending it again will not help. */
public final class Invalid extends CareLoopException {
  public Invalid(String code, String message) { this(code, message, null, null); }

  public Invalid(String code, String message, Map<String, Object> details) { this(code, message, details, null); }

  /** With the failure that showed it (a lookup that found nothing, a parser's complaint), kept for the log. */
  public Invalid(String code, String message, Map<String, Object> details, Throwable cause) { super(code, message, details, cause); }
}
