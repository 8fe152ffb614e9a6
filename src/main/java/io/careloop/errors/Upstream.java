package io.careloop.errors;

import java.util.Map;

/** A service CareLoop depends on (X) refused or failed the request; the details may carry what was stored meanwhile (the reply). */
public final class Upstream extends CareLoopException {
  public Upstream(String code, String message, Map<String, Object> details, Throwable cause) { super(code, message, details, cause); }
}
