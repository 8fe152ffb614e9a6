package io.careloop.web;

import io.careloop.accounts.Role;
import io.careloop.config.Settings;
import io.careloop.errors.Unavailable;
import io.careloop.accounts.UserService;
import io.careloop.scaleout.ClusterStatus;
import io.careloop.store.Database;
import io.careloop.store.MongoErrors;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.healthchecks.Status;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.ext.web.healthchecks.HealthCheckHandler;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.ext.web.sstore.ClusteredSessionStore;
import io.vertx.ext.web.sstore.LocalSessionStore;
import io.vertx.ext.web.sstore.SessionStore;
import io.vertx.micrometer.PrometheusScrapingHandler;
import io.vertx.openapi.contract.OpenAPIContract;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The HTTP server: API from the OpenAPI contract, console, health, metrics, one failure handler. */
public final class WebServer {
  static final String CONTRACT = "openapi/careloop.yaml";
  static final Duration ABSOLUTE_LIFETIME = Duration.ofHours(12);
  static final int BODY_LIMIT = 64 * 1024;

  private WebServer() {}

  /** Reads and resolves the API contract: a few hundred ms, so start-up begins it first and lets it run alongside. */
  public static Future<OpenAPIContract> contract(Vertx vertx) {
    // OpenAPIContract.from(vertx, path) parses the 1,000-line YAML on the event loop: half a second on a busy
    // machine. Read and parsed on a worker instead (with Vert.x's own YAML reading, so the document is the same);
    // only the resolution of the parsed document runs on the event loop.
    return vertx.executeBlocking(() -> io.vertx.openapi.impl.Utils.yamlStringToJson(vertx.fileSystem().readFileBlocking(CONTRACT).toString())
        .toCompletionStage().toCompletableFuture().get())
      .compose(json -> OpenAPIContract.from(vertx, json));
  }

  /**
   * What the server mounts: each feature's API operations, the public site, and what health and live events ask.
   * Each part was built with what it needs (the wiring knows the features; the server does not).
   */
  public record Parts(Database database, UserService users, ClusterStatus cluster, Access access, List<Operations> api,
                      PublicPages pages, PublicStatus status, java.util.Map<String, java.util.function.Supplier<JsonObject>> background, BlogPages blog) {}

  /** The sign-in rules for staff: sessions that end after {@link #ABSOLUTE_LIFETIME} whatever their activity. */
  public static Access staffAccess(Clock clock, UserService users) {
    return new Access(clock, ABSOLUTE_LIFETIME, users);
  }

  public static Future<HttpServer> start(Vertx vertx, Future<OpenAPIContract> contract, Settings settings, Clock clock,
                                         PrometheusMeterRegistry registry, Parts parts) {
    Database database = parts.database();
    // Secure cookies and HSTS when CareLoop serves TLS itself, or sits behind a TLS proxy (an https public URL).
    boolean tls = settings.tls().enabled() || settings.publicUrl().startsWith("https://");
    return contract.compose(api -> {
      RouterBuilder builder = RouterBuilder.create(vertx, api, io.vertx.ext.web.openapi.router.RequestExtractor.withBodyHandler());
      builder.rootHandler(new HttpStandard(clock));
      builder.rootHandler(new SecurityHeaders(tls));
      // Clustered, sessions live in the cluster's map: a console may reach any node, and survives the death of one.
      SessionStore sessions = vertx.isClustered() ? ClusteredSessionStore.create(vertx) : LocalSessionStore.create(vertx);
      builder.rootHandler(SessionHandler.create(sessions)
        .setSessionCookieName("careloop.sid")
        .setSessionTimeout(settings.sessionIdle().toMillis())
        .setCookieHttpOnlyFlag(true)
        .setCookieSecureFlag(tls)
        .setCookieSameSite(CookieSameSite.STRICT)
        .setLazySession(true));
      builder.rootHandler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT));
      builder.rootHandler(new ClientAddress(settings.security().trustedProxies()));
      LiveEvents liveEvents = new LiveEvents(vertx, parts.users(), sessions, clock, ABSOLUTE_LIFETIME, List.of(Role.AGENT, Role.COMMUNITY, Role.LEAD));
      new ApiRoutes(vertx, api, parts.access(), parts.api(), liveEvents).mount(builder);
      Router router = builder.createRouter();

      HealthCheckHandler live = HealthCheckHandler.create(vertx);
      live.register("process", p -> p.complete(Status.OK()));
      HealthCheckHandler ready = HealthCheckHandler.create(vertx);
      // Our own shorter timeout: a slow or absent database is DOWN (503), not a failed procedure (500).
      ready.register("database", 3_000, p -> database.ping().timeout(1_500, TimeUnit.MILLISECONDS)
        .onComplete(ar -> p.complete(ar.succeeded() ? Status.OK() : Status.KO(new JsonObject().put("reason", "database unreachable")))));
      // Work that runs behind a ready service, with its progress: the sentence model's back-fill of stored posts after
      // an upgrade (posts without a vector are understood by their words meanwhile), the demo's past month.
      parts.background().forEach((name, progress) -> ready.register(name, p -> p.complete(Status.OK(progress.get()))));
      router.get("/health/live").handler(live);
      router.get("/health/ready").handler(ready);
      // Node ids, leases and the brand's X user id: behind the operations token when one is set.
      OperatorToken operators = OperatorToken.of(settings.security().metricsToken());
      router.get("/health/cluster").handler(operators).handler(ctx -> Answer.after(ctx, parts.cluster().describe()
        .recover(e -> Future.failedFuture(MongoErrors.isUnavailable(e) ? new Unavailable("database-unavailable",
          "cluster state is kept in the database, which did not answer", Failures.DATABASE_RETRY_SECONDS, e) : e)), ctx::json));
      router.get("/metrics").handler(operators).handler(PrometheusScrapingHandler.create(registry));
      // Read and sent as a buffer, not sendFile: a HEAD then gets the Content-Length of the GET (HttpStandard).
      router.get("/api/openapi.yaml").handler(ctx -> Answer.after(ctx, vertx.fileSystem().readFile(CONTRACT),
        yaml -> ctx.response().putHeader("content-type", "application/yaml").end(yaml)));
      router.route("/api/*").handler(ctx -> ctx.fail(404));
      parts.pages().mount(router);
      parts.blog().mount(router);
      parts.status().mount(router);
      router.route("/*").handler(HttpStandard::staticHeadType).handler(StaticHandler.create("webroot").setCachingEnabled(false));
      HttpStandard.headWhereGet(router);
      router.route().failureHandler(Failures::handle);
      Settings.Connections limits = settings.connections();
      // No h2c upgrade: with it, Vert.x reads the first bytes before it sets a connection up, so a client that sends
      // nothing (or half a head) never reached the guard. The console and the API speak HTTP/1.1.
      HttpServerOptions options = new HttpServerOptions().setHost(limits.host()).setHttp2ClearTextEnabled(false)
        .setIdleTimeout((int) limits.idleTimeout().toSeconds()).setIdleTimeoutUnit(TimeUnit.SECONDS);
      if (settings.tls().enabled()) {
        options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions().setCertPath(settings.tls().certPath()).setKeyPath(settings.tls().keyPath()));
      }
      ConnectionGuard guard = new ConnectionGuard(limits, settings.security().trustedProxies());
      HttpServer server = vertx.createHttpServer(options).connectionHandler(guard.onConnection()).requestHandler(guard.onRequest(router));
      // listen(port) alone would bind every interface whatever the options say.
      return server.listen(settings.httpPort(), limits.host())
        // A timer of the verticle's: undeploying the app cancels it with the server.
        .onSuccess(s -> guard.start(vertx));
    });
  }
}
