package io.careloop.listening;

import io.careloop.x.RetryPolicy;
import io.careloop.x.XFailure;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

@DisplayName("Backoff after a failed poll")
class BackoffTest {
  final Instant now = Instant.parse("2026-11-23T10:00:00Z");
  final Backoff backoff = new Backoff(new RetryPolicy(Duration.ofSeconds(5), Duration.ofSeconds(320), Duration.ofSeconds(5), Duration.ofSeconds(60)));

  XFailure x(XFailure.Kind kind) { return new XFailure(kind, 0, now.plusSeconds(10), "test", null); }

  @Test
  @DisplayName("server errors double from 5 s only while they run on; a 429 or a network error in between starts the run again")
  void runsPerFamily() {
    assertEquals(Duration.ofSeconds(5), backoff.after(x(XFailure.Kind.SERVER_ERROR), now));
    assertEquals(Duration.ofSeconds(10), backoff.after(x(XFailure.Kind.MALFORMED), now), "malformed JSON is a server fault too");
    assertEquals(Duration.ofSeconds(20), backoff.after(x(XFailure.Kind.SERVER_ERROR), now));
    assertEquals(Duration.ofSeconds(11), backoff.after(x(XFailure.Kind.RATE_LIMITED), now), "until the reset, plus a second");
    assertEquals(Duration.ofSeconds(5), backoff.after(x(XFailure.Kind.SERVER_ERROR), now), "a new run");
    assertEquals(Duration.ofSeconds(5), backoff.after(x(XFailure.Kind.NETWORK), now));
    assertEquals(Duration.ofSeconds(10), backoff.after(x(XFailure.Kind.NETWORK), now), "linear");
    backoff.succeeded();
    assertEquals(Duration.ofSeconds(5), backoff.after(x(XFailure.Kind.NETWORK), now));
  }

  @Test
  @DisplayName("a database fault is retried within seconds, however long it lasts: 1, 2, 4, 8, then every 15 s")
  void storage() {
    RuntimeException down = new RuntimeException("Timed out while waiting for a server");
    long[] expected = {1, 2, 4, 8, 15, 15, 15};
    for (long s : expected) assertEquals(Duration.ofSeconds(s), backoff.after(down, now));
    assertEquals(Duration.ofSeconds(5), backoff.after(x(XFailure.Kind.SERVER_ERROR), now), "X's own rules again once X is reached");
  }
}
