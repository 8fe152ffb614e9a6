package io.careloop.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every {@code CARELOOP_*} environment variable (PRODUCT.md section 4 and the README) and the key of the config file it
 * overrides. A variable with no key is read from the environment only: the secrets, which may also come from the
 * secrets file and never from the config file, and two switches that have no place in a file.
 * The further brands' posting tokens ({@code CARELOOP_X_BRAND_<HANDLE>_ACCESS_TOKEN}) are a family, read by
 * {@link Settings.Credentials}.
 */
enum Variable {
  CARELOOP_HTTP_PORT(Kind.WHOLE, "http.port"),
  CARELOOP_HTTP_HOST(Kind.TEXT, "http.host"),
  CARELOOP_HTTP_MAX_CONNECTIONS(Kind.WHOLE, "http.maxConnections"),
  CARELOOP_HTTP_MAX_CONNECTIONS_PER_ADDRESS(Kind.WHOLE, "http.maxConnectionsPerAddress"),
  CARELOOP_HTTP_HEADER_TIMEOUT_SECONDS(Kind.WHOLE, "http.headerTimeoutSeconds"),
  CARELOOP_HTTP_BODY_TIMEOUT_SECONDS(Kind.WHOLE, "http.bodyTimeoutSeconds"),
  CARELOOP_HTTP_IDLE_TIMEOUT_SECONDS(Kind.WHOLE, "http.idleTimeoutSeconds"),
  CARELOOP_TRUSTED_PROXIES(Kind.LIST, "http.trustedProxies"),
  CARELOOP_METRICS_TOKEN(Kind.SECRET),
  CARELOOP_PUBLIC_URL(Kind.TEXT, "publicUrl"),
  CARELOOP_TLS_CERT(Kind.TEXT, "tls.cert"),
  CARELOOP_TLS_KEY(Kind.TEXT, "tls.key"),

  CARELOOP_DATA_DIR(Kind.TEXT, "dataDir"),
  // A connection string usually carries a password: it may come from the secrets file too.
  CARELOOP_MONGO_URI(Kind.SECRET, "mongo.uri"),
  CARELOOP_BACKUP_DIR(Kind.TEXT, "backup.dir"),
  CARELOOP_BACKUP_KEEP(Kind.WHOLE, "backup.keep"),
  CARELOOP_BACKUP_EVERY_HOURS(Kind.WHOLE, "backup.everyHours"),

  CARELOOP_DEMO(Kind.FLAG, "demo"),
  CARELOOP_DEMO_HISTORY(Kind.FLAG, "demoHistory"),
  CARELOOP_X_BASE_URL(Kind.TEXT, "x.baseUrl"),
  CARELOOP_X_API(Kind.TEXT, "x.api"),
  // One interval for either mode: set, it wins over the demo's short default too.
  CARELOOP_POLL_SECONDS(Kind.WHOLE, "x.pollSeconds", "x.demoPollSeconds"),
  CARELOOP_X_MONTHLY_READ_CAP(Kind.WHOLE, "x.monthlyReadCap"),
  CARELOOP_X_BEARER_TOKEN(Kind.SECRET),
  CARELOOP_X_CONSUMER_KEY(Kind.SECRET),
  CARELOOP_X_CONSUMER_SECRET(Kind.SECRET),
  CARELOOP_X_ACCESS_TOKEN(Kind.SECRET),
  CARELOOP_X_ACCESS_TOKEN_SECRET(Kind.SECRET),

  CARELOOP_BRAND_HANDLE(Kind.TEXT, "brand.handle"),
  CARELOOP_BRAND_USER_ID(Kind.TEXT, "brand.userId"),
  CARELOOP_BRAND_NAME(Kind.TEXT, "brand.name"),
  CARELOOP_BRAND_KEYWORDS(Kind.LIST, "brand.keywords"),

  CARELOOP_ADMIN_PASSWORD(Kind.SECRET),
  // Sessions end after sessionIdleMinutes; this exists so a test can watch one expire in seconds.
  CARELOOP_SESSION_IDLE_SECONDS(Kind.WHOLE),

  CARELOOP_CLUSTER(Kind.FLAG, "cluster.enabled"),
  CARELOOP_NODE_ID(Kind.TEXT, "cluster.nodeId"),
  CARELOOP_CLUSTER_HOST(Kind.TEXT, "cluster.host"),
  CARELOOP_CLUSTER_PORT(Kind.WHOLE, "cluster.port"),
  CARELOOP_CLUSTER_BUS_PORT(Kind.WHOLE, "cluster.busPort"),
  CARELOOP_CLUSTER_MEMBERS(Kind.LIST, "cluster.members"),
  CARELOOP_LEASE_SECONDS(Kind.WHOLE, "cluster.leaseSeconds"),
  CARELOOP_SERVE_DATABASE(Kind.TEXT, "cluster.serveDatabase"),
  CARELOOP_SERVE_DATABASE_PASSWORD(Kind.SECRET),
  // The operator's word that an unencrypted database on the network is accepted: never a file default.
  CARELOOP_SERVE_DATABASE_INSECURE(Kind.FLAG);

  /**
   * How a value is written: text; a whole number; true or false; a comma-separated list (empty entries dropped, an
   * empty value is an empty list); a secret (text kept out of the config file).
   */
  enum Kind { TEXT, WHOLE, FLAG, LIST, SECRET }

  final Kind kind;
  /** Dotted keys of the config file this variable overrides; none when it is read from the environment only. */
  final List<String> keys;

  Variable(Kind kind, String... keys) {
    this.kind = kind;
    this.keys = List.of(keys);
  }

  /** The keys a secrets file may set. */
  static boolean secret(String name) {
    return Arrays.stream(values()).anyMatch(v -> v.kind == Kind.SECRET && v.name().equals(name));
  }

  /**
   * Writes every variable that is set over its keys in {@code tree} (the merged config files), as a value of the
   * file's type. Returns which variable set each key, so that a bad value is reported under the name the operator set.
   */
  static Map<String, String> applyTo(JsonObject tree, Map<String, String> env) {
    Map<String, String> origins = new HashMap<>();
    for (Variable v : values()) {
      if (v.keys.isEmpty()) continue;
      Object value = v.read(env);
      if (value == null) continue;
      for (String key : v.keys) {
        put(tree, key, value instanceof List<?> list ? new JsonArray(List.copyOf(list)) : value);
        origins.put(key, v.name());
      }
    }
    return Map.copyOf(origins);
  }

  /** The text of this variable, or null when it is unset or blank. */
  String text(Map<String, String> env) {
    Object value = read(env);
    return value == null ? null : value.toString();
  }

  /** This whole-number variable, or null when it is unset. */
  Long whole(Map<String, String> env) {
    if (kind != Kind.WHOLE) throw new IllegalStateException(name() + " is not a number");
    return (Long) read(env);
  }

  /** This true-or-false variable; false when unset. */
  boolean flag(Map<String, String> env) {
    if (kind != Kind.FLAG) throw new IllegalStateException(name() + " is not true or false");
    return Boolean.TRUE.equals(read(env));
  }

  private Object read(Map<String, String> env) {
    String raw = env.get(name());
    if (raw == null) return null;
    // A list set to nothing is an empty list (CARELOOP_BRAND_KEYWORDS= listens to mentions only); any other blank is unset.
    if (kind == Kind.LIST) return Arrays.stream(raw.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    if (raw.isBlank()) return null;
    return switch (kind) {
      case TEXT, SECRET -> raw;
      case WHOLE -> {
        try {
          yield Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException(name() + " must be a whole number, not " + raw);
        }
      }
      case FLAG -> switch (raw.trim().toLowerCase(Locale.ROOT)) {
        case "true" -> true;
        case "false" -> false;
        default -> throw new IllegalArgumentException(name() + " must be true or false, not " + raw);
      };
      case LIST -> throw new AssertionError();
    };
  }

  private static void put(JsonObject tree, String dotted, Object value) {
    String[] parts = dotted.split("\\.");
    JsonObject at = tree;
    for (int i = 0; i < parts.length - 1; i++) {
      JsonObject next = at.getValue(parts[i]) instanceof JsonObject o ? o : null;
      if (next == null) {
        next = new JsonObject();
        at.put(parts[i], next);
      }
      at = next;
    }
    at.put(parts[parts.length - 1], value);
  }
}
