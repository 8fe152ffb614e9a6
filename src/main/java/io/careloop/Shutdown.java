package io.careloop;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What the verticle started, stopped in a fixed order of stages whatever order it started in: first nothing new
 * comes in, then the single-node duties end, then this node gives its leases up (so another takes over at once), then
 * the last writes are made durable and the database closes, then the clients. Only what was started is stopped (a
 * start that failed half-way stops its first half), and one part failing to stop does not keep the rest open.
 */
final class Shutdown {
  private static final Logger log = LoggerFactory.getLogger(Shutdown.class);

  enum Stage {
    /** Requests, polls and the demo's generator: nothing new comes in. */
    INTAKE,
    /** Single-node duties and the caches that follow the database. */
    DUTIES,
    /** Leases given up and this node's heartbeat ended. */
    LEASES,
    /** The last writes made durable, the database closed. */
    STORE,
    /** HTTP clients (X), the Lucene index, the stand-in. */
    CLIENTS
  }

  private record Step(Stage stage, String what, Supplier<Future<?>> stop) {}

  private final List<Step> steps = new ArrayList<>();

  /** Stops {@code what} in {@code stage}, after what was added to the same stage before it. */
  void add(Stage stage, String what, Supplier<Future<?>> stop) {
    steps.add(new Step(stage, what, stop));
  }

  /** As {@link #add}, for a part that stops at once. */
  void addSync(Stage stage, String what, Runnable stop) {
    add(stage, what, () -> {
      stop.run();
      return Future.succeededFuture();
    });
  }

  Future<Void> run() {
    Future<Void> chain = Future.succeededFuture();
    for (Stage stage : Stage.values()) {
      for (Step step : steps) {
        if (step.stage() != stage) continue;
        chain = chain.compose(v -> attempt(step).transform(ar -> {
          if (ar.failed()) log.warn("Stopping {} failed; the rest still stop", step.what(), ar.cause());
          return Future.<Void>succeededFuture();
        }));
      }
    }
    return chain;
  }

  private static Future<?> attempt(Step step) {
    try {
      return step.stop().get();
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }
}
