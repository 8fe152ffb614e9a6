package io.careloop.store;

import io.vertx.core.Future;

import java.util.function.Supplier;

/**
 * Runs asynchronous work one piece at a time, in the order it was handed over, whatever became of the piece before:
 * for steps that read, decide and write (assigning a cluster, counting an event) and must not interleave.
 */
public final class InOrder {
  private Future<?> tail = Future.succeededFuture();

  public synchronized <T> Future<T> run(Supplier<Future<T>> work) {
    Future<T> next = tail.transform(ignored -> work.get());
    tail = next;
    return next;
  }
}
