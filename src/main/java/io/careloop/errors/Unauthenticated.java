package io.careloop.errors;

/** The caller is not signed in, their session ended, or the user name and password do not match. */
public final class Unauthenticated extends CareLoopException {
  /** {@code unauthenticated}. */
  public Unauthenticated(String message) { super("unauthenticated", message, null, null); }
}
