package io.careloop;

import io.careloop.audit.AuditLog;
import io.careloop.blog.BlogService;
import io.careloop.blog.ProactiveTweet;
import io.careloop.brands.BrandService;
import io.careloop.brands.PostingAccounts;
import io.careloop.config.Settings;
import io.careloop.cycle.ClusterService;
import io.careloop.kb.KbService;
import io.careloop.links.TrackedLinks;
import io.careloop.listening.Source;
import io.careloop.meaning.Embeddings;
import io.careloop.meaning.MentionEmbedding;
import io.careloop.outbox.Outbox;
import io.careloop.outbox.PostState;
import io.careloop.queue.CaseIntake;
import io.careloop.queue.MongoCaseRepository;
import io.careloop.queue.OpenQueueSync;
import io.careloop.queue.PriorityRules;
import io.careloop.queue.QueueService;
import io.careloop.queue.SlaEvents;
import io.careloop.queue.SlaMonitor;
import io.careloop.queue.SlaService;
import io.careloop.queue.ThanksOnly;
import io.careloop.reply.ReplyService;
import io.careloop.scaleout.Leases;
import io.careloop.scaleout.PostingClaims;
import io.careloop.store.Database;
import io.careloop.x.PostPage;
import io.careloop.x.Twitter4jXApi;
import io.careloop.x.XService;
import io.careloop.x.standin.DemoHistoryScript;
import io.careloop.x.standin.XStandIn;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Random;

/**
 * The demo brand's past month, played at first start through the real services with a clock set in the past: the
 * customers' questions are posted to a second X stand-in (on loopback, on that clock) and read from it like any
 * mentions; the demo agents claim and answer them there, most within their targets and some late (the SLA scan,
 * on the same clock, records those breaches); answers with a KB link join the clusters; one frequent question is
 * promoted, published and announced with a proactive tweet that people then click. Nothing is written by hand: the
 * analytics, clusters and the public status page count what these services recorded, as they would have live.
 *
 * <p>It runs in the background after start (the console is usable meanwhile; progress in the log and at
 * {@code /health/ready}), only in demo mode, only on an empty database, and not with {@code CARELOOP_DEMO_HISTORY=false}.
 * A start that finds it begun but not finished (stopped midway) plays it again: the same seed gives the same posts
 * and every step is idempotent (post ids, reply keys, the cluster's one draft).
 */
final class DemoHistory {
  private static final Logger log = LoggerFactory.getLogger(DemoHistory.class);
  static final String STARTED = "demo.history.started";
  static final String SEEDED = "demo.history.seeded";
  private static final String ACTOR = "careloop-demo";
  private static final String COMMUNITY_MANAGER = "cm-demo";
  private static final int DAYS = 30;
  /** The post about password resets goes up this many days ago, so the cycle's effect has weeks on both sides. */
  private static final int PUBLISHED_DAYS_AGO = 10;
  private static final long SEED = 20_261_201L;

  /** What the history is played through: the running services it shares, and what it builds on its own clock. */
  record Parts(Vertx vertx, Settings settings, Database database, MongoCaseRepository cases, OpenQueueSync openQueue, SlaService sla,
               SlaEvents slaEvents, BrandService brands, ThanksOnly thanksOnly, MentionEmbedding mentionEmbedding, ClusterService clusters,
               KbService kb, Embeddings embeddings, Leases leases, AuditLog audit, QueueService queue, OpenQueueSync neverLoaded) {}

  /** A clock that is wherever the history has got to (in the past, then at most now). */
  static final class PastClock extends Clock {
    private volatile Instant now;

    PastClock(Instant start) { this.now = start; }

    void set(Instant t) { if (t.isAfter(now)) now = t; }

    @Override public ZoneId getZone() { return ZoneOffset.UTC; }

    @Override public Clock withZone(ZoneId zone) { return this; }

    @Override public Instant instant() { return now; }
  }

  private sealed interface Step permits Ask, Answer, Scan, Thanks, Publish, Click, PostClick {}
  private record Ask(DemoHistoryScript.Asked asked) implements Step {}
  private record Answer(DemoHistoryScript.Asked asked, String caseId) implements Step {}
  private record Scan() implements Step {}
  private record Thanks(DemoHistoryScript.Asked asked, String caseId, String replyPostId) implements Step {}
  private record Publish() implements Step {}
  private record Click(String code, int visitor) implements Step {}
  private record PostClick(String code, int visitor) implements Step {}
  private record Timed(Instant at, long order, Step step) {}

  private final Parts parts;
  private final Clock realClock;
  private final Random random = new Random(SEED);
  private final PriorityQueue<Timed> steps = new PriorityQueue<>(Comparator.comparing(Timed::at).thenComparingLong(Timed::order));
  private long order;
  private final Map<String, String> caseOfPost = new HashMap<>();
  private final Map<String, String> articleIds = new HashMap<>();
  private volatile int planned;
  private volatile int done;
  private volatile boolean finished;
  private volatile String failure;
  private volatile boolean stopped;
  private int failures;
  private Future<Void> running = Future.succeededFuture();

  // Built on the past clock when the history starts.
  private PastClock clock;
  private XStandIn pastX;
  private XService x;
  private PostingAccounts accounts;
  private CaseIntake intake;
  private QueueService queue;
  private ReplyService replies;
  private SlaMonitor scan;
  private TrackedLinks links;
  private BlogService blog;
  private String lastMentionId;
  private String sourceId;

  DemoHistory(Parts parts, Clock realClock) {
    this.parts = parts;
    this.realClock = realClock;
  }

  /**
   * Whether this start should play the history: demo mode, not switched off, and either a database without a single
   * case or a history begun and never finished.
   */
  static Future<Boolean> wanted(Settings settings, AuditLog audit, QueueService queue) {
    if (!settings.demo() || !settings.demoHistory()) return Future.succeededFuture(false);
    return audit.find(SEEDED, null, 1).compose(seeded -> {
      if (!seeded.isEmpty()) return Future.succeededFuture(false);
      return audit.find(STARTED, null, 1).compose(begun -> !begun.isEmpty() ? Future.succeededFuture(true)
        : queue.openedSince(Instant.EPOCH).map(n -> n == 0));
    });
  }

  /** Plays the month; completes when it is over (or stopped, or given up after repeated failures). */
  Future<Void> start() {
    LocalDate today = LocalDate.ofInstant(realClock.instant(), ZoneOffset.UTC);
    LocalDate publishedOn = today.minusDays(PUBLISHED_DAYS_AGO);
    List<DemoHistoryScript.Asked> month = DemoHistoryScript.month(today, DAYS, publishedOn, SEED);
    clock = new PastClock(today.minusDays(DAYS).atStartOfDay(ZoneOffset.UTC).toInstant());
    month.forEach(a -> plan(a.at(), new Ask(a)));
    plan(publishedOn.atTime(10, 0).toInstant(ZoneOffset.UTC), new Publish());
    planned = month.size();
    long began = System.nanoTime();
    long progressTimer = parts.vertx().setPeriodic(5_000, t -> log.info("Demo history: {} of {} past questions played", done, planned));
    running = parts.audit().record(ACTOR, STARTED, "demo", null, new JsonObject().put("questions", month.size()))
      .compose(v -> build())
      .compose(v -> drain())
      .compose(v -> stopped ? Future.succeededFuture() : parts.audit().record(ACTOR, SEEDED, "demo", null,
        new JsonObject().put("questions", done)).compose(r -> parts.database().durable()))
      .andThen(ar -> {
        parts.vertx().cancelTimer(progressTimer);
        finished = ar.succeeded() && !stopped;
        if (ar.failed()) failure = ar.cause().toString();
        if (finished) log.info("Demo history: the past {} days are in ({} questions, {} ms)", DAYS, done, (System.nanoTime() - began) / 1_000_000);
        else if (ar.failed()) log.warn("Demo history stopped after {} of {} questions (the next start plays the rest)", done, planned, ar.cause());
      })
      .eventually(this::close);
    return running;
  }

  /** Stops after the step under way; the next start finishes the history. */
  Future<Void> stop() {
    stopped = true;
    return running.otherwiseEmpty();
  }

  boolean stopped() { return stopped; }

  /** For {@code /health/ready}: how far the history has got. */
  JsonObject progress() {
    JsonObject p = new JsonObject().put("questions", planned).put("played", done).put("finished", finished);
    if (failure != null) p.put("failure", failure);
    return p;
  }

  private void plan(Instant at, Step step) {
    steps.add(new Timed(at, order++, step));
  }

  private Future<Void> build() {
    Settings settings = parts.settings();
    var brand = settings.brand();
    pastX = new XStandIn(parts.vertx(), clock, brand.userId(), brand.handle(), brand.name());
    DemoHistoryScript.customers().forEach(c -> {
      if (c.isProtected()) pastX.timeline().protectedAccount(c.id(), c.handle(), c.name(), c.followers());
      else pastX.timeline().account(c.id(), c.handle(), c.name(), c.followers());
    });
    return pastX.start(0).compose(base -> {
      var xSettings = settings.x().at(base, DemoMode.CREDENTIALS);
      x = new XService(parts.vertx(), new Twitter4jXApi(xSettings));
      pastX.connect("demo-token-" + brand.handle().toLowerCase(java.util.Locale.ROOT), brand.userId());
      accounts = new PostingAccounts(brand.handle(), x, handle -> Optional.of(new Settings.UserToken("demo-token-" + handle, "demo-token-secret")),
        token -> new XService(parts.vertx(), new Twitter4jXApi(xSettings.as(token))));
      var events = parts.vertx().eventBus();
      var audit = new AuditLog(parts.database().mongo(), clock);
      intake = new CaseIntake(parts.cases(), parts.database(), events, new PriorityRules(), parts.sla(), parts.slaEvents(), clock,
        parts.thanksOnly(), parts.brands()::isOwnAccount);
      intake.afterDurable(routed -> routed.forEach(r -> caseOfPost.put(r.postId(), r.caseId())));
      queue = new QueueService(parts.cases(), parts.openQueue(), parts.database(), events, parts.slaEvents(), clock, settings.queue().claimIdle());
      var outbox = new Outbox(parts.database(), new PostingClaims(settings.cluster().nodeId(), settings.x().timeout().multipliedBy(3), clock), clock);
      replies = new ReplyService(parts.database(), queue, accounts, parts.brands(), clock, outbox);
      // With an open queue that is never loaded, the scan asks the database for what is due at the past clock's time.
      scan = new SlaMonitor(parts.vertx(), parts.database(), parts.neverLoaded(), parts.slaEvents(), clock, Duration.ofSeconds(1), parts.leases());
      links = new TrackedLinks(parts.database(), clock);
      blog = new BlogService(parts.database(), audit, clock, parts.clusters(), parts.kb(), links, x,
        new ProactiveTweet(settings.cycle().proactiveTemplate()), settings.publicUrl(), brand.userId(), outbox, parts.embeddings());
      sourceId = Source.mentionsOf(brand.handle(), brand.userId()).id();
      return parts.kb().list(null);
    }).map(articles -> {
      articles.forEach(a -> articleIds.put(a.title(), a.id()));
      return null;
    });
  }

  /** The steps in time order, one at a time; each hops through the event loop so a long history never deepens the stack. */
  private Future<Void> drain() {
    Promise<Void> all = Promise.promise();
    var context = parts.vertx().getOrCreateContext();
    Runnable[] next = new Runnable[1];
    next[0] = () -> {
      Timed t = steps.poll();
      if (t == null || stopped || !t.at().isBefore(realClock.instant())) {
        all.tryComplete();
        return;
      }
      clock.set(t.at());
      run(t.step()).recover(e -> {
        if (++failures > 20) return Future.failedFuture(e);
        log.debug("Demo history step {} failed (skipped)", t.step(), e);
        return Future.succeededFuture();
      }).onComplete(ar -> {
        if (ar.failed()) all.tryFail(ar.cause());
        else context.runOnContext(v -> next[0].run());
      });
    };
    context.runOnContext(v -> next[0].run());
    return all.future();
  }

  private Future<Void> run(Step step) {
    if (step instanceof Ask a) return ask(a.asked());
    if (step instanceof Answer a) return answer(a.asked(), a.caseId());
    if (step instanceof Scan) return scan.scan();
    if (step instanceof Thanks t) return thanks(t.asked(), t.caseId(), t.replyPostId());
    if (step instanceof Publish) return publish();
    if (step instanceof Click c) return firstClick(c);
    PostClick c = (PostClick) step;
    return links.click(c.code(), "203.0.113." + c.visitor(), "Mozilla/5.0 (demo history)", "t.co").mapEmpty();
  }

  /** The customer follows the answer's link: once (a playing after a stop finds the click made, or makes it). */
  private Future<Void> firstClick(Click c) {
    return links.find(c.code()).compose(link -> link.isPresent() && link.get().getInteger("clicks", 0) > 0 ? Future.succeededFuture()
      : links.click(c.code(), "198.51.100." + c.visitor(), "Mozilla/5.0 (demo history)", "t.co").mapEmpty());
  }

  /** The customer posts on X (the past stand-in); CareLoop reads its mentions and opens the case. */
  private Future<Void> ask(DemoHistoryScript.Asked a) {
    var brand = parts.settings().brand();
    var post = pastX.timeline().publish(a.customer().id(), a.text().formatted(brand.handle()), null, null, a.at());
    String postId = String.valueOf(post.id());
    return readMentions().compose(v -> {
      done++;
      // A post this database already has (a history stopped halfway, played again) is routed to nobody now: its
      // case is found by the id every opening post gives its case.
      String caseId = caseOfPost.getOrDefault(postId, CaseIntake.caseIdFor(postId));
      return queue.find(caseId).map(c -> {
        if (c != null && c.firstResponseDueAt() != null) {
          Duration target = Duration.between(c.createdAt(), c.firstResponseDueAt());
          Instant answerAt = c.createdAt().plusMillis((long) (target.toMillis() * a.answeredAtShare()));
          // A late answer: the scan runs just after the deadline, as it would have live.
          if (answerAt.isAfter(c.firstResponseDueAt())) plan(c.firstResponseDueAt().plusSeconds(20), new Scan());
          plan(answerAt, new Answer(a, caseId));
        }
        return null;
      });
    });
  }

  /** New mentions on the past stand-in, through the intake, with their meaning (the clusters go by it). */
  private Future<Void> readMentions() {
    var brand = parts.settings().brand();
    return x.mentions(brand.userId(), lastMentionId, null).compose(page -> {
      if (page.posts().isEmpty()) return Future.succeededFuture();
      if (page.newestId() != null) lastMentionId = page.newestId();
      return intake.ingest(sourceId, brand.handle(), page.posts())
        .compose(r -> parts.mentionEmbedding().embedNew(texts(page)).otherwiseEmpty())
        .mapEmpty();
    });
  }

  private static List<MentionEmbedding.Text> texts(PostPage page) {
    return page.posts().stream().map(p -> new MentionEmbedding.Text(p.id(), p.text())).toList();
  }

  /** A demo agent answers, with the article's tracked link when there is one; the answer joins the clusters. */
  private Future<Void> answer(DemoHistoryScript.Asked a, String caseId) {
    String articleId = a.articleTitle() == null ? null : articleIds.get(a.articleTitle());
    Future<Optional<JsonObject>> link = articleId == null ? Future.succeededFuture(Optional.empty())
      : links.linkFor(new JsonObject().put("articleId", articleId).put("caseId", caseId)).map(Optional::of);
    return link.compose(l -> {
      String url = l.map(j -> parts.settings().publicUrl() + "/l/" + j.getString("_id")).orElse(null);
      return replies.forCase(caseId).compose(before -> finishStopped(before).compose(v -> replies.reply(caseId, a.agent(),
          DemoHistoryScript.reply(a, url), articleId, "demo-history:" + caseId)).compose(r -> {
        if (!PostState.POSTED.stored().equals(r.getString("state"))) return Future.succeededFuture();
        // Answered by the earlier, stopped playing: its thanks (in a thread on that playing's stand-in) happened then or
        // never will, and the case is resolved now; its click is made once whoever plans it. The draws are made all
        // the same, so every later step of this playing is the one an uninterrupted playing has.
        boolean again = !before.isEmpty();
        Instant posted = clock.instant();
        boolean clicks = random.nextDouble() < 0.6;
        Instant clickAt = posted.plus(Duration.ofMinutes(2 + random.nextInt(60)));
        int visitor = random.nextInt(250);
        Instant thanksAt = posted.plus(Duration.ofMinutes(5 + random.nextInt(120)));
        // Some customers follow the link within the hour; some say thanks in the thread.
        if (l.isPresent() && clicks) plan(clickAt, new Click(l.get().getString("_id"), visitor));
        if (!again && a.thanks() != null) plan(thanksAt, new Thanks(a, caseId, r.getString("xTweetId")));
        // The agent resolves the case once answered (after the customer's thanks, when one comes): the past month
        // leaves the queue as a care team would, not as hundreds of cases waiting on customers.
        Future<Void> resolved = a.thanks() != null && !again ? Future.succeededFuture()
          : queue.resolve(caseId, a.agent()).<Void>mapEmpty().otherwiseEmpty();
        return resolved.compose(v -> parts.clusters().answered(r.getString("id")));
      }));
    });
  }

  /**
   * A reply the stopped playing had under way (stored, or sent without an answer): finished now, on this playing's
   * past stand-in and at this step's time, as the outbox finishes any post its sender died with. The live start-up
   * leaves the history's posts alone (CareLoopVerticle defers its recovery): its X is the live stand-in.
   */
  private Future<Void> finishStopped(List<JsonObject> before) {
    boolean underWay = before.stream().anyMatch(r -> !PostState.POSTED.stored().equals(r.getString("state"))
      && !PostState.FAILED.stored().equals(r.getString("state")));
    return underWay ? replies.recoverUnfinished(true).mapEmpty() : Future.succeededFuture();
  }

  private Future<Void> thanks(DemoHistoryScript.Asked a, String caseId, String replyPostId) {
    var brand = parts.settings().brand();
    pastX.timeline().publish(a.customer().id(), "@" + brand.handle() + " " + a.thanks(), Long.parseLong(replyPostId), null, clock.instant());
    return readMentions().compose(v -> queue.resolve(caseId, a.agent())).mapEmpty();
  }

  /**
   * The community manager promotes the most asked question that agents answer with an article, publishes the post,
   * and then, as a second step, announces it; people click the link over the following days.
   */
  private Future<Void> publish() {
    return parts.clusters().ranked(DAYS, 1).compose(ranked -> {
      String password = articleIds.get("Reset your password");
      Optional<JsonObject> pick = ranked.stream().filter(c -> password != null && password.equals(c.getString("kbArticleId"))).findFirst()
        .or(() -> ranked.stream().filter(c -> c.getBoolean("suggested", false)).findFirst());
      if (pick.isEmpty()) {
        log.info("Demo history: no cluster to promote yet");
        return Future.succeededFuture();
      }
      // Played before (a history stopped after this step): the post and its tweet are there, and so are the clicks
      // and views that followed; the draws are still made, as in answer().
      boolean[] again = {false};
      return blog.promote(pick.get().getString("id"), false, COMMUNITY_MANAGER)
        .compose(post -> {
          again[0] = post.getJsonObject("tweet") != null;
          return blog.publish(post.getString("id"), false, null, COMMUNITY_MANAGER);
        })
        .compose(post -> blog.tweet(post.getString("id"), null, COMMUNITY_MANAGER).map(tweet -> {
          String link = tweet.getString("link", "");
          String code = link.substring(link.lastIndexOf('/') + 1);
          Instant from = clock.instant();
          for (int i = 0; i < 40; i++) {
            Instant at = from.plus(Duration.ofMinutes(5 + (long) (random.nextDouble() * random.nextDouble() * 9 * 24 * 60)));
            if (!again[0]) plan(at, new PostClick(code, i));
          }
          return null;
        }))
        .compose(v -> viewsAndFeeds(again[0]));
    });
  }

  /** A few page views and feed fetches (counters without a time: the funnel shows them). */
  private Future<Void> viewsAndFeeds(boolean again) {
    List<String> feeds = new ArrayList<>();
    for (int i = 0; i < 12; i++) feeds.add(random.nextBoolean() ? "atom" : "rss");
    if (again) return Future.succeededFuture();
    return blog.published().compose(posts -> {
      Future<Void> chain = Future.succeededFuture();
      for (JsonObject p : posts) {
        for (int i = 0; i < 60; i++) chain = chain.compose(v -> blog.viewed(p.getString("_id")));
      }
      for (String feed : feeds) chain = chain.compose(v -> blog.feedFetched(feed));
      return chain;
    });
  }

  private Future<Void> close() {
    List<Future<?>> closing = new ArrayList<>();
    if (accounts != null) closing.add(accounts.close());
    if (x != null) closing.add(x.close());
    if (pastX != null) closing.add(pastX.stop());
    return Future.join(closing).otherwiseEmpty().mapEmpty();
  }
}
