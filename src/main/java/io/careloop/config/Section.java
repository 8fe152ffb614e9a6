package io.careloop.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One section of the merged settings ({@code http}, {@code x}, {@code cluster}…) read with types. There are no defaults
 * here: the packaged {@code conf/careloop.json} holds every one, so a missing key is a file that set it to null. A bad
 * value is named as the operator wrote it: the variable when one set it, else the key in the config file.
 */
final class Section {
  private final JsonObject json;
  private final String path;
  private final Map<String, String> origins;

  Section(JsonObject root, Map<String, String> origins) {
    this(root, "", origins);
  }

  private Section(JsonObject json, String path, Map<String, String> origins) {
    this.json = json;
    this.path = path;
    this.origins = origins;
  }

  Section section(String key) {
    if (json.getValue(key) instanceof JsonObject o) return new Section(o, dotted(key), origins);
    throw invalid(key, "must be an object");
  }

  /** A copy of a sub-object as written, for a feature that reads its own shape (the SLA book). */
  JsonObject object(String key) {
    if (json.getValue(key) instanceof JsonObject o) return o.copy();
    throw invalid(key, "must be an object");
  }

  String text(String key) {
    String s = optionalText(key);
    if (s == null) throw invalid(key, "must be set");
    return s;
  }

  /** Text, or null when it is null or blank. */
  String optionalText(String key) {
    Object v = json.getValue(key);
    if (v == null) return null;
    if (!(v instanceof String s)) throw invalid(key, "must be text, not " + v);
    return s.isBlank() ? null : s;
  }

  String matching(String key, Pattern pattern, String what) {
    String s = text(key);
    if (!pattern.matcher(s).matches()) throw invalid(key, "must be " + what + ", not " + s);
    return s;
  }

  String oneOf(String key, String... allowed) {
    String s = text(key);
    if (!List.of(allowed).contains(s)) throw invalid(key, "must be " + String.join(" or ", allowed) + ", not " + s);
    return s;
  }

  long whole(String key) {
    Object v = json.getValue(key);
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) return ((Number) v).longValue();
    throw invalid(key, "must be a whole number, not " + v);
  }

  int integer(String key) {
    long v = whole(key);
    if (v != (int) v) throw invalid(key, "is too large: " + v);
    return (int) v;
  }

  int atLeast(String key, int min) {
    return atLeast(key, min, "");
  }

  /** A whole number of at least {@code min}; {@code why} (may be empty) is added to the message. */
  int atLeast(String key, int min, String why) {
    int v = integer(key);
    if (v < min) throw invalid(key, "must be at least " + min + why + ", not " + v);
    return v;
  }

  double decimal(String key) {
    if (json.getValue(key) instanceof Number n) return n.doubleValue();
    throw invalid(key, "must be a number, not " + json.getValue(key));
  }

  boolean flag(String key) {
    Boolean b = optionalFlag(key);
    if (b == null) throw invalid(key, "must be true or false");
    return b;
  }

  /** True, false, or null when the file leaves it to be decided (the demo: on when no X credential is set). */
  Boolean optionalFlag(String key) {
    Object v = json.getValue(key);
    if (v == null || v instanceof Boolean) return (Boolean) v;
    throw invalid(key, "must be true or false, not " + v);
  }

  List<String> texts(String key) {
    if (!(json.getValue(key) instanceof JsonArray array)) throw invalid(key, "must be a list");
    List<String> out = new ArrayList<>();
    for (Object o : array) {
      if (!(o instanceof String s)) throw invalid(key, "must hold text only, not " + o);
      out.add(s);
    }
    return List.copyOf(out);
  }

  /** The problem with a value, under the name the operator knows it by. */
  IllegalArgumentException invalid(String key, String problem) {
    return new IllegalArgumentException(name(key) + " " + problem);
  }

  /** The variable that set the key, else the key in the config file. */
  String name(String key) {
    String dotted = dotted(key);
    String variable = origins.get(dotted);
    return variable != null ? variable : dotted + " (config file)";
  }

  private String dotted(String key) { return path.isEmpty() ? key : path + "." + key; }
}
