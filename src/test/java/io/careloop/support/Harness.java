package io.careloop.support;

import io.careloop.queue.MongoCaseRepository;
import io.careloop.CareLoopVerticle;
import io.careloop.config.Settings;
import io.careloop.x.standin.XStandIn;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * CareLoop as a test sees it: booted on a test-owned X stand-in (no demo generator) over real loopback HTTP, with the
 * embedded database in a folder of the test's, restartable on the same data.
 */
public final class Harness implements AutoCloseable {
  public static final String BRAND_ID = "1000000000000000001";
  public static final String ADMIN_PASSWORD = "admin-password-for-tests";

  private final Vertx vertx;
  private final Path dataDir;
  private final Map<String, String> env;
  private final XStandIn standIn;
  private final String xBaseUrl;
  private CareLoopVerticle app;
  private String deployment;
  private final WebClient http;
  private final TestClock clock;

  private Harness(Vertx vertx, Path dataDir, Map<String, String> env, XStandIn standIn, String xBaseUrl, TestClock clock) {
    this.vertx = vertx;
    this.clock = clock;
    this.dataDir = dataDir;
    this.env = env;
    this.standIn = standIn;
    this.xBaseUrl = xBaseUrl;
    this.http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1"));
  }

  public static Harness start(Vertx vertx, Path dataDir, Map<String, String> extraEnv) {
    // One clock for the whole test world: moving it moves X's post times and CareLoop's deadlines together.
    TestClock clock = new TestClock();
    XStandIn standIn = new XStandIn(vertx, clock, BRAND_ID, "AcmeCloud", "Acme Cloud");
    String base = standIn.start(0).await();
    Map<String, String> env = new HashMap<>(Map.of(
      "CARELOOP_HTTP_PORT", "0",
      "CARELOOP_DATA_DIR", dataDir.toString(),
      "CARELOOP_X_BASE_URL", base,
      "CARELOOP_X_BEARER_TOKEN", "test-bearer",
      "CARELOOP_X_CONSUMER_KEY", "ck", "CARELOOP_X_CONSUMER_SECRET", "cs",
      "CARELOOP_X_ACCESS_TOKEN", "at", "CARELOOP_X_ACCESS_TOKEN_SECRET", "ats",
      "CARELOOP_ADMIN_PASSWORD", ADMIN_PASSWORD,
      "CARELOOP_BRAND_KEYWORDS", "acme cloud"));
    env.put("CARELOOP_DEMO_HISTORY", "false");
    env.putAll(extraEnv);
    Harness h = new Harness(vertx, dataDir, env, standIn, base, clock);
    h.deploy();
    return h;
  }

  public static Harness start(Vertx vertx, Path dataDir) { return start(vertx, dataDir, Map.of()); }

  private void deploy() {
    Settings s = Settings.from(new JsonObject(), env);
    // Fast polls and short backoffs so fault tests finish in seconds; the rules themselves are unit-tested.
    Settings fast = s.withX(s.x().withPolling(Duration.ofMillis(200), Duration.ofSeconds(2))
      .withBackoff(new Settings.Backoff(Duration.ofMillis(50), Duration.ofMillis(400), Duration.ofMillis(50), Duration.ofMillis(400))));
    app = new CareLoopVerticle(fast, clock, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
    deployment = vertx.deployVerticle(app).await();
  }

  /** Graceful stop and start on the same data directory. */
  public void restart() {
    stopApp();
    deploy();
  }

  public void stopApp() {
    if (deployment != null) vertx.undeploy(deployment).await();
    deployment = null;
  }

  public Vertx vertx() { return vertx; }

  public CareLoopVerticle app() { return app; }

  public XStandIn standIn() { return standIn; }

  /** The clock of CareLoop and of the X stand-in. */
  public TestClock clock() { return clock; }

  public String xBaseUrl() { return xBaseUrl; }

  public int port() { return app.port(); }

  public MongoClient mongo() { return app.database().mongo(); }

  public WebClient http() { return http; }

  /** A reader's browser on the public pages: it does not follow redirects, so a test sees them (302, 301, 404). */
  public WebClient publicBrowser() {
    return WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(port()).setFollowRedirects(false));
  }

  public Agent admin() { return Agent.login(vertx, port(), "admin", ADMIN_PASSWORD); }

  public Agent newAgent(String username, String... roles) {
    Agent admin = admin();
    admin.post("/api/users", new JsonObject().put("username", username).put("password", username + "-long-password")
      .put("roles", new io.vertx.core.json.JsonArray(List.of(roles)))).expect(201);
    return Agent.login(vertx, port(), username, username + "-long-password");
  }

  public long count(String collection, JsonObject query) {
    return mongo().count(collection, query).await();
  }

  public List<JsonObject> cases() {
    return mongo().find(MongoCaseRepository.CASES, new JsonObject()).await();
  }

  /**
   * Runs the SLA scan once, now, and returns when it is over: what is due at the clock's present time is recorded,
   * and what is not recorded by then was not due. (While the open queue loads the scan looks at nothing: wait first.)
   */
  public void scanServiceLevels() {
    Eventually.eventually("the start-up reads", Duration.ofSeconds(15), app::startupReadsDone);
    app.slaMonitor().scanNow().await();
  }

  /** Completed turns of a source's poller on this node (see {@code SourcePoller.polls}). */
  public long polls(String sourceId) { return app.listening().pollsOf(sourceId); }

  /**
   * Returns once the source's poller has finished {@code turns} more turns that began after this call: a post
   * published before it has been looked for (and, unless the source is paused or capped, read).
   */
  public void awaitPolls(String sourceId, int turns) {
    // The turn under way now may have begun before the call: it does not count.
    long target = polls(sourceId) + 1 + turns;
    Eventually.eventually(turns + " more polls of " + sourceId, Duration.ofSeconds(15), () -> polls(sourceId) >= target);
  }

  @Override
  public void close() {
    stopApp();
    standIn.stop().await();
  }
}
