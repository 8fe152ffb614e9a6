package io.careloop.support;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The one way tests wait: for a condition, polled until it holds or the time is up. A fixed pause is {@link #sleep}
 * and only for a real wall-clock wait (a timeout that must pass, a rate to keep); its caller says why.
 */
public final class Eventually {
  private static final Duration EVERY = Duration.ofMillis(50);

  private Eventually() {}

  /** Returns as soon as {@code condition} holds; fails naming {@code what} if it did not within {@code timeout}. */
  public static void eventually(String what, Duration timeout, BooleanSupplier condition) {
    eventually(() -> what, timeout, condition);
  }

  /** As above, with a message made after the last check (so it can say what was still wrong). */
  public static void eventually(java.util.function.Supplier<String> what, Duration timeout, BooleanSupplier condition) {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      // Checked once more after the deadline, so a slow check that finishes late still counts.
      boolean late = System.nanoTime() >= end;
      if (condition.getAsBoolean()) return;
      if (late) throw new AssertionError("not true within " + timeout + ": " + what.get());
      sleep(EVERY);
    }
  }

  /** A fixed wall-clock pause. Not for "nothing happened": prove the job ran instead (see ServiceLevelsTest). */
  public static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }
}
