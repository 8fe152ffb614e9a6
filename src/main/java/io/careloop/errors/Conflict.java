package io.careloop.errors;

import java.util.Map;

/** The request is sound but the state of things refuses it: the case is closed, someone else holds it, the name is taken. */
public final class Conflict extends CareLoopException {
  public Conflict(String code, String message) { this(code, message, null); }

  public Conflict(String code, String message, Map<String, Object> details) { super(code, message, details, null); }
}
