package io.careloop.config;

import io.careloop.queue.Priority;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Every setting CareLoop reads, resolved once at start: the JSON file ({@code conf/careloop.json} or
 * {@code CARELOOP_CONFIG}) overridden by the {@code CARELOOP_*} environment variables of the
 * integration contract. Secrets come only from the environment and are never printed by {@link #toString()}.
 */
public record Settings(
  int httpPort,
  Path dataDir,
  String mongoUri,
  String mongoDatabase,
  String publicUrl,
  boolean demo,
  XSettings x,
  BrandSettings brand,
  Map<Priority, Duration> firstResponseTargets,
  Map<Priority, Duration> nextResponseTargets,
  Duration claimIdle,
  String adminPassword,
  JsonObject defaultSlaBook,
  Duration slaScanInterval,
  String tlsCertPath,
  String tlsKeyPath,
  long monthlyReadCap,
  CycleSettings cycle,
  StatusSettings status,
  Duration sessionIdle,
  ClusterSettings cluster,
  Connections connections,
  HttpSecurity security,
  BackupSettings backup) {

  /**
   * Backups of the embedded database: where they go ({@code CARELOOP_BACKUP_DIR}, by default {@code backups} in the data
   * folder: put it on another disk), how many are kept, and every how many hours one is taken (0: only on request).
   */
  public record BackupSettings(Path dir, int keep, int everyHours) {}

  /**
   * How the HTTP server meets its clients: the interface it listens on ({@code CARELOOP_HTTP_HOST}, all by default), at
   * most how many connections it keeps open, how long a client may take to send a request's head (from connecting, or
   * from the end of its previous response) and then its body, and how long a connection may sit without a byte.
   */
  public record Connections(String host, int maxConnections, int maxConnectionsPerAddress, Duration headerTimeout, Duration bodyTimeout,
                            Duration idleTimeout) {}

  /**
   * The HTTP edge: which reverse proxies' {@code X-Forwarded-For} is believed ({@code CARELOOP_TRUSTED_PROXIES}, none by
   * default, so the TCP peer is the client), and the bearer token that {@code /metrics} and {@code /health/cluster}
   * require when set ({@code CARELOOP_METRICS_TOKEN}, a secret: null means open, for probes on a private network).
   */
  public record HttpSecurity(TrustedProxies trustedProxies, String metricsToken) {
    public static HttpSecurity open() { return new HttpSecurity(TrustedProxies.none(), null); }

    @Override public String toString() {
      return "HttpSecurity[trustedProxies=" + trustedProxies + ", metricsToken=" + (metricsToken == null ? "none" : "***") + "]";
    }
  }

  /**
   * Scale-out (PRODUCT.md 2.9). {@code nodeId} names this node in leases and health and must be unique among running
   * nodes; {@code clustered} joins a Vert.x cluster (Hazelcast) so live updates and sessions reach every node;
   * {@code leaseTtl} is how long a dead node keeps its leases; {@code serveDatabase} (host:port, or null) lets other
   * nodes use this node's embedded database, for a demo cluster on one machine, behind SCRAM-SHA-256 with
   * {@code serveDatabasePassword}.
   */
  public record ClusterSettings(String nodeId, boolean clustered, String host, int port, int busPort, List<String> members,
                                Duration leaseTtl, String serveDatabase, String serveDatabasePassword) {
    public ClusterSettings {
      members = List.copyOf(members);
    }

    /** The node alone: a single-node run (and what tests get unless they ask for more). */
    public static ClusterSettings single(String nodeId) {
      return new ClusterSettings(nodeId, false, "127.0.0.1", 5701, 0, List.of(), Duration.ofSeconds(5), null, null);
    }

    @Override public String toString() {
      return "ClusterSettings[node=" + nodeId + ", clustered=" + clustered + ", members=" + members + ", serveDatabase=" + serveDatabase + "]";
    }
  }

  /** The public response-time page: over how many days, and how many replies it needs before it states a figure. */
  public record StatusSettings(int windowDays, int minReplies) {}

  /**
   * The virtuous cycle: how alike two answered mentions must be (Jaccard of their question words) to count as the same
   * question, depending on whether they were answered with the same KB article, a different one, or none; and after
   * how many KB-linked answers a cluster is suggested for the blog.
   */
  public record CycleSettings(double textSimilarity, double sameArticleSimilarity, double otherArticleSimilarity,
                              int suggestPromotionAt, String proactiveTemplate) {}

  public record XSettings(String baseUrl, String api, Duration pollInterval, Duration timeout,
                          Duration serverErrorInitial, Duration serverErrorMax,
                          Duration networkStep, Duration networkMax,
                          Credentials credentials) {
    public boolean v1() { return "v1.1".equals(api); }

    /** The same settings, posting as the account of this user token. */
    public XSettings as(UserToken token) {
      return new XSettings(baseUrl, api, pollInterval, timeout, serverErrorInitial, serverErrorMax, networkStep, networkMax, credentials.as(token));
    }
  }

  /** X credentials; {@link #toString()} masks them so they never reach a log. */
  public record Credentials(String bearerToken, String consumerKey, String consumerSecret,
                            String accessToken, String accessTokenSecret, Map<String, UserToken> brandTokens) {
    public Credentials(String bearerToken, String consumerKey, String consumerSecret, String accessToken, String accessTokenSecret) {
      this(bearerToken, consumerKey, consumerSecret, accessToken, accessTokenSecret, Map.of());
    }

    public boolean any() {
      return bearerToken != null || consumerKey != null || consumerSecret != null
        || accessToken != null || accessTokenSecret != null;
    }

    /** The same app, posting as another account (a brand's own user token). */
    public Credentials as(UserToken token) {
      return new Credentials(bearerToken, consumerKey, consumerSecret, token.accessToken(), token.accessTokenSecret(), Map.of());
    }

    @Override public String toString() { return any() ? "Credentials[***]" : "Credentials[none]"; }
  }

  /** An account's OAuth 1.0a user token: what lets the app post as that account. Never printed. */
  public record UserToken(String accessToken, String accessTokenSecret) {
    @Override public String toString() { return "UserToken[***]"; }
  }

  /**
   * A further brand's posting token: {@code CARELOOP_X_BRAND_<HANDLE>_ACCESS_TOKEN} and {@code ..._ACCESS_TOKEN_SECRET}
   * (handle in capitals), from the environment or the secrets file. The configured brand uses CARELOOP_X_ACCESS_TOKEN.
   */
  static final java.util.regex.Pattern BRAND_TOKEN = java.util.regex.Pattern.compile("CARELOOP_X_BRAND_([A-Z0-9_]{1,15})_ACCESS_TOKEN(_SECRET)?");

  static Map<String, UserToken> brandTokens(Map<String, String> env) {
    Map<String, UserToken> tokens = new java.util.TreeMap<>();
    env.forEach((key, value) -> {
      var m = BRAND_TOKEN.matcher(key);
      if (!m.matches() || m.group(2) != null || blankToNull(value) == null) return;
      String secret = blankToNull(env.get(key + "_SECRET"));
      if (secret == null) throw new IllegalArgumentException(key + " is set but " + key + "_SECRET is not");
      tokens.put(m.group(1).toLowerCase(java.util.Locale.ROOT), new UserToken(value.trim(), secret));
    });
    return Map.copyOf(tokens);
  }

  public record BrandSettings(String handle, String userId, String name, List<String> keywords) {}

  public static final String CONFIG_ENV = "CARELOOP_CONFIG";

  public static final String SECRETS_FILE_ENV = "CARELOOP_SECRETS_FILE";
  /** The only keys a secrets file may set. */
  static final java.util.Set<String> SECRET_KEYS = java.util.Set.of("CARELOOP_X_BEARER_TOKEN", "CARELOOP_X_CONSUMER_KEY",
    "CARELOOP_X_CONSUMER_SECRET", "CARELOOP_X_ACCESS_TOKEN", "CARELOOP_X_ACCESS_TOKEN_SECRET", "CARELOOP_ADMIN_PASSWORD",
    "CARELOOP_MONGO_URI", "CARELOOP_SERVE_DATABASE_PASSWORD", "CARELOOP_METRICS_TOKEN");

  /** Reads the config file (or the copy packaged in the jar) and applies the secrets file and the environment. */
  public static Settings load(Map<String, String> env) {
    return from(readConfigFile(env), withSecrets(env));
  }

  /**
   * Adds the secrets from {@code CARELOOP_SECRETS_FILE} (KEY=VALUE lines) under the environment: a variable set in the
   * environment wins. The file must live outside any git work tree, so a secret cannot be committed by accident.
   */
  static Map<String, String> withSecrets(Map<String, String> env) {
    String file = blankToNull(env.get(SECRETS_FILE_ENV));
    if (file == null) return env;
    Path path = Path.of(file).toAbsolutePath().normalize();
    for (Path dir = path.getParent(); dir != null; dir = dir.getParent()) {
      if (Files.exists(dir.resolve(".git"))) {
        throw new IllegalArgumentException("CARELOOP_SECRETS_FILE must live outside the repository (" + dir + " is a git work tree)");
      }
    }
    Map<String, String> merged = new java.util.HashMap<>();
    try {
      for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
        String l = line.trim();
        if (l.isEmpty() || l.startsWith("#")) continue;
        int eq = l.indexOf('=');
        String key = eq < 0 ? l : l.substring(0, eq).trim();
        if (eq < 0 || !(SECRET_KEYS.contains(key) || BRAND_TOKEN.matcher(key).matches())) throw new IllegalArgumentException("CARELOOP_SECRETS_FILE: unexpected line for key '" + key + "'");
        merged.put(key, l.substring(eq + 1).trim());
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read CARELOOP_SECRETS_FILE: " + e.getMessage(), e);
    }
    merged.putAll(env);
    return Map.copyOf(merged);
  }

  static JsonObject readConfigFile(Map<String, String> env) {
    Path file = Path.of(env.getOrDefault(CONFIG_ENV, "conf/careloop.json"));
    try {
      if (Files.exists(file)) {
        return new JsonObject(Files.readString(file));
      }
      if (env.containsKey(CONFIG_ENV)) {
        throw new IllegalArgumentException("CARELOOP_CONFIG names a missing file: " + file);
      }
      try (InputStream in = Settings.class.getClassLoader().getResourceAsStream("conf/careloop.json")) {
        if (in == null) return new JsonObject();
        return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read config " + file + ": " + e.getMessage(), e);
    }
  }

  public static Settings from(JsonObject conf, Map<String, String> env) {
    JsonObject http = conf.getJsonObject("http", new JsonObject());
    JsonObject mongo = conf.getJsonObject("mongo", new JsonObject());
    JsonObject x = conf.getJsonObject("x", new JsonObject());
    JsonObject backoff = x.getJsonObject("backoff", new JsonObject());
    JsonObject brand = conf.getJsonObject("brand", new JsonObject());
    JsonObject sla = conf.getJsonObject("sla", new JsonObject());

    int port = intValue(env.get("CARELOOP_HTTP_PORT"), http.getInteger("port", 8080), "CARELOOP_HTTP_PORT");
    Credentials credentials = new Credentials(
      blankToNull(env.get("CARELOOP_X_BEARER_TOKEN")),
      blankToNull(env.get("CARELOOP_X_CONSUMER_KEY")),
      blankToNull(env.get("CARELOOP_X_CONSUMER_SECRET")),
      blankToNull(env.get("CARELOOP_X_ACCESS_TOKEN")),
      blankToNull(env.get("CARELOOP_X_ACCESS_TOKEN_SECRET")),
      brandTokens(env));

    Boolean demoConf = conf.getBoolean("demo");
    String demoEnv = blankToNull(env.get("CARELOOP_DEMO"));
    boolean demo = demoEnv != null ? Boolean.parseBoolean(demoEnv)
      : demoConf != null ? demoConf : !credentials.any();

    int defaultPoll = demo ? x.getInteger("demoPollSeconds", 2) : x.getInteger("pollSeconds", 60);
    int pollSeconds = intValue(env.get("CARELOOP_POLL_SECONDS"), defaultPoll, "CARELOOP_POLL_SECONDS");
    if (pollSeconds < 1) throw new IllegalArgumentException("CARELOOP_POLL_SECONDS must be at least 1");

    String api = Objects.requireNonNullElse(blankToNull(env.get("CARELOOP_X_API")), x.getString("api", "v2"));
    if (!api.equals("v2") && !api.equals("v1.1")) {
      throw new IllegalArgumentException("CARELOOP_X_API must be v2 or v1.1, not " + api);
    }

    XSettings xSettings = new XSettings(
      stripSlash(Objects.requireNonNullElse(blankToNull(env.get("CARELOOP_X_BASE_URL")), x.getString("baseUrl", "https://api.twitter.com"))),
      api,
      Duration.ofSeconds(pollSeconds),
      Duration.ofMillis(x.getLong("timeoutMillis", 10_000L)),
      Duration.ofMillis(backoff.getLong("serverErrorInitialMillis", 5_000L)),
      Duration.ofMillis(backoff.getLong("serverErrorMaxMillis", 320_000L)),
      Duration.ofMillis(backoff.getLong("networkStepMillis", 250L)),
      Duration.ofMillis(backoff.getLong("networkMaxMillis", 16_000L)),
      credentials);

    String keywordsEnv = env.get("CARELOOP_BRAND_KEYWORDS");
    List<String> keywords = keywordsEnv != null
      ? Arrays.stream(keywordsEnv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList()
      : strings(brand.getJsonArray("keywords", new JsonArray()));
    BrandSettings brandSettings = new BrandSettings(
      Objects.requireNonNullElse(blankToNull(env.get("CARELOOP_BRAND_HANDLE")), brand.getString("handle", "AcmeCloud")).replaceFirst("^@", ""),
      Objects.requireNonNullElse(blankToNull(env.get("CARELOOP_BRAND_USER_ID")), brand.getString("userId", "1000000000000000001")),
      Objects.requireNonNullElse(blankToNull(env.get("CARELOOP_BRAND_NAME")), brand.getString("name", "Acme Cloud")),
      keywords);

    String publicUrl = Objects.requireNonNullElse(blankToNull(env.get("CARELOOP_PUBLIC_URL")),
      Objects.requireNonNullElse(conf.getString("publicUrl"), "http://localhost:" + port));

    return new Settings(
      port,
      Path.of(Objects.requireNonNullElse(blankToNull(env.get("CARELOOP_DATA_DIR")), conf.getString("dataDir", "./data"))),
      Objects.requireNonNullElse(blankToNull(env.get("CARELOOP_MONGO_URI")), Objects.requireNonNullElse(mongo.getString("uri"), "")),
      mongo.getString("database", "careloop"),
      stripSlash(publicUrl),
      demo,
      xSettings,
      brandSettings,
      targets(sla.getJsonObject("firstResponseMinutes", new JsonObject())),
      targets(sla.getJsonObject("nextResponseMinutes", new JsonObject())),
      Duration.ofMinutes(conf.getInteger("claimIdleMinutes", 10)),
      blankToNull(env.get("CARELOOP_ADMIN_PASSWORD")),
      defaultSlaBook(sla),
      Duration.ofMillis(conf.getLong("slaScanMillis", 1000L)),
      orNull(blankToNull(env.get("CARELOOP_TLS_CERT")), conf.getJsonObject("tls", new JsonObject()).getString("cert")),
      orNull(blankToNull(env.get("CARELOOP_TLS_KEY")), conf.getJsonObject("tls", new JsonObject()).getString("key")),
      // Posts the X account may read per month (Basic tier: 10,000): polling stops short of it.
      readCap(env.get("CARELOOP_X_MONTHLY_READ_CAP"), x.getLong("monthlyReadCap", 10_000L)),
      cycle(conf.getJsonObject("cycle", new JsonObject())),
      new StatusSettings(conf.getJsonObject("status", new JsonObject()).getInteger("windowDays", 7),
        conf.getJsonObject("status", new JsonObject()).getInteger("minReplies", 10)),
      // Idle sessions end after 30 minutes (PRODUCT.md); the seconds override exists so a test can watch one expire.
      env.get("CARELOOP_SESSION_IDLE_SECONDS") != null ? Duration.ofSeconds(Long.parseLong(env.get("CARELOOP_SESSION_IDLE_SECONDS")))
        : Duration.ofMinutes(conf.getInteger("sessionIdleMinutes", 30)),
      cluster(conf.getJsonObject("cluster", new JsonObject()), env, port),
      connections(http, env),
      security(http, env),
      backup(conf.getJsonObject("backup", new JsonObject()), env,
        Path.of(Objects.requireNonNullElse(blankToNull(env.get("CARELOOP_DATA_DIR")), conf.getString("dataDir", "./data")))));
  }

  private static BackupSettings backup(JsonObject b, Map<String, String> env, Path dataDir) {
    String dir = Objects.requireNonNullElse(blankToNull(env.get("CARELOOP_BACKUP_DIR")), Objects.requireNonNullElse(b.getString("dir"), ""));
    int keep = intValue(env.get("CARELOOP_BACKUP_KEEP"), b.getInteger("keep", 7), "CARELOOP_BACKUP_KEEP");
    int every = intValue(env.get("CARELOOP_BACKUP_EVERY_HOURS"), b.getInteger("everyHours", 24), "CARELOOP_BACKUP_EVERY_HOURS");
    if (keep < 1) throw new IllegalArgumentException("CARELOOP_BACKUP_KEEP must be at least 1");
    if (every < 0) throw new IllegalArgumentException("CARELOOP_BACKUP_EVERY_HOURS must be 0 (only on request) or more");
    return new BackupSettings(dir.isEmpty() ? dataDir.resolve("backups") : Path.of(dir), keep, every);
  }

  private static Connections connections(JsonObject http, Map<String, String> env) {
    String host = Objects.requireNonNullElse(blankToNull(env.get("CARELOOP_HTTP_HOST")), http.getString("host", "0.0.0.0"));
    if (!host.matches("[A-Za-z0-9.:\\[\\]-]+")) throw new IllegalArgumentException("CARELOOP_HTTP_HOST must be an address or host name, not " + host);
    int max = intValue(env.get("CARELOOP_HTTP_MAX_CONNECTIONS"), http.getInteger("maxConnections", 2_000), "CARELOOP_HTTP_MAX_CONNECTIONS");
    // An office behind one address (NAT) opens up to six per browser: 256 lets some forty staff share one.
    int perAddress = intValue(env.get("CARELOOP_HTTP_MAX_CONNECTIONS_PER_ADDRESS"), http.getInteger("maxConnectionsPerAddress", 256), "CARELOOP_HTTP_MAX_CONNECTIONS_PER_ADDRESS");
    if (perAddress < 1) throw new IllegalArgumentException("CARELOOP_HTTP_MAX_CONNECTIONS_PER_ADDRESS must be at least 1");
    int header = intValue(env.get("CARELOOP_HTTP_HEADER_TIMEOUT_SECONDS"), http.getInteger("headerTimeoutSeconds", 10), "CARELOOP_HTTP_HEADER_TIMEOUT_SECONDS");
    int body = intValue(env.get("CARELOOP_HTTP_BODY_TIMEOUT_SECONDS"), http.getInteger("bodyTimeoutSeconds", 30), "CARELOOP_HTTP_BODY_TIMEOUT_SECONDS");
    int idle = intValue(env.get("CARELOOP_HTTP_IDLE_TIMEOUT_SECONDS"), http.getInteger("idleTimeoutSeconds", 60), "CARELOOP_HTTP_IDLE_TIMEOUT_SECONDS");
    if (max < 1) throw new IllegalArgumentException("CARELOOP_HTTP_MAX_CONNECTIONS must be at least 1");
    if (header < 1 || body < 1) throw new IllegalArgumentException("CARELOOP_HTTP_HEADER_TIMEOUT_SECONDS and CARELOOP_HTTP_BODY_TIMEOUT_SECONDS must be at least 1");
    // The console's event stream writes a keep-alive every 15 s: a shorter idle timeout would cut it.
    if (idle < 20) throw new IllegalArgumentException("CARELOOP_HTTP_IDLE_TIMEOUT_SECONDS must be at least 20 (the event stream's keep-alive is 15 s)");
    return new Connections(host, max, perAddress, Duration.ofSeconds(header), Duration.ofSeconds(body), Duration.ofSeconds(idle));
  }

  /** A token shorter than this is a password, not a secret worth the name: refused at start. */
  static final int MIN_METRICS_TOKEN = 16;

  private static HttpSecurity security(JsonObject http, Map<String, String> env) {
    String proxiesEnv = env.get("CARELOOP_TRUSTED_PROXIES");
    TrustedProxies proxies = proxiesEnv != null ? TrustedProxies.parse(proxiesEnv)
      : TrustedProxies.of(strings(http.getJsonArray("trustedProxies", new JsonArray())));
    String token = blankToNull(env.get("CARELOOP_METRICS_TOKEN"));
    if (token != null && token.trim().length() < MIN_METRICS_TOKEN) {
      throw new IllegalArgumentException("CARELOOP_METRICS_TOKEN must have at least " + MIN_METRICS_TOKEN + " characters");
    }
    return new HttpSecurity(proxies, token == null ? null : token.trim());
  }

  private static ClusterSettings cluster(JsonObject c, Map<String, String> env, int httpPort) {
    String clusteredEnv = blankToNull(env.get("CARELOOP_CLUSTER"));
    boolean clustered = clusteredEnv != null ? Boolean.parseBoolean(clusteredEnv) : c.getBoolean("enabled", false);
    String host = Objects.requireNonNullElse(blankToNull(env.get("CARELOOP_CLUSTER_HOST")), c.getString("host", "127.0.0.1"));
    String membersEnv = env.get("CARELOOP_CLUSTER_MEMBERS");
    List<String> members = membersEnv != null
      ? Arrays.stream(membersEnv.split(",")).map(String::trim).filter(m -> !m.isEmpty()).toList()
      : strings(c.getJsonArray("members", new JsonArray()));
    for (String m : members) {
      if (!m.matches("[A-Za-z0-9.:\\[\\]-]+(:\\d{1,5})?")) throw new IllegalArgumentException("CARELOOP_CLUSTER_MEMBERS: not a host or host:port: " + m);
    }
    int leaseSeconds = intValue(env.get("CARELOOP_LEASE_SECONDS"), c.getInteger("leaseSeconds", 5), "CARELOOP_LEASE_SECONDS");
    if (leaseSeconds < 2) throw new IllegalArgumentException("CARELOOP_LEASE_SECONDS must be at least 2");
    String nodeId = Objects.requireNonNullElse(blankToNull(env.get("CARELOOP_NODE_ID")), c.getString("nodeId", defaultNodeId(httpPort)));
    if (!nodeId.matches("[A-Za-z0-9._:-]{1,64}")) throw new IllegalArgumentException("CARELOOP_NODE_ID may hold letters, digits and . _ : - (at most 64), not " + nodeId);
    String serve = blankToNull(Objects.requireNonNullElse(env.get("CARELOOP_SERVE_DATABASE"), Objects.requireNonNullElse(c.getString("serveDatabase"), "")));
    if (serve != null && !serve.matches("[A-Za-z0-9.-]+:\\d{1,5}")) throw new IllegalArgumentException("CARELOOP_SERVE_DATABASE must be host:port, not " + serve);
    String servePassword = blankToNull(env.get("CARELOOP_SERVE_DATABASE_PASSWORD"));
    if (serve != null) checkServed(serve, servePassword, Boolean.parseBoolean(env.get("CARELOOP_SERVE_DATABASE_INSECURE")));
    return new ClusterSettings(nodeId, clustered, host,
      intValue(env.get("CARELOOP_CLUSTER_PORT"), c.getInteger("port", 5701), "CARELOOP_CLUSTER_PORT"),
      intValue(env.get("CARELOOP_CLUSTER_BUS_PORT"), c.getInteger("busPort", 0), "CARELOOP_CLUSTER_BUS_PORT"),
      members, Duration.ofSeconds(leaseSeconds), serve, servePassword);
  }

  /**
   * The served embedded database checks a password (SCRAM-SHA-256) but does not encrypt: on loopback nobody else can
   * read the traffic, on any other interface anyone on the path can. So a non-loopback address needs the operator to
   * say, with CARELOOP_SERVE_DATABASE_INSECURE=true, that they know; a real cluster uses an authenticated MongoDB with TLS.
   */
  private static void checkServed(String serve, String password, boolean insecureAcknowledged) {
    if (password == null || password.length() < 16) {
      throw new IllegalArgumentException("CARELOOP_SERVE_DATABASE needs CARELOOP_SERVE_DATABASE_PASSWORD (at least 16 characters): "
        + "the other nodes sign in with it");
    }
    String host = serve.substring(0, serve.lastIndexOf(':'));
    boolean loopback;
    try {
      loopback = java.net.InetAddress.getByName(host).isLoopbackAddress();
    } catch (java.net.UnknownHostException e) {
      throw new IllegalArgumentException("CARELOOP_SERVE_DATABASE: unknown host " + host, e);
    }
    if (!loopback && !insecureAcknowledged) {
      throw new IllegalArgumentException("CARELOOP_SERVE_DATABASE=" + serve + " is not a loopback address: the embedded database "
        + "would be reachable from the network without encryption. Use an authenticated MongoDB with TLS for a real cluster, "
        + "or set CARELOOP_SERVE_DATABASE_INSECURE=true to accept that");
    }
  }

  /** Host name and HTTP port: stable across restarts of the same node, distinct between nodes of one machine. */
  private static String defaultNodeId(int httpPort) {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "node";
    }
    String id = (host + "-" + (httpPort == 0 ? ProcessHandle.current().pid() : httpPort)).replaceAll("[^A-Za-z0-9._:-]", "-");
    return id.length() > 64 ? id.substring(0, 64) : id;
  }

  private static CycleSettings cycle(JsonObject c) {
    JsonObject similarity = c.getJsonObject("similarity", new JsonObject());
    String proactiveTweet = c.getString("proactiveTweet", "Wondering {{question}} So was one of our customers: {{link}}");
    // Checked now, so a template outside the closed language stops the start with its reason, not the first tweet.
    io.careloop.blog.ProactiveTweet.parse(proactiveTweet);
    return new CycleSettings(similarity.getDouble("text", 0.5), similarity.getDouble("sameArticle", 0.2),
      similarity.getDouble("otherArticle", 0.75), c.getInteger("suggestPromotionAt", 3), proactiveTweet);
  }

  /** HTTPS served by CareLoop itself (both PEM files given). */
  public boolean tls() { return tlsCertPath != null && tlsKeyPath != null; }

  /**
   * The service-level book stored at first start: one policy for every case from the configured targets, and the
   * configured opening hours (used by policies that count business hours).
   */
  private static JsonObject defaultSlaBook(JsonObject sla) {
    JsonObject hours = sla.getJsonObject("hours", new JsonObject().put("zone", "UTC").put("weekly", new JsonObject()
      .put("MONDAY", new JsonArray().add(new JsonArray().add("09:00").add("17:00")))
      .put("TUESDAY", new JsonArray().add(new JsonArray().add("09:00").add("17:00")))
      .put("WEDNESDAY", new JsonArray().add(new JsonArray().add("09:00").add("17:00")))
      .put("THURSDAY", new JsonArray().add(new JsonArray().add("09:00").add("17:00")))
      .put("FRIDAY", new JsonArray().add(new JsonArray().add("09:00").add("17:00")))));
    JsonObject policy = new JsonObject().put("id", "default").put("name", "Every case")
      .put("firstResponseMinutes", minutes(targets(sla.getJsonObject("firstResponseMinutes", new JsonObject()))))
      .put("nextResponseMinutes", minutes(targets(sla.getJsonObject("nextResponseMinutes", new JsonObject()))))
      .put("businessHours", false)
      .put("warnShare", sla.getDouble("warnShare", 0.75))
      .put("escalateOnBreach", sla.getBoolean("escalateOnBreach", true));
    return new JsonObject().put("policies", new JsonArray().add(policy)).put("hours", hours);
  }

  private static JsonObject minutes(Map<Priority, Duration> targets) {
    JsonObject o = new JsonObject();
    targets.forEach((p, d) -> o.put(p.name(), d.toMinutes()));
    return o;
  }

  public boolean embeddedDatabase() { return mongoUri.isEmpty(); }

  /** Copy with other values, for tests and for the demo wiring (which points X at the stand-in). */
  public Settings withX(XSettings x) {
    return new Settings(httpPort, dataDir, mongoUri, mongoDatabase, publicUrl, demo, x, brand,
      firstResponseTargets, nextResponseTargets, claimIdle, adminPassword, defaultSlaBook, slaScanInterval, tlsCertPath, tlsKeyPath, monthlyReadCap, cycle, status, sessionIdle, cluster, connections, security, backup);
  }

  private static Map<Priority, Duration> targets(JsonObject minutes) {
    Map<Priority, Duration> defaults = Map.of(Priority.urgent, Duration.ofMinutes(15), Priority.high, Duration.ofMinutes(30),
      Priority.normal, Duration.ofMinutes(60), Priority.low, Duration.ofMinutes(240));
    Map<Priority, Duration> result = new EnumMap<>(Priority.class);
    for (Priority p : Priority.values()) {
      Integer m = minutes.getInteger(p.name());
      result.put(p, m == null ? defaults.get(p) : Duration.ofMinutes(m));
    }
    return Map.copyOf(result);
  }

  private static List<String> strings(JsonArray array) {
    return array.stream().map(String::valueOf).toList();
  }

  private static long readCap(String env, long fallback) {
    long cap = fallback;
    if (env != null && !env.isBlank()) {
      try {
        cap = Long.parseLong(env.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("CARELOOP_X_MONTHLY_READ_CAP must be a whole number, not " + env);
      }
    }
    if (cap < 1) throw new IllegalArgumentException("the monthly read cap must be at least 1, not " + cap);
    return cap;
  }

  private static int intValue(String env, int fallback, String name) {
    if (env == null || env.isBlank()) return fallback;
    try {
      return Integer.parseInt(env.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, not " + env);
    }
  }

  private static String orNull(String first, String second) { return first != null ? first : blankToNull(second); }

  private static String blankToNull(String s) { return s == null || s.isBlank() ? null : s; }

  private static String stripSlash(String s) { return s.endsWith("/") ? s.substring(0, s.length() - 1) : s; }

  /** Copy with other cluster settings (tests run several nodes in one JVM). */
  public Settings withCluster(ClusterSettings cluster) {
    return new Settings(httpPort, dataDir, mongoUri, mongoDatabase, publicUrl, demo, x, brand,
      firstResponseTargets, nextResponseTargets, claimIdle, adminPassword, defaultSlaBook, slaScanInterval, tlsCertPath, tlsKeyPath, monthlyReadCap, cycle, status, sessionIdle, cluster, connections, security, backup);
  }

  @Override public String toString() {
    return "Settings[port=" + httpPort + ", node=" + cluster.nodeId() + (cluster.clustered() ? " (clustered)" : "") + ", dataDir=" + dataDir + ", mongo=" + (embeddedDatabase() ? "embedded" : "external")
      + ", demo=" + demo + ", x=" + x.baseUrl() + " " + x.api() + " every " + x.pollInterval().toSeconds() + "s, brand=@" + brand.handle() + "]";
  }
}
