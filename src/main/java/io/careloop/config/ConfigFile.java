package io.careloop.config;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * The config files: the copy of {@code conf/careloop.json} packaged in the jar holds every default (and is the only
 * place they are written); the operator's file ({@code CARELOOP_CONFIG}, else {@code conf/careloop.json} in the
 * working folder when there is one) is laid over it, so it needs only the keys it changes.
 */
final class ConfigFile {
  static final String CONFIG_ENV = "CARELOOP_CONFIG";
  static final String PACKAGED = "conf/careloop.json";

  /**
   * Objects whose keys are data, not settings: a file that gives them gives all of them. (Opening hours for Monday
   * alone mean closed the rest of the week, not the packaged hours on the other days.)
   */
  private static final Set<String> WHOLE = Set.of("sla.hours");

  private static final JsonObject DEFAULTS = packaged();

  private ConfigFile() {}

  /** A fresh copy of the packaged defaults. */
  static JsonObject defaults() {
    return DEFAULTS.copy();
  }

  /** The operator's file, or an empty object when there is none (the packaged defaults then apply alone). */
  static JsonObject operatorFile(Map<String, String> env) {
    String named = env.get(CONFIG_ENV);
    Path file = Path.of(named != null && !named.isBlank() ? named : PACKAGED);
    if (!Files.exists(file)) {
      if (named != null && !named.isBlank()) throw new IllegalArgumentException(CONFIG_ENV + " names a missing file: " + file);
      return new JsonObject();
    }
    try {
      return new JsonObject(Files.readString(file));
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config " + file + ": " + e.getMessage(), e);
    } catch (DecodeException e) {
      throw new IllegalArgumentException("config " + file + " is not valid JSON: " + e.getMessage(), e);
    }
  }

  /** {@code over} laid on {@code base}: objects merge key by key, anything else (lists included) replaces. */
  static JsonObject overlay(JsonObject base, JsonObject over) {
    JsonObject merged = base.copy();
    overlay(merged, over, "");
    return merged;
  }

  private static void overlay(JsonObject into, JsonObject over, String path) {
    for (String key : over.fieldNames()) {
      String dotted = path.isEmpty() ? key : path + "." + key;
      Object value = over.getValue(key);
      if (value instanceof JsonObject o && into.getValue(key) instanceof JsonObject existing && !WHOLE.contains(dotted)) {
        overlay(existing, o, dotted);
      } else {
        into.put(key, value instanceof JsonObject o ? o.copy() : value);
      }
    }
  }

  private static JsonObject packaged() {
    try (InputStream in = ConfigFile.class.getClassLoader().getResourceAsStream(PACKAGED)) {
      if (in == null) throw new IllegalStateException(PACKAGED + " is missing from the classpath: the build packages it into the jar");
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the packaged " + PACKAGED, e);
    }
  }
}
