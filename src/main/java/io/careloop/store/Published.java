package io.careloop.store;

import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;

/**
 * The official driver's publishers, waited for: what the export and import commands need, which run on their own
 * thread with nothing else to do. {@link #forEach} asks for a window of documents at a time, so a collection streams
 * through with at most that many in memory.
 */
final class Published {
  private Published() {}

  /** Every item (for short answers: collection names, one document). */
  static <T> List<T> all(Publisher<T> publisher) {
    List<T> items = new ArrayList<>();
    forEach(publisher, 1_000, items::add);
    return items;
  }

  /** The first item, or null; the rest are not read. */
  static <T> T first(Publisher<T> publisher) {
    List<T> items = all(publisher);
    return items.isEmpty() ? null : items.get(0);
  }

  /**
   * Hands each item to {@code each} in order (on the driver's thread, one at a time), keeping at most {@code window}
   * requested and not yet handled; returns how many there were. A failure of {@code each} cancels the stream.
   */
  static <T> long forEach(Publisher<T> publisher, int window, Consumer<T> each) {
    CompletableFuture<Long> done = new CompletableFuture<>();
    publisher.subscribe(new Subscriber<T>() {
      private Subscription subscription;
      private long seen;
      private int leftInWindow;

      @Override
      public void onSubscribe(Subscription s) {
        subscription = s;
        leftInWindow = window;
        s.request(window);
      }

      @Override
      public void onNext(T item) {
        if (done.isDone()) return;
        try {
          each.accept(item);
        } catch (RuntimeException e) {
          subscription.cancel();
          done.completeExceptionally(e);
          return;
        }
        seen++;
        // Refilled by halves: fewer round trips through the subscription than one request per item.
        if (--leftInWindow <= window / 2) {
          int more = window - leftInWindow;
          leftInWindow = window;
          subscription.request(more);
        }
      }

      @Override
      public void onError(Throwable t) {
        done.completeExceptionally(t);
      }

      @Override
      public void onComplete() {
        done.complete(seen);
      }
    });
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) throw r;
      throw new IllegalStateException(e.getCause().getMessage(), e.getCause());
    }
  }
}
