package io.careloop.accounts;

import io.careloop.support.TestClock;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.*;

@DisplayName("Login throttling")
class LoginThrottleTest {
  @Test
  @DisplayName("five free failures, then 1 s doubling, never more than 5 minutes")
  void schedule() {
    assertEquals(Duration.ZERO, LoginThrottle.block(5));
    assertEquals(Duration.ofSeconds(1), LoginThrottle.block(6));
    assertEquals(Duration.ofSeconds(2), LoginThrottle.block(7));
    assertEquals(Duration.ofSeconds(256), LoginThrottle.block(14));
    assertEquals(Duration.ofMinutes(5), LoginThrottle.block(15));
    assertEquals(Duration.ofMinutes(5), LoginThrottle.block(10_000));
  }

  @Test
  @DisplayName("a key is blocked after the free failures, free again when the block ends, and cleared by a success")
  void blocks() {
    TestClock clock = new TestClock();
    LoginThrottle t = new LoginThrottle(clock);
    for (int i = 0; i < 5; i++) t.failed("user:ann");
    assertTrue(t.blocked("user:ann").isEmpty());
    t.failed("user:ann");
    assertTrue(t.blocked("user:ann").isPresent());
    assertTrue(t.blocked("ip:1.2.3.4").isEmpty(), "keys are independent");
    clock.advance(Duration.ofMillis(1100));
    assertTrue(t.blocked("user:ann").isEmpty());
    t.succeeded("user:ann");
    t.failed("user:ann");
    assertTrue(t.blocked("user:ann").isEmpty(), "a success starts the count again");
  }

  @Test
  @DisplayName("failures older than an hour are forgotten")
  void forgets() {
    TestClock clock = new TestClock();
    LoginThrottle t = new LoginThrottle(clock);
    for (int i = 0; i < 20; i++) t.failed("user:bo");
    assertTrue(t.blocked("user:bo").isPresent());
    clock.advance(Duration.ofMinutes(61));
    assertTrue(t.blocked("user:bo").isEmpty());
    t.failed("user:bo");
    assertTrue(t.blocked("user:bo").isEmpty(), "counting starts over");
  }
}
