package io.careloop.errors;

/** The caller is known but may not do this (roles, a missing CSRF token). */
public final class Forbidden extends CareLoopException {
  /** {@code forbidden}. */
  public Forbidden(String message) { this("forbidden", message); }

  public Forbidden(String code, String message) { super(code, message, null, null); }
}
