package io.careloop.queue;

import io.careloop.errors.Invalid;
import io.careloop.errors.Unavailable;
import io.careloop.store.Paged;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Search over every case, kept by a {@link CaseIndex} in memory. Built from the database after the node is ready (a
 * hundred thousand cases take seconds, which start-up does not wait for); until then a search answers 503
 * {@code search-warming-up} rather than a scan of the cases, which on the embedded server is what the index exists to
 * avoid. Kept current two ways: the repository tells it of every write here (indexed before the write's answer goes
 * out, so a note or tag is found by the next search), and {@link CaseEvents#CASE_UPDATED} (cluster-wide: other nodes'
 * writes, the SLA scan's) makes it read the case again by key. Index writes and searches run on one worker thread, in
 * the order they were asked for: a search always sees the writes made before it.
 */
public final class CaseSearch implements CaseWrites {
  private static final Logger log = LoggerFactory.getLogger(CaseSearch.class);
  private static final int BATCH = 2_000;

  /** A page of found cases, in order, and the total that match. */
  public record Found(List<Case> cases, String next, long total) {}

  private final Vertx vertx;
  private final MongoClient mongo;
  private final CaseIndex index = new CaseIndex();
  private final WorkerExecutor worker;
  /** Cases being read again: true when they changed again meanwhile (the read's result is then stale, and skipped). */
  private final Map<String, Boolean> reading = new HashMap<>();
  private Set<String> changedWhileBuilding = new HashSet<>();
  private volatile boolean built;
  private volatile long indexedSoFar;
  private MessageConsumer<JsonObject> consumer;

  public CaseSearch(Vertx vertx, MongoClient mongo) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.worker = vertx.createSharedWorkerExecutor("careloop-case-index", 1);
  }

  /** True once every case is in the index. */
  public boolean built() {
    return built;
  }

  /** Follows changes, then builds the index from every case in the background. */
  public void start() {
    consumer = vertx.eventBus().consumer(CaseEvents.CASE_UPDATED, m -> changed(m.body().getString("id")));
    build().onFailure(e -> log.warn("Could not build the case search index (search answers 503 until the next start)", e));
  }

  /** Reads every case into the index; completes with how many. */
  public Future<Long> build() {
    long started = System.nanoTime();
    List<Case> batch = new ArrayList<>(BATCH);
    List<Future<Void>> writes = new ArrayList<>();
    return Paged.forEach(mongo, MongoCaseRepository.CASES, new JsonObject(), null, doc -> {
      batch.add(CaseDocuments.fromDocument(doc));
      if (batch.size() >= BATCH) writes.add(index(List.copyOf(batch)));
      if (batch.size() >= BATCH) batch.clear();
    }).compose(n -> {
      writes.add(index(List.copyOf(batch)));
      return Future.all(writes).compose(v -> worker.executeBlocking(() -> {
        index.merge();
        return n;
      }, false));
    }).onSuccess(n -> {
      built = true;
      Set<String> again = changedWhileBuilding;
      changedWhileBuilding = null;
      again.forEach(this::changed);
      log.info("Case search index: {} cases in {} ms, {} MB in memory", n, (System.nanoTime() - started) / 1_000_000, index.bytes() / (1 << 20));
    });
  }

  private Future<Void> index(List<Case> cases) {
    if (cases.isEmpty()) return Future.succeededFuture();
    return worker.executeBlocking(() -> {
      index.putAll(cases);
      indexedSoFar = index.size();
      return null;
    }, false);
  }

  /**
   * A page of cases matching the parameters ({@link CaseFilter}), newest first or by relevance with words; the
   * cases are read by key from the database (the index only knows ids), so what is shown is what is stored.
   */
  public Future<Found> search(Map<String, String> parameters, String agent, int limit, String cursor) {
    CaseIndex.Query query;
    try {
      query = CaseFilter.parse(parameters, agent);
    } catch (Invalid e) {
      return Future.failedFuture(e);
    }
    if (!built) {
      return Future.failedFuture(new Unavailable("search-warming-up", "Search is still reading the cases (" + indexedSoFar
        + " so far); it is ready within seconds of start. The views above the queue work meanwhile.", 2L, null));
    }
    return worker.executeBlocking(() -> {
      try {
        return index.search(query, limit, cursor);
      } catch (IllegalArgumentException e) {
        throw new Invalid("bad-cursor", "cursor is not one this search gave out", Map.of("parameter", "cursor"));
      }
    }, false).compose(page -> Future.all(page.ids().stream().map(id -> mongo.findOne(MongoCaseRepository.CASES, new JsonObject().put("_id", id), null)).toList())
      .map(all -> new Found(all.<JsonObject>list().stream().filter(Objects::nonNull).map(CaseDocuments::fromDocument).toList(), page.next(), page.total())));
  }

  @Override
  public void created(Case c) {
    written(c);
  }

  @Override
  public void written(Case c) {
    if (changedWhileBuilding != null) changedWhileBuilding.add(c.id());
    // Another read of this case may be on its way with an older copy: it is dropped when it arrives.
    if (reading.containsKey(c.id())) reading.put(c.id(), true);
    index(List.of(c)).onFailure(e -> log.warn("Could not index case {} (read again on its next change)", c.id(), e));
  }

  @Override
  public void changed(String id) {
    if (id == null) return;
    if (changedWhileBuilding != null) changedWhileBuilding.add(id);
    if (reading.containsKey(id)) {
      reading.put(id, true);
      return;
    }
    reading.put(id, false);
    mongo.findOne(MongoCaseRepository.CASES, new JsonObject().put("_id", id), null).onComplete(ar -> {
      boolean again = reading.remove(id);
      if (again) {
        changed(id);
      } else if (ar.succeeded()) {
        (ar.result() == null ? worker.<Void>executeBlocking(() -> { index.delete(id); return null; }, false)
          : index(List.of(CaseDocuments.fromDocument(ar.result()))))
          .onFailure(e -> log.warn("Could not index case {} (read again on its next change)", id, e));
      } else {
        log.debug("Could not read case {} for the search index (read again on its next change)", id, ar.cause());
      }
    });
  }

  /** For the benchmark and tests: the index itself. */
  CaseIndex index() {
    return index;
  }

  public Future<Void> stop() {
    Future<Void> unregistered = consumer == null ? Future.succeededFuture() : consumer.unregister();
    return unregistered.andThen(ar -> {
      worker.close();
      index.close();
    });
  }
}
