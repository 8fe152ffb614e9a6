package io.careloop.scaleout;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * A duty one node at a time does (the SLA scan, keeping the question clusters): every {@code every} it asks
 * {@link Leases} whether this node holds the duty's lease and tells the duty what changed. A check waits for the
 * previous one (and the work it started) to finish, so a slow pass is never run twice at once on one node; during
 * a handover two nodes may briefly both believe they hold it, which the duties' own conditional writes or fencing
 * tolerate.
 */
public final class LeaseKeeper {
  private static final Logger log = LoggerFactory.getLogger(LeaseKeeper.class);

  /** What the holder of the lease does. Every method runs on the caller's event loop. */
  public interface Duty {
    /** This node now holds the lease under a new token (it took it, or took it back after losing it). */
    Future<?> took(long token);

    /** This node still holds the lease under the same token: one more round of the work. */
    default Future<?> kept(long token) { return Future.succeededFuture(); }

    /** This node held the lease and another node holds it now. */
    default void lost() {}
  }

  private final Vertx vertx;
  private final Leases leases;
  private final String lease;
  private final Duration every;
  private final String what;
  private final Duty duty;
  /** The token under which this node holds the lease; -1 while another node does. */
  private long token = -1;
  private long timer = -1;
  private Future<Void> inFlight = Future.succeededFuture();

  /** @param what what the duty is, for the log ("SLA scan", "question clusters") */
  public LeaseKeeper(Vertx vertx, Leases leases, String lease, Duration every, String what, Duty duty) {
    this.vertx = vertx;
    this.leases = leases;
    this.lease = lease;
    this.every = every;
    this.what = what;
    this.duty = duty;
  }

  /** Checks every {@code every} from now on (the first check after one period; {@link #check()} runs one at once). */
  public void start() {
    timer = vertx.setPeriodic(every.toMillis(), t -> {
      if (inFlight.isComplete()) check();
    });
  }

  /** One check now: takes the duty up, keeps at it or lets it go. Never fails (a failure is logged, retried next time). */
  public Future<Void> check() {
    inFlight = leases.hold(lease).compose(this::follow)
      .onFailure(e -> log.warn("{}: lease {} not checked or its work failed (again in {} ms)", what, lease, every.toMillis(), e))
      .otherwiseEmpty();
    return inFlight;
  }

  /**
   * Runs {@code work} once the check under way (if any) has finished, and holds the next check until it has: the duty's
   * work done now, never beside itself (tests drive a duty this way instead of waiting for the timer).
   */
  public Future<Void> afterCurrent(java.util.function.Supplier<Future<?>> work) {
    Future<Void> next = inFlight.transform(ar -> work.get().mapEmpty());
    inFlight = next.otherwiseEmpty();
    return next;
  }

  private Future<Void> follow(Optional<Long> held) {
    if (held.isEmpty()) {
      if (token != -1) {
        token = -1;
        duty.lost();
      }
      return Future.succeededFuture();
    }
    long now = held.get();
    if (now == token) return duty.kept(now).mapEmpty();
    token = now;
    return duty.took(now).mapEmpty();
  }

  /** Whether this node still holds the lease under the token it took it with (as far as it knows). */
  public boolean holding() {
    return token != -1 && leases.holds(lease, token);
  }

  /** Stops checking; completes when the check under way (and its work) has finished. */
  public Future<Void> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    timer = -1;
    return inFlight;
  }
}
