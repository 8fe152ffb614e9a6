package io.careloop.analytics;

import io.careloop.queue.SlaEvents;
import io.careloop.queue.SlaService;
import io.careloop.store.Database;
import io.careloop.store.InOrder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Response-time analytics from the SLA event log. Each counted event becomes a fact ({@link ResponseCounter}, stored
 * by {@link MongoFactRepository}) carrying what it adds to its day; the day's rollup ({@link MongoRollupRepository})
 * is the sum of its facts' additions, kept up to date with {@code $inc} and recomputed from the facts when a crash
 * left one half counted or the rollups are missing ({@link AnalyticsRepair}). The report is a plain function of the
 * rollups ({@link ResponseReport}). Dashboards read a few day documents, never the raw cases.
 */
public final class AnalyticsService {
  private static final Logger log = LoggerFactory.getLogger(AnalyticsService.class);
  public static final String FACTS = MongoFactRepository.FACTS;
  public static final String DAYS = MongoRollupRepository.DAYS;
  public static final String STATE = MongoFactRepository.STATE;
  private static final Duration CHECKPOINT_EVERY = Duration.ofSeconds(30);

  private final Vertx vertx;
  private final MongoFactRepository facts;
  private final MongoRollupRepository days;
  private final ResponseCounter counter;
  private final AnalyticsRepair repair;
  private final InOrder inOrder = new InOrder();
  private MessageConsumer<JsonObject> consumer;

  /**
   * Each node counts the events it records itself and keeps its own checkpoint ({@code sla-events@<node>}): one
   * node's progress says nothing of the events another node recorded but had not counted when it died. A start
   * catches up from the lowest checkpoint of all.
   */
  private final String checkpointId;
  private volatile boolean stopping;
  /** The highest {@code seq} counted live, and whether any live count failed since this start. */
  private long countedUpTo = Long.MIN_VALUE;
  private boolean countFailed;
  private long savedCheckpoint = Long.MIN_VALUE;
  private long checkpointTimer = -1;
  private Future<Void> caughtUp = Future.succeededFuture();

  /** @param caseById the case as stored, or null (the queue's {@code QueueService::find}) */
  public AnalyticsService(Vertx vertx, Database database, SlaService sla, SlaEvents events, Function<String, Future<io.careloop.queue.Case>> caseById,
                          Clock clock, String nodeId) {
    this.vertx = vertx;
    this.checkpointId = MongoFactRepository.checkpointOf(nodeId);
    this.facts = new MongoFactRepository(database.mongo());
    this.days = new MongoRollupRepository(database.mongo(), clock);
    this.counter = new ResponseCounter(facts, days, events, caseById, sla);
    this.repair = new AnalyticsRepair(facts, days, events, counter, checkpointId);
  }

  /** Start-up: repair what a crash left, count what was never counted, then follow the live event log. */
  public Future<Void> start() {
    stopping = false;
    consumer = vertx.eventBus().localConsumer(SlaEvents.ADDRESS, m -> inOrder.run(() -> stopping ? Future.<Void>succeededFuture() : counter.count(m.body()))
      .onSuccess(v -> countedUpTo = Math.max(countedUpTo, m.body().getLong("seq", Long.MIN_VALUE)))
      .onFailure(e -> {
        countFailed = true;
        log.warn("Could not count SLA event of case {} yet (done at next start)", m.body().getString("caseId"), e);
      }));
    checkpointTimer = vertx.setPeriodic(CHECKPOINT_EVERY.toMillis(), t -> saveCheckpoint());
    // Catching up reads the events since the last start, which on the embedded server means a scan of them all:
    // it runs after ready, and figures asked for meanwhile wait for it rather than come from half-counted days.
    caughtUp = inOrder.run(repair::catchUp).<Void>mapEmpty()
      .onFailure(e -> log.warn("Analytics could not catch up at start (figures may lag until the next start)", e));
    return Future.succeededFuture();
  }

  /** Whether the start-up catch-up is over (done or given up). */
  public boolean caughtUpDone() {
    return caughtUp.isComplete();
  }

  /** Completes once the start-up catch-up is done (or gave up): figures are computed after it. */
  private Future<Void> caughtUp() {
    return caughtUp.otherwiseEmpty();
  }

  /**
   * Finishes the event being counted and leaves the backlog: counting is derived work, and the next start counts
   * every event recorded since this one started (so a stop under a burst is quick and quiet).
   */
  public Future<Void> stop() {
    stopping = true;
    if (checkpointTimer >= 0) vertx.cancelTimer(checkpointTimer);
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered.compose(v -> settled());
  }

  /**
   * Moves the start-up checkpoint up to the events counted live, so the next start re-reads minutes of events rather
   * than everything since this start. Not before this start's catch-up has finished, and never past an event whose
   * counting failed (the next start counts it). Events are counted in the order they are announced, which can differ
   * from their order by {@code seq} by the time two writes overlap: the catch-up's margin covers that.
   */
  Future<Void> saveCheckpoint() {
    long upTo = countedUpTo;
    if (countFailed || upTo <= savedCheckpoint || !caughtUp.succeeded()) return Future.succeededFuture();
    return facts.raise(checkpointId, upTo)
      .onSuccess(r -> savedCheckpoint = upTo)
      .onFailure(e -> log.debug("Analytics checkpoint not saved (next time)", e))
      .otherwiseEmpty();
  }

  /** Waits for events already handed over (tests and the benchmark use it). */
  public Future<Void> settled() {
    return inOrder.run(Future::succeededFuture).mapEmpty();
  }

  /** Rebuilds every day from the facts (the rollups were missing). */
  public Future<Void> rebuildAll() {
    return repair.rebuildAll();
  }

  /** Adds a stored fact to the day sums being rebuilt. */
  public static void fold(Map<String, Map<String, Number>> sums, JsonObject fact) {
    AnalyticsRepair.fold(sums, fact);
  }

  /** Replaces the rollups of these days with the given sums. */
  public Future<Void> writeDays(Map<String, Map<String, Number>> sums) {
    return MongoRollupRepository.each(new ArrayList<>(sums.entrySet()), e -> days.replace(e.getKey(), e.getValue()));
  }

  // ---- queries ----

  /**
   * Response times between two UTC dates (inclusive) for a metric ("first" or "next"), in calendar or business
   * seconds, with totals, per-group figures, a daily series (responses, median, attainment, breaches, new cases,
   * backlog) and new cases by hour of day and day of week.
   */
  public Future<JsonObject> responseTimes(LocalDate from, LocalDate to, String groupBy, String metric, boolean business) {
    String key = metric + (business ? "B" : "");
    return caughtUp().compose(v -> Future.all(days.range(from, to, groupBy, key), days.backlogBefore(from)))
      .map(all -> ReportJson.of(ResponseReport.of(from, to, groupBy, metric, business, all.resultAt(0), all.<Long>resultAt(1))));
  }

  /** Every counted response between two UTC dates, oldest first (the CSV export). */
  public Future<List<JsonObject>> responses(LocalDate from, LocalDate to) {
    return caughtUp().compose(v -> facts.responses(from, to));
  }

  public LocalDate today() { return days.today(); }
}
