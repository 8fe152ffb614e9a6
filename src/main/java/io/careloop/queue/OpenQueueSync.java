package io.careloop.queue;

import io.careloop.store.Paged;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mongo.MongoClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Keeps {@link OpenQueue} equal to the database. Loaded once at start (after the service is ready: until then pages
 * come from the database); afterwards a case is read again by key whenever it changes, whether the change was made
 * here (the repository says so) or announced on the event bus. Reads of one case run one at a time and a change
 * during a read causes another, so the last read always started after the last write. A read the database refused
 * is tried again on a timer; until then the queue shows that case as it last knew it. Its maps are used on the
 * verticle's one event loop only (no locks); the flags are volatile because tests read them from their own thread.
 */
public final class OpenQueueSync {
  private static final Logger log = LoggerFactory.getLogger(OpenQueueSync.class);

  private final Vertx vertx;
  private final MongoClient mongo;
  private final OpenQueue queue;
  private final Duration retryEvery;
  /** Cases being read: true when they changed again meanwhile. */
  private final Map<String, Boolean> reading = new HashMap<>();
  private final Set<String> failed = new HashSet<>();
  /** Cases that changed while the load was running: read again once it is done. */
  private Set<String> changedWhileLoading = new HashSet<>();
  private volatile boolean loaded;
  private volatile boolean loading;
  private MessageConsumer<JsonObject> consumer;
  private long timer = -1;
  private volatile boolean stopped;

  public OpenQueueSync(Vertx vertx, MongoClient mongo, OpenQueue queue, Duration retryEvery) {
    this.vertx = vertx;
    this.mongo = mongo;
    this.queue = queue;
    this.retryEvery = retryEvery;
  }

  public OpenQueue queue() {
    return queue;
  }

  /** True once every open case is in memory; before that the queue is read from the database. */
  public boolean loaded() {
    return loaded;
  }

  /** True while a read of every open case is under way (it scans every case, so others should not do the same). */
  public boolean loading() {
    return loading;
  }

  /** Listens for changes, then reads every open case (again later if the database refuses). */
  public void start() {
    consumer = vertx.eventBus().consumer(CaseEvents.CASE_UPDATED, m -> {
      // A case opened on this node is already in the queue as written (the repository hands it over): no re-read.
      // Opened on another node, it is not here yet and is read.
      if ("opened".equals(m.body().getString("reason")) && loaded && queue.contains(m.body().getString("id"))) return;
      changed(m.body().getString("id"));
    });
    timer = vertx.setPeriodic(retryEvery.toMillis(), t -> retryFailed());
    load();
  }

  private void load() {
    long started = System.nanoTime();
    loading = true;
    Paged.forEach(mongo, MongoCaseRepository.CASES, MongoCaseRepository.stateIn(CaseState.OPEN), null, doc -> {
      if (!changedWhileLoading.contains(doc.getString("_id"))) queue.created(CaseDocuments.fromDocument(doc));
    }).onSuccess(n -> {
      Set<String> again;
      loaded = true;
      loading = false;
      again = changedWhileLoading;
      changedWhileLoading = null;
      again.forEach(this::changed);
      log.info("Open queue in memory: {} open cases read in {} ms", n, (System.nanoTime() - started) / 1_000_000);
    }).onFailure(e -> {
      loading = false;
      if (stopped) return;
      log.warn("Could not read the open cases yet (the queue is read from the database meanwhile)", e);
      vertx.setTimer(retryEvery.toMillis(), t -> load());
    });
  }

  public Future<Void> stop() {
    stopped = true;
    if (timer >= 0) vertx.cancelTimer(timer);
    return consumer == null ? Future.succeededFuture() : consumer.unregister();
  }

  /** A case the database just created: shown at once. */
  public void created(Case c) {
    queue.created(c);
  }

  /** A case the database just returned after a write: shown at once, and read again to be sure of the order of writes. */
  public void written(Case c) {
    queue.apply(c);
    changed(c.id());
  }

  /** Something changed the case: read it again. */
  public void changed(String id) {
    if (id == null) return;
    if (changedWhileLoading != null) changedWhileLoading.add(id);
    if (reading.containsKey(id)) {
      reading.put(id, true);
      return;
    }
    reading.put(id, false);
    mongo.findOne(MongoCaseRepository.CASES, new JsonObject().put("_id", id), null).onComplete(ar -> {
      boolean again;
      if (ar.succeeded()) {
        if (ar.result() == null) queue.remove(id); else queue.apply(CaseDocuments.fromDocument(ar.result()));
        failed.remove(id);
      } else {
        failed.add(id);
      }
      again = reading.remove(id);
      if (again) changed(id);
    });
  }

  private void retryFailed() {
    List<String> ids;
    if (failed.isEmpty()) return;
    ids = List.copyOf(failed);
    log.debug("Reading {} changed cases again for the open queue", ids.size());
    ids.forEach(this::changed);
  }
}
