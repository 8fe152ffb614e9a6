package io.careloop.listening;

import io.careloop.queue.CaseIntake;
import io.careloop.scaleout.Leases;
import io.careloop.x.RetryPolicy;
import io.careloop.x.XService;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs one poller per stored source. The stored sources are the truth: a source added by an admin gets a poller, and a
 * paused source is skipped by its poller at every turn (so a pause holds across restarts). With several nodes, each
 * runs every poller and the sources' leases decide which node polls which source.
 */
public final class Listening {
  private final Vertx vertx;
  private final MongoSourceRepository sources;
  private final ReadBudget budget;
  private final XService x;
  private final CaseIntake intake;
  private final RetryPolicy retry;
  private final Duration interval;
  private final Clock clock;
  private final String brandHandle;
  private final boolean v1;
  private final Leases leases;
  private final Map<String, SourcePoller> pollers = new ConcurrentHashMap<>();

  public Listening(Vertx vertx, MongoSourceRepository sources, ReadBudget budget, XService x, CaseIntake intake, RetryPolicy retry,
                   Duration interval, Clock clock, String brandHandle, boolean v1, Leases leases) {
    this.leases = leases;
    this.budget = budget;
    this.brandHandle = brandHandle;
    this.v1 = v1;
    this.vertx = vertx;
    this.sources = sources;
    this.x = x;
    this.intake = intake;
    this.retry = retry;
    this.interval = interval;
    this.clock = clock;
  }

  /** Starts a poller for every stored source that has none yet. */
  public Future<Void> reconcile() {
    return sources.all().map(all -> {
      for (JsonObject doc : all) {
        Source source = new Source(doc.getString("_id"), Source.Kind.valueOf(doc.getString("kind")), doc.getString("brand"),
          doc.getString("userId"), doc.getString("query"));
        pollers.computeIfAbsent(source.id(), id -> {
          SourcePoller poller = new SourcePoller(vertx, source, x, intake, sources, budget, retry, interval, clock, leases);
          poller.start();
          return poller;
        });
      }
      return null;
    });
  }

  /** Adds a keyword search for a brand (the configured one when null), or finds the one that exists, and polls it. */
  public Future<JsonObject> addKeyword(String brand, String keyword) {
    Source source = Source.keyword(brand == null ? brandHandle : brand, keyword, v1);
    // One search per keyword (its id): a keyword another brand already searches is refused, not silently shared.
    return sources.ensure(source).compose(v -> reconcile()).compose(v -> sources.get(source.id())).compose(doc ->
      doc != null && !source.brand().equalsIgnoreCase(doc.getString("brand"))
        ? Future.failedFuture(new io.careloop.errors.Conflict("keyword-taken", "\"" + keyword + "\" is already searched for @" + doc.getString("brand")))
        : Future.succeededFuture(doc));
  }

  /** Listens to a brand's mentions (and nothing else until keywords are added for it). */
  public Future<JsonObject> listenTo(String brand, String userId) {
    Source source = Source.mentionsOf(brand, userId);
    return sources.ensure(source).compose(v -> reconcile()).compose(v -> sources.get(source.id()));
  }

  /** Test seam: see {@link SourcePoller#polls()}; 0 for a source without a poller. */
  public long pollsOf(String sourceId) {
    SourcePoller poller = pollers.get(sourceId);
    return poller == null ? 0 : poller.polls();
  }

  public ReadBudget budget() {
    return budget;
  }

  /** The most posts one poll request can read: the slack below the cap at which polling stops. */
  public int largestPage() {
    return x.largestPage();
  }

  public Future<Void> stop() {
    return Future.join(pollers.values().stream().map(SourcePoller::stop).toList()).mapEmpty();
  }
}
