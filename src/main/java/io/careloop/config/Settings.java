package io.careloop.config;

import io.vertx.core.json.JsonObject;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Every setting CareLoop reads, resolved once at start: the packaged {@code conf/careloop.json} (the only place
 * defaults are written), the operator's file laid over it ({@code CARELOOP_CONFIG}, else {@code conf/careloop.json}
 * in the working folder), then the {@code CARELOOP_*} variables of the integration contract ({@link Variable} maps
 * each to its key) and the secrets file under them. Secrets come only from the environment or the secrets file and
 * are never printed by {@link #toString()}.
 */
public record Settings(
  int httpPort,
  String publicUrl,
  Tls tls,
  Connections connections,
  HttpSecurity security,
  Path dataDir,
  Mongo mongo,
  BackupSettings backup,
  boolean demo,
  boolean demoHistory,
  XSettings x,
  BrandSettings brand,
  QueueSettings queue,
  String adminPassword,
  Duration sessionIdle,
  long monthlyReadCap,
  CycleSettings cycle,
  KbSettings kb,
  StatusSettings status,
  ClusterSettings cluster) {

  public static final String CONFIG_ENV = ConfigFile.CONFIG_ENV;
  public static final String SECRETS_FILE_ENV = SecretsFile.ENV;

  /** Reads the operator's config file and applies the secrets file and the environment. */
  public static Settings load(Map<String, String> env) {
    return from(ConfigFile.operatorFile(env), SecretsFile.under(env));
  }

  /**
   * The settings from {@code file} (keys it leaves out keep the packaged defaults; an empty object is the defaults)
   * and {@code env}, checked: a bad value stops the start with an {@link IllegalArgumentException} naming it.
   */
  public static Settings from(JsonObject file, Map<String, String> env) {
    JsonObject tree = ConfigFile.overlay(ConfigFile.defaults(), file);
    Section root = new Section(tree, Variable.applyTo(tree, env));
    Section http = root.section("http");
    int port = http.integer("port");
    Credentials credentials = Credentials.from(env);
    Boolean demo = root.optionalFlag("demo");
    boolean demoMode = demo != null ? demo : !credentials.any();
    String publicUrl = root.optionalText("publicUrl");
    Path dataDir = Path.of(root.text("dataDir"));
    return new Settings(
      port,
      stripSlash(publicUrl != null ? publicUrl : "http://localhost:" + port),
      Tls.from(root.section("tls")),
      Connections.from(http),
      HttpSecurity.from(http, env),
      dataDir,
      Mongo.from(root.section("mongo")),
      BackupSettings.from(root.section("backup"), dataDir),
      demoMode,
      // The past month is played only into an empty database, and only in demo mode.
      demoMode && root.flag("demoHistory"),
      XSettings.from(root.section("x"), demoMode, credentials),
      BrandSettings.from(root.section("brand")),
      QueueSettings.from(root),
      Variable.CARELOOP_ADMIN_PASSWORD.text(env),
      sessionIdle(root, env),
      // Posts the X account may read per month (Basic tier: 10,000): polling stops short of it.
      readCap(root.section("x")),
      CycleSettings.from(root.section("cycle")),
      KbSettings.from(root.section("kb")),
      StatusSettings.from(root.section("status")),
      ClusterSettings.from(root.section("cluster"), env, port));
  }

  /** HTTPS served by CareLoop itself from two PEM files ({@code CARELOOP_TLS_CERT}, {@code CARELOOP_TLS_KEY}). */
  public record Tls(String certPath, String keyPath) {
    /** Both files given. */
    public boolean enabled() { return certPath != null && keyPath != null; }

    static Tls from(Section tls) {
      return new Tls(tls.optionalText("cert"), tls.optionalText("key"));
    }
  }

  /**
   * How the HTTP server meets its clients: the interface it listens on ({@code CARELOOP_HTTP_HOST}, all by default), at
   * most how many connections it keeps open, how long a client may take to send a request's head (from connecting, or
   * from the end of its previous response) and then its body, and how long a connection may sit without a byte.
   */
  public record Connections(String host, int maxConnections, int maxConnectionsPerAddress, Duration headerTimeout, Duration bodyTimeout,
                            Duration idleTimeout) {
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.:\\[\\]-]+");

    static Connections from(Section http) {
      return new Connections(
        http.matching("host", HOST, "an address or host name"),
        http.atLeast("maxConnections", 1),
        // An office behind one address (NAT) opens up to six per browser: the default 256 lets some forty staff share one.
        http.atLeast("maxConnectionsPerAddress", 1),
        Duration.ofSeconds(http.atLeast("headerTimeoutSeconds", 1)),
        Duration.ofSeconds(http.atLeast("bodyTimeoutSeconds", 1)),
        // The console's event stream writes a keep-alive every 15 s: a shorter idle timeout would cut it.
        Duration.ofSeconds(http.atLeast("idleTimeoutSeconds", 20, " (the event stream's keep-alive is 15 s)")));
    }
  }

  /**
   * The HTTP edge: which reverse proxies' {@code X-Forwarded-For} is believed ({@code CARELOOP_TRUSTED_PROXIES}, none by
   * default, so the TCP peer is the client), and the bearer token that {@code /metrics} and {@code /health/cluster}
   * require when set ({@code CARELOOP_METRICS_TOKEN}, a secret: null means open, for probes on a private network).
   */
  public record HttpSecurity(TrustedProxies trustedProxies, String metricsToken) {
    /** A token shorter than this is a password, not a secret worth the name: refused at start. */
    static final int MIN_METRICS_TOKEN = 16;

    public static HttpSecurity open() { return new HttpSecurity(TrustedProxies.none(), null); }

    static HttpSecurity from(Section http, Map<String, String> env) {
      String token = Variable.CARELOOP_METRICS_TOKEN.text(env);
      if (token != null && token.trim().length() < MIN_METRICS_TOKEN) {
        throw new IllegalArgumentException("CARELOOP_METRICS_TOKEN must have at least " + MIN_METRICS_TOKEN + " characters");
      }
      return new HttpSecurity(TrustedProxies.of(http.texts("trustedProxies")), token == null ? null : token.trim());
    }

    @Override public String toString() {
      return "HttpSecurity[trustedProxies=" + trustedProxies + ", metricsToken=" + (metricsToken == null ? "none" : "***") + "]";
    }
  }

  /** The database: a MongoDB at {@code uri} ({@code CARELOOP_MONGO_URI}), or with none the embedded server in the data folder. */
  public record Mongo(String uri, String database) {
    public boolean embedded() { return uri == null; }

    static Mongo from(Section mongo) {
      return new Mongo(mongo.optionalText("uri"), mongo.text("database"));
    }

    // The connection string usually carries a password.
    @Override public String toString() { return "Mongo[" + (embedded() ? "embedded" : "external") + ", database=" + database + "]"; }
  }

  /**
   * Backups of the embedded database: where they go ({@code CARELOOP_BACKUP_DIR}, by default {@code backups} in the data
   * folder: put it on another disk), how many are kept, and every how many hours one is taken (0: only on request).
   */
  public record BackupSettings(Path dir, int keep, int everyHours) {
    static BackupSettings from(Section backup, Path dataDir) {
      String dir = backup.optionalText("dir");
      int keep = backup.atLeast("keep", 1);
      int every = backup.integer("everyHours");
      if (every < 0) throw backup.invalid("everyHours", "must be 0 (only on request) or more");
      return new BackupSettings(dir == null ? dataDir.resolve("backups") : Path.of(dir), keep, every);
    }
  }

  /**
   * The X API: its root ({@code {base}/2/…} or {@code {base}/1.1/…}), which version, how often each source is polled,
   * how long a call may take, how failed calls back off, and the credentials.
   */
  public record XSettings(String baseUrl, String api, Duration pollInterval, Duration timeout, Backoff backoff,
                          Credentials credentials) {
    public boolean v1() { return "v1.1".equals(api); }

    /** The same settings, posting as the account of this user token. */
    public XSettings as(UserToken token) {
      return new XSettings(baseUrl, api, pollInterval, timeout, backoff, credentials.as(token));
    }

    /** The same settings against another X (the demo's stand-in) with its credentials. */
    public XSettings at(String otherBaseUrl, Credentials otherCredentials) {
      return new XSettings(otherBaseUrl, api, pollInterval, timeout, backoff, otherCredentials);
    }

    /** The same settings, polling and timing out as given (tests and benchmarks poll faster than the file allows). */
    public XSettings withPolling(Duration otherPollInterval, Duration otherTimeout) {
      return new XSettings(baseUrl, api, otherPollInterval, otherTimeout, backoff, credentials);
    }

    public XSettings withBackoff(Backoff otherBackoff) {
      return new XSettings(baseUrl, api, pollInterval, timeout, otherBackoff, credentials);
    }

    static XSettings from(Section x, boolean demo, Credentials credentials) {
      return new XSettings(
        stripSlash(x.text("baseUrl")),
        x.oneOf("api", "v2", "v1.1"),
        Duration.ofSeconds(x.atLeast(demo ? "demoPollSeconds" : "pollSeconds", 1)),
        Duration.ofMillis(x.whole("timeoutMillis")),
        Backoff.from(x.section("backoff")),
        credentials);
    }
  }

  /** Waits between failed X calls: doubling after a server error, growing by a step after a network error, each capped. */
  public record Backoff(Duration serverErrorInitial, Duration serverErrorMax, Duration networkStep, Duration networkMax) {
    static Backoff from(Section b) {
      return new Backoff(Duration.ofMillis(b.whole("serverErrorInitialMillis")), Duration.ofMillis(b.whole("serverErrorMaxMillis")),
        Duration.ofMillis(b.whole("networkStepMillis")), Duration.ofMillis(b.whole("networkMaxMillis")));
    }
  }

  /** X credentials; {@link #toString()} masks them so they never reach a log. */
  public record Credentials(String bearerToken, String consumerKey, String consumerSecret,
                            String accessToken, String accessTokenSecret, Map<String, UserToken> brandTokens) {
    /**
     * A further brand's posting token: {@code CARELOOP_X_BRAND_<HANDLE>_ACCESS_TOKEN} and {@code ..._ACCESS_TOKEN_SECRET}
     * (handle in capitals), from the environment or the secrets file. The configured brand uses CARELOOP_X_ACCESS_TOKEN.
     */
    static final Pattern BRAND_TOKEN = Pattern.compile("CARELOOP_X_BRAND_([A-Z0-9_]{1,15})_ACCESS_TOKEN(_SECRET)?");

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

    static Credentials from(Map<String, String> env) {
      return new Credentials(Variable.CARELOOP_X_BEARER_TOKEN.text(env), Variable.CARELOOP_X_CONSUMER_KEY.text(env),
        Variable.CARELOOP_X_CONSUMER_SECRET.text(env), Variable.CARELOOP_X_ACCESS_TOKEN.text(env),
        Variable.CARELOOP_X_ACCESS_TOKEN_SECRET.text(env), brandTokens(env));
    }

    static Map<String, UserToken> brandTokens(Map<String, String> env) {
      Map<String, UserToken> tokens = new TreeMap<>();
      env.forEach((key, value) -> {
        var m = BRAND_TOKEN.matcher(key);
        if (!m.matches() || m.group(2) != null || value == null || value.isBlank()) return;
        String secret = env.get(key + "_SECRET");
        if (secret == null || secret.isBlank()) throw new IllegalArgumentException(key + " is set but " + key + "_SECRET is not");
        tokens.put(m.group(1).toLowerCase(Locale.ROOT), new UserToken(value.trim(), secret));
      });
      return Map.copyOf(tokens);
    }

    @Override public String toString() { return any() ? "Credentials[***]" : "Credentials[none]"; }
  }

  /** An account's OAuth 1.0a user token: what lets the app post as that account. Never printed. */
  public record UserToken(String accessToken, String accessTokenSecret) {
    @Override public String toString() { return "UserToken[***]"; }
  }

  /** The brand created at first start when none exists: its mentions are listened to, each keyword is a search source. */
  public record BrandSettings(String handle, String userId, String name, List<String> keywords) {
    static BrandSettings from(Section brand) {
      return new BrandSettings(brand.text("handle").replaceFirst("^@", ""), brand.text("userId"), brand.text("name"),
        brand.texts("keywords"));
    }
  }

  /**
   * The case queue: the {@code sla} section as written (its shape is the SLA book's business: queue.SlaBookJson turns
   * it into the book stored at first start), how long an untouched claim holds, how often deadlines are scanned, and
   * how the meaning of posts is read ({@code understanding}).
   */
  public record QueueSettings(JsonObject sla, Duration claimIdle, Duration slaScanInterval, UnderstandingSettings understanding) {
    public QueueSettings {
      sla = sla.copy();
    }

    /** A copy: the record stays immutable. */
    @Override public JsonObject sla() { return sla.copy(); }

    static QueueSettings from(Section root) {
      return new QueueSettings(root.object("sla"), Duration.ofMinutes(root.atLeast("claimIdleMinutes", 1)),
        Duration.ofMillis(root.atLeast("slaScanMillis", 1)), UnderstandingSettings.from(root.section("understanding")));
    }
  }

  /**
   * Conversation turns and priority by meaning (queue.TurnClassifier, queue.PriorityByMeaning): what a follow-up that
   * only thanks does to a replied case ({@code leave-replied} or {@code resolve}), and the margins calibrated on the
   * labelled sets' calibrate split (the figures are in the file's {@code calibration} note).
   */
  public record UnderstandingSettings(String thanksOnly, double keepThanks, double overrideDoubt, double priorityMargin, double priorityFloor) {
    static UnderstandingSettings from(Section u) {
      Section turns = u.section("turns");
      Section priority = u.section("priority");
      return new UnderstandingSettings(u.oneOf("thanksOnly", "leave-replied", "resolve"), turns.decimal("keepThanks"),
        turns.decimal("overrideDoubt"), priority.decimal("margin"), priority.decimal("floor"));
    }
  }

  /** Idle sessions end after sessionIdleMinutes (30, PRODUCT.md); the seconds variable exists so a test can watch one expire. */
  private static Duration sessionIdle(Section root, Map<String, String> env) {
    Long seconds = Variable.CARELOOP_SESSION_IDLE_SECONDS.whole(env);
    if (seconds != null && seconds < 1) throw new IllegalArgumentException("CARELOOP_SESSION_IDLE_SECONDS must be at least 1, not " + seconds);
    return seconds != null ? Duration.ofSeconds(seconds) : Duration.ofMinutes(root.atLeast("sessionIdleMinutes", 1));
  }

  private static long readCap(Section x) {
    long cap = x.whole("monthlyReadCap");
    if (cap < 1) throw x.invalid("monthlyReadCap", "must be at least 1, not " + cap);
    return cap;
  }

  /**
   * The virtuous cycle: how alike two answered mentions must be to count as the same question, depending on whether
   * they were answered with the same KB article, a different one, or none: by the cosine of their sentence vectors
   * ({@code meaning*}), or by the Jaccard of their question words when a vector is missing; and after how many
   * KB-linked answers a cluster is suggested for the blog.
   *
   * <p>The packaged meaning bars are what {@code MeaningCalibrationTest} picks on the calibrate split of the labelled
   * Fernway set, and it fails if conf/careloop.json says otherwise: {@code meaning} 0.45 (mean ARI 0.211 from text
   * alone; 0.40 gave 0.188, 0.50 0.197), {@code sameArticleMeaning} 0.05 and {@code otherArticleMeaning} 0.9 (mean ARI
   * 0.638 over the set fully and half linked; a same-article bar of 0.3 gave 0.610, other-article bars from 0.6 to 0.9
   * all gave 0.638, and a tie goes to the strictest).
   */
  public record CycleSettings(double textSimilarity, double sameArticleSimilarity, double otherArticleSimilarity,
                              double meaningSimilarity, double sameArticleMeaning, double otherArticleMeaning,
                              int suggestPromotionAt, String proactiveTemplate) {
    static CycleSettings from(Section cycle) {
      Section similarity = cycle.section("similarity");
      String proactiveTweet = cycle.text("proactiveTweet");
      // Checked now, so a template outside the closed language stops the start with its reason, not the first tweet.
      io.careloop.blog.ProactiveTweet.parse(proactiveTweet);
      return new CycleSettings(similarity.decimal("text"), similarity.decimal("sameArticle"), similarity.decimal("otherArticle"),
        similarity.decimal("meaning"), similarity.decimal("sameArticleMeaning"), similarity.decimal("otherArticleMeaning"),
        cycle.integer("suggestPromotionAt"), proactiveTweet);
    }
  }

  /**
   * Knowledge-base suggestions and the near-copy check, calibrated on a labelled set (the figures are in
   * {@code conf/careloop.json}). A suggestion's score is {@code meaningWeight} × its cosine with the customer's words
   * plus the rest × its BM25 score saturated at {@code wordsHalf} (bm25 / (bm25 + wordsHalf)); below {@code floor}
   * nothing is suggested. A new article is a near-copy of an existing one when their questions' cosine is at least
   * {@code nearCopyMeaning} and the words they do not share mean the same too: cosine at least
   * {@code nearCopyResidual} × the questions' cosine; or, whatever the words apart, when their questions' cosine is
   * at least {@code nearCopySame} (the same question, reworded by a word or two).
   */
  public record KbSettings(double meaningWeight, double wordsHalf, double floor, double nearCopyMeaning, double nearCopyResidual,
                           double nearCopySame) {
    static KbSettings from(Section kb) {
      Section suggest = kb.section("suggest");
      Section nearCopy = kb.section("nearCopy");
      double weight = suggest.decimal("meaningWeight");
      if (weight < 0 || weight > 1) throw suggest.invalid("meaningWeight", "must be between 0 and 1, not " + weight);
      double half = suggest.decimal("wordsHalf");
      if (half <= 0) throw suggest.invalid("wordsHalf", "must be above 0, not " + half);
      return new KbSettings(weight, half, suggest.decimal("floor"), nearCopy.decimal("meaning"), nearCopy.decimal("residual"),
        nearCopy.decimal("same"));
    }
  }

  /** The public response-time page: over how many days, and how many replies it needs before it states a figure. */
  public record StatusSettings(int windowDays, int minReplies) {
    static StatusSettings from(Section status) {
      return new StatusSettings(status.atLeast("windowDays", 1), status.integer("minReplies"));
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
    private static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern MEMBER = Pattern.compile("[A-Za-z0-9.:\\[\\]-]+(:\\d{1,5})?");
    private static final Pattern SERVED = Pattern.compile("[A-Za-z0-9.-]+:\\d{1,5}");

    public ClusterSettings {
      members = List.copyOf(members);
    }

    /** The node alone: a single-node run (and what tests get unless they ask for more). */
    public static ClusterSettings single(String nodeId) {
      return new ClusterSettings(nodeId, false, "127.0.0.1", 5701, 0, List.of(), Duration.ofSeconds(5), null, null);
    }

    static ClusterSettings from(Section c, Map<String, String> env, int httpPort) {
      List<String> members = c.texts("members").stream().map(String::trim).filter(m -> !m.isEmpty()).toList();
      for (String m : members) {
        if (!MEMBER.matcher(m).matches()) throw c.invalid("members", "must be host or host:port entries, not " + m);
      }
      String nodeId = c.optionalText("nodeId") == null ? defaultNodeId(httpPort)
        : c.matching("nodeId", NODE_ID, "letters, digits and . _ : - (at most 64)");
      String serve = c.optionalText("serveDatabase") == null ? null : c.matching("serveDatabase", SERVED, "host:port");
      String servePassword = Variable.CARELOOP_SERVE_DATABASE_PASSWORD.text(env);
      if (serve != null) checkServed(serve, servePassword, Variable.CARELOOP_SERVE_DATABASE_INSECURE.flag(env));
      return new ClusterSettings(nodeId, c.flag("enabled"), c.text("host"), c.integer("port"), c.integer("busPort"), members,
        Duration.ofSeconds(c.atLeast("leaseSeconds", 2)), serve, servePassword);
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
        loopback = InetAddress.getByName(host).isLoopbackAddress();
      } catch (UnknownHostException e) {
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
        host = InetAddress.getLocalHost().getHostName();
      } catch (java.io.IOException e) {
        host = "node";
      }
      String id = (host + "-" + (httpPort == 0 ? ProcessHandle.current().pid() : httpPort)).replaceAll("[^A-Za-z0-9._:-]", "-");
      return id.length() > 64 ? id.substring(0, 64) : id;
    }

    @Override public String toString() {
      return "ClusterSettings[node=" + nodeId + ", clustered=" + clustered + ", members=" + members + ", serveDatabase=" + serveDatabase + "]";
    }
  }

  /** The same settings with other X settings: the demo points X at its stand-in; tests poll faster. */
  public Settings withX(XSettings otherX) {
    return new Settings(httpPort, publicUrl, tls, connections, security, dataDir, mongo, backup, demo, demoHistory, otherX, brand, queue,
      adminPassword, sessionIdle, monthlyReadCap, cycle, kb, status, cluster);
  }

  private static String stripSlash(String s) { return s.endsWith("/") ? s.substring(0, s.length() - 1) : s; }

  @Override public String toString() {
    return "Settings[port=" + httpPort + ", node=" + cluster.nodeId() + (cluster.clustered() ? " (clustered)" : "") + ", dataDir=" + dataDir
      + ", mongo=" + (mongo.embedded() ? "embedded" : "external") + ", demo=" + demo + (demo && demoHistory ? " (with history)" : "") + ", x=" + x.baseUrl() + " " + x.api()
      + " every " + x.pollInterval().toSeconds() + "s, brand=@" + brand.handle() + "]";
  }
}
