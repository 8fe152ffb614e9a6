package io.careloop.listening;

import io.careloop.queue.CaseIntake;
import io.careloop.scaleout.Leases;
import io.careloop.x.PostPage;
import io.careloop.x.RetryPolicy;
import io.careloop.x.XFailure;
import io.careloop.x.XService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Polls one source for ever: all pages newer than the checkpoint, each page stored through the intake as it
 * arrives, and the checkpoint moved only once every page is durably stored. A failure anywhere leaves the
 * checkpoint where it was, so the next poll reads the same posts again and the intake ignores the ones it has.
 *
 * <p>Every node runs a poller for every source, but only the node holding the source's lease polls; the others
 * look whether the lease has become free. The checkpoint is written under the lease's fencing token, so a holder
 * that was frozen past its lease cannot move it after its successor has polled.
 */
public final class SourcePoller {
  private static final Logger log = LoggerFactory.getLogger(SourcePoller.class);
  public static final String HEALTH_EVENT = "careloop.listening.source-polled";

  private final Vertx vertx;
  private final Source source;
  private final XService x;
  private final CaseIntake intake;
  private final MongoSourceRepository sources;
  private final ReadBudget budget;
  private final Backoff backoff;
  private final Duration interval;
  private final Clock clock;
  private final Leases leases;
  private final String leaseName;
  /** The lease token this node last wrote into the source's fence (-1: none yet). */
  private long fencedWith = -1;
  private int consecutiveFailures;
  private long timer = -1;
  private boolean stopped;
  private Future<Void> inFlight = Future.succeededFuture();
  private final java.util.concurrent.atomic.AtomicLong polls = new java.util.concurrent.atomic.AtomicLong();

  public SourcePoller(Vertx vertx, Source source, XService x, CaseIntake intake, MongoSourceRepository sources,
                      ReadBudget budget, RetryPolicy retry, Duration interval, Clock clock, Leases leases) {
    this.budget = budget;
    this.leases = leases;
    this.leaseName = "source:" + source.id();
    this.vertx = vertx;
    this.source = source;
    this.x = x;
    this.intake = intake;
    this.sources = sources;
    this.backoff = new Backoff(retry);
    this.interval = interval;
    this.clock = clock;
  }

  public void start() {
    schedule(Duration.ZERO);
  }

  /** Stops polling; completes when a poll under way has finished (graceful shutdown finishes in-flight work). */
  public Future<Void> stop() {
    stopped = true;
    if (timer >= 0) vertx.cancelTimer(timer);
    return inFlight.otherwiseEmpty();
  }

  private void schedule(Duration delay) {
    if (stopped) return;
    timer = vertx.setTimer(Math.max(1, delay.toMillis()), t -> {
      timer = -1;
      inFlight = turn();
    });
  }

  /** One turn: poll if this node holds the source's lease, else look again shortly. */
  private Future<Void> turn() {
    return leases.hold(leaseName).transform(ar -> {
      if (ar.failed() || ar.result().isEmpty()) {
        if (ar.failed()) log.warn("Lease of {} not checked (database)", source.id(), ar.cause());
        schedule(leases.checkEvery());
        return Future.succeededFuture();
      }
      long token = ar.result().get();
      Future<Void> fenced = token == fencedWith ? Future.succeededFuture()
        : sources.fence(source.id(), token).onSuccess(v -> fencedWith = token);
      return fenced.compose(v -> pollOnce(token)).recover(e -> Future.succeededFuture(new Outcome(new Run(), e))).compose(this::afterPoll);
    });
  }

  /** What one poll read, kept even when the poll fails half-way (the reads still count against the cap). */
  private static final class Run {
    int requests;
    int posts;
    String newestId;
    Instant newestAt;

    void count(PostPage page, boolean firstPage) {
      requests++;
      posts += page.posts().size();
      if (firstPage) {
        // Pages come newest first: the first page holds the post the next checkpoint is.
        newestId = page.newestId();
        newestAt = page.posts().isEmpty() ? null : page.posts().get(0).createdAt();
      }
    }
  }

  private record Outcome(Run run, Throwable failure) {}

  /** The source is paused by an admin: no call to X, check again next turn. */
  private static final class Paused extends RuntimeException {
    Paused() { super("paused", null, false, false); }
  }

  /**
   * The month's reads would pass the cap with one more page: no call to X, and the checkpoint stays, so the posts
   * not read yet are read when the budget allows (next month, or after an admin raises the cap).
   */
  static final class CapReached extends RuntimeException {
    CapReached(long cap) { super("monthly read cap of " + cap + " posts reached", null, false, false); }
  }

  /** One complete poll; never fails (the failure is returned with what was read before it). */
  Future<Outcome> pollOnce(long token) {
    Run run = new Run();
    return sources.get(source.id())
      .compose(doc -> doc != null && doc.getBoolean("paused", false) ? Future.<Void>failedFuture(new Paused())
        : pages(doc == null ? null : doc.getString("sinceId"), null, run))
      .compose(v -> run.newestId == null ? Future.<Void>succeededFuture() : sources.advanceCheckpoint(source.id(), run.newestId, token))
      .transform(ar -> Future.succeededFuture(new Outcome(run, ar.failed() ? ar.cause() : null)));
  }

  private Future<Void> pages(String sinceId, String token, Run run) {
    return budget.reserve(clock.instant(), x.largestPage()).compose(reserved -> {
      if (reserved == null) return Future.failedFuture(new CapReached(budget.cap()));
      Future<PostPage> page = source.kind() == Source.Kind.MENTIONS
        ? x.mentions(source.userId(), sinceId, token)
        : x.search(source.query(), sinceId, token);
      // A failed request returned no posts: the whole reservation goes back.
      return page.transform(ar -> budget.settle(reserved, ar.succeeded() ? ar.result().posts().size() : 0)
        .transform(settled -> ar.succeeded() && settled.failed() ? Future.failedFuture(settled.cause()) : (Future<PostPage>) ar));
    }).compose(p -> {
      run.count(p, token == null);
      return intake.ingest(source.id(), source.brand(), p.posts())
        .compose(report -> p.nextToken() == null || p.posts().isEmpty() ? Future.<Void>succeededFuture() : pages(sinceId, p.nextToken(), run));
    });
  }

  /**
   * Test seam: turns in which this node held the lease and looked at the source (polled, or found it paused or at
   * its cap), counted once the turn is over. A test that asserts nothing was read waits for this to advance first.
   */
  public long polls() { return polls.get(); }

  private Future<Void> afterPoll(Outcome outcome) {
    return afterPollOutcome(outcome).andThen(ar -> polls.incrementAndGet());
  }

  private Future<Void> afterPollOutcome(Outcome outcome) {
    Instant now = clock.instant();
    Run t = outcome.run();
    Duration delay;
    Future<Void> recorded;
    if (outcome.failure() instanceof MongoSourceRepository.Fenced fenced) {
      // Another node polls this source now; what this poll stored is kept (the intake is idempotent), its checkpoint not.
      log.warn("Node {} no longer polls {}", leases.nodeId(), source.id(), fenced);
      leases.fenced(leaseName, fenced.token);
      schedule(leases.checkEvery());
      return Future.succeededFuture();
    }
    if (outcome.failure() instanceof Paused) {
      return Future.<Void>succeededFuture().onComplete(ar -> schedule(interval));
    }
    if (outcome.failure() instanceof CapReached capReached) {
      // Not a fault of X or of the database: no backoff, and the health says why nothing is read.
      log.warn("Source {} not read", source.id(), capReached);
      return sources.recordCapReached(source.id(), now, t.requests, t.posts, capReached.getMessage(), now.plus(interval))
        .onComplete(ar -> {
          vertx.eventBus().publish(HEALTH_EVENT, new JsonObject().put("id", source.id()));
          schedule(interval);
        }).otherwiseEmpty();
    }
    if (outcome.failure() == null) {
      consecutiveFailures = 0;
      backoff.succeeded();
      delay = interval;
      recorded = sources.recordSuccess(source.id(), now, t.requests, t.posts, t.newestAt, now.plus(delay));
    } else {
      consecutiveFailures++;
      XFailure failure = outcome.failure() instanceof XFailure f ? f
        : new XFailure(XFailure.Kind.SERVER_ERROR, 0, null, "storage: " + outcome.failure().getMessage(), outcome.failure());
      delay = backoff.after(outcome.failure(), now);
      log.warn("Poll of {} failed ({} in a row), next in {} ms", source.id(), consecutiveFailures, delay.toMillis(), failure);
      recorded = sources.recordFailure(source.id(), now, t.requests, t.posts, failure.toString(), consecutiveFailures, now.plus(delay));
    }
    return recorded
      .onComplete(ar -> {
        vertx.eventBus().publish(HEALTH_EVENT, new JsonObject().put("id", source.id()));
        schedule(delay);
      })
      .otherwiseEmpty();
  }
}
