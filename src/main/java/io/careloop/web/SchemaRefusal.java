package io.careloop.web;

import io.vertx.core.json.JsonObject;
import io.vertx.core.json.pointer.JsonPointer;
import io.vertx.json.schema.OutputUnit;
import io.vertx.openapi.validation.SchemaValidationException;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A body the contract refuses, said so a person can act on it: where ({@code field}, a JSON pointer the console maps
 * to its input, and the same place in words: {@code hours.weekly.MONDAY[0][1]}), what is wrong, and the value given.
 * The validator's own message names the schema, not the field (issue 21: a mistyped opening hour showed only that).
 */
final class SchemaRefusal {
  private static final int MAX_VALUE_SHOWN = 60;
  /** Fields whose value is never repeated back (it would land in a toast, a log line or a proxy's error page). */
  private static final java.util.regex.Pattern SECRET = java.util.regex.Pattern.compile("(?i)(password|token|secret|apikey|api_key)$|^key$");

  private SchemaRefusal() {}

  /** {@code {error: invalid-request, message, field?}} for a refused body or parameter. */
  static JsonObject describe(SchemaValidationException e, Object body) {
    JsonObject answer = new JsonObject().put("error", "invalid-request");
    Optional<OutputUnit> where = deepest(e.getOutputUnit());
    String pointer = where.map(OutputUnit::getInstanceLocation).map(SchemaRefusal::pointer).orElse("");
    if (where.isEmpty() || pointer.isEmpty() && where.get().getError() == null) return answer.put("message", e.getMessage());
    String what = where.get().getError() == null ? e.getMessage() : where.get().getError().replace("( + ", "(");
    // additionalProperties: false reports "does not match additional properties schema": the field is not in the contract.
    if (where.get().getKeywordLocation() != null && where.get().getKeywordLocation().endsWith("/additionalProperties")) {
      what = "not allowed here (no such field)";
    }
    StringBuilder message = new StringBuilder();
    if (!pointer.isEmpty()) message.append(words(pointer)).append(": ");
    message.append(what);
    value(body, pointer).ifPresent(v -> message.append(" (was ").append(v).append(')'));
    answer.put("message", message.toString());
    if (!pointer.isEmpty()) answer.put("field", pointer);
    return answer;
  }

  /** The most specific error: the deepest instance location among the leaves (the root says only "does not match"). */
  static Optional<OutputUnit> deepest(OutputUnit unit) {
    if (unit == null) return Optional.empty();
    List<OutputUnit> leaves = new ArrayList<>();
    collect(unit, leaves);
    // Deepest place first, then the deepest keyword there ("minItems" under "properties/caseIds", not "properties").
    return leaves.stream().filter(u -> u.getError() != null)
      .max(java.util.Comparator.comparingInt(SchemaRefusal::depth).thenComparingInt(SchemaRefusal::keywordDepth));
  }

  private static void collect(OutputUnit unit, List<OutputUnit> into) {
    if (unit.getErrors() == null || unit.getErrors().isEmpty()) into.add(unit);
    else for (OutputUnit child : unit.getErrors()) collect(child, into);
  }

  private static int keywordDepth(OutputUnit u) {
    return u.getKeywordLocation() == null ? 0 : u.getKeywordLocation().split("/", -1).length;
  }

  private static int depth(OutputUnit u) {
    return pointer(u.getInstanceLocation()).split("/", -1).length;
  }

  /** The validator writes {@code #/hours/weekly} or {@code /hours/weekly}; the answer uses a plain JSON pointer. */
  static String pointer(String location) {
    if (location == null) return "";
    String p = location.startsWith("#") ? location.substring(1) : location;
    return p.equals("/") ? "" : p;
  }

  /** {@code /hours/weekly/MONDAY/0/1} → {@code hours.weekly.MONDAY[0][1]}. */
  static String words(String pointer) {
    StringBuilder out = new StringBuilder();
    for (String raw : pointer.substring(1).split("/", -1)) {
      String step = raw.replace("~1", "/").replace("~0", "~");
      if (step.chars().allMatch(Character::isDigit) && !step.isEmpty()) out.append('[').append(step).append(']');
      else out.append(out.length() == 0 ? "" : ".").append(step);
    }
    return out.toString();
  }

  /** The value that was refused, shortened, for scalars only (a whole object says nothing useful in one line). */
  private static Optional<String> value(Object body, String pointer) {
    if (body == null || pointer.isEmpty() || SECRET.matcher(pointer.substring(pointer.lastIndexOf('/') + 1)).find()) return Optional.empty();
    Object v;
    try {
      v = JsonPointer.from(pointer).queryJson(body);
    } catch (RuntimeException notThere) {
      return Optional.empty();
    }
    if (v == null || v instanceof JsonObject || v instanceof io.vertx.core.json.JsonArray) return Optional.empty();
    String s = v instanceof String str ? '"' + str + '"' : String.valueOf(v);
    return Optional.of(s.length() > MAX_VALUE_SHOWN ? s.substring(0, MAX_VALUE_SHOWN) + "…" : s);
  }
}
