package io.careloop.store;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs asynchronous work one piece at a time, in the order it was handed over, whatever became of the piece before:
 * for steps that read, decide and write (assigning a cluster, counting an event) and must not interleave.
 *
 * <p>A loop, not a chain of futures: pieces that finish at once (analytics skipping its backlog at stop) used to
 * complete each other recursively, and a backlog of a few thousand overflowed the stack, which left the chain, and
 * the stop waiting on it, unfinished for ever (found by the ingest benchmark).
 */
public final class InOrder {
  private final Deque<Runnable> pending = new ArrayDeque<>();
  private boolean running;
  /** The piece under way, when it did not finish at once: the loop goes on when it does. */
  private Future<?> current;

  /**
   * {@code work} for each item, one after another in the list's order, each begun once the one before succeeded; fails
   * with the first failure (the rest are not begun). For a list in hand; {@link #run} for work handed over over time.
   */
  public static <T> Future<Void> each(List<T> items, Function<? super T, ? extends Future<?>> work) {
    Future<Void> chain = Future.succeededFuture();
    for (T item : items) chain = chain.compose(v -> work.apply(item).mapEmpty());
    return chain;
  }

  public <T> Future<T> run(Supplier<Future<T>> work) {
    Promise<T> promise = Promise.promise();
    Runnable piece = () -> {
      Future<T> started;
      try {
        started = work.get();
      } catch (RuntimeException e) {
        started = Future.failedFuture(e);
      }
      current = started;
      started.onComplete(promise);
    };
    synchronized (this) {
      pending.add(piece);
      if (running) return promise.future();
      running = true;
    }
    drain();
    return promise.future();
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = pending.poll();
        if (next == null) {
          running = false;
          return;
        }
      }
      next.run();
      Future<?> started = current;
      if (!started.isComplete()) {
        started.onComplete(ar -> drain());
        return;
      }
    }
  }
}
