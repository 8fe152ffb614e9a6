package io.careloop.meaning;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The model, asynchronously: every text is embedded on one worker thread of its own ({@code careloop-meaning}), never
 * on the event loop and never on the workers that posting and the database use. One thread, because the model keeps
 * a core busy while it runs; work queues in order, and long jobs (the back-fill) hand in small batches, so a person
 * waiting on a suggestion waits behind one batch at most.
 */
public final class Embeddings {
  /** Texts a long job hands in at once: about 40 ms of work. */
  public static final int BATCH = 32;

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Embeddings.class);
  private final Supplier<SentenceModel> model;
  private final WorkerExecutor worker;
  private volatile ModelUnavailable unavailable;

  /**
   * The model is loaded on the worker by the first work it is given (the back-fill, which starts once the service is
   * ready): never on the event loop, never delaying start.
   */
  public Embeddings(Vertx vertx, Supplier<SentenceModel> model) {
    this.model = model;
    this.worker = vertx.createSharedWorkerExecutor("careloop-meaning", 1, 60, TimeUnit.SECONDS);
  }

  /** With a model already loaded (tests, benchmarks). */
  public Embeddings(Vertx vertx, SentenceModel model) {
    this(vertx, () -> model);
  }

  public Future<float[]> embed(String text) {
    return worker.executeBlocking(() -> loaded().embed(text), false);
  }

  public Future<List<float[]>> embedAll(List<String> texts) {
    if (texts.isEmpty()) return Future.succeededFuture(List.of());
    return worker.executeBlocking(() -> loaded().embedAll(texts), false);
  }

  /** Runs {@code work} with the model, on the model's worker (building what needs the model, e.g. class prototypes). */
  public <T> Future<T> withModel(java.util.function.Function<SentenceModel, T> work) {
    return worker.executeBlocking(() -> work.apply(loaded()), false);
  }

  /** Why there is no model here, or null while there is one (or it was not needed yet). */
  public ModelUnavailable unavailable() { return unavailable; }

  private SentenceModel loaded() {
    if (unavailable != null) throw unavailable;
    try {
      return model.get();
    } catch (RuntimeException | LinkageError e) {
      // Said once, then every caller fails fast and falls back to words.
      unavailable = new ModelUnavailable(e);
      log.warn("No sentence model: clusters, suggestions and follow-ups go by words only. {}", unavailable.getMessage());
      throw unavailable;
    }
  }

  public Future<Void> close() {
    return worker.close();
  }
}
