package io.careloop.errors;

import java.util.Map;

/**
 * The request names someone or something that exists in form but cannot take part: a case handed to a user who is
 * unknown, disabled or works no cases.
 */
public final class Ineligible extends CareLoopException {
  public Ineligible(String code, String message, Map<String, Object> details) { super(code, message, details, null); }
}
