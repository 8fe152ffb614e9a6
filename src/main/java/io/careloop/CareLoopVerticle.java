package io.careloop;

import io.careloop.accounts.LoginThrottle;
import io.careloop.accounts.PasswordHasher;
import io.careloop.accounts.UserService;
import io.careloop.brands.BrandService;
import io.careloop.brands.PostingAccounts;
import io.careloop.config.Settings;
import io.careloop.analytics.AnalyticsService;
import io.careloop.blog.BlogService;
import io.careloop.blog.CycleEffect;
import io.careloop.blog.ProactiveTweet;
import io.careloop.cycle.ClusterService;
import io.careloop.kb.DemoArticles;
import io.careloop.links.TrackedLinks;
import io.careloop.kb.KbService;
import io.careloop.listening.MongoSourceRepository;
import io.careloop.listening.Source;
import io.careloop.listening.Listening;
import io.careloop.listening.ReadBudget;
import io.careloop.meaning.Embeddings;
import io.careloop.meaning.MentionEmbedding;
import io.careloop.meaning.MentionVectors;
import io.careloop.meaning.ModelUnavailable;
import io.careloop.meaning.SentenceModel;
import io.careloop.outbox.Outbox;
import io.careloop.queue.CaseIntake;
import io.careloop.queue.MongoCaseRepository;
import io.careloop.queue.OpenQueue;
import io.careloop.queue.OpenQueueSync;
import io.careloop.queue.PriorityByMeaning;
import io.careloop.queue.PriorityRules;
import io.careloop.queue.ThanksOnly;
import io.careloop.queue.TurnClassifier;
import io.careloop.queue.Understanding;
import io.careloop.queue.QueueService;
import io.careloop.queue.SlaBookJson;
import io.careloop.queue.SlaEvents;
import io.careloop.queue.SlaMonitor;
import io.careloop.queue.SlaService;
import io.careloop.queue.Presence;
import io.careloop.reply.CannedResponses;
import io.careloop.reply.DemoCannedResponses;
import io.careloop.audit.AuditLog;
import io.careloop.web.CaseJson;
import io.careloop.web.AccountRoutes;
import io.careloop.web.AdminRoutes;
import io.careloop.web.AnalyticsRoutes;
import io.careloop.web.BlogPages;
import io.careloop.web.CaseRoutes;
import io.careloop.web.SafetyRoutes;
import io.careloop.web.PreferenceRoutes;
import io.careloop.queue.CaseSafety;
import io.careloop.web.CycleRoutes;
import io.careloop.web.KbRoutes;
import io.careloop.web.OperationsRoutes;
import io.careloop.web.PublicPages;
import io.careloop.web.PublicStatus;
import io.careloop.reply.ReplyService;
import io.careloop.scaleout.ClusterStatus;
import io.careloop.scaleout.Leases;
import io.careloop.scaleout.NodeRegistry;
import io.careloop.scaleout.PostingClaims;
import io.careloop.store.Database;
import io.careloop.store.Migrations;
import io.careloop.web.WebServer;
import io.careloop.x.RetryPolicy;
import io.careloop.x.Twitter4jXApi;
import io.careloop.x.XService;
import io.careloop.x.standin.DemoStream;
import io.careloop.x.standin.XStandIn;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Future;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Wires CareLoop together; the only class that knows every feature. In demo mode it first starts the X stand-in on
 * loopback and points the X client at it, so the same production code path runs with or without real X.
 */
public final class CareLoopVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(CareLoopVerticle.class);

  private final Settings configured;
  private final Clock clock;
  private final PrometheusMeterRegistry registry;
  private Listening listening;
  private Settings settings;
  private DemoMode demo;
  private DemoHistory history;
  /** This start plays the demo's past month (an empty database in demo mode). */
  private boolean playHistory;
  private final Shutdown shutdown = new Shutdown();
  private Database database;
  private XService x;
  private HttpServer server;
  private SlaMonitor monitor;
  private KbService kb;
  private AnalyticsService analytics;
  private OpenQueueSync openQueue;
  private io.careloop.queue.CaseSearch caseSearch;
  private BrandService brands;
  private PostingAccounts accounts;
  private Leases leases;
  private NodeRegistry nodes;
  private ClusterService clusters;
  private ReplyService replies;
  private Embeddings embeddings;
  private MentionEmbedding mentionEmbedding;
  private Future<OpenAPIContract> contract;

  public CareLoopVerticle(Settings settings, Clock clock, PrometheusMeterRegistry registry) {
    this.configured = settings;
    this.clock = clock;
    this.registry = registry;
  }

  @Override
  public Future<?> start() {
    long started = System.nanoTime();
    // Argon2's set-up and the API contract take a few hundred ms each: begun now, they run while the database opens.
    Future<PasswordHasher> hasher = vertx.executeBlocking(PasswordHasher::new);
    contract = WebServer.contract(vertx);
    Future<Settings> running = configured.demo()
      ? DemoMode.start(vertx, clock, configured, shutdown).map(d -> { demo = d; return d.settings(); })
      : Future.succeededFuture(configured);
    return running
      .compose(s -> {
        settings = s;
        return Database.open(vertx, settings);
      })
      .compose(db -> {
        database = db;
        shutdown.add(Shutdown.Stage.STORE, "database", () -> db.durable().compose(d -> db.close()));
        var cluster = settings.cluster();
        // Leases and heartbeats are infrastructure: real time, whatever clock the care team's deadlines run on.
        leases = new Leases(vertx, db.mongo(), Clock.systemUTC(), cluster.nodeId(), cluster.leaseTtl());
        nodes = new NodeRegistry(vertx, db.mongo(), Clock.systemUTC(), cluster.nodeId(), cluster.leaseTtl());
        // Given up at once on stop, so another node polls without waiting for the leases to expire.
        shutdown.add(Shutdown.Stage.LEASES, "leases", leases::release);
        shutdown.add(Shutdown.Stage.LEASES, "node heartbeat", nodes::stop);
        return nodes.start(vertx.isClustered()).onSuccess(v -> leases.start());
      })
      .compose(v -> hasher)
      .compose(this::wire)
      .onSuccess(v -> log.info("CareLoop ready on http://localhost:{} in {} ms ({})", server.actualPort(),
        (System.nanoTime() - started) / 1_000_000, settings));
  }

  private Future<Void> wire(PasswordHasher hasher) {
    var brand = settings.brand();
    x = new XService(vertx, new Twitter4jXApi(settings.x()));
    shutdown.add(Shutdown.Stage.CLIENTS, "X client", x::close);
    openQueue = new OpenQueueSync(vertx, database.mongo(), new OpenQueue(CaseJson::encoded), Duration.ofSeconds(5));
    var cases = new MongoCaseRepository(database.mongo(), openQueue);
    caseSearch = new io.careloop.queue.CaseSearch(vertx, database.mongo());
    cases.alsoTell(caseSearch);
    var audit = new AuditLog(database.mongo(), clock);
    var sla = new SlaService(database, audit, clock, brand.handle());
    var slaEvents = new SlaEvents(database.mongo(), vertx.eventBus());
    brands = new BrandService(database.mongo(), vertx.eventBus(), audit, clock);
    if (demo != null) vertx.eventBus().consumer(BrandService.CHANGED, m -> brands.all().forEach(demo::show));
    var understood = settings.queue().understanding();
    var thanksOnly = ThanksOnly.fromWire(understood.thanksOnly());
    var intake = new CaseIntake(cases, database, vertx.eventBus(), new PriorityRules(), sla, slaEvents, clock, thanksOnly, brands::isOwnAccount);
    embeddings = new Embeddings(vertx, SentenceModel::shared);
    shutdown.add(Shutdown.Stage.CLIENTS, "sentence model's worker", embeddings::close);
    var mentionVectors = new MentionVectors(database.mongo());
    mentionEmbedding = new MentionEmbedding(vertx, database.mongo(), embeddings, mentionVectors, new MentionEmbedding.Source() {
      @Override public Future<List<MentionEmbedding.Text>> after(String cursor, int limit) { return cases.mentionTextsAfter(cursor, limit); }
      @Override public Future<Long> countAfter(String cursor) { return cases.countMentionTextsAfter(cursor); }
    }, clock);
    // The classes' example vectors (some 80 sentences, a fraction of a second) on the model's worker, when the first
    // page of posts needs them: after start, never in its way. Without a model, the words decide, quietly.
    Supplier<Future<Understanding>> understanding = memoised(() -> embeddings.withModel(model -> new Understanding(cases, database,
      vertx.eventBus(), sla, slaEvents, clock,
      TurnClassifier.create(model::embedAll, new TurnClassifier.Thresholds(understood.keepThanks(), understood.overrideDoubt())),
      PriorityByMeaning.create(model::embedAll, new PriorityByMeaning.Thresholds(understood.priorityMargin(), understood.priorityFloor())),
      thanksOnly)));
    intake.afterDurable(routed -> mentionEmbedding.embedNew(routed.stream().map(r -> new MentionEmbedding.Text(r.postId(), r.text())).toList())
      .compose(vectors -> understanding.get().compose(u -> u.review(routed, vectors)))
      .onFailure(e -> {
        if (!(e instanceof ModelUnavailable)) log.warn("Could not read the meaning of {} new posts (their words decided; the back-fill embeds them)", routed.size(), e);
      }));
    var queue = new QueueService(cases, openQueue, database, vertx.eventBus(), slaEvents, clock, settings.queue().claimIdle());
    monitor = new SlaMonitor(vertx, database, openQueue, slaEvents, clock, settings.queue().slaScanInterval(), leases);
    accounts = new PostingAccounts(brand.handle(), x, postingTokens(), token -> new XService(vertx, new Twitter4jXApi(settings.x().as(token))));
    shutdown.add(Shutdown.Stage.CLIENTS, "brands' X clients", accounts::close);
    // A sender gets three X timeouts to post before another node may finish its post.
    var claims = new PostingClaims(settings.cluster().nodeId(), settings.x().timeout().multipliedBy(3), clock);
    // One outbox for everything CareLoop posts (replies, proactive tweets).
    var outbox = new Outbox(database, claims, clock);
    replies = new ReplyService(database, queue, accounts, brands, clock, outbox);
    var users = new UserService(vertx, database, hasher, clock);
    var autoAssign = new io.careloop.queue.AutoAssign(database, audit, queue, vertx.eventBus(), users::availableCaseWorkers, UserService.ROSTER_ORDER, clock);
    // Behind intake: the cases are durable before this runs, and it never fails (an error leaves them unassigned).
    intake.afterDurable(routed -> autoAssign.assignOpened(routed.stream().filter(CaseIntake.Routed::opened).map(CaseIntake.Routed::caseId).toList()));
    var sources = new MongoSourceRepository(database.mongo());

    List<Source> wanted = new ArrayList<>();
    brand.keywords().forEach(k -> wanted.add(Source.keyword(brand.handle(), k, settings.x().v1())));
    var backoff = settings.x().backoff();
    var retry = new RetryPolicy(backoff.serverErrorInitial(), backoff.serverErrorMax(), backoff.networkStep(), backoff.networkMax());

    var links = new TrackedLinks(database, clock);
    analytics = new AnalyticsService(vertx, database, sla, slaEvents, queue::find, clock, settings.cluster().nodeId());
    kb = new KbService(vertx, database, audit, clock, links, embeddings, mentionVectors, settings.kb());
    shutdown.addSync(Shutdown.Stage.CLIENTS, "knowledge-base index", kb::close);
    clusters = new ClusterService(vertx, database, audit, clock, settings.cycle(), leases, replies, queue, mentionVectors);
    var blog = new BlogService(database, audit, clock, clusters, kb, links, x, new ProactiveTweet(settings.cycle().proactiveTemplate()),
      settings.publicUrl(), brand.userId(), outbox, embeddings);
    // Replies and proactive tweets this node's previous process left under way.
    Supplier<Future<Integer>> recoverPosts = () -> replies.recoverUnfinished(true).compose(n -> blog.recoverUnfinished(true));
    replies.onPosted(reply -> clusters.answered(reply.getString("id"))
      .onFailure(e -> log.warn("Could not cluster reply {} yet (the node keeping the clusters catches up within 30 s)", reply.getString("id"), e)));
    Metrics.leases(registry, leases);
    listening = new Listening(vertx, sources, new ReadBudget(database.mongo(), settings.monthlyReadCap()), x, intake, retry, settings.x().pollInterval(), clock, brand.handle(), settings.x().v1(), leases);
    var backups = new io.careloop.store.BackupSchedule(vertx, database, settings.backup(), clock);
    backups.start();
    var access = WebServer.staffAccess(clock, users);
    var pages = new PublicPages(kb, links, blog, settings.publicUrl(), brand.name());
    var status = new PublicStatus(analytics, sla::book, settings.status(), clock, pages, settings.publicUrl());
    var cluster = new ClusterStatus(vertx, nodes, leases);
    var canned = new CannedResponses(database, clock);
    if (demo != null) {
      history = new DemoHistory(new DemoHistory.Parts(vertx, settings, database, cases, openQueue, sla, slaEvents, brands, thanksOnly,
        mentionEmbedding, clusters, kb, embeddings, leases, audit, queue,
        new OpenQueueSync(vertx, database.mongo(), new OpenQueue(CaseJson::encoded), Duration.ofSeconds(5))), clock);
    }
    Map<String, Supplier<io.vertx.core.json.JsonObject>> background = new java.util.LinkedHashMap<>();
    background.put("meaning", () -> mentionEmbedding.progress().json());
    if (history != null) background.put("demoHistory", history::progress);
    // Each feature's routes get what they use, and nothing else.
    var safety = new CaseSafety(cases, sla, slaEvents, database, vertx.eventBus(), clock);
    var avatars = new io.careloop.web.Avatars(vertx, new io.careloop.x.AvatarUrls(settings.x().baseUrl()), clock);
    shutdown.add(Shutdown.Stage.CLIENTS, "avatar client", avatars::close);
    var web = new WebServer.Parts(database, users, cluster, access, List.of(
        new AccountRoutes(users, new LoginThrottle(clock), audit, access),
        new CaseRoutes(users, queue, replies, slaEvents, new Presence(vertx.eventBus(), clock), canned, kb, audit, clock),
        new io.careloop.web.AssignRoutes(users, queue, autoAssign, audit, clock),
        new io.careloop.web.AvatarRoutes(cases::avatarUrl, avatars),
        new SafetyRoutes(safety, audit), new PreferenceRoutes(users),
        new io.careloop.web.BulkRoutes(users, queue, safety, new io.careloop.queue.BulkUndos(database, clock), audit),
        new io.careloop.web.SearchRoutes(caseSearch, new io.careloop.queue.SavedViews(database, clock), clock),
        new KbRoutes(queue, kb, replies, blog, settings.publicUrl()),
        new AdminRoutes(sources, sla, audit, listening, settings.monthlyReadCap(), brands, accounts, clock),
        new CycleRoutes(clusters, blog, new CycleEffect(queue, replies, clusters, blog, links, clock)),
        new AnalyticsRoutes(analytics, status, queue::customerConfirmed),
        new OperationsRoutes(database, cluster, audit, backups)),
      pages, status, background, new BlogPages(blog, kb, pages, settings.publicUrl(), brand.name(), brand.handle()));
    // Independent preparations run side by side (the admin's first Argon2 hash is on a worker, the rest mostly waits
    // on the database); analytics needs the SLA book, the clusters the KB.
    StartupSteps steps = new StartupSteps();
    return Future.all(List.of(
        // Names stored before they were case-insensitive are folded first, so the first admin's check sees them.
        steps.time("admin", users.createIndexes().compose(v -> users.foldStoredNames()).compose(v -> users.ensureFirstAdmin(settings.adminPassword()))),
        steps.time("case links, SLA book, analytics", cases.createIndexes().compose(v -> replies.createIndexes()).compose(v -> cases.linkExistingCases(new Migrations(database.mongo(), clock)))
          .compose(v -> sla.load(SlaBookJson.configured(settings.queue().sla())))
          .compose(v -> analytics.start())),
        steps.time("KB index, clusters", kb.rebuildIndex().andThen(ar -> kb.followOtherNodes())
          .compose(v -> settings.demo() ? DemoArticles.seedIfEmpty(kb) : Future.succeededFuture())
          .compose(v -> clusters.start())),
        steps.time("demo content", demo == null ? Future.succeededFuture()
          : DemoCannedResponses.seedIfEmpty(canned).compose(v -> DemoHistory.wanted(settings, audit, queue)).map(w -> { playHistory = w; return null; })),
        steps.time("brands, sources", brands.load(new BrandService.Brand(brand.handle(), brand.userId(), brand.name()))
          .compose(all -> {
            // Every stored brand's mentions are listened to; the configured keywords are the configured brand's.
            all.forEach(b -> wanted.add(Source.mentionsOf(b.handle(), b.userId())));
            if (demo != null) all.forEach(demo::show);
            return Future.all(wanted.stream().distinct().map(sources::ensure).toList());
          }))))
      .compose(v -> steps.time("HTTP", WebServer.start(vertx, contract, settings, clock, registry, web)))
      .andThen(ar -> log.info("Start-up steps: {}", steps))
      .compose(s -> {
        server = s;
        // Stopped first: no request comes in while the rest stops.
        shutdown.add(Shutdown.Stage.INTAKE, "HTTP server", s::close);
        // With the demo's past month to play, posts a stopped playing left under way are the history's to finish (on
        // its own stand-in and clock): recovering them here would send them to the live stand-in. Live posts of that
        // earlier process are recovered once the history is in.
        return playHistory ? Future.succeededFuture(0) : recoverPosts.get();
      })
      .compose(recovered -> {
        nodes.about("httpPort", server.actualPort());
        // Posts whose sender died on another node are finished by whichever node looks first. Alone, the start's
        // recovery covers a crash, and a post cannot outlive its claim (the X timeout ends it first).
        if (vertx.isClustered()) {
          long sweep = vertx.setPeriodic(15_000, t -> replies.recoverUnfinished(false).compose(n -> blog.recoverUnfinished(false))
            .onFailure(e -> log.debug("Sweep for abandoned posts failed (next in 15 s)", e)));
          shutdown.addSync(Shutdown.Stage.INTAKE, "sweep for abandoned posts", () -> vertx.cancelTimer(sweep));
        }
        // Lapsed claims are released in the database, so stored state, views and counts agree the case is free.
        long release = vertx.setPeriodic(5_000, t -> queue.releaseLapsedClaims().onFailure(e -> log.debug("Releasing lapsed claims failed (next in 5 s)", e)));
        shutdown.addSync(Shutdown.Stage.INTAKE, "release of lapsed claims", () -> vertx.cancelTimer(release));
        // Polls under way finish before the duties stop.
        shutdown.add(Shutdown.Stage.INTAKE, "listening", listening::stop);
        shutdown.addSync(Shutdown.Stage.DUTIES, "question clusters", clusters::stop);
        if (playHistory) {
          // The past month's cases are open for a moment with deadlines in the past: the live scan (on today's clock)
          // would call them breached. It starts once the history is in; the history's own scan runs on its clock.
          shutdown.add(Shutdown.Stage.DUTIES, "demo history", history::stop);
          history.start().onComplete(ar -> {
            if (history.stopped()) return;
            monitor.start();
            recoverPosts.get().onFailure(e -> log.warn("Could not finish the posts left under way (the next start tries again)", e));
          });
        } else {
          monitor.start();
        }
        shutdown.add(Shutdown.Stage.DUTIES, "SLA scan", monitor::stop);
        // After ready, not before: with many open cases the read takes seconds; pages come from the database meanwhile.
        openQueue.start();
        shutdown.add(Shutdown.Stage.DUTIES, "open queue", openQueue::stop);
        // After ready too: the index of every case builds in seconds; searches answer 503 search-warming-up meanwhile.
        caseSearch.start();
        shutdown.add(Shutdown.Stage.DUTIES, "case search", caseSearch::stop);
        shutdown.add(Shutdown.Stage.DUTIES, "analytics", analytics::stop);
        mentionEmbedding.start();
        blog.understandUnembedded().onFailure(e -> log.warn("Could not embed the blog posts saved before vectors (next start tries again)", e));
        shutdown.addSync(Shutdown.Stage.DUTIES, "back-fill of post vectors", mentionEmbedding::stop);
        return listening.reconcile();
      });
  }

  /** The first call's result, for every call (on the event loop). */
  private static <T> Supplier<T> memoised(Supplier<T> make) {
    Object[] made = {null};
    return () -> {
      if (made[0] == null) made[0] = make.get();
      @SuppressWarnings("unchecked") T t = (T) made[0];
      return t;
    };
  }

  /** A brand's posting token by lower-case handle: from the environment or secrets file, or the demo's. */
  private java.util.function.Function<String, java.util.Optional<Settings.UserToken>> postingTokens() {
    if (demo != null) return demo.postingTokens();
    var tokens = settings.x().credentials().brandTokens();
    return handle -> java.util.Optional.ofNullable(tokens.get(handle));
  }

  /** How long each start-up step took, for the log: where a slow start went. */
  private static final class StartupSteps {
    private final Map<String, Long> millis = new java.util.concurrent.ConcurrentSkipListMap<>();

    <T> Future<T> time(String step, Future<T> future) {
      long started = System.nanoTime();
      return future.andThen(ar -> millis.put(step, (System.nanoTime() - started) / 1_000_000));
    }

    @Override
    public String toString() {
      return millis.entrySet().stream().map(e -> e.getKey() + " " + e.getValue() + " ms").collect(java.util.stream.Collectors.joining(", "));
    }
  }

  public int port() { return server.actualPort(); }

  public XStandIn standIn() { return demo == null ? null : demo.standIn(); }

  public Database database() { return database; }

  public AnalyticsService analytics() { return analytics; }

  public OpenQueueSync openQueue() { return openQueue; }

  public io.careloop.queue.CaseSearch caseSearch() { return caseSearch; }

  public BrandService brands() { return brands; }

  public String nodeId() { return settings.cluster().nodeId(); }

  public Leases leases() { return leases; }

  public ReplyService replies() { return replies; }

  public SlaMonitor slaMonitor() { return monitor; }

  public Listening listening() { return listening; }

  public MentionEmbedding mentionEmbedding() { return mentionEmbedding; }

  /** Whether the reads that follow a start (the open queue, the analytics catch-up) are over. */
  public boolean startupReadsDone() {
    return openQueue != null && openQueue.loaded() && analytics != null && analytics.caughtUpDone();
  }

  /** Graceful: stop taking requests, let polls under way finish, make the last writes durable, close ({@link Shutdown}). */
  @Override
  public Future<?> stop() {
    return shutdown.run();
  }
}
